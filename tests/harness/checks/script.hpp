// Scripted packet sequences for checker tests: a clock, named clients with numbered
// connections, and short builders for the packets a case exchanges.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "harness/checks/checks.hpp"

namespace mqttspec::checks::testing {

using mqtt::protocol_version;
using mqtt::qos;

/// The id a test expects in each version, written out literally from the TSVs.
inline std::string pick(protocol_version v, const char* v311, const char* v5) {
  return v == protocol_version::v311 ? v311 : v5;
}

class script {
 public:
  script(std::unique_ptr<checker> c, protocol_version v) : c_(std::move(c)), v_(v) {}

  script& at(double seconds) {
    now_ = timestamp(static_cast<std::int64_t>(seconds * 1e6));
    return *this;
  }
  void client(const std::string& name, mqtt::packet p) { feed(name, false, std::move(p)); }
  /// A packet that took `size` bytes on the wire (for size limits).
  void sized(const std::string& name, bool from_broker, mqtt::packet p, std::size_t size) {
    kept_.push_back(std::string(size, '\0'));
    feed(name, from_broker, std::move(p), kept_.back());
  }
  void broker(const std::string& name, mqtt::packet p) { feed(name, true, std::move(p)); }

  /// A new connection: CONNECT and its CONNACK.
  void connect(const std::string& name, bool clean = true, bool session_present = false,
               std::uint16_t keepalive = 60) {
    ++connections_[name];
    mqtt::connect c;
    c.version = v_;
    c.clean_start = clean;
    c.keep_alive = keepalive;
    c.client_id = "id";
    client(name, c);
    mqtt::connack a;
    a.session_present = session_present;
    broker(name, a);
  }
  /// A new connection whose packets the test writes itself.
  void new_connection(const std::string& name) { ++connections_[name]; }
  void end(const std::string& name, bool by_broker) { c_->on_connection_end(now_, name, connections_[name], by_broker); }
  void link(const std::string& name, link_event e) { c_->on_link_event(now_, name, e); }
  /// A connection the observation joined after it opened.
  void joined(const std::string& name) {
    ++connections_[name];
    c_->on_joined(now_, name, connections_[name]);
  }
  void malformed(const std::string& name, bool from_broker, mqtt::decode_error e) {
    c_->on_malformed(now_, name, connections_[name], from_broker, v_, e, "\x30\x00");
  }

  std::vector<violation> finish(double seconds) {
    std::vector<violation> out;
    c_->finish(timestamp(static_cast<std::int64_t>(seconds * 1e6)), out);
    return out;
  }
  /// The spec ids found, in order.
  std::vector<std::string> ids(double end_seconds) {
    std::vector<std::string> out;
    for (const auto& v : finish(end_seconds)) out.push_back(v.spec_id);
    return out;
  }

 private:
  void feed(const std::string& name, bool from_broker, mqtt::packet p, std::string_view bytes = {}) {
    observed o{now_, name, connections_[name], from_broker, v_, std::move(p), bytes};
    fill_in(o);
    c_->on_packet(o);
  }

  std::unique_ptr<checker> c_;
  protocol_version v_;
  timestamp now_{};
  std::map<std::string, std::uint64_t> connections_;
  std::deque<std::string> kept_;
};

inline mqtt::publish publish(std::string_view topic, std::string_view payload, qos q = qos::at_most_once,
                             std::uint16_t id = 0, bool dup = false, bool retain = false) {
  mqtt::publish p;
  p.topic = topic;
  p.payload = payload;
  p.qos = q;
  p.packet_id = id;
  p.dup = dup;
  p.retain = retain;
  return p;
}

inline mqtt::subscribe subscribe(std::uint16_t id, std::vector<mqtt::subscription> topics) {
  mqtt::subscribe s;
  s.packet_id = id;
  s.topics = std::move(topics);
  return s;
}
inline mqtt::subscription filter(std::string_view f, qos q, bool retain_as_published = false) {
  mqtt::subscription s;
  s.filter = f;
  s.max_qos = q;
  s.retain_as_published = retain_as_published;
  return s;
}
inline mqtt::suback suback(std::uint16_t id, std::vector<mqtt::reason_code> codes) {
  mqtt::suback a;
  a.packet_id = id;
  a.codes = std::move(codes);
  return a;
}
inline mqtt::unsubscribe unsubscribe(std::uint16_t id, std::vector<std::string_view> filters) {
  mqtt::unsubscribe u;
  u.packet_id = id;
  u.filters = std::move(filters);
  return u;
}
/// 3.1.1 UNSUBACK carries no codes; 5.0 one success per filter.
inline mqtt::unsuback unsuback(protocol_version v, std::uint16_t id, std::size_t filters = 1) {
  mqtt::unsuback a;
  a.packet_id = id;
  if (v == protocol_version::v5) a.codes.assign(filters, mqtt::reason_code::success);
  return a;
}
inline mqtt::reason_code granted(int q) { return static_cast<mqtt::reason_code>(q); }

template <class T>
T ack(std::uint16_t id, mqtt::reason_code rc = mqtt::reason_code::success) {
  T a;
  a.packet_id = id;
  a.code = rc;
  return a;
}

/// Subscribes `name` to `f` at QoS `q` (packet id `id`) and grants it.
inline void subscribed(script& s, const std::string& name, std::uint16_t id, std::string_view f, qos q) {
  s.client(name, subscribe(id, {filter(f, q)}));
  s.broker(name, suback(id, {granted(static_cast<int>(q))}));
}

/// Runs a parameterized suite in both protocol versions.
#define MQTTSPEC_BOTH_VERSIONS(suite)                                                                        \
  INSTANTIATE_TEST_SUITE_P(versions, suite,                                                                 \
                           ::testing::Values(mqtt::protocol_version::v311, mqtt::protocol_version::v5),     \
                           [](const auto& info) {                                                           \
                             return info.param == mqtt::protocol_version::v311 ? std::string("v311")        \
                                                                               : std::string("v5");         \
                           })

}  // namespace mqttspec::checks::testing

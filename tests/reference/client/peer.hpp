// A scripted broker for the client core, in virtual time and in the fluent style of
// STYLE item 11, with the YAML step vocabulary (send / expect / after / close):
//
//   peer b(opts);
//   b.start().expect(connect_packet).reply_with(connack{}).after(60s).expect(pingreq{});
//
// What the client sends is decoded packet by packet; user events are kept apart.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "reference/client/core.hpp"
#include "reference/codec/codec.hpp"
#include "reference/codec/hex.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqtt::client::test {

using namespace std::chrono_literals;
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

inline std::string version_name(const ::testing::TestParamInfo<protocol_version>& i) {
  return i.param == v5 ? "v5" : "v311";
}

class peer {
 public:
  explicit peer(options o) : core_(std::move(o)), dec_(core_.version()) {}

  client::core& core() { return core_; }
  timestamp now() const { return now_; }
  protocol_version version() const { return core_.version(); }

  /// A new network connection: the client sends CONNECT.
  peer& start() {
    closed_ = false;
    dec_ = stream_decoder(version());
    std::vector<action> out;
    wire_ += core_.connect(now_, out);
    apply(out);
    return *this;
  }
  /// The next packet the client sent must be `p`.
  peer& expect(const packet& p) {
    auto got = next();
    if (!got) {
      ADD_FAILURE() << "Expected: " << to_string(p, version()) << "\nReceived: nothing";
    } else if (!(*got == p)) {
      ADD_FAILURE() << "Expected: " << to_string(p, version()) << "\nReceived: " << to_string(*got, version());
    }
    return *this;
  }
  /// The next packet sent, whatever it is, for checks expect() cannot express.
  template <class T>
  T take() {
    auto got = next();
    if (got)
      if (auto* x = std::get_if<T>(&*got)) return *x;
    ADD_FAILURE() << "Expected a " << to_string(T::type) << "\nReceived: "
                  << (got ? to_string(*got, version()) : std::string("nothing"));
    return T{};
  }
  /// The broker sends `p` (encoded for the client's version).
  peer& reply_with(const packet& p) { return send_bytes(encode(p, version())); }
  /// The broker sends raw bytes written as hex ("30 05 | 00 03 61 2f 62").
  peer& reply_hex(std::string_view text) {
    auto h = parse_hex(text);
    EXPECT_TRUE(h.ok) << h.error;
    return send_bytes(h.bytes);
  }
  peer& send_bytes(std::string_view bytes) {
    std::vector<action> out;
    core_.on_bytes(bytes, now_, out);
    apply(out);
    return *this;
  }
  /// Virtual time passes; every armed timer fires at its time on the way.
  peer& after(std::chrono::microseconds d) {
    const timestamp end = now_ + d;
    while (timer_ && *timer_ <= end) {
      now_ = *timer_;
      timer_.reset();
      std::vector<action> out;
      core_.on_time(now_, out);
      apply(out);
    }
    now_ = end;
    return *this;
  }
  /// The network connection drops under the client.
  peer& drop() {
    std::vector<action> out;
    core_.on_closed(now_, out);
    apply(out);
    return *this;
  }
  /// The client asked to close the connection.
  peer& expect_close() {
    EXPECT_TRUE(closed_) << "the client did not close the connection";
    return *this;
  }
  /// The client sent nothing more.
  peer& expect_nothing() {
    if (auto got = next()) ADD_FAILURE() << "Unexpected: " << to_string(*got, version());
    return *this;
  }
  bool closed() const { return closed_; }
  std::optional<timestamp> timer() const { return timer_; }

  /// The next user event, which must be of type E.
  template <class E>
  E event() {
    if (events_.empty()) {
      ADD_FAILURE() << "no event, expected event index " << action(E{}).index();
      return E{};
    }
    action a = std::move(events_.front());
    events_.pop_front();
    if (auto* e = std::get_if<E>(&a)) return std::move(*e);
    ADD_FAILURE() << "event index " << a.index() << ", expected " << action(E{}).index() << describe(a);
    return E{};
  }
  /// Events of type E, taken out of the queue; others stay.
  template <class E>
  std::vector<E> all() {
    std::vector<E> r;
    for (auto it = events_.begin(); it != events_.end();) {
      if (auto* e = std::get_if<E>(&*it)) {
        r.push_back(std::move(*e));
        it = events_.erase(it);
      } else {
        ++it;
      }
    }
    return r;
  }
  std::size_t events() const { return events_.size(); }
  bool no_events() {
    if (events_.empty()) return true;
    ADD_FAILURE() << "unexpected event index " << events_.front().index() << describe(events_.front());
    return false;
  }

  // Commands, with the clock of the script.
  submitted publish(std::string_view topic, std::string_view payload, mqtt::qos q, bool retain = false,
                    const properties& props = {}) {
    std::vector<action> out;
    auto r = core_.publish(topic, payload, q, retain, props, now_, out);
    apply(out);
    return r;
  }
  submitted subscribe(std::vector<subscription> topics, const properties& props = {}) {
    std::vector<action> out;
    auto r = core_.subscribe(topics, props, now_, out);
    apply(out);
    return r;
  }
  submitted unsubscribe(std::vector<std::string_view> filters) {
    std::vector<action> out;
    auto r = core_.unsubscribe(filters, {}, now_, out);
    apply(out);
    return r;
  }
  peer& disconnect(reason_code rc = reason_code::success, const properties& props = {}) {
    std::vector<action> out;
    core_.disconnect(rc, props, now_, out);
    apply(out);
    return *this;
  }
  submitted auth(reason_code rc, std::string_view data) {
    std::vector<action> out;
    auto r = core_.auth(rc, data, {}, now_, out);
    apply(out);
    return r;
  }

 private:
  static std::string describe(const action& a) {
    if (auto* v = std::get_if<protocol_violation>(&a)) return " (violation " + v->spec_id + ": " + v->text + ")";
    if (auto* d = std::get_if<disconnected>(&a)) return " (disconnected: " + d->why + ")";
    if (auto* d = std::get_if<publish_dropped>(&a)) return " (dropped: " + d->why + ")";
    return {};
  }
  std::optional<packet> next() {
    if (!wire_.empty()) {
      dec_.feed(wire_);
      wire_.clear();
    }
    auto f = dec_.next_frame();
    if (!f) {
      ADD_FAILURE() << "the client sent bad bytes: " << to_string(f.error());
      return std::nullopt;
    }
    if (!*f) return std::nullopt;
    frames_.emplace_back(**f);
    auto p = decode(frames_.back(), version());
    if (!p) {
      ADD_FAILURE() << "the client sent a bad packet: " << to_string(p.error());
      return std::nullopt;
    }
    return *p;
  }
  void apply(std::vector<action>& out) {
    for (auto& a : out) {
      if (auto* s = std::get_if<client::send_bytes>(&a)) {
        EXPECT_FALSE(closed_) << "bytes sent after close";
        wire_ += s->bytes;
      } else if (std::holds_alternative<client::close>(a)) {
        closed_ = true;
      } else if (auto* t = std::get_if<arm_timer>(&a)) {
        if (!timer_ || t->at < *timer_) timer_ = t->at;
      } else {
        events_.push_back(std::move(a));
      }
    }
  }

  client::core core_;
  stream_decoder dec_;
  timestamp now_{};
  std::optional<timestamp> timer_;
  std::string wire_;                // sent by the client, not yet decoded
  std::deque<std::string> frames_;  // the bytes decoded packets view
  std::deque<action> events_;
  bool closed_ = false;
};

/// The CONNECT a client with `o` sends.
inline mqtt::connect connect_of(const options& o) {
  mqtt::connect c;
  c.version = o.version;
  c.clean_start = o.clean_start;
  c.keep_alive = o.keep_alive;
  c.client_id = o.client_id;
  return c;
}

inline properties props_of(std::initializer_list<property> ps) { return properties(ps); }

}  // namespace mqtt::client::test

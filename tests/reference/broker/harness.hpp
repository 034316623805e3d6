// Drives mqtt::broker::core with bytes and virtual time: clients send encoded packets,
// the broker's actions are collected, and what it sent is decoded per client.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reference/broker/core.hpp"
#include "reference/codec/codec.hpp"
#include "reference/codec/hex.hpp"
#include "reference/codec/raw.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqtt::broker::test {

using namespace std::chrono_literals;
using mqtt::protocol_version;
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

class sim;

/// One client connection: what it sends, and what the broker sent back, decoded.
class client {
 public:
  client(sim& s, conn_id id, protocol_version v) : sim_(&s), id_(id), v_(v), dec_(v) {}

  conn_id id() const { return id_; }
  protocol_version version() const { return v_; }
  bool closed() const { return closed_; }

  void send(const packet& p);
  /// Bytes as they are, or hex text ("30 05 | 00 03 61 2f 62") when `hex` is true.
  void raw(std::string_view bytes, bool hex = false);
  /// The network dropped (the broker sees on_closed).
  void drop();

  /// Packets received and not yet taken.
  std::size_t pending() const { return inbox_.size(); }
  /// The next received packet; fails the test when there is none.
  packet next();
  template <class T>
  T expect() {
    packet p = next();
    if (auto* x = std::get_if<T>(&p)) return *x;
    ADD_FAILURE() << "expected " << to_string(T::type) << ", got " << to_string(p, v_);
    return T{};
  }
  /// True when nothing was received; otherwise fails with what was.
  bool nothing() {
    if (inbox_.empty()) return true;
    ADD_FAILURE() << "unexpected " << to_string(inbox_.front(), v_);
    return false;
  }

  // Shortcuts for well-behaved clients.
  connack connect(mqtt::connect p);
  suback subscribe(std::string_view filter, mqtt::qos q, std::uint16_t id = 1, properties props = {});
  void publish(std::string_view topic, std::string_view payload, mqtt::qos q = qos::at_most_once,
               std::uint16_t id = 0, bool retain = false, properties props = {});

  // Called by sim.
  void received(std::string_view bytes);
  void mark_closed() { closed_ = true; }

 private:
  sim* sim_;
  conn_id id_;
  protocol_version v_;
  stream_decoder dec_;
  std::deque<std::string> frames_;  // the bytes the packets view
  std::deque<packet> inbox_;
  bool closed_ = false;
};

/// The broker under test and its virtual clock.
class sim {
 public:
  explicit sim(config cfg = {}) : broker_(std::move(cfg)) {}

  core& broker() { return broker_; }
  timestamp now() const { return now_; }

  client& open(protocol_version v);
  /// Opens a connection and connects with `id` (clean start, keep alive 0 unless given).
  client& connected(protocol_version v, std::string_view id, bool clean = true, std::uint16_t keep_alive = 0,
                    properties props = {});

  void bytes(conn_id c, std::string_view b) { run([&](auto& out) { broker_.on_bytes(c, b, now_, out); }); }
  void closed(conn_id c) { run([&](auto& out) { broker_.on_closed(c, now_, out); }); }
  /// Advances the clock by `d`, firing every armed timer at its time on the way.
  void advance(std::chrono::microseconds d);

  const std::vector<note>& notes() const { return notes_; }
  bool noted(std::string_view spec_id) const {
    for (const auto& n : notes_)
      if (n.spec_id == spec_id) return true;
    return false;
  }

 private:
  template <class F>
  void run(F f) {
    std::vector<action> out;
    f(out);
    apply(out);
  }
  void apply(const std::vector<action>& out);

  core broker_;
  timestamp now_{};
  conn_id next_id_ = 1;
  std::map<conn_id, std::unique_ptr<client>> clients_;
  std::vector<timestamp> timers_;
  std::vector<note> notes_;
};

/// A CONNECT with the usual defaults.
mqtt::connect make_connect(protocol_version v, std::string_view id, bool clean = true, std::uint16_t keep_alive = 0);
/// Hex text to bytes, failing the test on a typo.
std::string hex(std::string_view text);

}  // namespace mqtt::broker::test

// The reference client as a sans-I/O state machine: events and commands in, actions
// out. No sockets, clocks, threads or logging: time is an argument, and what would be
// I/O (or news for the user) comes back as actions for the driver.
//
//   client::core c(opts);
//   std::vector<client::action> out;
//   std::string hello = c.connect(now, out);   // send it on a fresh connection
//   c.on_bytes(bytes, now, out);               // -> send_bytes / close / arm_timer / connected / message ...
//   c.publish("a/b", "hi", qos::exactly_once, false, {}, now, out);
//   c.on_time(now, out);                       // when an armed timer is due
//
// One core lives across connections: after on_closed (or close), connect() again on a
// new network connection resumes the session when clean start is 0.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "options.hpp"
#include "reference/codec/packet.hpp"

namespace mqtt::client {

/// Time since the driver's epoch (same as mqtt::broker::timestamp). The core never reads a clock.
using timestamp = std::chrono::microseconds;

/// Bytes that a decoded packet views; shared, so events can be copied and kept.
using frame_ptr = std::shared_ptr<const std::string>;

// Actions for the driver.

struct send_bytes {
  std::string bytes;  // one or more whole packets
};
/// Close the network connection once what was sent before it is flushed.
struct close {};
/// Call on_time() once the clock reaches `at`. The driver may keep only the earliest.
struct arm_timer {
  timestamp at;
};

// Events for the user.

/// CONNACK with Reason Code 0 (a refusal ends in `disconnected`).
struct connected {
  mqtt::connack connack;
  frame_ptr bytes;
};
/// An Application Message, delivered once (QoS 2 resends are not delivered again).
/// The topic is the resolved one when the broker used a Topic Alias.
struct message {
  mqtt::publish publish;
  frame_ptr bytes;
};
struct subscribed {
  mqtt::suback suback;
  frame_ptr bytes;
};
struct unsubscribed {
  mqtt::unsuback unsuback;
  frame_ptr bytes;
};
/// A QoS 1/2 flow we started completed: PUBACK, PUBCOMP, or a PUBREC >= 0x80.
struct published {
  std::uint16_t packet_id;
  reason_code reason;
};
/// A message accepted by publish() that will never be sent or completed.
struct publish_dropped {
  std::uint16_t packet_id;  // 0 for QoS 0
  std::string why;
};
/// The broker sent AUTH (continue, success or re-authenticate); answer with auth().
struct auth_challenge {
  mqtt::auth auth;
  frame_ptr bytes;
};

enum class origin : std::uint8_t {
  local,    // we closed: disconnect(), a violation, a dead broker, a CONNACK timeout
  server,   // the broker sent DISCONNECT or a refusing CONNACK
  network,  // the connection ended with no packet saying why
};

/// The connection is over; `session_kept` says whether the next connect() may resume.
struct disconnected {
  reason_code reason;
  client::origin by;
  std::string why;
  bool session_kept;
};

/// Something the broker sent breaks a rule. `spec_id` may be empty where the spec
/// numbers no statement. Fatal ones are followed by close and disconnected.
struct protocol_violation {
  std::string spec_id;
  std::string text;
};

using action = std::variant<send_bytes, close, arm_timer, connected, message, subscribed, unsubscribed,
                            published, publish_dropped, auth_challenge, disconnected, protocol_violation>;

/// What a command did: the packet identifier it used, or why it was refused.
struct submitted {
  std::uint16_t packet_id = 0;  // 0 for QoS 0 and refusals
  std::string error;            // empty when accepted
  bool ok() const { return error.empty(); }
};

class core {
 public:
  explicit core(options opts);
  ~core();
  core(const core&) = delete;
  core& operator=(const core&) = delete;

  // Events from the network and the clock.

  /// A new network connection is open: returns the CONNECT to send first. Drops the
  /// session state when clean start is 1. `out` gets the timer for the CONNACK wait.
  std::string connect(timestamp now, std::vector<action>& out);
  /// Bytes from the broker, in any chunking.
  void on_bytes(bytes_view bytes, timestamp now, std::vector<action>& out);
  /// The network connection ended (whoever closed it). Idempotent.
  void on_closed(timestamp now, std::vector<action>& out);
  /// Time advanced: keepalive, dead-broker and CONNACK timeouts.
  void on_time(timestamp now, std::vector<action>& out);

  // Commands from the user.

  /// Queued while disconnected or when the in-flight window is full; sent in order.
  /// Refused when the broker's Maximum QoS, Retain Available or Maximum Packet Size forbid it.
  submitted publish(std::string_view topic, bytes_view payload, mqtt::qos q, bool retain,
                    const properties& props, timestamp now, std::vector<action>& out);
  /// Only while connected; the answer comes as `subscribed`.
  submitted subscribe(const std::vector<subscription>& topics, const properties& props, timestamp now,
                      std::vector<action>& out);
  submitted unsubscribe(const std::vector<std::string_view>& filters, const properties& props, timestamp now,
                        std::vector<action>& out);
  /// DISCONNECT (the reason and properties are sent in 5.0 only), then close. A Session
  /// Expiry Interval in `props` replaces the one of CONNECT.
  void disconnect(reason_code reason, const properties& props, timestamp now, std::vector<action>& out);
  /// AUTH with our Authentication Method: continue_authentication to answer a
  /// challenge, re_authenticate to start again once connected (5.0 section 4.12).
  submitted auth(reason_code reason, bytes_view data, const properties& props, timestamp now,
                 std::vector<action>& out);

  // State, for drivers and tests.

  bool is_connected() const;
  protocol_version version() const;
  const options& settings() const;
  /// Changes take effect at the next connect() (a reconnect with clean start 1, say).
  options& settings();
  /// QoS 1/2 messages sent and not yet acknowledged, and those queued behind them.
  std::size_t inflight_count() const;
  std::size_t queued_count() const;
  /// Packet identifiers in use (publishes, pending SUBSCRIBE/UNSUBSCRIBE).
  std::size_t ids_in_use() const;
  /// The keep alive in force (Server Keep Alive overrides ours), in seconds.
  std::uint16_t keep_alive() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mqtt::client

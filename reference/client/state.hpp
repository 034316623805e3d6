// The client core's internal state, shared by the files that implement it: the
// session (kept across connections when persistent) and the connection (reset by
// every connect()).
#pragma once

#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core.hpp"
#include "reference/codec/codec.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqtt::client {

/// Packet identifiers 1..65535, each handed out at most once until released
/// (MQTT-2.2.1-3 / MQTT-2.3.1-2). Hands out the next free one after the last, so a
/// released id is not reused at once (a late duplicate ack stays unambiguous).
class id_pool {
 public:
  std::optional<std::uint16_t> acquire();
  void release(std::uint16_t id);
  bool in_use(std::uint16_t id) const { return used_[id]; }
  std::size_t count() const { return count_; }

 private:
  std::vector<bool> used_ = std::vector<bool>(65536, false);
  std::uint16_t last_ = 0;
  std::size_t count_ = 0;
};

/// A message the user published, owned until its flow completes.
struct outgoing {
  std::uint16_t packet_id = 0;  // 0 for QoS 0
  std::string topic;
  std::string payload;
  mqtt::qos qos = qos::at_most_once;
  bool retain = false;
  owned_properties props;
  bool released = false;  // QoS 2 after PUBREC: only the PUBREL is resent (MQTT-4.3.3-6)
};

/// Client Session State (5.0 section 4.1): survives a connection when it is persistent.
struct session_state {
  bool exists = false;           // a session was established and kept: the broker may have it too
  std::list<outgoing> inflight;  // sent, unacknowledged, in the order first sent (MQTT-4.6.0-1)
  std::deque<outgoing> queue;    // accepted, not yet sent: the outbox, never discarded
  std::set<std::uint16_t> qos2_in;  // PUBREC sent, PUBREL awaited: never deliver these again
  id_pool ids;
};

enum class phase : std::uint8_t { idle, connecting, connected, closed };

/// A SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement.
struct pending_ack {
  packet_type type;
  std::size_t filters;
};

/// What the broker told us in CONNACK (defaults when absent, 5.0 section 3.2.2.3).
struct server_limits {
  std::uint16_t receive_maximum = 65535;
  std::uint32_t maximum_packet_size = 0;  // 0: no limit beyond the protocol's
  std::uint16_t topic_alias_maximum = 0;
  mqtt::qos maximum_qos = qos::exactly_once;
  bool retain_available = true;
};

struct core::impl {
  explicit impl(options o);

  options opts_;
  protocol_version v_;
  session_state session_;

  // Per connection.
  phase phase_ = phase::idle;
  stream_decoder decoder_;
  timestamp now_{};
  timestamp last_sent_{};
  std::optional<timestamp> connack_deadline_;
  std::optional<timestamp> ping_deadline_;  // a PINGREQ is out
  std::optional<timestamp> armed_;          // the last arm_timer we emitted
  std::uint16_t keep_alive_ = 0;
  bool had_session_ = false;                // session_.exists when CONNECT was sent
  std::uint32_t session_expiry_ = 0;        // in force: CONNECT's, or DISCONNECT's
  std::string assigned_id_;                 // Assigned Client Identifier, reused on reconnect
  server_limits limits_;
  std::map<std::uint16_t, pending_ack> pending_;
  std::unordered_map<std::uint16_t, std::string> aliases_in_;  // the broker's aliases
  std::unordered_map<std::string, std::uint16_t> aliases_out_;
  std::uint16_t next_alias_out_ = 1;

  bool v5() const { return v_ == protocol_version::v5; }
  /// The statement id of the version in use.
  std::string_view sid(std::string_view v311_id, std::string_view v5_id) const { return v5() ? v5_id : v311_id; }

  // core.cpp: sending and ending.
  void send(const packet& p, std::vector<action>& out);
  /// A violation that ends the connection: report, DISCONNECT with `reason` (5.0), close.
  void fatal(std::string_view spec_id, std::string text, reason_code reason, std::vector<action>& out);
  void violation(std::string_view spec_id, std::string text, std::vector<action>& out);
  /// The connection is over: decide what the session keeps, emit disconnected.
  void end_connection(reason_code reason, origin by, std::string why, bool send_close, std::vector<action>& out);
  /// Drops the in-flight messages and the QoS 2 receive state (MQTT-3.2.2-5).
  void discard_session(std::string_view why, std::vector<action>& out);

  // receive.cpp: what the broker sends.
  void on_packet(const packet& p, const frame_ptr& bytes, std::vector<action>& out);
  void on_connack(const mqtt::connack& p, const frame_ptr& bytes, std::vector<action>& out);
  void on_publish(const mqtt::publish& p, const frame_ptr& bytes, std::vector<action>& out);
  void on_pubrel(const pubrel& p, std::vector<action>& out);
  void on_sub_ack(packet_type t, std::uint16_t id, std::size_t codes, std::vector<action>& out);
  void on_auth(const mqtt::auth& p, const frame_ptr& bytes, std::vector<action>& out);

  // publish_out.cpp: our messages.
  std::size_t window() const;
  void flush(std::vector<action>& out);
  /// PUBLISH (DUP as given) or, once released, PUBREL for a message in flight.
  bool send_message(const outgoing& m, bool dup, std::vector<action>& out);
  void resend_inflight(std::vector<action>& out);
  void on_puback(const puback& p, std::vector<action>& out);
  void on_pubrec(const pubrec& p, std::vector<action>& out);
  void on_pubcomp(const pubcomp& p, std::vector<action>& out);
  void complete(std::list<outgoing>::iterator it, reason_code rc, std::vector<action>& out);

  // keepalive.cpp: timers.
  std::optional<timestamp> next_deadline() const;
  void check_timers(std::vector<action>& out);
  /// Emits arm_timer when the next deadline changed (always when `force`).
  void rearm(bool force, std::vector<action>& out);
};

}  // namespace mqtt::client

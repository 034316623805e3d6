// What the reference client puts in its CONNECT, and how it behaves: every field and
// property of CONNECT (3.1.1 section 3.1, 5.0 section 3.1) plus the client's own limits.
// Everything here is owned, so options outlive the packets built from them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference/codec/property.hpp"
#include "reference/codec/types.hpp"

namespace mqtt::client {

/// A property that owns its strings (decoded packets only view their bytes).
struct owned_property {
  property_id id;
  std::uint32_t number = 0;
  std::string text, value;
};
using owned_properties = std::vector<owned_property>;

owned_properties own(const properties& ps);
/// Views into `ps`, valid while `ps` lives and is not modified.
properties view(const owned_properties& ps);

using user_properties = std::vector<std::pair<std::string, std::string>>;

/// The Will Message (3.1.2.5 onwards); `props` are the 5.0 Will Properties.
struct will {
  std::string topic;
  std::string payload;
  mqtt::qos qos = qos::at_most_once;
  bool retain = false;
  owned_properties props;
};

struct options {
  protocol_version version = protocol_version::v5;

  // CONNECT fields.
  std::string client_id;
  bool clean_start = true;       // CleanSession in 3.1.1
  std::uint16_t keep_alive = 60;  // seconds; 0 turns keepalive off
  std::optional<client::will> will;
  std::optional<std::string> user_name;
  std::optional<std::string> password;

  // 5.0 CONNECT properties; absent ones are not sent.
  std::optional<std::uint32_t> session_expiry;        // seconds; 0xffffffff never expires
  std::optional<std::uint16_t> receive_maximum;       // ours: at most this many QoS 1/2 in from the broker
  std::optional<std::uint32_t> maximum_packet_size;   // ours: the broker must not send larger
  std::optional<std::uint16_t> topic_alias_maximum;   // ours: aliases the broker may use
  std::optional<bool> request_response_information;
  std::optional<bool> request_problem_information;
  client::user_properties user_properties;
  std::optional<std::string> authentication_method;
  std::optional<std::string> authentication_data;

  // Behaviour of the client itself.
  /// QoS 1/2 PUBLISH packets unacknowledged at once. In 5.0 the broker's Receive
  /// Maximum caps it further (MQTT-3.3.4-7).
  std::uint16_t inflight_window = 65535;
  /// Send PUBLISH with Topic Aliases, up to the broker's Topic Alias Maximum (5.0).
  bool use_topic_aliases = false;
  /// A PINGREQ unanswered this long means the broker is dead: close and report.
  std::chrono::microseconds pingresp_timeout = std::chrono::seconds(10);
  /// No CONNACK this long after CONNECT: close and report. Zero waits forever.
  std::chrono::microseconds connack_timeout = std::chrono::seconds(30);
};

}  // namespace mqtt::client

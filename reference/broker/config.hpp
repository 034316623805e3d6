// What the reference broker allows and how it behaves where the spec leaves a choice.
// Loaded from YAML by `mqttspec broker --config FILE` (see docs/broker.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reference/codec/types.hpp"

namespace mqtt::broker {

/// Faults break one named rule on purpose, so each conformance check can be shown
/// to fail on a broker that breaks it. Each is documented with the ids it breaks.
enum class fault : std::uint8_t {
  no_will,               // never publish wills                  MQTT-3.1.2-8 (both)
  ignore_keepalive,      // never close on keepalive lapse       MQTT-3.1.2-24 (3.1.1) / MQTT-3.1.2-22 (5.0)
  qos2_twice,            // deliver QoS 2 messages twice          MQTT-4.3.3-2 (3.1.1) / MQTT-4.3.3-10 (5.0)
  drop_retained,         // never store retained messages        MQTT-3.3.1-5
  wrong_suback_qos,      // SUBACK shows a QoS other than granted MQTT-3.8.4-5 (3.1.1) / MQTT-3.8.4-7 (5.0)
  reorder,               // deliver to each subscriber newest first  MQTT-4.6.0-6 (3.1.1) / MQTT-4.6.0-5 (5.0)
  no_dup_on_redelivery,  // redeliver with DUP 0                 MQTT-3.3.1-1
  will_on_disconnect,    // publish the will after a normal DISCONNECT  MQTT-3.1.2-10
  session_present_always_0,  // CONNACK session present 0 with a stored session  MQTT-3.2.2-2/3
  no_retain_flag_on_subscribe,  // retained messages sent with RETAIN 0  MQTT-3.3.1-8 (3.1.1)
  accept_second_connect,     // ignore a second CONNECT            MQTT-3.1.0-2
  accept_reserved_flags,     // ignore bad fixed header flags     MQTT-2.2.2-2 / MQTT-2.1.3-1
  ignore_malformed,          // drop a malformed / protocol-error packet, stay open  MQTT-4.8.0-1 / MQTT-4.13.1-1
  accept_any_first_packet,   // keep a connection whose first packet is not CONNECT  MQTT-3.1.0-1
  no_pingresp,               // never answer PINGREQ              MQTT-3.12.4-1
  keepalive_zero_expires,    // Keep Alive 0 treated as 60 s      MQTT-3.2.2-22 (5.0)
  deliver_at_subscription_qos,  // deliver at the granted QoS, not the minimum  MQTT-3.8.4-6 / MQTT-3.8.4-8
  ack_qos0,                  // answer a QoS 0 PUBLISH with PUBACK  MQTT-3.3.4-1 (and MQTT-2.3.1-6 / MQTT-2.2.1-5)
  accept_empty_client_id_persistent,  // 3.1.1: empty ClientId with CleanSession 0 accepted  MQTT-3.1.3-8
  session_present_always_1,  // CONNACK Session Present 1 even with a clean start  MQTT-3.2.2-1 / MQTT-3.2.2-2
  no_assigned_client_id,     // 5.0: no Assigned Client Identifier for an empty ClientId  MQTT-3.2.2-16
  accept_any_auth_method,    // 5.0: an unknown authentication method is accepted  MQTT-4.12.0-1
  overlap_lowest_qos,        // overlapping subscriptions: one copy at the lowest QoS  MQTT-3.3.5-1 / MQTT-3.3.4-2
  match_dollar_topics,       // leading wildcards match $-topics   MQTT-4.7.2-1
  normalise_topics,          // empty levels of a topic name collapsed before matching  MQTT-4.7.3-4
  unsubscribe_first_only,    // UNSUBSCRIBE removes only its first filter  MQTT-3.10.4-6
  no_unsuback_when_none_held,  // no UNSUBACK when none of the filters was held  MQTT-3.10.4-5
  client_id_max_16,          // ClientIds over 16 bytes refused    MQTT-3.1.3-5
  propagate_dup,             // incoming DUP copied to the first delivery  MQTT-3.3.1-3
  strip_request_properties,  // 5.0: format, content type, response topic, correlation data dropped  MQTT-3.3.2-4/15/16/20
  reverse_user_properties,   // 5.0: User Properties forwarded in reverse order  MQTT-3.3.2-18, MQTT-3.1.3-10
  alias_ignores_client_maximum,  // 5.0: topic aliases sent up to the broker's own maximum  MQTT-3.1.2-26/27, MQTT-3.3.2-11
  silent_at_zero_quota,      // 5.0: nothing but PUBLISH sent while the send quota is zero  MQTT-4.9.0-3, MQTT-3.3.4-10
  response_information_unasked,  // 5.0: Response Information in every CONNACK  MQTT-3.1.2-28
  reason_string_on_suback,   // 5.0: a Reason String on SUBACK whatever Request Problem Information says  MQTT-3.1.2-29
  no_message_expiry,         // 5.0: Message Expiry Interval ignored  MQTT-3.3.2-5, MQTT-3.3.2-6
  late_keepalive,            // close a lapsed connection 0.5 x Keep Alive late (a coarse timer): non-strict, MQTT-3.1.2-24 / -22
};

/// "no-will" <-> fault::no_will; nullopt for an unknown name.
std::optional<fault> parse_fault(std::string_view name);
std::string_view fault_name(fault f);
/// Every fault with its one-line description and the ids it breaks.
struct fault_info {
  fault f;
  std::string_view name;
  std::string_view description;
  std::string_view spec_ids;
};
const std::vector<fault_info>& all_faults();

/// Where several subscriptions of one client match a message.
enum class overlap_mode : std::uint8_t {
  single_copy,       // one PUBLISH at the highest granted QoS, with all subscription ids
  copy_per_subscription,  // one PUBLISH per matching subscription
};

struct config {
  std::uint8_t maximum_qos = 2;
  bool retain_available = true;
  bool wildcard_subscription_available = true;
  bool shared_subscription_available = true;
  bool subscription_identifiers_available = true;
  std::uint16_t receive_maximum = 65535;        // what the broker accepts in flight from a client
  std::uint16_t topic_alias_maximum = 10;       // aliases a client may use towards the broker
  std::uint32_t maximum_packet_size = 0;        // 0: no limit beyond the protocol's
  std::optional<std::uint16_t> server_keep_alive;  // 5.0: override the client's keep alive
  std::uint32_t max_queued_messages = 1000;     // per offline session; oldest QoS 0 dropped first, then oldest
  std::uint32_t max_session_expiry = 0xffffffff;
  std::set<std::string> refused_topics;         // SUBSCRIBE to these filters is refused (0x87 / 0x80)
  std::map<std::string, std::string> users;     // user name -> password; empty: anyone may connect
  bool allow_anonymous = true;
  bool allow_empty_client_id = true;
  std::optional<std::string> server_reference;  // 5.0: CONNACK 0x9C use another server, with this reference
  std::string auth_method = "SCRAM-TEST";       // the built-in AUTH method (see docs/broker.md)
  overlap_mode overlap = overlap_mode::single_copy;
  // The protocol versions served: a broker of one version answers the other's CONNECT
  // as it would any unknown level (a 3.1.1-only broker: CONNACK 20 02 00 01).
  std::set<protocol_version> protocol_versions{protocol_version::v311, protocol_version::v5};
  std::set<fault> faults;

  bool has(fault f) const { return faults.count(f) > 0; }
};

}  // namespace mqtt::broker

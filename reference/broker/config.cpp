// The fault table: names for --fault, what each breaks, and the ids it breaks.
#include "config.hpp"

namespace mqtt::broker {

const std::vector<fault_info>& all_faults() {
  static const std::vector<fault_info> table = {
      {fault::no_will, "no-will", "never publish wills", "MQTT-3.1.2-8"},
      {fault::ignore_keepalive, "ignore-keepalive", "never close a connection whose keep alive lapsed",
       "MQTT-3.1.2-24 (3.1.1), MQTT-3.1.2-22 (5.0)"},
      {fault::qos2_twice, "qos2-twice", "deliver every QoS 2 message twice",
       "MQTT-4.3.3-2 (3.1.1), MQTT-4.3.3-10 (5.0)"},
      {fault::drop_retained, "drop-retained", "never store retained messages", "MQTT-3.3.1-5"},
      {fault::wrong_suback_qos, "wrong-suback-qos",
       "SUBACK shows a QoS other than the one granted: (granted + 2) mod 3, so 0 -> 2, 1 -> 0, 2 -> 1",
       "MQTT-3.8.4-5 (3.1.1), MQTT-3.8.4-7 (5.0)"},
      {fault::reorder, "reorder", "deliver queued messages to each subscriber newest first",
       "MQTT-4.6.0-6 (3.1.1), MQTT-4.6.0-5 (5.0)"},
      {fault::no_dup_on_redelivery, "no-dup-on-redelivery", "redeliver unacknowledged PUBLISHes with DUP 0",
       "MQTT-3.3.1-1"},
      {fault::will_on_disconnect, "will-on-disconnect", "publish the will after a normal DISCONNECT",
       "MQTT-3.1.2-10, MQTT-3.14.4-3"},
      {fault::session_present_always_0, "session-present-always-0",
       "CONNACK Session Present 0 even with a stored session", "MQTT-3.2.2-2 (3.1.1), MQTT-3.2.2-3 (5.0)"},
      {fault::no_retain_flag_on_subscribe, "no-retain-flag-on-subscribe",
       "send retained messages on subscribe with RETAIN 0", "MQTT-3.3.1-8 (3.1.1), MQTT-3.3.1-9 (5.0)"},
      {fault::accept_second_connect, "accept-second-connect", "ignore a second CONNECT", "MQTT-3.1.0-2"},
      {fault::accept_reserved_flags, "accept-reserved-flags", "accept packets with wrong reserved flags",
       "MQTT-2.2.2-2 (3.1.1), MQTT-2.1.3-1 (5.0)"},
      {fault::ignore_malformed, "ignore-malformed",
       "on a Malformed Packet or Protocol Error (codec or broker checks, CONNECT included) drop the packet and "
       "keep the connection open, sending nothing; after a framing error the rest of the stream is ignored",
       "MQTT-4.8.0-1, MQTT-3.1.2-2, MQTT-3.1.2-3, MQTT-3.1.4-1 (3.1.1); MQTT-4.13.1-1, MQTT-3.1.2-1, "
       "MQTT-3.1.2-2, MQTT-3.1.4-1 (5.0)"},
      {fault::accept_any_first_packet, "accept-any-first-packet",
       "keep a connection whose first packet is not CONNECT: answer a PINGREQ, ignore anything else",
       "MQTT-3.1.0-1"},
      {fault::no_pingresp, "no-pingresp", "never answer PINGREQ", "MQTT-3.12.4-1"},
      {fault::keepalive_zero_expires, "keepalive-zero-expires",
       "treat a Keep Alive of 0 as 60 s, closing idle connections after 90 s",
       "MQTT-3.2.2-22 (5.0: the client's Keep Alive is used); 3.1.1 has no numbered statement for it "
       "(3.1.2.10: 0 turns the mechanism off; its case cites MQTT-3.1.2-24)"},
      {fault::deliver_at_subscription_qos, "deliver-at-subscription-qos",
       "deliver at the subscription's granted QoS instead of min(published QoS, granted QoS)",
       "MQTT-3.8.4-6 (3.1.1), MQTT-3.8.4-8 (5.0)"},
      {fault::ack_qos0, "ack-qos0", "answer a QoS 0 PUBLISH with a PUBACK (packet identifier 1, well formed)",
       "MQTT-3.3.4-1; so also MQTT-2.3.1-6 (3.1.1), MQTT-2.2.1-5 (5.0): the id matches no PUBLISH"},
      {fault::accept_empty_client_id_persistent, "accept-empty-client-id-persistent",
       "3.1.1: accept a zero-byte ClientId with CleanSession 0 (assigning one) instead of CONNACK 0x02",
       "MQTT-3.1.3-8 (3.1.1)"},
      {fault::session_present_always_1, "session-present-always-1",
       "CONNACK Session Present 1 on every accepted connection, clean ones included",
       "MQTT-3.2.2-1 (3.1.1), MQTT-3.2.2-2 (5.0)"},
      {fault::no_assigned_client_id, "no-assigned-client-id",
       "5.0: accept a zero-length ClientId without an Assigned Client Identifier in the CONNACK",
       "MQTT-3.2.2-16, MQTT-3.1.3-7 (5.0)"},
      {fault::accept_any_auth_method, "accept-any-auth-method",
       "5.0: accept a CONNECT with an unsupported Authentication Method (no exchange) instead of refusing it",
       "MQTT-4.12.0-1 (5.0)"},
      {fault::overlap_lowest_qos, "overlap-lowest-qos",
       "where subscriptions of one client overlap, send the one copy at the lowest QoS they grant",
       "MQTT-3.3.5-1 (3.1.1), MQTT-3.3.4-2 (5.0)"},
      {fault::match_dollar_topics, "match-dollar-topics",
       "let filters starting with + or # match topic names starting with $", "MQTT-4.7.2-1"},
      {fault::normalise_topics, "normalise-topics",
       "collapse empty levels of a published topic name before matching (a//b and a/b/ match a/b)",
       "MQTT-4.7.3-4"},
      {fault::unsubscribe_first_only, "unsubscribe-first-only",
       "remove only the first filter of an UNSUBSCRIBE (the UNSUBACK still answers all)", "MQTT-3.10.4-6"},
      {fault::no_unsuback_when_none_held, "no-unsuback-when-none-held",
       "send no UNSUBACK when none of the UNSUBSCRIBE's filters was held", "MQTT-3.10.4-5"},
      {fault::client_id_max_16, "client-id-max-16",
       "refuse ClientIds longer than 16 bytes (CONNACK 0x02 / 0x85)", "MQTT-3.1.3-5"},
      {fault::propagate_dup, "propagate-dup",
       "copy the DUP flag of an incoming QoS 1/2 PUBLISH to its first delivery", "MQTT-3.3.1-3"},
      {fault::strip_request_properties, "strip-request-properties",
       "5.0: forward messages without Payload Format Indicator, Content Type, Response Topic and Correlation "
       "Data",
       "MQTT-3.3.2-4, MQTT-3.3.2-15, MQTT-3.3.2-16, MQTT-3.3.2-20 (5.0)"},
      {fault::reverse_user_properties, "reverse-user-properties",
       "5.0: forward User Properties (of messages and wills) in reverse order",
       "MQTT-3.3.2-18, MQTT-3.1.3-10 (5.0)"},
      {fault::alias_ignores_client_maximum, "alias-ignores-client-maximum",
       "5.0: send topic aliases up to the broker's own Topic Alias Maximum, whatever the client allowed",
       "MQTT-3.1.2-26, MQTT-3.1.2-27, MQTT-3.3.2-11 (5.0)"},
      {fault::silent_at_zero_quota, "silent-at-zero-quota",
       "5.0: while a client's send quota is zero, send it nothing else either (PINGRESP, SUBACK, ... dropped)",
       "MQTT-4.9.0-3, MQTT-3.3.4-10 (5.0)"},
      {fault::response_information_unasked, "response-information-unasked",
       "5.0: send Response Information in every CONNACK, asked for or not", "MQTT-3.1.2-28 (5.0)"},
      {fault::reason_string_on_suback, "reason-string-on-suback",
       "5.0: put a Reason String on every SUBACK, also to clients that set Request Problem Information 0",
       "MQTT-3.1.2-29 (5.0)"},
      {fault::no_message_expiry, "no-message-expiry",
       "5.0: ignore Message Expiry Intervals: expired messages are delivered, the interval forwarded unchanged",
       "MQTT-3.3.2-5, MQTT-3.3.2-6 (5.0)"},
      {fault::late_keepalive, "late-keepalive",
       "close a connection whose keep alive lapsed 0.5 x Keep Alive late, like a coarse timer: the MUST is met late "
       "(non-strict)",
       "MQTT-3.1.2-24 (3.1.1), MQTT-3.1.2-22 (5.0)"},
  };
  return table;
}

std::optional<fault> parse_fault(std::string_view name) {
  for (const auto& f : all_faults()) {
    if (f.name == name) return f.f;
    // Accept snake_case too: "no_will".
    if (f.name.size() == name.size()) {
      bool same = true;
      for (std::size_t i = 0; i < name.size() && same; ++i)
        same = f.name[i] == name[i] || (f.name[i] == '-' && name[i] == '_');
      if (same) return f.f;
    }
  }
  return std::nullopt;
}

std::string_view fault_name(fault f) {
  for (const auto& i : all_faults())
    if (i.f == f) return i.name;
  return "unknown";
}

}  // namespace mqtt::broker

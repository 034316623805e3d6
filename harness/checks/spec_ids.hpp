// The normative statements the checkers cite, one entry per rule, with the id of each
// version (they differ: the keepalive rule is MQTT-3.1.2-24 in 3.1.1 but MQTT-3.1.2-22
// in 5.0). An empty id: that version has no numbered statement for the rule.
// tests/harness/checks/spec_ids_test.cpp checks every id against ../spec/*.tsv.
#pragma once

#include <string_view>

#include "reference/codec/types.hpp"

namespace mqttspec::checks::ids {

struct rule {
  std::string_view v311;
  std::string_view v5;
  constexpr std::string_view of(mqtt::protocol_version v) const {
    return v == mqtt::protocol_version::v311 ? v311 : v5;
  }
};

// well_formed
inline constexpr rule connack_first{"MQTT-3.2.0-1", "MQTT-3.2.0-1"};
inline constexpr rule connack_once{"", "MQTT-3.2.0-2"};
inline constexpr rule close_after_refusal{"MQTT-3.2.2-5", "MQTT-3.2.2-7"};
inline constexpr rule session_present_on_clean{"MQTT-3.2.2-1", "MQTT-3.2.2-2"};
inline constexpr rule nothing_after_disconnect{"", "MQTT-3.14.4-1"};
inline constexpr rule disconnect_before_connack{"", "MQTT-3.14.0-1"};
inline constexpr rule auth_without_method{"", "MQTT-4.12.0-6"};
// packet_ids
inline constexpr rule publish_id_nonzero{"MQTT-2.3.1-1", "MQTT-2.2.1-4"};
inline constexpr rule publish_id_unused{"MQTT-2.3.1-4", "MQTT-2.2.1-4"};
inline constexpr rule pub_response_id{"MQTT-2.3.1-6", "MQTT-2.2.1-5"};
inline constexpr rule pubcomp_id{"MQTT-4.3.3-2", "MQTT-4.3.3-11"};
inline constexpr rule suback_id{"MQTT-3.8.4-2", "MQTT-3.8.4-2"};
inline constexpr rule unsuback_id{"MQTT-3.10.4-4", "MQTT-3.10.4-5"};
inline constexpr rule suback_count{"MQTT-3.8.4-5", "MQTT-3.8.4-6"};
inline constexpr rule unsuback_count{"", "MQTT-3.11.3-2"};
// qos_flow
inline constexpr rule puback_answers_qos1{"MQTT-4.3.2-2", "MQTT-4.3.2-4"};
inline constexpr rule pubrec_answers_qos2{"MQTT-4.3.3-2", "MQTT-4.3.3-8"};
inline constexpr rule pubcomp_answers_pubrel{"MQTT-4.3.3-2", "MQTT-4.3.3-11"};
inline constexpr rule pubrel_after_pubrec{"MQTT-4.3.3-1", "MQTT-4.3.3-4"};
inline constexpr rule suback_answers_subscribe{"MQTT-3.8.4-1", "MQTT-3.8.4-1"};
inline constexpr rule unsuback_answers_unsubscribe{"MQTT-3.10.4-4", "MQTT-3.10.4-4"};
inline constexpr rule pingresp_answers_pingreq{"MQTT-3.12.4-1", "MQTT-3.12.4-1"};
inline constexpr rule qos_at_most_granted{"MQTT-3.8.4-6", "MQTT-3.8.4-8"};
inline constexpr rule receive_maximum{"", "MQTT-3.3.4-9"};
// exactly_once
inline constexpr rule no_duplicate_qos2{"MQTT-4.3.3-2", "MQTT-4.3.3-10"};
inline constexpr rule no_publish_after_pubrel{"MQTT-4.3.3-1", "MQTT-4.3.3-6"};
inline constexpr rule dup_on_resend{"MQTT-3.3.1-1", "MQTT-3.3.1-1"};
// at_least_once
inline constexpr rule deliver_to_subscribers{"MQTT-4.5.0-1", "MQTT-4.5.0-1"};
// ordering
inline constexpr rule ordered_topic{"MQTT-4.6.0-6", "MQTT-4.6.0-5"};
// no_delivery_after_unsubscribe
inline constexpr rule stop_after_unsubscribe{"MQTT-3.10.4-2", "MQTT-3.10.4-2"};
// retain_flag
inline constexpr rule retain_on_new_subscription{"MQTT-3.3.1-8", ""};
inline constexpr rule no_retain_on_established{"MQTT-3.3.1-9", ""};
inline constexpr rule retain_as_published_0{"", "MQTT-3.3.1-12"};
inline constexpr rule retain_as_published_1{"", "MQTT-3.3.1-13"};
// keepalive
inline constexpr rule keepalive_close{"MQTT-3.1.2-24", "MQTT-3.1.2-22"};
// limits
inline constexpr rule broker_max_packet_size{"", "MQTT-3.1.2-24"};
inline constexpr rule broker_topic_alias{"", "MQTT-3.3.2-11"};
// client_rules (captures only)
inline constexpr rule client_connect_first{"MQTT-3.1.0-1", "MQTT-3.1.0-1"};
// Section 6, the same ids in both versions.
inline constexpr rule websocket_binary{"MQTT-6.0.0-1", "MQTT-6.0.0-1"};
inline constexpr rule websocket_offers_mqtt{"MQTT-6.0.0-3", "MQTT-6.0.0-3"};
inline constexpr rule websocket_selects_mqtt{"MQTT-6.0.0-4", "MQTT-6.0.0-4"};
inline constexpr rule client_keepalive{"MQTT-3.1.2-23", "MQTT-3.1.2-20"};
inline constexpr rule client_nothing_after_disconnect{"MQTT-3.14.4-2", "MQTT-3.14.4-1"};
inline constexpr rule client_id_nonzero{"MQTT-2.3.1-1", "MQTT-2.2.1-3"};
inline constexpr rule client_id_unused{"MQTT-2.3.1-2", "MQTT-2.2.1-3"};
inline constexpr rule client_receive_maximum{"", "MQTT-3.3.4-7"};
inline constexpr rule client_max_packet_size{"", "MQTT-3.2.2-15"};
inline constexpr rule client_topic_alias{"", "MQTT-3.3.2-9"};
inline constexpr rule client_retain_unavailable{"", "MQTT-3.2.2-14"};
// will
inline constexpr rule will_published{"MQTT-3.1.2-8", "MQTT-3.1.2-8"};
inline constexpr rule will_discarded{"MQTT-3.14.4-3", "MQTT-3.14.4-3"};

inline constexpr rule all[] = {
    connack_first, connack_once, close_after_refusal, session_present_on_clean, nothing_after_disconnect,
    disconnect_before_connack, auth_without_method, publish_id_nonzero, publish_id_unused, pub_response_id,
    pubcomp_id, suback_id, unsuback_id, suback_count, unsuback_count, puback_answers_qos1,
    pubrec_answers_qos2, pubcomp_answers_pubrel, pubrel_after_pubrec, suback_answers_subscribe,
    unsuback_answers_unsubscribe, pingresp_answers_pingreq, qos_at_most_granted, receive_maximum,
    no_duplicate_qos2, no_publish_after_pubrel, dup_on_resend, deliver_to_subscribers, ordered_topic,
    stop_after_unsubscribe, retain_on_new_subscription, no_retain_on_established, retain_as_published_0,
    retain_as_published_1, keepalive_close, will_published, will_discarded, broker_max_packet_size,
    broker_topic_alias, client_connect_first, client_keepalive, client_nothing_after_disconnect, client_id_nonzero,
    client_id_unused, client_receive_maximum, client_max_packet_size, client_topic_alias, client_retain_unavailable,
    websocket_binary, websocket_offers_mqtt, websocket_selects_mqtt,
};

}  // namespace mqttspec::checks::ids

// Packets a receiver must refuse, one defect a row: the exact reason code, the exact
// normative statement (empty where the spec numbers none) and a fragment of the reason.
// Hex is grouped by field; the first group is always the fixed header.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "reference/codec/hex.hpp"

namespace {

using mqtt::protocol_version;
using mqtt::reason_code;

struct malformed_row {
  std::string_view name;
  protocol_version version;
  std::string_view hex;
  reason_code code;
  std::string_view spec_id;
  std::string_view what_has;  // proves the intended defect was found, not another one
};

// Failures name the row and its bytes instead of dumping the struct.
void PrintTo(const malformed_row& row, std::ostream* os) {
  *os << row.name << " (" << mqtt::to_string(row.version) << "): " << row.hex;
}

constexpr auto v3 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;
using enum mqtt::reason_code;

constexpr malformed_row rows[] = {
    // Reserved fixed-header flags of every type but PUBLISH.
    {"connect_flags_v311", v3, "11 0d | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63", malformed_packet, "MQTT-2.2.2-2", "reserved flags of CONNECT"},
    {"connect_flags_v5", v5, "18 0e | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 63", malformed_packet, "MQTT-2.1.3-1", "reserved flags of CONNECT"},
    {"connack_flags_v311", v3, "21 02 | 00 | 00", malformed_packet, "MQTT-2.2.2-2", "reserved flags of CONNACK"},
    {"connack_flags_v5", v5, "22 03 | 00 | 00 | 00", malformed_packet, "MQTT-2.1.3-1", "reserved flags of CONNACK"},
    {"puback_flags_v311", v3, "41 02 | 00 01", malformed_packet, "MQTT-2.2.2-2", "reserved flags of PUBACK"},
    {"puback_flags_v5", v5, "48 02 | 00 01", malformed_packet, "MQTT-2.1.3-1", "reserved flags of PUBACK"},
    {"pubrec_flags_v311", v3, "52 02 | 00 01", malformed_packet, "MQTT-2.2.2-2", "reserved flags of PUBREC"},
    {"pubrec_flags_v5", v5, "54 02 | 00 01", malformed_packet, "MQTT-2.1.3-1", "reserved flags of PUBREC"},
    {"pubrel_flags_0000_v311", v3, "60 02 | 00 01", malformed_packet, "MQTT-3.6.1-1", "reserved flags of PUBREL"},
    {"pubrel_flags_0011_v5", v5, "63 02 | 00 01", malformed_packet, "MQTT-3.6.1-1", "reserved flags of PUBREL"},
    {"pubrel_flags_1010_v5", v5, "6a 02 | 00 01", malformed_packet, "MQTT-3.6.1-1", "reserved flags of PUBREL"},
    {"pubcomp_flags_v311", v3, "78 02 | 00 01", malformed_packet, "MQTT-2.2.2-2", "reserved flags of PUBCOMP"},
    {"pubcomp_flags_v5", v5, "71 02 | 00 01", malformed_packet, "MQTT-2.1.3-1", "reserved flags of PUBCOMP"},
    {"subscribe_flags_0000_v311", v3, "80 06 | 00 01 | 00 01 61 | 00", malformed_packet, "MQTT-3.8.1-1", "reserved flags of SUBSCRIBE"},
    {"subscribe_flags_0011_v5", v5, "83 07 | 00 01 | 00 | 00 01 61 | 00", malformed_packet, "MQTT-3.8.1-1", "reserved flags of SUBSCRIBE"},
    {"subscribe_flags_1010_v5", v5, "8a 07 | 00 01 | 00 | 00 01 61 | 00", malformed_packet, "MQTT-3.8.1-1", "reserved flags of SUBSCRIBE"},
    {"suback_flags_v311", v3, "92 03 | 00 01 | 00", malformed_packet, "MQTT-2.2.2-2", "reserved flags of SUBACK"},
    {"suback_flags_v5", v5, "94 04 | 00 01 | 00 | 00", malformed_packet, "MQTT-2.1.3-1", "reserved flags of SUBACK"},
    {"unsubscribe_flags_0000_v311", v3, "a0 05 | 00 01 | 00 01 61", malformed_packet, "MQTT-3.10.1-1", "reserved flags of UNSUBSCRIBE"},
    {"unsubscribe_flags_0110_v5", v5, "a6 06 | 00 01 | 00 | 00 01 61", malformed_packet, "MQTT-3.10.1-1", "reserved flags of UNSUBSCRIBE"},
    {"unsuback_flags_v311", v3, "b2 02 | 00 01", malformed_packet, "MQTT-2.2.2-2", "reserved flags of UNSUBACK"},
    {"unsuback_flags_v5", v5, "b1 04 | 00 01 | 00 | 00", malformed_packet, "MQTT-2.1.3-1", "reserved flags of UNSUBACK"},
    {"pingreq_flags_v311", v3, "c1 00", malformed_packet, "MQTT-2.2.2-2", "reserved flags of PINGREQ"},
    {"pingreq_flags_v5", v5, "c2 00", malformed_packet, "MQTT-2.1.3-1", "reserved flags of PINGREQ"},
    {"pingresp_flags_v311", v3, "d4 00", malformed_packet, "MQTT-2.2.2-2", "reserved flags of PINGRESP"},
    {"pingresp_flags_v5", v5, "d8 00", malformed_packet, "MQTT-2.1.3-1", "reserved flags of PINGRESP"},
    {"disconnect_flags_v311", v3, "e1 00", malformed_packet, "MQTT-3.14.1-1", "reserved flags of DISCONNECT"},
    {"disconnect_flags_v5", v5, "e2 00", malformed_packet, "MQTT-3.14.1-1", "reserved flags of DISCONNECT"},
    {"auth_flags_0001_v5", v5, "f1 00", malformed_packet, "MQTT-3.15.1-1", "reserved flags of AUTH"},
    {"auth_flags_1000_v5", v5, "f8 00", malformed_packet, "MQTT-3.15.1-1", "reserved flags of AUTH"},
    // Reserved packet types.
    {"type_0_v311", v3, "00 00", malformed_packet, "", "packet type 0 is reserved"},
    {"type_0_v5", v5, "00 00", malformed_packet, "", "packet type 0 is reserved"},
    {"auth_in_v311", v3, "f0 00", malformed_packet, "", "packet type 15 is reserved"},
    // PUBLISH: fixed header, topic name, packet identifier.
    {"publish_qos3_v311", v3, "36 05 | 00 03 61 2f 62", malformed_packet, "MQTT-3.3.1-4", "QoS bits are both 1"},
    {"publish_qos3_v5", v5, "36 06 | 00 03 61 2f 62 | 00", malformed_packet, "MQTT-3.3.1-4", "QoS bits are both 1"},
    {"publish_qos3_dup_retain_v5", v5, "3f 06 | 00 03 61 2f 62 | 00", malformed_packet, "MQTT-3.3.1-4", "QoS bits are both 1"},
    {"publish_dup_qos0_v311", v3, "38 05 | 00 03 61 2f 62", protocol_error, "MQTT-3.3.1-2", "DUP is 1 on a QoS 0"},
    {"publish_dup_qos0_v5", v5, "38 06 | 00 03 61 2f 62 | 00", protocol_error, "MQTT-3.3.1-2", "DUP is 1 on a QoS 0"},
    {"publish_plus_in_topic_v311", v3, "30 05 | 00 03 61 2f 2b", protocol_error, "MQTT-3.3.2-2", "wildcard"},
    {"publish_hash_topic_v311", v3, "30 03 | 00 01 23", protocol_error, "MQTT-3.3.2-2", "wildcard"},
    {"publish_plus_in_topic_v5", v5, "30 06 | 00 03 61 2f 2b | 00", topic_name_invalid, "MQTT-3.3.2-2", "wildcard"},
    {"publish_hash_topic_qos1_v5", v5, "32 06 | 00 01 23 | 00 01 | 00", topic_name_invalid, "MQTT-3.3.2-2", "wildcard"},
    {"publish_empty_topic_v311", v3, "30 02 | 00 00", protocol_error, "MQTT-4.7.3-1", "topic name is empty"},
    {"publish_empty_topic_no_alias_v5", v5, "30 03 | 00 00 | 00", protocol_error, "MQTT-4.7.3-1", "topic name is empty"},
    {"publish_empty_topic_user_property_v5", v5, "30 0a | 00 00 | 07 | 26 00 01 6b 00 01 76", protocol_error, "MQTT-4.7.3-1", "no topic alias"},
    {"publish_qos1_id_0_v311", v3, "32 07 | 00 03 61 2f 62 | 00 00", protocol_error, "MQTT-2.3.1-1", "packet identifier 0"},
    {"publish_qos2_id_0_v5", v5, "34 08 | 00 03 61 2f 62 | 00 00 | 00", protocol_error, "MQTT-2.2.1-3", "packet identifier 0"},
    {"publish_no_topic_v311", v3, "30 00", malformed_packet, "", "topic name needs 2 bytes but 0 remain"},
    {"publish_topic_length_cut_v311", v3, "30 01 | 00", malformed_packet, "", "topic name needs 2 bytes but 1 remain"},
    {"publish_topic_overrun_v311", v3, "30 03 | 00 05 61", malformed_packet, "", "topic name needs 5 bytes but 1 remain"},
    {"publish_qos1_no_id_v311", v3, "32 05 | 00 03 61 2f 62", malformed_packet, "", "packet identifier needs 2 bytes"},
    {"publish_qos1_half_id_v5", v5, "32 06 | 00 03 61 2f 62 | 00", malformed_packet, "", "packet identifier needs 2 bytes"},
    {"publish_no_property_length_v5", v5, "30 05 | 00 03 61 2f 62", malformed_packet, "", "properties length is cut short"},
    {"publish_topic_bad_utf8_v311", v3, "30 04 | 00 02 c3 28", malformed_packet, "MQTT-1.5.3-1", "not well-formed UTF-8"},
    {"publish_topic_bad_utf8_v5", v5, "30 05 | 00 02 c3 28 | 00", malformed_packet, "MQTT-1.5.4-1", "not well-formed UTF-8"},
    {"publish_topic_overlong_v5", v5, "30 05 | 00 02 c0 af | 00", malformed_packet, "MQTT-1.5.4-1", "not well-formed UTF-8"},
    {"publish_topic_byte_ff_v311", v3, "30 03 | 00 01 ff", malformed_packet, "MQTT-1.5.3-1", "not well-formed UTF-8"},
    {"publish_topic_surrogate_v311", v3, "30 05 | 00 03 ed a0 80", malformed_packet, "MQTT-1.5.3-1", "surrogate"},
    {"publish_topic_surrogate_v5", v5, "30 06 | 00 03 ed bf bf | 00", malformed_packet, "MQTT-1.5.4-1", "surrogate"},
    {"publish_topic_nul_v311", v3, "30 05 | 00 03 61 00 62", malformed_packet, "MQTT-1.5.3-2", "U+0000"},
    {"publish_topic_nul_v5", v5, "30 06 | 00 03 61 00 62 | 00", malformed_packet, "MQTT-1.5.4-2", "U+0000"},
    // PUBLISH properties.
    {"publish_topic_alias_0_v5", v5, "30 09 | 00 03 61 2f 62 | 03 | 23 00 00", protocol_error, "MQTT-3.3.2-8", "topic_alias is 0"},
    {"publish_topic_alias_twice_v5", v5, "30 0c | 00 03 61 2f 62 | 06 | 23 00 01 | 23 00 02", protocol_error, "", "topic_alias appears more than once"},
    {"publish_session_expiry_v5", v5, "30 0b | 00 03 61 2f 62 | 05 | 11 00 00 00 01", malformed_packet, "", "session_expiry_interval is not allowed in PUBLISH"},
    {"publish_unknown_property_v5", v5, "30 08 | 00 03 61 2f 62 | 02 | 7f 00", malformed_packet, "", "unknown property identifier 0x7f"},
    {"publish_payload_format_2_v5", v5, "30 08 | 00 03 61 2f 62 | 02 | 01 02", protocol_error, "", "payload_format_indicator is 2"},
    {"publish_response_topic_wildcard_v5", v5, "30 0a | 00 03 61 2f 62 | 04 | 08 00 01 23", protocol_error, "MQTT-3.3.2-14", "response topic"},
    {"publish_property_length_overrun_v5", v5, "30 07 | 00 03 61 2f 62 | 05 | 01", malformed_packet, "", "properties length 5 exceeds"},
    {"publish_property_value_cut_v5", v5, "30 07 | 00 03 61 2f 62 | 01 | 02", malformed_packet, "", "message_expiry_interval needs 4 bytes"},
    {"publish_property_length_non_minimal_v5", v5, "30 07 | 00 03 61 2f 62 | 80 00", malformed_packet, "MQTT-1.5.5-1", "properties length does not use the minimum"},
    {"publish_subscription_id_0_v5", v5, "30 08 | 00 03 61 2f 62 | 02 | 0b 00", protocol_error, "", "subscription_identifier is 0"},
    {"publish_content_type_twice_v5", v5, "30 0e | 00 03 61 2f 62 | 08 | 03 00 01 61 | 03 00 01 62", protocol_error, "", "content_type appears more than once"},
    {"publish_content_type_bad_utf8_v5", v5, "30 0a | 00 03 61 2f 62 | 04 | 03 00 01 ff", malformed_packet, "MQTT-1.5.4-1", "content_type is not well-formed"},
    // PUBACK, PUBREC, PUBREL, PUBCOMP.
    {"puback_id_0_v311", v3, "40 02 | 00 00", protocol_error, "MQTT-2.3.1-6", "packet identifier 0"},
    {"pubrec_id_0_v5", v5, "50 02 | 00 00", protocol_error, "MQTT-2.2.1-5", "packet identifier 0"},
    {"pubrel_id_0_v311", v3, "62 02 | 00 00", protocol_error, "MQTT-2.3.1-6", "packet identifier 0"},
    {"pubcomp_id_0_v5", v5, "70 02 | 00 00", protocol_error, "MQTT-2.2.1-5", "packet identifier 0"},
    {"puback_empty_v311", v3, "40 00", malformed_packet, "", "packet identifier needs 2 bytes but 0 remain"},
    {"pubrec_one_byte_v5", v5, "50 01 | 00", malformed_packet, "", "packet identifier needs 2 bytes but 1 remain"},
    {"pubcomp_extra_byte_v311", v3, "70 03 | 00 01 | 00", malformed_packet, "", "remaining length must be 2 in 3.1.1"},
    {"puback_rc_0x84_v5", v5, "40 03 | 12 34 | 84", protocol_error, "MQTT-3.4.2-1", "reason code 0x84 is not defined for PUBACK"},
    {"puback_rc_0x01_v5", v5, "40 03 | 12 34 | 01", protocol_error, "MQTT-3.4.2-1", "reason code 0x01 is not defined for PUBACK"},
    {"pubrec_rc_0x92_v5", v5, "50 03 | 12 34 | 92", protocol_error, "MQTT-3.5.2-1", "reason code 0x92 is not defined for PUBREC"},
    {"pubrel_rc_0x10_v5", v5, "62 03 | 12 34 | 10", protocol_error, "MQTT-3.6.2-1", "reason code 0x10 is not defined for PUBREL"},
    {"pubrel_rc_0x80_v5", v5, "62 03 | 12 34 | 80", protocol_error, "MQTT-3.6.2-1", "reason code 0x80 is not defined for PUBREL"},
    {"pubcomp_rc_0x80_v5", v5, "70 03 | 12 34 | 80", protocol_error, "MQTT-3.7.2-1", "reason code 0x80 is not defined for PUBCOMP"},
    {"puback_topic_alias_v5", v5, "40 07 | 12 34 | 00 | 03 | 23 00 01", malformed_packet, "", "topic_alias is not allowed in PUBACK"},
    {"pubrec_reason_string_twice_v5", v5, "50 0c | 12 34 | 00 | 08 | 1f 00 01 61 | 1f 00 01 62", protocol_error, "", "reason_string appears more than once"},
    {"puback_property_length_overrun_v5", v5, "40 05 | 12 34 | 00 | 05 | 1f", malformed_packet, "", "properties length 5 exceeds"},
    {"pubcomp_bytes_after_properties_v5", v5, "70 05 | 12 34 | 00 | 00 | ff", malformed_packet, "", "bytes follow the properties"},
    {"pubrel_reason_string_bad_utf8_v5", v5, "62 08 | 12 34 | 00 | 04 | 1f 00 01 ff", malformed_packet, "MQTT-1.5.4-1", "reason_string is not well-formed"},
    // SUBSCRIBE.
    {"subscribe_reserved_bit_2_v311", v3, "82 06 | 00 01 | 00 01 61 | 04", malformed_packet, "MQTT-3.8.3-4", "reserved bits of subscription options"},
    {"subscribe_reserved_bit_7_v311", v3, "82 06 | 00 01 | 00 01 61 | 80", malformed_packet, "MQTT-3.8.3-4", "reserved bits of subscription options"},
    {"subscribe_qos3_v311", v3, "82 06 | 00 01 | 00 01 61 | 03", malformed_packet, "MQTT-3.8.3-4", "requested QoS is 3"},
    {"subscribe_reserved_bit_6_v5", v5, "82 07 | 00 01 | 00 | 00 01 61 | 40", malformed_packet, "MQTT-3.8.3-5", "reserved bits of subscription options"},
    {"subscribe_reserved_bit_7_v5", v5, "82 07 | 00 01 | 00 | 00 01 61 | 81", malformed_packet, "MQTT-3.8.3-5", "reserved bits of subscription options"},
    {"subscribe_reserved_bits_second_v5", v5, "82 0b | 00 01 | 00 | 00 01 61 | 00 | 00 01 62 | c2", malformed_packet, "MQTT-3.8.3-5", "reserved bits of subscription options"},
    {"subscribe_qos3_v5", v5, "82 07 | 00 01 | 00 | 00 01 61 | 03", protocol_error, "", "requested QoS is 3"},
    {"subscribe_retain_handling_3_v5", v5, "82 07 | 00 01 | 00 | 00 01 61 | 30", protocol_error, "", "retain handling is 3"},
    {"subscribe_no_local_share_v5", v5, "82 10 | 00 01 | 00 | 00 0a 24 73 68 61 72 65 2f 67 2f 74 | 04", protocol_error, "MQTT-3.8.3-4", "no local is set on shared subscription"},
    {"subscribe_empty_payload_v311", v3, "82 02 | 00 01", protocol_error, "MQTT-3.8.3-3", "no topic filter"},
    {"subscribe_empty_payload_v5", v5, "82 03 | 00 01 | 00", protocol_error, "MQTT-3.8.3-2", "no topic filter"},
    {"subscribe_id_0_v311", v3, "82 06 | 00 00 | 00 01 61 | 00", protocol_error, "MQTT-2.3.1-1", "packet identifier is 0"},
    {"subscribe_id_0_v5", v5, "82 07 | 00 00 | 00 | 00 01 61 | 00", protocol_error, "MQTT-2.2.1-3", "packet identifier is 0"},
    {"subscribe_empty_filter_v311", v3, "82 05 | 00 01 | 00 00 | 00", protocol_error, "MQTT-4.7.3-1", "topic filter is empty"},
    {"subscribe_empty_filter_v5", v5, "82 06 | 00 01 | 00 | 00 00 | 00", protocol_error, "MQTT-4.7.3-1", "topic filter is empty"},
    {"subscribe_no_options_byte_v311", v3, "82 05 | 00 01 | 00 01 61", malformed_packet, "", "subscription options needs 1 bytes"},
    {"subscribe_filter_overrun_v5", v5, "82 06 | 00 01 | 00 | 00 05 61", malformed_packet, "", "topic filter needs 5 bytes"},
    {"subscribe_filter_bad_utf8_v311", v3, "82 06 | 00 01 | 00 01 ff | 00", malformed_packet, "MQTT-1.5.3-1", "topic filter is not well-formed UTF-8"},
    {"subscribe_filter_surrogate_v5", v5, "82 09 | 00 01 | 00 | 00 03 ed b0 80 | 00", malformed_packet, "MQTT-1.5.4-1", "surrogate"},
    {"subscribe_filter_nul_v5", v5, "82 07 | 00 01 | 00 | 00 01 00 | 00", malformed_packet, "MQTT-1.5.4-2", "U+0000"},
    {"subscribe_subscription_id_twice_v5", v5, "82 0b | 00 01 | 04 | 0b 01 0b 02 | 00 01 61 | 00", protocol_error, "", "subscription_identifier appears more than once"},
    {"subscribe_subscription_id_0_v5", v5, "82 09 | 00 01 | 02 | 0b 00 | 00 01 61 | 00", protocol_error, "", "subscription_identifier is 0"},
    {"subscribe_topic_alias_v5", v5, "82 0a | 00 01 | 03 | 23 00 01 | 00 01 61 | 00", malformed_packet, "", "topic_alias is not allowed in SUBSCRIBE"},
    {"subscribe_property_length_overrun_v5", v5, "82 05 | 00 01 | 09 | 00 01", malformed_packet, "", "properties length 9 exceeds"},
    // UNSUBSCRIBE.
    {"unsubscribe_empty_payload_v311", v3, "a2 02 | 00 01", protocol_error, "MQTT-3.10.3-2", "no topic filter"},
    {"unsubscribe_empty_payload_v5", v5, "a2 03 | 00 01 | 00", protocol_error, "MQTT-3.10.3-2", "no topic filter"},
    {"unsubscribe_id_0_v311", v3, "a2 05 | 00 00 | 00 01 61", protocol_error, "MQTT-2.3.1-1", "packet identifier is 0"},
    {"unsubscribe_id_0_v5", v5, "a2 06 | 00 00 | 00 | 00 01 61", protocol_error, "MQTT-2.2.1-3", "packet identifier is 0"},
    {"unsubscribe_empty_filter_v5", v5, "a2 05 | 00 01 | 00 | 00 00", protocol_error, "MQTT-4.7.3-1", "topic filter is empty"},
    {"unsubscribe_filter_cut_v311", v3, "a2 04 | 00 01 | 00 03", malformed_packet, "", "topic filter needs 3 bytes but 0 remain"},
    {"unsubscribe_filter_nul_v311", v3, "a2 05 | 00 01 | 00 01 00", malformed_packet, "MQTT-1.5.3-2", "U+0000"},
    {"unsubscribe_filter_bad_utf8_v5", v5, "a2 07 | 00 01 | 00 | 00 02 e2 82", malformed_packet, "MQTT-1.5.4-1", "not well-formed UTF-8"},
    {"unsubscribe_subscription_id_v5", v5, "a2 08 | 00 01 | 02 | 0b 01 | 00 01 61", malformed_packet, "", "subscription_identifier is not allowed in UNSUBSCRIBE"},
    // SUBACK.
    {"suback_code_0x03_v311", v3, "90 03 | 00 01 | 03", protocol_error, "MQTT-3.9.3-2", "code 0x03 is not defined for SUBACK"},
    {"suback_code_0x81_v311", v3, "90 04 | 00 01 | 00 81", protocol_error, "MQTT-3.9.3-2", "code 0x81 is not defined for SUBACK"},
    {"suback_code_0x04_v5", v5, "90 04 | 00 01 | 00 | 04", protocol_error, "MQTT-3.9.3-2", "code 0x04 is not defined for SUBACK"},
    {"suback_code_0x11_v5", v5, "90 04 | 00 01 | 00 | 11", protocol_error, "MQTT-3.9.3-2", "code 0x11 is not defined for SUBACK"},
    {"suback_no_codes_v311", v3, "90 02 | 00 01", protocol_error, "MQTT-3.8.4-5", "no reason code"},
    {"suback_no_codes_v5", v5, "90 03 | 00 01 | 00", protocol_error, "MQTT-3.8.4-6", "no reason code"},
    {"suback_id_0_v311", v3, "90 03 | 00 00 | 00", protocol_error, "MQTT-2.3.1-7", "packet identifier 0"},
    {"suback_id_0_v5", v5, "90 04 | 00 00 | 00 | 00", protocol_error, "MQTT-2.2.1-6", "packet identifier 0"},
    {"suback_subscription_id_v5", v5, "90 06 | 00 01 | 02 | 0b 01 | 00", malformed_packet, "", "subscription_identifier is not allowed in SUBACK"},
    {"suback_cut_v311", v3, "90 01 | 00", malformed_packet, "", "packet identifier needs 2 bytes"},
    // UNSUBACK.
    {"unsuback_codes_v311", v3, "b0 03 | 00 01 | 00", malformed_packet, "", "remaining length must be 2 in 3.1.1"},
    {"unsuback_code_0x01_v5", v5, "b0 04 | 00 01 | 00 | 01", protocol_error, "MQTT-3.11.3-2", "code 0x01 is not defined for UNSUBACK"},
    {"unsuback_code_0xa2_v5", v5, "b0 05 | 00 01 | 00 | 00 a2", protocol_error, "MQTT-3.11.3-2", "code 0xa2 is not defined for UNSUBACK"},
    {"unsuback_no_codes_v5", v5, "b0 03 | 00 01 | 00", protocol_error, "MQTT-3.11.3-2", "no reason code"},
    {"unsuback_id_0_v311", v3, "b0 02 | 00 00", protocol_error, "MQTT-2.3.1-7", "packet identifier 0"},
    {"unsuback_id_0_v5", v5, "b0 04 | 00 00 | 00 | 00", protocol_error, "MQTT-2.2.1-6", "packet identifier 0"},
    {"unsuback_property_length_overrun_v5", v5, "b0 04 | 00 01 | 07 | 00", malformed_packet, "", "properties length 7 exceeds"},
    // PINGREQ, PINGRESP.
    {"pingreq_body_v311", v3, "c0 01 | 00", malformed_packet, "", "remaining length must be 0"},
    {"pingreq_body_v5", v5, "c0 02 | 00 00", malformed_packet, "", "remaining length must be 0"},
    {"pingresp_body_v311", v3, "d0 01 | 00", malformed_packet, "", "remaining length must be 0"},
    {"pingresp_body_v5", v5, "d0 01 | ff", malformed_packet, "", "remaining length must be 0"},
    // DISCONNECT.
    {"disconnect_body_v311", v3, "e0 01 | 00", malformed_packet, "", "remaining length must be 0 in 3.1.1"},
    {"disconnect_rc_0x01_v5", v5, "e0 01 | 01", protocol_error, "MQTT-3.14.2-1", "reason code 0x01 is not defined for DISCONNECT"},
    {"disconnect_rc_0x18_v5", v5, "e0 01 | 18", protocol_error, "MQTT-3.14.2-1", "reason code 0x18 is not defined for DISCONNECT"},
    {"disconnect_rc_0x91_v5", v5, "e0 01 | 91", protocol_error, "MQTT-3.14.2-1", "reason code 0x91 is not defined for DISCONNECT"},
    {"disconnect_topic_alias_v5", v5, "e0 05 | 00 | 03 | 23 00 01", malformed_packet, "", "topic_alias is not allowed in DISCONNECT"},
    {"disconnect_session_expiry_twice_v5", v5, "e0 0c | 00 | 0a | 11 00 00 00 01 | 11 00 00 00 02", protocol_error, "", "session_expiry_interval appears more than once"},
    {"disconnect_property_length_overrun_v5", v5, "e0 03 | 00 | 05 | 11", malformed_packet, "", "properties length 5 exceeds"},
    {"disconnect_bytes_after_properties_v5", v5, "e0 03 | 00 | 00 | 00", malformed_packet, "", "bytes follow the properties"},
    // AUTH.
    {"auth_rc_0x80_v5", v5, "f0 01 | 80", protocol_error, "MQTT-3.15.2-1", "reason code 0x80 is not defined for AUTH"},
    {"auth_rc_0x04_v5", v5, "f0 01 | 04", protocol_error, "MQTT-3.15.2-1", "reason code 0x04 is not defined for AUTH"},
    {"auth_session_expiry_v5", v5, "f0 07 | 18 | 05 | 11 00 00 00 01", malformed_packet, "", "session_expiry_interval is not allowed in AUTH"},
    {"auth_method_twice_v5", v5, "f0 0a | 18 | 08 | 15 00 01 61 | 15 00 01 62", protocol_error, "", "authentication_method appears more than once"},
    {"auth_bytes_after_properties_v5", v5, "f0 03 | 18 | 00 | 00", malformed_packet, "", "bytes follow the properties"},
    // Remaining Length and framing.
    {"remaining_length_non_minimal_v5", v5, "c0 80 00", malformed_packet, "MQTT-1.5.5-1", "remaining length does not use the minimum"},
    {"remaining_length_non_minimal_v311", v3, "c0 80 00", malformed_packet, "", "remaining length does not use the minimum"},
    {"remaining_length_non_minimal_publish_v5", v5, "30 86 00 | 00 03 61 2f 62 | 00", malformed_packet, "MQTT-1.5.5-1", "remaining length does not use the minimum"},
    {"remaining_length_5_bytes_v311", v3, "30 ff ff ff ff 01", malformed_packet, "", "longer than 4 bytes"},
    {"remaining_length_5_bytes_v5", v5, "30 80 80 80 80 00", malformed_packet, "", "longer than 4 bytes"},
    {"remaining_length_past_the_end_v311", v3, "30 07 | 00 03 61 2f 62", malformed_packet, "", "remaining length says 7 bytes but 5 follow"},
    {"trailing_byte_after_disconnect_v5", v5, "e0 00 | 00", malformed_packet, "", "remaining length says 0 bytes but 1 follow"},
    {"trailing_byte_after_puback_v311", v3, "40 02 | 00 01 | 00", malformed_packet, "", "remaining length says 2 bytes but 3 follow"},
    {"fixed_header_cut_v5", v5, "30", malformed_packet, "", "ends inside its fixed header"},
    {"fixed_header_cut_in_length_v311", v3, "30 ff", malformed_packet, "", "ends inside its fixed header"},
};

class malformed : public ::testing::TestWithParam<malformed_row> {};

TEST_P(malformed, is_refused_with_the_rule_it_breaks) {
  const auto& row = GetParam();
  const auto bytes = mqtt::parse_hex(row.hex);
  ASSERT_TRUE(bytes.ok) << bytes.error;
  const auto r = mqtt::decode(bytes.bytes, row.version);
  ASSERT_FALSE(r) << "decoded as " << mqtt::to_string(*r, row.version);
  const auto& e = r.error();
  EXPECT_EQ(mqtt::name(e.code), mqtt::name(row.code)) << e.what;
  EXPECT_EQ(e.spec_id, row.spec_id) << e.what;
  EXPECT_FALSE(e.what.empty());
  EXPECT_THAT(e.what, ::testing::HasSubstr(std::string(row.what_has)));
  EXPECT_LE(e.offset, bytes.bytes.size());
}

INSTANTIATE_TEST_SUITE_P(rows, malformed, ::testing::ValuesIn(rows),
                         [](const auto& info) { return std::string(info.param.name); });

std::set<std::string> ids_in(const char* file) {
  std::set<std::string> ids;
  std::ifstream in(std::filesystem::path(MQTTSPEC_SOURCE_DIR) / "spec" / file);
  for (std::string line; std::getline(in, line);) ids.insert(line.substr(0, line.find('\t')));
  return ids;
}

TEST(malformed_table, cites_ids_of_the_row_version) {
  // An id of the other version would name an unrelated rule (MQTT-3.8.3-4 differs).
  const auto v311_ids = ids_in("mqtt-3.1.1-normative.tsv");
  const auto v5_ids = ids_in("mqtt-5.0-normative.tsv");
  ASSERT_GT(v311_ids.size(), 100u);
  ASSERT_GT(v5_ids.size(), 100u);
  EXPECT_GE(std::size(rows), 100u);
  for (const auto& row : rows) {
    if (row.spec_id.empty()) continue;
    const auto& ids = row.version == v5 ? v5_ids : v311_ids;
    EXPECT_TRUE(ids.count(std::string(row.spec_id))) << row.name << ": " << row.spec_id;
  }
}

}  // namespace

// CONNECT and CONNACK defects, one row each: the bytes, and the exact reason code and
// normative statement the decoder must name ("" where the spec numbers no statement).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "reference/codec/hex.hpp"

namespace {

using mqtt::protocol_version;
using mqtt::reason_code;

struct malformed_row {
  std::string_view name;
  protocol_version version;  // what the receiver expects; a CONNECT names its own
  std::string_view hex;
  reason_code code;
  std::string_view spec_id;
};

constexpr auto v3 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;
constexpr auto mal = reason_code::malformed_packet;
constexpr auto proto = reason_code::protocol_error;
constexpr auto unsup = reason_code::unsupported_protocol_version;
constexpr auto topic = reason_code::topic_name_invalid;

// Hex columns: CP control packet byte, RL remaining length, LV protocol level, CF connect
// flags, KA keep alive, PL property length, WPL will property length, AF acknowledge flags,
// RC reason (return) code.
const malformed_row rows[] = {
    // CONNECT: flags
    //CP RL   protocol name       LV   CF   KA      client id  (3.1.1)
    //CP RL   protocol name       LV   CF   KA      PL   client id  (5.0)
    {"v311_reserved_flag", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 03 | 00 3c | 00 01 63", mal, "MQTT-3.1.2-3"},
    {"v5_reserved_flag", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 03 | 00 3c | 00 | 00 01 63", mal, "MQTT-3.1.2-3"},
    {"v311_will_qos_1_without_will", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 0a | 00 3c | 00 01 63", mal, "MQTT-3.1.2-13"},
    {"v311_will_qos_2_without_will", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 12 | 00 3c | 00 01 63", mal, "MQTT-3.1.2-13"},
    {"v5_will_qos_1_without_will", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 0a | 00 3c | 00 | 00 01 63", mal, "MQTT-3.1.2-11"},
    {"v311_will_retain_without_will", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 22 | 00 3c | 00 01 63", mal, "MQTT-3.1.2-15"},
    {"v5_will_retain_without_will", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 22 | 00 3c | 00 | 00 01 63", mal, "MQTT-3.1.2-13"},
    {"v311_will_qos_3", v3,
     "10 13 | 00 04 4d 51 54 54 | 04 | 1e | 00 3c | 00 01 63 | 00 01 77 | 00 01 78", mal, "MQTT-3.1.2-14"},
    {"v5_will_qos_3", v5,
     "10 15 | 00 04 4d 51 54 54 | 05 | 1e | 00 3c | 00 | 00 01 63 | 00 | 00 01 77 | 00 01 78", mal, "MQTT-3.1.2-12"},
    {"v311_password_without_user_name", v3,
     "10 11 | 00 04 4d 51 54 54 | 04 | 42 | 00 3c | 00 01 63 | 00 02 70 77", mal, "MQTT-3.1.2-22"},
    // CONNECT: protocol name and level
    {"v311_protocol_name_mqttx", v3,
     "10 0e | 00 05 4d 51 54 54 58 | 04 | 02 | 00 3c | 00 01 63", unsup, "MQTT-3.1.2-1"},
    {"v311_protocol_name_mqisdp", v3,
     "10 0f | 00 06 4d 51 49 73 64 70 | 03 | 02 | 00 3c | 00 01 63", unsup, "MQTT-3.1.2-1"},
    {"v5_protocol_name_lower_case", v5,
     "10 0e | 00 04 6d 71 74 74 | 05 | 02 | 00 3c | 00 | 00 01 63", unsup, "MQTT-3.1.2-1"},
    {"v311_protocol_level_3", v3,
     "10 0d | 00 04 4d 51 54 54 | 03 | 02 | 00 3c | 00 01 63", unsup, "MQTT-3.1.2-2"},
    {"v5_protocol_level_6", v5,
     "10 0e | 00 04 4d 51 54 54 | 06 | 02 | 00 3c | 00 | 00 01 63", unsup, "MQTT-3.1.2-2"},
    {"v5_protocol_level_0", v5,
     "10 0e | 00 04 4d 51 54 54 | 00 | 02 | 00 3c | 00 | 00 01 63", unsup, "MQTT-3.1.2-2"},
    // CONNECT: cut at every field
    {"v311_empty_body", v3,
     "10 00", mal, ""},
    {"v311_cut_in_protocol_name", v3,
     "10 03 | 00 04 4d", mal, ""},
    {"v311_cut_before_level", v3,
     "10 06 | 00 04 4d 51 54 54", mal, ""},
    {"v311_cut_before_flags", v3,
     "10 07 | 00 04 4d 51 54 54 | 04", mal, ""},
    {"v311_cut_in_keep_alive", v3,
     "10 09 | 00 04 4d 51 54 54 | 04 | 02 | 00", mal, ""},
    {"v311_cut_before_client_id", v3,
     "10 0a | 00 04 4d 51 54 54 | 04 | 02 | 00 3c", mal, ""},
    {"v311_cut_in_client_id", v3,
     "10 0c | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01", mal, ""},
    {"v311_will_topic_missing", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 06 | 00 3c | 00 01 63", mal, ""},
    {"v311_will_payload_missing", v3,
     "10 10 | 00 04 4d 51 54 54 | 04 | 06 | 00 3c | 00 01 63 | 00 01 77", mal, ""},
    {"v311_will_payload_cut", v3,
     "10 13 | 00 04 4d 51 54 54 | 04 | 06 | 00 3c | 00 01 63 | 00 01 77 | 00 02 78", mal, ""},
    {"v311_user_name_missing", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 82 | 00 3c | 00 01 63", mal, ""},
    {"v311_password_missing", v3,
     "10 10 | 00 04 4d 51 54 54 | 04 | c2 | 00 3c | 00 01 63 | 00 01 75", mal, ""},
    {"v5_cut_before_property_length", v5,
     "10 0a | 00 04 4d 51 54 54 | 05 | 02 | 00 3c", mal, ""},
    {"v5_property_length_overrun", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 05 | 00 01 63", mal, ""},
    {"v5_property_value_cut", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 03 11 00 00 | 00 01 63", mal, ""},
    {"v5_will_properties_missing", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63", mal, ""},
    {"v5_will_topic_missing", v5,
     "10 0f | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 00", mal, ""},
    {"v5_password_missing", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 42 | 00 3c | 00 | 00 01 63", mal, ""},
    // CONNECT: UTF-8 rules in client id, will topic and user name
    {"v311_client_id_ill_formed", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 ff", mal, "MQTT-1.5.3-1"},
    {"v5_client_id_cut_sequence", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 c3", mal, "MQTT-1.5.4-1"},
    {"v311_client_id_null", v3,
     "10 0d | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 00", mal, "MQTT-1.5.3-2"},
    {"v5_client_id_null", v5,
     "10 0e | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 00", mal, "MQTT-1.5.4-2"},
    {"v311_client_id_surrogate", v3,
     "10 0f | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 03 ed a0 80", mal, "MQTT-1.5.3-1"},
    {"v5_client_id_surrogate", v5,
     "10 10 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 03 ed b0 80", mal, "MQTT-1.5.4-1"},
    {"v311_client_id_overlong", v3,
     "10 0e | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 02 c0 af", mal, "MQTT-1.5.3-1"},
    {"v5_client_id_above_10ffff", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 04 f4 90 80 80", mal, "MQTT-1.5.4-1"},
    {"v311_will_topic_ill_formed", v3,
     "10 13 | 00 04 4d 51 54 54 | 04 | 06 | 00 3c | 00 01 63 | 00 01 ff | 00 01 78", mal, "MQTT-1.5.3-1"},
    {"v5_will_topic_null", v5,
     "10 15 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 00 | 00 01 00 | 00 01 78", mal, "MQTT-1.5.4-2"},
    {"v5_will_topic_surrogate", v5,
     "10 16 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 00 | 00 03 ed a0 80 | 00 00", mal, "MQTT-1.5.4-1"},
    {"v311_user_name_surrogate", v3,
     "10 12 | 00 04 4d 51 54 54 | 04 | 82 | 00 3c | 00 01 63 | 00 03 ed bf bf", mal, "MQTT-1.5.3-1"},
    {"v5_user_name_ill_formed", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 82 | 00 3c | 00 | 00 01 63 | 00 01 80", mal, "MQTT-1.5.4-1"},
    {"v311_user_name_null", v3,
     "10 10 | 00 04 4d 51 54 54 | 04 | 82 | 00 3c | 00 01 63 | 00 01 00", mal, "MQTT-1.5.3-2"},
    // CONNECT: properties
    {"v5_connect_topic_alias", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 03 23 00 01 | 00 01 63", mal, ""},
    {"v5_connect_will_delay_interval", v5,
     "10 13 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 05 18 00 00 00 01 | 00 01 63", mal, ""},
    {"v5_connect_server_keep_alive", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 03 13 00 0a | 00 01 63", mal, ""},
    {"v5_connect_reason_string", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 03 1f 00 00 | 00 01 63", mal, ""},
    {"v5_connect_unknown_property", v5,
     "10 10 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 02 00 00 | 00 01 63", mal, ""},
    {"v5_connect_property_length_not_minimal", v5,
     "10 0f | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 80 00 | 00 01 63", mal, "MQTT-1.5.5-1"},
    {"v5_connect_user_property_ill_formed", v5,
     "10 15 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 07 26 00 01 ff 00 01 76 | 00 01 63", mal, "MQTT-1.5.4-1"},
    {"v5_connect_duplicate_session_expiry", v5,
     "10 18 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 0a 11 00 00 00 01 11 00 00 00 02 | 00 01 63", proto, ""},
    {"v5_connect_duplicate_receive_maximum", v5,
     "10 14 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 06 21 00 01 21 00 02 | 00 01 63", proto, ""},
    {"v5_connect_duplicate_authentication_method", v5,
     "10 16 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 08 15 00 01 61 15 00 01 62 | 00 01 63", proto, ""},
    {"v5_connect_receive_maximum_0", v5,
     "10 11 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 03 21 00 00 | 00 01 63", proto, ""},
    {"v5_connect_maximum_packet_size_0", v5,
     "10 13 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 05 27 00 00 00 00 | 00 01 63", proto, ""},
    {"v5_connect_request_problem_information_2", v5,
     "10 10 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 02 17 02 | 00 01 63", proto, ""},
    {"v5_connect_request_response_information_2", v5,
     "10 10 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 02 19 02 | 00 01 63", proto, ""},
    {"v5_connect_authentication_data_without_method", v5,
     "10 12 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 04 16 00 01 01 | 00 01 63", proto, ""},
    // CONNECT: Will Properties
    //CP RL   protocol name       LV   CF   KA      PL   client id  WPL will properties, topic, payload
    {"v5_will_session_expiry_interval", v5,
     "10 19 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 05 11 00 00 00 01 | 00 01 77 | 00 00", mal, ""},
    {"v5_will_topic_alias", v5,
     "10 17 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 03 23 00 01 | 00 01 77 | 00 00", mal, ""},
    {"v5_will_request_problem_information", v5,
     "10 16 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 02 17 01 | 00 01 77 | 00 00", mal, ""},
    {"v5_will_unknown_property", v5,
     "10 16 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 02 2b 00 | 00 01 77 | 00 00", mal, ""},
    {"v5_will_properties_overrun", v5,
     "10 16 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 09 01 01 | 00 01 77 | 00 00", mal, ""},
    {"v5_will_duplicate_will_delay_interval", v5,
     "10 1e | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 0a 18 00 00 00 01 18 00 00 00 02 | 00 01 77 | 00 00", proto, ""},
    {"v5_will_duplicate_content_type", v5,
     "10 1c | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 08 03 00 01 61 03 00 01 62 | 00 01 77 | 00 00", proto, ""},
    {"v5_will_payload_format_indicator_2", v5,
     "10 16 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 02 01 02 | 00 01 77 | 00 00", proto, ""},
    // CONNECT: trailing bytes, wildcards, fixed header
    {"v311_trailing_byte", v3,
     "10 0e | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63 | 00", mal, "MQTT-3.1.4-1"},
    {"v5_trailing_bytes", v5,
     "10 10 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 63 | 00 01", mal, "MQTT-3.1.4-1"},
    {"v311_user_name_without_flag", v3,
     "10 10 | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63 | 00 01 75", mal, "MQTT-3.1.4-1"},
    {"v311_will_topic_wildcard", v3,
     "10 14 | 00 04 4d 51 54 54 | 04 | 06 | 00 3c | 00 01 63 | 00 03 61 2f 23 | 00 00", proto, "MQTT-3.3.2-2"},
    {"v5_will_topic_wildcard", v5,
     "10 14 | 00 04 4d 51 54 54 | 05 | 06 | 00 3c | 00 | 00 01 63 | 00 | 00 01 2b | 00 00", topic, "MQTT-3.3.2-2"},
    {"v311_remaining_length_too_long", v3,
     "10 0e | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63", mal, ""},
    {"v5_remaining_length_too_short", v5,
     "10 0d | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 63", mal, ""},
    {"v5_remaining_length_not_minimal", v5,
     "10 8e 00 | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 63", mal, "MQTT-1.5.5-1"},
    {"v311_remaining_length_not_minimal", v3,
     "10 8d 00 | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63", mal, ""},
    {"v5_remaining_length_five_bytes", v5,
     "10 80 80 80 80 01", mal, ""},
    {"v5_fixed_header_cut", v5,
     "10", mal, ""},
    {"v311_connect_fixed_header_flags", v3,
     "11 0d | 00 04 4d 51 54 54 | 04 | 02 | 00 3c | 00 01 63", mal, "MQTT-2.2.2-2"},
    {"v5_connect_fixed_header_flags", v5,
     "12 0e | 00 04 4d 51 54 54 | 05 | 02 | 00 3c | 00 | 00 01 63", mal, "MQTT-2.1.3-1"},
    // CONNACK
    //CP RL   AF   RC   PL   properties
    {"v311_connack_reserved_flag_bit_1", v3,
     "20 02 | 02 | 00", mal, ""},
    {"v5_connack_reserved_flag_bit_7", v5,
     "20 03 | 80 | 00 | 00", mal, "MQTT-3.2.2-1"},
    {"v5_connack_reserved_flags_all", v5,
     "20 03 | ff | 00 | 00", mal, "MQTT-3.2.2-1"},
    {"v311_connack_session_present_with_refusal", v3,
     "20 02 | 01 | 01", proto, "MQTT-3.2.2-4"},
    {"v5_connack_session_present_with_refusal", v5,
     "20 03 | 01 | 80 | 00", proto, "MQTT-3.2.2-6"},
    {"v5_connack_code_granted_qos_1", v5,
     "20 03 | 00 | 01 | 00", proto, "MQTT-3.2.2-8"},
    {"v5_connack_code_disconnect_with_will", v5,
     "20 03 | 00 | 04 | 00", proto, "MQTT-3.2.2-8"},
    {"v5_connack_code_server_shutting_down", v5,
     "20 03 | 00 | 8b | 00", proto, "MQTT-3.2.2-8"},
    {"v5_connack_code_session_taken_over", v5,
     "20 03 | 00 | 8e | 00", proto, "MQTT-3.2.2-8"},
    {"v5_connack_code_wildcards_not_supported", v5,
     "20 03 | 00 | a2 | 00", proto, "MQTT-3.2.2-8"},
    {"v5_connack_code_ff", v5,
     "20 03 | 00 | ff | 00", proto, "MQTT-3.2.2-8"},
    {"v311_connack_return_code_6", v3,
     "20 02 | 00 | 06", proto, ""},
    {"v311_connack_return_code_80", v3,
     "20 02 | 00 | 80", proto, ""},
    {"v311_connack_trailing_byte", v3,
     "20 03 | 00 | 00 | 00", mal, ""},
    {"v5_connack_trailing_byte", v5,
     "20 04 | 00 | 00 | 00 | 00", mal, ""},
    {"v311_connack_cut", v3,
     "20 01 | 00", mal, ""},
    {"v5_connack_no_property_length", v5,
     "20 02 | 00 | 00", mal, ""},
    {"v5_connack_empty", v5,
     "20 00", mal, ""},
    {"v311_connack_fixed_header_flags", v3,
     "21 02 | 00 | 00", mal, "MQTT-2.2.2-2"},
    {"v5_connack_fixed_header_flags", v5,
     "28 03 | 00 | 00 | 00", mal, "MQTT-2.1.3-1"},
    {"v5_connack_remaining_length_mismatch", v5,
     "20 05 | 00 | 00 | 00", mal, ""},
    {"v5_connack_property_length_overrun", v5,
     "20 03 | 00 | 00 | 01", mal, ""},
    {"v5_connack_will_delay_interval", v5,
     "20 08 | 00 | 00 | 05 | 18 00 00 00 01", mal, ""},
    {"v5_connack_topic_alias", v5,
     "20 06 | 00 | 00 | 03 | 23 00 01", mal, ""},
    {"v5_connack_request_problem_information", v5,
     "20 05 | 00 | 00 | 02 | 17 01", mal, ""},
    {"v5_connack_unknown_property", v5,
     "20 05 | 00 | 00 | 02 | 2b 00", mal, ""},
    {"v5_connack_reason_string_ill_formed", v5,
     "20 07 | 00 | 00 | 04 | 1f 00 01 ff", mal, "MQTT-1.5.4-1"},
    {"v5_connack_duplicate_maximum_qos", v5,
     "20 07 | 00 | 00 | 04 | 24 00 24 01", proto, ""},
    {"v5_connack_duplicate_assigned_client_identifier", v5,
     "20 0b | 00 | 00 | 08 | 12 00 01 61 12 00 01 62", proto, ""},
    {"v5_connack_maximum_qos_2", v5,
     "20 05 | 00 | 00 | 02 | 24 02", proto, ""},
    {"v5_connack_retain_available_2", v5,
     "20 05 | 00 | 00 | 02 | 25 02", proto, ""},
    {"v5_connack_wildcard_subscription_available_2", v5,
     "20 05 | 00 | 00 | 02 | 28 02", proto, ""},
    {"v5_connack_receive_maximum_0", v5,
     "20 06 | 00 | 00 | 03 | 21 00 00", proto, ""},
    {"v5_connack_maximum_packet_size_0", v5,
     "20 08 | 00 | 00 | 05 | 27 00 00 00 00", proto, ""},
};

class malformed_connect : public testing::TestWithParam<malformed_row> {};

TEST_P(malformed_connect, is_rejected_with_the_exact_code_and_statement) {
  const auto& row = GetParam();
  const auto bytes = mqtt::parse_hex(row.hex);
  ASSERT_TRUE(bytes.ok) << bytes.error;
  const auto d = mqtt::decode(bytes.bytes, row.version);
  ASSERT_FALSE(d.ok()) << mqtt::to_string(*d, row.version);
  EXPECT_EQ(mqtt::name(d.error().code), mqtt::name(row.code)) << mqtt::to_string(d.error());
  EXPECT_EQ(d.error().spec_id, row.spec_id) << mqtt::to_string(d.error());
  EXPECT_FALSE(d.error().what.empty());
  EXPECT_LE(d.error().offset, bytes.bytes.size());
}

INSTANTIATE_TEST_SUITE_P(rows, malformed_connect, testing::ValuesIn(rows),
                         [](const testing::TestParamInfo<malformed_row>& info) {
                           return std::string(info.param.name);
                         });

// Names must be unique for the generated test names; the brief asks for at least 60 rows.
TEST(malformed_connect_table, has_enough_rows) { EXPECT_GE(std::size(rows), 60u); }

}  // namespace

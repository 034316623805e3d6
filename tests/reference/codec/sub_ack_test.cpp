// SUBACK (section 3.9) and UNSUBACK (section 3.11) in both versions. UNSUBACK carries no
// codes in 3.1.1; SUBACK's 3.1.1 return codes print as hex, 5.0 reason codes by name.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "round_trip.hpp"

namespace {

using namespace std::literals;
using mqtt::property_id;
using mqtt::protocol_version;
using mqtt::reason_code;

TEST(suback_v311, every_return_code) {
  const mqtt::suback p{.packet_id = 10,
                       .codes = {mqtt::granted_qos_0, reason_code::granted_qos_1, reason_code::granted_qos_2,
                                 reason_code::unspecified_error}};
  const auto wire =
      "\x90"                 // fixed_header: SUBACK
      "\x06"                 // remaining_length 6
      "\x00\x0a"             // packet_identifier 10
      "\x00\x01\x02\x80"sv;  // return codes
  expect_round_trip(p, protocol_version::v311, wire, "SUBACK id=10 codes=[0x00 0x01 0x02 0x80]");
}

TEST(suback_v5, one_code_no_properties) {
  const mqtt::suback p{.packet_id = 10, .codes = {mqtt::granted_qos_0}};
  //                                          CP  RL  PID     PL  RC
  expect_round_trip(p, protocol_version::v5, "\x90\x04\x00\x0a\x00\x00"sv, "SUBACK id=10 codes=[success]");
}

TEST(suback_v5, reason_string_and_failure_codes) {
  const mqtt::suback p{.packet_id = 10,
                       .props = {{property_id::reason_string, 0, "ok"}},
                       .codes = {reason_code::granted_qos_1, reason_code::topic_filter_invalid,
                                 reason_code::wildcard_subscriptions_not_supported}};
  const auto wire =
      "\x90"                  // fixed_header: SUBACK
      "\x0b"                  // remaining_length 11
      "\x00\x0a"              // packet_identifier 10
      "\x05"                  // property_length 5
      "\x1f\x00\x02\x6f\x6b"  // reason_string "ok"
      "\x01\x8f\xa2"sv;       // reason codes
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(SUBACK id=10 codes=[granted_qos_1 topic_filter_invalid wildcard_subscriptions_not_supported] )"
                    R"(props=[reason_string="ok"])");
}

TEST(suback_v5, every_code_of_the_table_decodes) {
  for (std::uint8_t b : {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2}) {
    const mqtt::suback p{.packet_id = 1, .codes = {static_cast<reason_code>(b)}};
    const std::string wire = mqtt::encode(p, protocol_version::v5);
    const auto decoded = mqtt::decode(wire, protocol_version::v5);
    ASSERT_TRUE(decoded) << mqtt::to_hex(wire) << ": " << mqtt::to_string(decoded.error());
    EXPECT_TRUE(*decoded == mqtt::packet(p)) << mqtt::to_hex(wire);
  }
}

TEST(unsuback_v311, packet_id_only) {
  //                                                                          CP  RL  PID
  expect_round_trip(mqtt::unsuback{.packet_id = 11}, protocol_version::v311, "\xb0\x02\x00\x0b"sv, "UNSUBACK id=11");
}

TEST(unsuback_v311, codes_are_not_written) {
  const mqtt::unsuback p{.packet_id = 11, .codes = {reason_code::no_subscription_existed}};
  //                                                  CP  RL  PID
  EXPECT_EQ(mqtt::encode(p, protocol_version::v311), "\xb0\x02\x00\x0b"sv);
}

TEST(unsuback_v5, codes) {
  const mqtt::unsuback p{.packet_id = 11,
                         .codes = {reason_code::success, reason_code::no_subscription_existed,
                                   reason_code::not_authorized}};
  const auto wire =
      "\xb0"             // fixed_header: UNSUBACK
      "\x06"             // remaining_length 6
      "\x00\x0b"         // packet_identifier 11
      "\x00"             // property_length 0
      "\x00\x11\x87"sv;  // reason codes
  expect_round_trip(p, protocol_version::v5, wire,
                    "UNSUBACK id=11 codes=[success no_subscription_existed not_authorized]");
}

TEST(unsuback_v5, user_property) {
  const mqtt::unsuback p{.packet_id = 1, .props = {{property_id::user_property, 0, "k", "v"}},
                         .codes = {reason_code::success}};
  const auto wire =
      "\xb0"                          // fixed_header: UNSUBACK
      "\x0b"                          // remaining_length 11
      "\x00\x01"                      // packet_identifier 1
      "\x07"                          // property_length 7
      "\x26\x00\x01\x6b\x00\x01\x76"  // user_property "k" "v"
      "\x00"sv;                       // reason code success
  expect_round_trip(p, protocol_version::v5, wire, R"(UNSUBACK id=1 codes=[success] props=[user_property=("k","v")])");
}

TEST(sub_ack, code_of_the_other_ack_is_refused) {
  // 0x11 (No subscription existed) belongs to UNSUBACK only.
  //                           CP  RL  PID     PL  RC
  const auto r = mqtt::decode("\x90\x04\x00\x01\x00\x11"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::protocol_error);
  EXPECT_EQ(r.error().spec_id, "MQTT-3.9.3-2");
  EXPECT_EQ(r.error().what, "SUBACK: code 0x11 is not defined for SUBACK");
}

TEST(sub_ack, misplaced_property_points_at_the_property_length) {
  //                           CP  RL  PID     PL  SI      RC
  const auto r = mqtt::decode("\x90\x06\x00\x01\x02\x0b\x01\x00"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::malformed_packet);
  EXPECT_EQ(r.error().offset, 4u);
  EXPECT_EQ(r.error().what, "SUBACK: subscription_identifier is not allowed in SUBACK");
}

}  // namespace

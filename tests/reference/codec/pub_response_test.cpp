// PUBACK, PUBREC, PUBREL and PUBCOMP (sections 3.4-3.7) in both versions, including the
// 5.0 short forms where the reason code and the property length are omitted.
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

// A 5.0 form longer than needed decodes to `expected`, which encodes to the short form.
void expect_decodes_to(std::string_view wire, const mqtt::packet& expected, std::string_view shortest) {
  const auto decoded = mqtt::decode(wire, protocol_version::v5);
  ASSERT_TRUE(decoded) << mqtt::to_string(decoded.error());
  EXPECT_TRUE(*decoded == expected) << mqtt::to_string(*decoded, protocol_version::v5);
  EXPECT_EQ(mqtt::to_hex(mqtt::encode(*decoded, protocol_version::v5)), mqtt::to_hex(shortest));
}

TEST(pub_response_v311, puback) {
  //                                                                            CP  RL  PID
  expect_round_trip(mqtt::puback{.packet_id = 0x1234}, protocol_version::v311, "\x40\x02\x12\x34"sv, "PUBACK id=4660");
}

TEST(pub_response_v311, pubrec) {
  //                                                                       CP  RL  PID
  expect_round_trip(mqtt::pubrec{.packet_id = 1}, protocol_version::v311, "\x50\x02\x00\x01"sv, "PUBREC id=1");
}

TEST(pub_response_v311, pubrel_has_flags_0010) {
  //                                                                            CP  RL  PID
  expect_round_trip(mqtt::pubrel{.packet_id = 0xffff}, protocol_version::v311, "\x62\x02\xff\xff"sv, "PUBREL id=65535");
}

TEST(pub_response_v311, pubcomp) {
  //                                                                             CP  RL  PID
  expect_round_trip(mqtt::pubcomp{.packet_id = 0x0100}, protocol_version::v311, "\x70\x02\x01\x00"sv, "PUBCOMP id=256");
}

TEST(pub_response_v311, reason_code_and_properties_are_not_written) {
  const mqtt::puback p{.packet_id = 7, .code = reason_code::not_authorized,
                       .props = {{property_id::reason_string, 0, "x"}}};
  //                                                  CP  RL  PID
  EXPECT_EQ(mqtt::encode(p, protocol_version::v311), "\x40\x02\x00\x07"sv);
  EXPECT_EQ(mqtt::to_string(p, protocol_version::v311), "PUBACK id=7");
}

TEST(pub_response_v5, puback_short_form_is_only_a_packet_id) {
  //                                                                          CP  RL  PID
  expect_round_trip(mqtt::puback{.packet_id = 0x1234}, protocol_version::v5, "\x40\x02\x12\x34"sv,
                    "PUBACK id=4660 rc=success");
}

TEST(pub_response_v5, puback_with_reason_code_only) {
  const mqtt::puback p{.packet_id = 0x1234, .code = reason_code::no_matching_subscribers};
  //                                          CP  RL  PID     RC
  expect_round_trip(p, protocol_version::v5, "\x40\x03\x12\x34\x10"sv, "PUBACK id=4660 rc=no_matching_subscribers");
}

TEST(pub_response_v5, pubrec_with_reason_string) {
  const mqtt::pubrec p{.packet_id = 0x1234, .code = reason_code::unspecified_error,
                       .props = {{property_id::reason_string, 0, "no"}}};
  const auto wire =
      "\x50"                     // fixed_header: PUBREC
      "\x09"                     // remaining_length 9
      "\x12\x34"                 // packet_identifier 4660
      "\x80"                     // reason_code unspecified_error
      "\x05"                     // property_length 5
      "\x1f\x00\x02\x6e\x6f"sv;  // reason_string "no"
  expect_round_trip(p, protocol_version::v5, wire, R"(PUBREC id=4660 rc=unspecified_error props=[reason_string="no"])");
}

TEST(pub_response_v5, pubrel_packet_identifier_not_found) {
  const mqtt::pubrel p{.packet_id = 9, .code = reason_code::packet_identifier_not_found};
  //                                          CP  RL  PID     RC
  expect_round_trip(p, protocol_version::v5, "\x62\x03\x00\x09\x92"sv, "PUBREL id=9 rc=packet_identifier_not_found");
}

TEST(pub_response_v5, pubcomp_success_with_user_property_keeps_the_code_byte) {
  // Properties can only follow a reason code, so success is written out here.
  const mqtt::pubcomp p{.packet_id = 7, .props = {{property_id::user_property, 0, "k", "v"}}};
  const auto wire =
      "\x70"                             // fixed_header: PUBCOMP
      "\x0b"                             // remaining_length 11
      "\x00\x07"                         // packet_identifier 7
      "\x00"                             // reason_code success
      "\x07"                             // property_length 7
      "\x26\x00\x01\x6b\x00\x01\x76"sv;  // user_property "k" "v"
  expect_round_trip(p, protocol_version::v5, wire, R"(PUBCOMP id=7 rc=success props=[user_property=("k","v")])");
}

TEST(pub_response_v5, longer_forms_decode_to_the_same_packet) {
  //                 CP  RL  PID     RC
  expect_decodes_to("\x40\x03\x12\x34\x00"sv, mqtt::puback{.packet_id = 0x1234}, "\x40\x02\x12\x34"sv);
  //                 CP  RL  PID     RC  PL
  expect_decodes_to("\x50\x04\x12\x34\x00\x00"sv, mqtt::pubrec{.packet_id = 0x1234}, "\x50\x02\x12\x34"sv);
  //                 CP  RL  PID     RC  PL
  expect_decodes_to("\x62\x04\x12\x34\x92\x00"sv,
                    mqtt::pubrel{.packet_id = 0x1234, .code = reason_code::packet_identifier_not_found},
                    "\x62\x03\x12\x34\x92"sv);
}

TEST(pub_response_v5, reason_code_outside_the_packet_table) {
  // 0x10 is a PUBACK/PUBREC code but not a PUBCOMP one (section 3.7.2.1).
  //                           CP  RL  PID     RC
  const auto r = mqtt::decode("\x70\x03\x00\x01\x10"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::protocol_error);
  EXPECT_EQ(r.error().spec_id, "MQTT-3.7.2-1");
  EXPECT_EQ(r.error().offset, 4u);  // the reason code byte
  EXPECT_EQ(r.error().what, "PUBCOMP: reason code 0x10 is not defined for PUBCOMP");
}

TEST(pub_response_v5, every_code_of_the_puback_table_round_trips) {
  for (std::uint8_t b : {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99}) {
    const mqtt::puback p{.packet_id = 1, .code = static_cast<reason_code>(b)};
    const std::string wire = mqtt::encode(p, protocol_version::v5);
    const auto decoded = mqtt::decode(wire, protocol_version::v5);
    ASSERT_TRUE(decoded) << mqtt::to_hex(wire) << ": " << mqtt::to_string(decoded.error());
    EXPECT_EQ(std::get<mqtt::puback>(*decoded).code, p.code) << mqtt::to_hex(wire);
  }
}

}  // namespace

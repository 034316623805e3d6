// DISCONNECT (section 3.14) and AUTH (section 3.15): in 5.0 a reason code and properties,
// both omitted when the code is 0x00 and there are no properties; in 3.1.1 DISCONNECT is
// a bare fixed header and AUTH does not exist.
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

TEST(disconnect_v311, bare_fixed_header) {
  //                                                             CP  RL
  expect_round_trip(mqtt::disconnect{}, protocol_version::v311, "\xe0\x00"sv, "DISCONNECT");
}

TEST(disconnect_v311, reason_code_is_not_written) {
  const mqtt::disconnect p{.code = reason_code::server_shutting_down};
  //                                                  CP  RL
  EXPECT_EQ(mqtt::encode(p, protocol_version::v311), "\xe0\x00"sv);
}

TEST(disconnect_v5, short_form_has_no_body) {
  //                                                           CP  RL
  expect_round_trip(mqtt::disconnect{}, protocol_version::v5, "\xe0\x00"sv, "DISCONNECT rc=success");
}

TEST(disconnect_v5, reason_code_only) {
  const mqtt::disconnect p{.code = reason_code::disconnect_with_will_message};
  //                                          CP  RL  RC
  expect_round_trip(p, protocol_version::v5, "\xe0\x01\x04"sv, "DISCONNECT rc=disconnect_with_will_message");
}

TEST(disconnect_v5, session_expiry_interval) {
  const mqtt::disconnect p{.props = {{property_id::session_expiry_interval, 3600}}};
  const auto wire =
      "\xe0"                     // fixed_header: DISCONNECT
      "\x07"                     // remaining_length 7
      "\x00"                     // reason_code normal_disconnection
      "\x05"                     // property_length 5
      "\x11\x00\x00\x0e\x10"sv;  // session_expiry_interval 3600
  expect_round_trip(p, protocol_version::v5, wire, "DISCONNECT rc=success props=[session_expiry_interval=3600]");
}

TEST(disconnect_v5, use_another_server) {
  const mqtt::disconnect p{.code = reason_code::use_another_server,
                           .props = {{property_id::server_reference, 0, "s"}, {property_id::reason_string, 0, "go"}}};
  const auto wire =
      "\xe0"                     // fixed_header: DISCONNECT
      "\x0b"                     // remaining_length 11
      "\x9c"                     // reason_code use_another_server
      "\x09"                     // property_length 9
      "\x1c\x00\x01\x73"         // server_reference "s"
      "\x1f\x00\x02\x67\x6f"sv;  // reason_string "go"
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(DISCONNECT rc=use_another_server props=[server_reference="s" reason_string="go"])");
}

TEST(disconnect_v5, longer_forms_of_success_decode_to_the_short_one) {
  for (auto wire : {"\xe0\x01\x00"sv, "\xe0\x02\x00\x00"sv}) {
    const auto r = mqtt::decode(wire, protocol_version::v5);
    ASSERT_TRUE(r) << mqtt::to_hex(wire) << ": " << mqtt::to_string(r.error());
    EXPECT_TRUE(*r == mqtt::packet(mqtt::disconnect{})) << mqtt::to_hex(wire);
    EXPECT_EQ(mqtt::encode(*r, protocol_version::v5), "\xe0\x00"sv);
  }
}

TEST(auth_v5, short_form_has_no_body) {
  //                                                     CP  RL
  expect_round_trip(mqtt::auth{}, protocol_version::v5, "\xf0\x00"sv, "AUTH rc=success");
}

TEST(auth_v5, continue_authentication) {
  const mqtt::auth p{.code = reason_code::continue_authentication,
                     .props = {{property_id::authentication_method, 0, "SCRAM"},
                               {property_id::authentication_data, 0, "\x01"}}};
  const auto wire =
      "\xf0"                              // fixed_header: AUTH
      "\x0e"                              // remaining_length 14
      "\x18"                              // reason_code continue_authentication
      "\x0c"                              // property_length 12
      "\x15\x00\x05\x53\x43\x52\x41\x4d"  // authentication_method "SCRAM"
      "\x16\x00\x01\x01"sv;               // authentication_data 01
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(AUTH rc=continue_authentication props=[authentication_method="SCRAM" )"
                    R"(authentication_data="\x01"])");
}

TEST(auth_v5, re_authenticate) {
  const mqtt::auth p{.code = reason_code::re_authenticate};
  //                                          CP  RL  RC
  expect_round_trip(p, protocol_version::v5, "\xf0\x01\x19"sv, "AUTH rc=re_authenticate");
}

TEST(auth_v311, packet_type_15_is_reserved) {
  //                           CP  RL
  const auto r = mqtt::decode("\xf0\x00"sv, protocol_version::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::malformed_packet);
  EXPECT_EQ(r.error().spec_id, "");
  EXPECT_EQ(r.error().what, "packet type 15 is reserved in MQTT 3.1.1");
}

TEST(reason_packet_v5, wrong_code_points_at_the_reason_code) {
  //                           CP  RL  RC
  const auto r = mqtt::decode("\xe0\x01\x18"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::protocol_error);
  EXPECT_EQ(r.error().spec_id, "MQTT-3.14.2-1");
  EXPECT_EQ(r.error().offset, 2u);
  EXPECT_EQ(r.error().what, "DISCONNECT: reason code 0x18 is not defined for DISCONNECT");
}

TEST(reason_packet_v5, misplaced_property_points_at_the_property_length) {
  //                           CP  RL  RC  PL  topic_alias 1
  const auto r = mqtt::decode("\xf0\x05\x18\x03\x23\x00\x01"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::malformed_packet);
  EXPECT_EQ(r.error().spec_id, "");
  EXPECT_EQ(r.error().offset, 3u);
  EXPECT_EQ(r.error().what, "AUTH: topic_alias is not allowed in AUTH");
}

}  // namespace

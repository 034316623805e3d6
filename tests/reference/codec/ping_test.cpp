// PINGREQ and PINGRESP (sections 3.12, 3.13): a fixed header with remaining length 0,
// the same in both versions.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "round_trip.hpp"

namespace {

using namespace std::literals;
using mqtt::protocol_version;

TEST(ping, pingreq_both_versions) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    SCOPED_TRACE(mqtt::to_string(v));
    //                                     CP  RL
    expect_round_trip(mqtt::pingreq{}, v, "\xc0\x00"sv, "PINGREQ");
  }
}

TEST(ping, pingresp_both_versions) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    SCOPED_TRACE(mqtt::to_string(v));
    //                                      CP  RL
    expect_round_trip(mqtt::pingresp{}, v, "\xd0\x00"sv, "PINGRESP");
  }
}

TEST(ping, decoded_type_follows_the_first_byte) {
  const auto req = mqtt::decode("\xc0\x00"sv, protocol_version::v5);
  ASSERT_TRUE(req);
  EXPECT_EQ(mqtt::type_of(*req), mqtt::packet_type::pingreq);
  const auto resp = mqtt::decode("\xd0\x00"sv, protocol_version::v5);
  ASSERT_TRUE(resp);
  EXPECT_EQ(mqtt::type_of(*resp), mqtt::packet_type::pingresp);
}

TEST(ping, body_is_malformed_and_points_after_the_header) {
  //                           CP  RL  body
  const auto r = mqtt::decode("\xc0\x01\x00"sv, protocol_version::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mqtt::reason_code::malformed_packet);
  EXPECT_EQ(r.error().spec_id, "");
  EXPECT_EQ(r.error().offset, 2u);
  EXPECT_EQ(r.error().what, "PINGREQ: remaining length must be 0");
}

TEST(ping, flags_are_reserved) {
  //                              CP  RL
  const auto v311 = mqtt::decode("\xd1\x00"sv, protocol_version::v311);
  ASSERT_FALSE(v311);
  EXPECT_EQ(v311.error().spec_id, "MQTT-2.2.2-2");
  EXPECT_EQ(v311.error().what, "reserved flags of PINGRESP must be 0000, not 0001");
  const auto v5 = mqtt::decode("\xc8\x00"sv, protocol_version::v5);
  ASSERT_FALSE(v5);
  EXPECT_EQ(v5.error().spec_id, "MQTT-2.1.3-1");
  EXPECT_EQ(v5.error().what, "reserved flags of PINGREQ must be 0000, not 1000");
}

}  // namespace

// CONNACK (section 3.2) in both versions: built from fields, encoded, decoded back,
// re-encoded, appended to junk, printed. Defects live in malformed_connect_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "round_trip.hpp"

namespace {

using namespace std::literals;
using mqtt::protocol_version;
using mqtt::property_id;
using mqtt::reason_code;

TEST(connack_v311, accepted) {
  //                         CP  RL  AF  RC
  expect_round_trip(mqtt::connack{}, protocol_version::v311, "\x20\x02\x00\x00"sv,
                    "CONNACK session_present=0 rc=0");
}

TEST(connack_v311, session_present) {
  mqtt::connack a{true, reason_code::success, {}};
  //                  CP  RL  AF  RC
  expect_round_trip(a, protocol_version::v311, "\x20\x02\x01\x00"sv, "CONNACK session_present=1 rc=0");
}

// Return codes 1-5 of Table 3.1 travel in the same byte as 5.0's reason code.
TEST(connack_v311, every_return_code) {
  for (std::uint8_t rc = 1; rc <= 5; ++rc) {
    mqtt::connack a{false, static_cast<reason_code>(rc), {}};
    const std::string bytes{'\x20', '\x02', '\x00', static_cast<char>(rc)};
    expect_round_trip(a, protocol_version::v311, bytes, "CONNACK session_present=0 rc=" + std::to_string(rc));
  }
  EXPECT_EQ(static_cast<reason_code>(mqtt::connack_return_code::not_authorized), static_cast<reason_code>(5));
}

// 3.1.1 has no properties: a connack built with some still encodes without them.
TEST(connack_v311, properties_are_not_written) {
  mqtt::connack a{false, reason_code::success, {{property_id::receive_maximum, 5}}};
  EXPECT_EQ(mqtt::encode(a, protocol_version::v311), "\x20\x02\x00\x00"sv);
}

TEST(connack_v5, success) {
  //                         CP  RL  AF  RC  PL
  expect_round_trip(mqtt::connack{}, protocol_version::v5, "\x20\x03\x00\x00\x00"sv,
                    "CONNACK session_present=0 rc=success");
}

TEST(connack_v5, refused_with_reason_string) {
  mqtt::connack a{false, reason_code::not_authorized, {{property_id::reason_string, 0, "no"}}};
  //                        CP  RL
  constexpr auto bytes = "\x20\x08"              // fixed header
                         "\x00"                  // acknowledge flags
                         "\x87"                  // reason code
                         "\x05"                  // property length
                         "\x1f\x00\x02" "no"sv;  // reason string
  expect_round_trip(a, protocol_version::v5, bytes, R"(CONNACK session_present=0 rc=not_authorized props=[reason_string="no"])");
}

TEST(connack_v5, every_connack_property) {
  mqtt::connack a{true, reason_code::success,
                  {{property_id::session_expiry_interval, 60},
                   {property_id::receive_maximum, 20},
                   {property_id::maximum_qos, 1},
                   {property_id::retain_available, 0},
                   {property_id::maximum_packet_size, 65536},
                   {property_id::assigned_client_identifier, 0, "id"},
                   {property_id::topic_alias_maximum, 10},
                   {property_id::reason_string, 0, "ok"},
                   {property_id::user_property, 0, "k", "v"},
                   {property_id::wildcard_subscription_available, 0},
                   {property_id::subscription_identifier_available, 1},
                   {property_id::shared_subscription_available, 0},
                   {property_id::server_keep_alive, 30},
                   {property_id::response_information, 0, "r"},
                   {property_id::server_reference, 0, "s"},
                   {property_id::authentication_method, 0, "m"},
                   {property_id::authentication_data, 0, "\x01"}}};
  //                        CP  RL
  constexpr auto bytes = "\x20\x41"                         // fixed header
                         "\x01"                             // acknowledge flags: session present
                         "\x00"                             // reason code
                         "\x3e"                             // property length
                         "\x11\x00\x00\x00\x3c"             // session expiry interval
                         "\x21\x00\x14"                     // receive maximum
                         "\x24\x01"                         // maximum qos
                         "\x25\x00"                         // retain available
                         "\x27\x00\x01\x00\x00"             // maximum packet size
                         "\x12\x00\x02" "id"                // assigned client identifier
                         "\x22\x00\x0a"                     // topic alias maximum
                         "\x1f\x00\x02" "ok"                // reason string
                         "\x26\x00\x01" "k" "\x00\x01" "v"  // user property
                         "\x28\x00"                         // wildcard subscription available
                         "\x29\x01"                         // subscription identifier available
                         "\x2a\x00"                         // shared subscription available
                         "\x13\x00\x1e"                     // server keep alive
                         "\x1a\x00\x01" "r"                 // response information
                         "\x1c\x00\x01" "s"                 // server reference
                         "\x15\x00\x01" "m"                 // authentication method
                         "\x16\x00\x01\x01"sv;              // authentication data
  expect_round_trip(
      a, protocol_version::v5, bytes,
      R"(CONNACK session_present=1 rc=success props=[session_expiry_interval=60 receive_maximum=20 maximum_qos=1 )"
      R"(retain_available=0 maximum_packet_size=65536 assigned_client_identifier="id" topic_alias_maximum=10 )"
      R"(reason_string="ok" user_property=("k","v") wildcard_subscription_available=0 )"
      R"(subscription_identifier_available=1 shared_subscription_available=0 server_keep_alive=30 )"
      R"(response_information="r" server_reference="s" authentication_method="m" authentication_data="\x01"])");
}

// Every Connect Reason Code of 5.0 section 3.2.2.2 decodes; nothing else does.
TEST(connack_v5, reason_code_table) {
  const std::uint8_t allowed[] = {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
                                  0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f};
  for (int c = 0; c < 256; ++c) {
    const std::string bytes{'\x20', '\x03', '\x00', static_cast<char>(c), '\x00'};
    auto d = mqtt::decode(bytes, protocol_version::v5);
    const bool want = std::find(std::begin(allowed), std::end(allowed), c) != std::end(allowed);
    ASSERT_EQ(d.ok(), want) << "code " << c;
    if (want) {
      EXPECT_EQ(std::get<mqtt::connack>(*d).code, static_cast<reason_code>(c));
    } else {
      EXPECT_EQ(d.error().code, reason_code::protocol_error);
      EXPECT_EQ(d.error().spec_id, "MQTT-3.2.2-8");
    }
  }
}

// Errors point at the byte that breaks the rule, counted from the packet's first byte.
TEST(connack_both, error_offsets) {
  auto rc = mqtt::decode("\x20\x02\x00\x06"sv, protocol_version::v311);
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.error().offset, 3u);
  auto sp = mqtt::decode("\x20\x02\x01\x02"sv, protocol_version::v311);
  ASSERT_FALSE(sp.ok());
  EXPECT_EQ(sp.error().offset, 2u);
  auto flags = mqtt::decode("\x20\x03\x02\x00\x00"sv, protocol_version::v5);
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.error().offset, 2u);
  auto code = mqtt::decode("\x20\x03\x00\x01\x00"sv, protocol_version::v5);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.error().offset, 3u);
  // A duplicate property: the offset of the property list.
  auto dup = mqtt::decode("\x20\x07\x00\x00\x04\x24\x00\x24\x01"sv, protocol_version::v5);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, reason_code::protocol_error);
  EXPECT_EQ(dup.error().offset, 4u);
}

// check() finds on a built packet what decode() finds on bytes.
TEST(connack_both, check_built_packets) {
  mqtt::connack a{true, reason_code::server_busy, {}};
  auto s = mqtt::check(a, protocol_version::v5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, reason_code::protocol_error);
  EXPECT_EQ(s.error().spec_id, "MQTT-3.2.2-6");
  a.code = reason_code::granted_qos_2;
  s = mqtt::check(a, protocol_version::v5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().spec_id, "MQTT-3.2.2-8");
  a = mqtt::connack{true, static_cast<reason_code>(2), {}};
  s = mqtt::check(a, protocol_version::v311);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().spec_id, "MQTT-3.2.2-4");
  a = mqtt::connack{false, reason_code::success, {{property_id::topic_alias, 1}}};
  s = mqtt::check(a, protocol_version::v5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, reason_code::malformed_packet);
  EXPECT_TRUE(mqtt::check(a, protocol_version::v311).ok());  // 3.1.1 has no properties to judge
}

}  // namespace

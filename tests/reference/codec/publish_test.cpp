// PUBLISH (section 3.3) in both versions: fields -> bytes -> fields -> bytes, printed form.
// Malformed variants are rows of malformed_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "round_trip.hpp"

namespace {

using namespace std::literals;
using mqtt::property_id;
using mqtt::protocol_version;

TEST(publish_v311, qos0) {
  const mqtt::publish p{.topic = "a/b", .payload = "hello"};
  const auto wire =
      "\x30"                     // fixed_header: PUBLISH, qos 0
      "\x0a"                     // remaining_length 10
      "\x00\x03\x61\x2f\x62"     // topic_name "a/b"
      "\x68\x65\x6c\x6c\x6f"sv;  // payload "hello"
  expect_round_trip(p, protocol_version::v311, wire, R"(PUBLISH qos=0 dup=0 retain=0 topic="a/b" payload=5B)");
}

TEST(publish_v311, qos1_dup_retain) {
  const mqtt::publish p{.dup = true, .qos = mqtt::qos::at_least_once, .retain = true, .topic = "a/b",
                        .packet_id = 7, .payload = "hi"};
  const auto wire =
      "\x3b"                  // fixed_header: PUBLISH, dup 1, qos 1, retain 1
      "\x09"                  // remaining_length 9
      "\x00\x03\x61\x2f\x62"  // topic_name "a/b"
      "\x00\x07"              // packet_identifier 7
      "\x68\x69"sv;           // payload "hi"
  expect_round_trip(p, protocol_version::v311, wire, R"(PUBLISH qos=1 dup=1 retain=1 id=7 topic="a/b" payload=2B)");
}

TEST(publish_v311, qos2_empty_payload) {
  const mqtt::publish p{.qos = mqtt::qos::exactly_once, .topic = "a/b", .packet_id = 0xffff};
  //                 CP  RL  TL      a   /   b   PID
  const auto wire = "\x34\x07\x00\x03\x61\x2f\x62\xff\xff"sv;
  expect_round_trip(p, protocol_version::v311, wire, R"(PUBLISH qos=2 dup=0 retain=0 id=65535 topic="a/b" payload=0B)");
}

TEST(publish_v311, properties_are_not_written) {
  // 3.1.1 has no properties: a packet built with some encodes as if it had none.
  const mqtt::publish p{.topic = "a/b", .props = {{property_id::topic_alias, 1}}};
  //                                                  CP  RL  TL      a   /   b
  EXPECT_EQ(mqtt::encode(p, protocol_version::v311), "\x30\x05\x00\x03\x61\x2f\x62"sv);
}

TEST(publish_v5, qos0_without_properties) {
  const mqtt::publish p{.topic = "a/b", .payload = "hello"};
  const auto wire =
      "\x30"                     // fixed_header: PUBLISH, qos 0
      "\x0b"                     // remaining_length 11
      "\x00\x03\x61\x2f\x62"     // topic_name "a/b"
      "\x00"                     // property_length 0
      "\x68\x65\x6c\x6c\x6f"sv;  // payload "hello"
  expect_round_trip(p, protocol_version::v5, wire, R"(PUBLISH qos=0 dup=0 retain=0 topic="a/b" payload=5B)");
}

TEST(publish_v5, qos1_with_every_publish_property) {
  const mqtt::publish p{.qos = mqtt::qos::at_least_once,
                        .topic = "a/b",
                        .packet_id = 7,
                        .props = {{property_id::payload_format_indicator, 1},
                                  {property_id::message_expiry_interval, 3600},
                                  {property_id::content_type, 0, "t"},
                                  {property_id::response_topic, 0, "r"},
                                  {property_id::correlation_data, 0, "\x01\x02"},
                                  {property_id::subscription_identifier, 5},
                                  {property_id::subscription_identifier, 128},
                                  {property_id::topic_alias, 3},
                                  {property_id::user_property, 0, "k", "v"}},
                        .payload = "hi"};
  const auto wire =
      "\x32"                          // fixed_header: PUBLISH, qos 1
      "\x2d"                          // remaining_length 45
      "\x00\x03\x61\x2f\x62"          // topic_name "a/b"
      "\x00\x07"                      // packet_identifier 7
      "\x23"                          // property_length 35
      "\x01\x01"                      // payload_format_indicator 1
      "\x02\x00\x00\x0e\x10"          // message_expiry_interval 3600
      "\x03\x00\x01\x74"              // content_type "t"
      "\x08\x00\x01\x72"              // response_topic "r"
      "\x09\x00\x02\x01\x02"          // correlation_data 01 02
      "\x0b\x05"                      // subscription_identifier 5
      "\x0b\x80\x01"                  // subscription_identifier 128 (two-byte varint)
      "\x23\x00\x03"                  // topic_alias 3
      "\x26\x00\x01\x6b\x00\x01\x76"  // user_property "k" "v"
      "\x68\x69"sv;                   // payload "hi"
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(PUBLISH qos=1 dup=0 retain=0 id=7 topic="a/b" payload=2B props=[payload_format_indicator=1 )"
                    R"(message_expiry_interval=3600 content_type="t" response_topic="r" correlation_data="\x01\x02" )"
                    R"(subscription_identifier=5 subscription_identifier=128 topic_alias=3 user_property=("k","v")])");
}

TEST(publish_v5, empty_topic_with_topic_alias) {
  // Section 3.3.2.3.4: a zero-length topic name is allowed when a Topic Alias is set.
  const mqtt::publish p{.props = {{property_id::topic_alias, 1}}, .payload = "x"};
  const auto wire =
      "\x30"          // fixed_header: PUBLISH, qos 0
      "\x07"          // remaining_length 7
      "\x00\x00"      // topic_name ""
      "\x03"          // property_length 3
      "\x23\x00\x01"  // topic_alias 1
      "\x78"sv;       // payload "x"
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(PUBLISH qos=0 dup=0 retain=0 topic="" payload=1B props=[topic_alias=1])");
}

TEST(publish, two_byte_remaining_length) {
  const std::string payload(200, 'z');
  const mqtt::publish p{.topic = "t", .payload = payload};
  const std::string wire = mqtt::encode(p, protocol_version::v311);
  ASSERT_EQ(wire.size(), 206u);
  //                                              CP  RL(203) TL      t
  EXPECT_EQ(std::string_view(wire).substr(0, 6), "\x30\xcb\x01\x00\x01\x74"sv);
  EXPECT_EQ(mqtt::encoded_size(p, protocol_version::v311), 206u);
  const auto decoded = mqtt::decode(wire, protocol_version::v311);
  ASSERT_TRUE(decoded) << mqtt::to_string(decoded.error());
  EXPECT_EQ(std::get<mqtt::publish>(*decoded).payload, payload);
}

TEST(publish, decoded_topic_and_payload_view_the_input) {
  const std::string wire = "\x30\x07\x00\x03\x61\x2f\x62\x68\x69"s;
  const auto decoded = mqtt::decode(wire, protocol_version::v311);
  ASSERT_TRUE(decoded) << mqtt::to_string(decoded.error());
  const auto& p = std::get<mqtt::publish>(*decoded);
  EXPECT_EQ(p.topic.data(), wire.data() + 4);
  EXPECT_EQ(p.payload.data(), wire.data() + 7);
  EXPECT_EQ(p.payload, "hi");
}

TEST(publish, zero_packet_id_names_the_version_rule_and_offset) {
  // The offset points at the packet identifier: 2 header bytes + 2 length bytes + "a/b".
  //                              CP  RL  TL      a   /   b   PID
  const auto v311 = mqtt::decode("\x32\x07\x00\x03\x61\x2f\x62\x00\x00"sv, protocol_version::v311);
  ASSERT_FALSE(v311);
  EXPECT_EQ(v311.error().code, mqtt::reason_code::protocol_error);
  EXPECT_EQ(v311.error().spec_id, "MQTT-2.3.1-1");
  EXPECT_EQ(v311.error().offset, 7u);
  //                            CP  RL  TL      a   /   b   PID     PL
  const auto v5 = mqtt::decode("\x32\x08\x00\x03\x61\x2f\x62\x00\x00\x00"sv, protocol_version::v5);
  ASSERT_FALSE(v5);
  EXPECT_EQ(v5.error().spec_id, "MQTT-2.2.1-3");
  EXPECT_EQ(v5.error().offset, 7u);
}

TEST(publish, check_judges_packets_built_in_code) {
  const mqtt::packet good = mqtt::publish{.qos = mqtt::qos::at_least_once, .topic = "a", .packet_id = 1};
  EXPECT_TRUE(mqtt::check(good, protocol_version::v5));
  const mqtt::packet wildcard = mqtt::publish{.topic = "a/#"};
  const auto s = mqtt::check(wildcard, protocol_version::v5);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, mqtt::reason_code::topic_name_invalid);
  EXPECT_EQ(s.error().spec_id, "MQTT-3.3.2-2");
  // The encoder writes it all the same, so tests can forge it.
  //                                                       CP  RL  TL      a   /   #   PL
  EXPECT_EQ(mqtt::encode(wildcard, protocol_version::v5), "\x30\x06\x00\x03\x61\x2f\x23\x00"sv);
}

}  // namespace

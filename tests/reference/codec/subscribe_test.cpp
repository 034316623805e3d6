// SUBSCRIBE (section 3.8) and UNSUBSCRIBE (section 3.10) in both versions.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "round_trip.hpp"

namespace {

using namespace std::literals;
using mqtt::property_id;
using mqtt::protocol_version;
using mqtt::qos;

TEST(subscribe_v311, two_filters) {
  const mqtt::subscribe p{.packet_id = 10,
                          .topics = {{.filter = "a/b", .max_qos = qos::at_least_once},
                                     {.filter = "c/#", .max_qos = qos::exactly_once}}};
  const auto wire =
      "\x82"                  // fixed_header: SUBSCRIBE, flags 0010
      "\x0e"                  // remaining_length 14
      "\x00\x0a"              // packet_identifier 10
      "\x00\x03\x61\x2f\x62"  // topic_filter "a/b"
      "\x01"                  // requested_qos 1
      "\x00\x03\x63\x2f\x23"  // topic_filter "c/#"
      "\x02"sv;               // requested_qos 2
  expect_round_trip(p, protocol_version::v311, wire, R"(SUBSCRIBE id=10 topics=["a/b":qos1 "c/#":qos2])");
}

TEST(subscribe_v5, one_filter_no_properties) {
  const mqtt::subscribe p{.packet_id = 1, .topics = {{.filter = "a"}}};
  const auto wire =
      "\x82"          // fixed_header: SUBSCRIBE, flags 0010
      "\x07"          // remaining_length 7
      "\x00\x01"      // packet_identifier 1
      "\x00"          // property_length 0
      "\x00\x01\x61"  // topic_filter "a"
      "\x00"sv;       // subscription_options: qos 0
  expect_round_trip(p, protocol_version::v5, wire, R"(SUBSCRIBE id=1 topics=["a":qos0])");
}

TEST(subscribe_v5, options_and_properties) {
  const mqtt::subscribe p{
      .packet_id = 10,
      .props = {{property_id::subscription_identifier, 300}, {property_id::user_property, 0, "k", "v"}},
      .topics = {{.filter = "a/+", .no_local = true, .retain_as_published = true, .retain_handling = 2},
                 {.filter = "$share/g/t", .max_qos = qos::at_least_once}}};
  const auto wire =
      "\x82"                                              // fixed_header: SUBSCRIBE, flags 0010
      "\x20"                                              // remaining_length 32
      "\x00\x0a"                                          // packet_identifier 10
      "\x0a"                                              // property_length 10
      "\x0b\xac\x02"                                      // subscription_identifier 300
      "\x26\x00\x01\x6b\x00\x01\x76"                      // user_property "k" "v"
      "\x00\x03\x61\x2f\x2b"                              // topic_filter "a/+"
      "\x2c"                                              // options: rh 2, rap, nl, qos 0
      "\x00\x0a\x24\x73\x68\x61\x72\x65\x2f\x67\x2f\x74"  // topic_filter "$share/g/t"
      "\x01"sv;                                           // options: qos 1
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(SUBSCRIBE id=10 topics=["a/+":qos0,nl,rap,rh2 "$share/g/t":qos1] )"
                    R"(props=[subscription_identifier=300 user_property=("k","v")])");
}

TEST(subscribe_v5, retain_handling_1_and_qos_2) {
  const mqtt::subscribe p{.packet_id = 2,
                          .topics = {{.filter = "#", .max_qos = qos::exactly_once, .retain_handling = 1}}};
  //                                          CP  RL  PID     PL  TL      #   OPT
  expect_round_trip(p, protocol_version::v5, "\x82\x07\x00\x02\x00\x00\x01\x23\x12"sv,
                    R"(SUBSCRIBE id=2 topics=["#":qos2,rh1])");
}

TEST(subscribe, decoded_options_byte_sets_each_field) {
  //                           CP  RL  PID     PL  TL      a   OPT
  const auto r = mqtt::decode("\x82\x07\x00\x05\x00\x00\x01\x61\x1e"sv, protocol_version::v5);
  ASSERT_TRUE(r) << mqtt::to_string(r.error());
  const auto& s = std::get<mqtt::subscribe>(*r).topics.at(0);
  EXPECT_EQ(s.max_qos, qos::exactly_once);  // 0x1e = rh 1, rap 1, nl 1, qos 2
  EXPECT_TRUE(s.no_local);
  EXPECT_TRUE(s.retain_as_published);
  EXPECT_EQ(s.retain_handling, 1);
}

TEST(subscribe, reserved_option_bits_point_at_the_options_byte) {
  //                           CP  RL  PID     TL      a   OPT
  const auto r = mqtt::decode("\x82\x06\x00\x01\x00\x01\x61\x04"sv, protocol_version::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mqtt::reason_code::malformed_packet);
  EXPECT_EQ(r.error().spec_id, "MQTT-3.8.3-4");
  EXPECT_EQ(r.error().offset, 7u);
}

TEST(subscribe, misplaced_property_points_at_the_property_length) {
  //                           CP  RL  PID     PL  TA          TL      a   OPT
  const auto r = mqtt::decode("\x82\x0a\x00\x01\x03\x23\x00\x01\x00\x01\x61\x00"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mqtt::reason_code::malformed_packet);
  EXPECT_EQ(r.error().offset, 4u);
  EXPECT_EQ(r.error().what, "SUBSCRIBE: topic_alias is not allowed in SUBSCRIBE");
}

TEST(unsubscribe_v311, two_filters) {
  const mqtt::unsubscribe p{.packet_id = 11, .filters = {"a/b", "#"}};
  const auto wire =
      "\xa2"                  // fixed_header: UNSUBSCRIBE, flags 0010
      "\x0a"                  // remaining_length 10
      "\x00\x0b"              // packet_identifier 11
      "\x00\x03\x61\x2f\x62"  // topic_filter "a/b"
      "\x00\x01\x23"sv;       // topic_filter "#"
  expect_round_trip(p, protocol_version::v311, wire, R"(UNSUBSCRIBE id=11 filters=["a/b" "#"])");
}

TEST(unsubscribe_v5, user_property) {
  const mqtt::unsubscribe p{.packet_id = 11, .props = {{property_id::user_property, 0, "k", "v"}}, .filters = {"a/b"}};
  const auto wire =
      "\xa2"                          // fixed_header: UNSUBSCRIBE, flags 0010
      "\x0f"                          // remaining_length 15
      "\x00\x0b"                      // packet_identifier 11
      "\x07"                          // property_length 7
      "\x26\x00\x01\x6b\x00\x01\x76"  // user_property "k" "v"
      "\x00\x03\x61\x2f\x62"sv;       // topic_filter "a/b"
  expect_round_trip(p, protocol_version::v5, wire,
                    R"(UNSUBSCRIBE id=11 filters=["a/b"] props=[user_property=("k","v")])");
}

TEST(unsubscribe_v5, no_properties) {
  const mqtt::unsubscribe p{.packet_id = 0x8000, .filters = {"$share/g/#"}};
  const auto wire =
      "\xa2"                                                 // fixed_header: UNSUBSCRIBE, flags 0010
      "\x0f"                                                 // remaining_length 15
      "\x80\x00"                                             // packet_identifier 32768
      "\x00"                                                 // property_length 0
      "\x00\x0a\x24\x73\x68\x61\x72\x65\x2f\x67\x2f\x23"sv;  // topic_filter "$share/g/#"
  expect_round_trip(p, protocol_version::v5, wire, R"(UNSUBSCRIBE id=32768 filters=["$share/g/#"])");
}

TEST(subscribe, check_judges_packets_built_in_code) {
  const mqtt::packet empty = mqtt::subscribe{.packet_id = 1};
  const auto v311 = mqtt::check(empty, protocol_version::v311);
  ASSERT_FALSE(v311);
  EXPECT_EQ(v311.error().code, mqtt::reason_code::protocol_error);
  EXPECT_EQ(v311.error().spec_id, "MQTT-3.8.3-3");
  const auto v5 = mqtt::check(empty, protocol_version::v5);
  ASSERT_FALSE(v5);
  EXPECT_EQ(v5.error().spec_id, "MQTT-3.8.3-2");
  // The encoder still writes it, for forging.
  //                                                    CP  RL  PID     PL
  EXPECT_EQ(mqtt::encode(empty, protocol_version::v5), "\x82\x03\x00\x01\x00"sv);
}

}  // namespace

// CONNECT (section 3.1) in both versions: built from fields, encoded, decoded back,
// re-encoded, appended to junk, printed. Defects live in malformed_connect_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "round_trip.hpp"

namespace {

using namespace std::literals;
using mqtt::protocol_version;
using mqtt::property_id;

TEST(connect_v311, minimal) {
  mqtt::connect c;
  c.version = protocol_version::v311;
  c.client_id = "c";
  //                        CP  RL
  constexpr auto bytes = "\x10\x0d"  // fixed header
                         "\x00\x04" "MQTT"  // protocol name
                         "\x04"             // protocol level
                         "\x02"             // connect flags: clean session
                         "\x00\x3c"         // keep alive
                         "\x00\x01" "c"sv;  // client identifier
  expect_round_trip(c, protocol_version::v311, bytes,
                    R"(CONNECT version=3.1.1 client_id="c" clean_session=1 keep_alive=60)");
}

TEST(connect_v311, every_option) {
  mqtt::connect c;
  c.version = protocol_version::v311;
  c.clean_start = false;
  c.keep_alive = 10;
  c.client_id = "c";
  c.will = mqtt::will_message{"w/t", "bye", mqtt::qos::at_least_once, true, {}};
  c.user_name = "u";
  c.password = "pw";
  //                        CP  RL
  constexpr auto bytes = "\x10\x1e"  // fixed header
                         "\x00\x04" "MQTT"  // protocol name
                         "\x04"             // protocol level
                         "\xec"             // connect flags: user, password, will retain, will qos 1, will
                         "\x00\x0a"         // keep alive
                         "\x00\x01" "c"     // client identifier
                         "\x00\x03" "w/t"   // will topic
                         "\x00\x03" "bye"   // will payload
                         "\x00\x01" "u"     // user name
                         "\x00\x02" "pw"sv; // password
  expect_round_trip(c, protocol_version::v311, bytes,
                    R"(CONNECT version=3.1.1 client_id="c" clean_session=0 keep_alive=10 )"
                    R"(will={topic="w/t" payload=3B qos=1 retain=1} user="u" password=2B)");
}

TEST(connect_v311, empty_client_id_and_zero_keep_alive) {
  mqtt::connect c;
  c.version = protocol_version::v311;
  c.keep_alive = 0;
  //                        CP  RL
  constexpr auto bytes = "\x10\x0c"  // fixed header
                         "\x00\x04" "MQTT"  // protocol name
                         "\x04"             // protocol level
                         "\x02"             // connect flags: clean session
                         "\x00\x00"         // keep alive
                         "\x00\x00"sv;      // client identifier
  expect_round_trip(c, protocol_version::v311, bytes,
                    R"(CONNECT version=3.1.1 client_id="" clean_session=1 keep_alive=0)");
}

// The Connect Flags byte for each option alone (3.1.2.3), identical in both versions.
TEST(connect_both, flag_bits) {
  struct row {
    std::uint8_t flags;
    void (*set)(mqtt::connect&);
  };
  const row rows[] = {
      {0x00, [](mqtt::connect& c) { c.clean_start = false; }},
      {0x02, [](mqtt::connect&) {}},
      {0x06, [](mqtt::connect& c) { c.will = mqtt::will_message{"t", "", mqtt::qos::at_most_once, false, {}}; }},
      {0x0e, [](mqtt::connect& c) { c.will = mqtt::will_message{"t", "", mqtt::qos::at_least_once, false, {}}; }},
      {0x16, [](mqtt::connect& c) { c.will = mqtt::will_message{"t", "", mqtt::qos::exactly_once, false, {}}; }},
      {0x26, [](mqtt::connect& c) { c.will = mqtt::will_message{"t", "", mqtt::qos::at_most_once, true, {}}; }},
      {0x82, [](mqtt::connect& c) { c.user_name = ""; }},
      {0xc2, [](mqtt::connect& c) { c.user_name = "u"; c.password = ""; }},
  };
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    for (const auto& r : rows) {
      mqtt::connect c;
      c.version = v;
      r.set(c);
      const std::string bytes = mqtt::encode(c, v);
      ASSERT_GT(bytes.size(), 9u);
      EXPECT_EQ(std::uint8_t(bytes[9]), r.flags) << mqtt::to_string(c, v);
      auto d = mqtt::decode(bytes, v);
      ASSERT_TRUE(d.ok()) << mqtt::to_string(d.error());
      EXPECT_EQ(*d, mqtt::packet{c});
    }
  }
}

TEST(connect_v5, minimal) {
  mqtt::connect c;
  c.client_id = "c";
  //                        CP  RL
  constexpr auto bytes = "\x10\x0e"  // fixed header
                         "\x00\x04" "MQTT"  // protocol name
                         "\x05"             // protocol level
                         "\x02"             // connect flags: clean start
                         "\x00\x3c"         // keep alive
                         "\x00"             // property length
                         "\x00\x01" "c"sv;  // client identifier
  expect_round_trip(c, protocol_version::v5, bytes,
                    R"(CONNECT version=5 client_id="c" clean_start=1 keep_alive=60)");
}

TEST(connect_v5, every_option_and_property) {
  mqtt::connect c;
  c.keep_alive = 30;
  c.client_id = "c";
  c.props = {{property_id::session_expiry_interval, 120},
             {property_id::receive_maximum, 10},
             {property_id::maximum_packet_size, 4096},
             {property_id::topic_alias_maximum, 5},
             {property_id::request_response_information, 1},
             {property_id::request_problem_information, 0},
             {property_id::user_property, 0, "k", "v"},
             {property_id::authentication_method, 0, "m1"},
             {property_id::authentication_data, 0, "\x01\x02"}};
  c.will = mqtt::will_message{"w", "x", mqtt::qos::exactly_once, false,
                              {{property_id::will_delay_interval, 5},
                               {property_id::payload_format_indicator, 1},
                               {property_id::message_expiry_interval, 60},
                               {property_id::content_type, 0, "text"},
                               {property_id::response_topic, 0, "r"},
                               {property_id::correlation_data, 0, "\xab\xcd"},
                               {property_id::user_property, 0, "a", "b"}}};
  c.user_name = "u";
  c.password = "pw";
  //                        CP  RL
  constexpr auto bytes = "\x10\x64"  // fixed header
                         "\x00\x04" "MQTT"                  // protocol name
                         "\x05"                             // protocol level
                         "\xd6"                             // connect flags: user, password, will qos 2, will, clean
                         "\x00\x1e"                         // keep alive
                         "\x25"                             // property length
                         "\x11\x00\x00\x00\x78"             // session expiry interval
                         "\x21\x00\x0a"                     // receive maximum
                         "\x27\x00\x00\x10\x00"             // maximum packet size
                         "\x22\x00\x05"                     // topic alias maximum
                         "\x19\x01"                         // request response information
                         "\x17\x00"                         // request problem information
                         "\x26\x00\x01" "k" "\x00\x01" "v"  // user property
                         "\x15\x00\x02" "m1"                // authentication method
                         "\x16\x00\x02\x01\x02"             // authentication data
                         "\x00\x01" "c"                     // client identifier
                         "\x23"                             // will property length
                         "\x18\x00\x00\x00\x05"             // will delay interval
                         "\x01\x01"                         // payload format indicator
                         "\x02\x00\x00\x00\x3c"             // message expiry interval
                         "\x03\x00\x04" "text"              // content type
                         "\x08\x00\x01" "r"                 // response topic
                         "\x09\x00\x02\xab\xcd"             // correlation data
                         "\x26\x00\x01" "a" "\x00\x01" "b"  // user property
                         "\x00\x01" "w"                     // will topic
                         "\x00\x01" "x"                     // will payload
                         "\x00\x01" "u"                     // user name
                         "\x00\x02" "pw"sv;                 // password
  expect_round_trip(
      c, protocol_version::v5, bytes,
      R"(CONNECT version=5 client_id="c" clean_start=1 keep_alive=30 will={topic="w" payload=1B qos=2 retain=0 )"
      R"(props=[will_delay_interval=5 payload_format_indicator=1 message_expiry_interval=60 content_type="text" )"
      R"(response_topic="r" correlation_data="\xab\xcd" user_property=("a","b")]} user="u" password=2B )"
      R"(props=[session_expiry_interval=120 receive_maximum=10 maximum_packet_size=4096 topic_alias_maximum=5 )"
      R"(request_response_information=1 request_problem_information=0 user_property=("k","v") )"
      R"(authentication_method="m1" authentication_data="\x01\x02"])");
}

// 5.0 dropped the rule that a password needs a user name (3.1.2.9).
TEST(connect_v5, password_without_user_name) {
  mqtt::connect c;
  c.clean_start = false;
  c.keep_alive = 0;
  c.client_id = "id";
  c.password = "\x00\xff"sv;
  //                        CP  RL
  constexpr auto bytes = "\x10\x13"  // fixed header
                         "\x00\x04" "MQTT"  // protocol name
                         "\x05"             // protocol level
                         "\x40"             // connect flags: password
                         "\x00\x00"         // keep alive
                         "\x00"             // property length
                         "\x00\x02" "id"    // client identifier
                         "\x00\x02\x00\xff"sv;  // password
  expect_round_trip(c, protocol_version::v5, bytes,
                    R"(CONNECT version=5 client_id="id" clean_start=0 keep_alive=0 password=2B)");
  EXPECT_TRUE(mqtt::check(c, protocol_version::v5).ok());
}

// A client id of 200 bytes makes the remaining length take two bytes.
TEST(connect_v5, two_byte_remaining_length) {
  const std::string id(200, 'a');
  mqtt::connect c;
  c.client_id = id;
  const std::string bytes = "\x10\xd5\x01"s                            // fixed header
                            "\x00\x04" "MQTT" "\x05\x02\x00\x3c\x00"s  // variable header
                            "\x00\xc8"s + id;                   // client identifier
  expect_round_trip(c, protocol_version::v5, bytes,
                    "CONNECT version=5 client_id=\"" + id + "\" clean_start=1 keep_alive=60");
}

// The Protocol Level byte picks the version, whatever the caller expected.
TEST(connect_both, decoded_with_its_own_level) {
  constexpr auto v311 = "\x10\x0d\x00\x04" "MQTT" "\x04\x02\x00\x3c\x00\x01" "c"sv;
  constexpr auto v5 = "\x10\x0e\x00\x04" "MQTT" "\x05\x02\x00\x3c\x00\x00\x01" "c"sv;
  auto a = mqtt::decode(v311, protocol_version::v5);
  ASSERT_TRUE(a.ok()) << mqtt::to_string(a.error());
  EXPECT_EQ(std::get<mqtt::connect>(*a).version, protocol_version::v311);
  auto b = mqtt::decode(v5, protocol_version::v311);
  ASSERT_TRUE(b.ok()) << mqtt::to_string(b.error());
  EXPECT_EQ(std::get<mqtt::connect>(*b).version, protocol_version::v5);
  // Encoding likewise follows the packet's own version.
  EXPECT_EQ(mqtt::encode(*a, protocol_version::v5), v311);
}

// Rules check() enforces on packets built in code, which encode() writes anyway.
TEST(connect_both, check_built_packets) {
  mqtt::connect c;
  c.version = protocol_version::v311;
  c.password = "p";
  auto s = mqtt::check(c, protocol_version::v311);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, mqtt::reason_code::malformed_packet);
  EXPECT_EQ(s.error().spec_id, "MQTT-3.1.2-22");

  c.password.reset();
  c.will = mqtt::will_message{"a/#", "", mqtt::qos::at_most_once, false, {}};
  s = mqtt::check(c, protocol_version::v311);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, mqtt::reason_code::protocol_error);
  EXPECT_EQ(s.error().spec_id, "MQTT-3.3.2-2");

  c.version = protocol_version::v5;
  c.will->topic = "+";
  s = mqtt::check(c, protocol_version::v5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, mqtt::reason_code::topic_name_invalid);
  EXPECT_EQ(s.error().spec_id, "MQTT-3.3.2-2");

  c.will.reset();
  c.props = {{property_id::authentication_data, 0, "d"}};
  s = mqtt::check(c, protocol_version::v5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, mqtt::reason_code::protocol_error);
  EXPECT_EQ(s.error().spec_id, "");
}

// Errors point at the byte that breaks the rule.
TEST(connect_v5, error_offsets) {
  // Reserved flag: the connect flags byte is at offset 9.
  auto a = mqtt::decode("\x10\x0e\x00\x04" "MQTT" "\x05\x03\x00\x3c\x00\x00\x01" "c"sv, protocol_version::v5);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().offset, 9u);
  // A duplicate in the Will Properties: the list starts after client id "c", at offset 16.
  auto b = mqtt::decode("\x10\x1e\x00\x04" "MQTT" "\x05\x06\x00\x3c\x00\x00\x01" "c"
                        "\x0a\x18\x00\x00\x00\x01\x18\x00\x00\x00\x02\x00\x01" "w" "\x00\x00"sv,
                        protocol_version::v5);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, mqtt::reason_code::protocol_error);
  EXPECT_EQ(b.error().offset, 16u);
  // Bad UTF-8 in the client id: the offending byte itself, offset 15.
  auto u = mqtt::decode("\x10\x0e\x00\x04" "MQTT" "\x05\x02\x00\x3c\x00\x00\x01\xff"sv, protocol_version::v5);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().offset, 15u);
}

}  // namespace

// MQTT 5.0 properties (section 2.2.2): the wire form of all 27, the placement table
// (Table 2-4), duplicates, value ranges, unknown identifiers and length overruns.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <string_view>

#include "reference/codec/property.hpp"

namespace {

using namespace std::literals;
using mqtt::property_id;
using mqtt::property_location;
using mqtt::property_type;
using mqtt::reason_code;
using L = property_location;

struct wire_row {
  mqtt::property p;
  property_type type;
  std::string_view bytes;  // identifier and value, without the property length
  std::string_view text;
};

// One property of every identifier, with a value that exercises its width.
const wire_row wire_rows[] = {
    //                                                        ID  value
    {{property_id::payload_format_indicator, 1}, property_type::byte, "\x01\x01"sv, "payload_format_indicator=1"},
    {{property_id::message_expiry_interval, 0x01020304}, property_type::four_byte, "\x02\x01\x02\x03\x04"sv,
     "message_expiry_interval=16909060"},
    {{property_id::content_type, 0, "a/b"}, property_type::utf8, "\x03\x00\x03" "a/b"sv, R"(content_type="a/b")"},
    {{property_id::response_topic, 0, "r"}, property_type::utf8, "\x08\x00\x01" "r"sv, R"(response_topic="r")"},
    {{property_id::correlation_data, 0, "\x00\xff"sv}, property_type::binary, "\x09\x00\x02\x00\xff"sv,
     R"(correlation_data="\x00\xff")"},
    {{property_id::subscription_identifier, 268'435'455}, property_type::varint, "\x0b\xff\xff\xff\x7f"sv,
     "subscription_identifier=268435455"},
    {{property_id::session_expiry_interval, 0xffffffff}, property_type::four_byte, "\x11\xff\xff\xff\xff"sv,
     "session_expiry_interval=4294967295"},
    {{property_id::assigned_client_identifier, 0, "id"}, property_type::utf8, "\x12\x00\x02" "id"sv,
     R"(assigned_client_identifier="id")"},
    {{property_id::server_keep_alive, 0xffff}, property_type::two_byte, "\x13\xff\xff"sv, "server_keep_alive=65535"},
    {{property_id::authentication_method, 0, "SCRAM"}, property_type::utf8, "\x15\x00\x05" "SCRAM"sv,
     R"(authentication_method="SCRAM")"},
    {{property_id::authentication_data, 0, ""}, property_type::binary, "\x16\x00\x00"sv, R"(authentication_data="")"},
    {{property_id::request_problem_information, 0}, property_type::byte, "\x17\x00"sv,
     "request_problem_information=0"},
    {{property_id::will_delay_interval, 10}, property_type::four_byte, "\x18\x00\x00\x00\x0a"sv,
     "will_delay_interval=10"},
    {{property_id::request_response_information, 1}, property_type::byte, "\x19\x01"sv,
     "request_response_information=1"},
    {{property_id::response_information, 0, "ri"}, property_type::utf8, "\x1a\x00\x02" "ri"sv,
     R"(response_information="ri")"},
    {{property_id::server_reference, 0, "h:1"}, property_type::utf8, "\x1c\x00\x03" "h:1"sv,
     R"(server_reference="h:1")"},
    {{property_id::reason_string, 0, "why"}, property_type::utf8, "\x1f\x00\x03" "why"sv, R"(reason_string="why")"},
    {{property_id::receive_maximum, 258}, property_type::two_byte, "\x21\x01\x02"sv, "receive_maximum=258"},
    {{property_id::topic_alias_maximum, 0}, property_type::two_byte, "\x22\x00\x00"sv, "topic_alias_maximum=0"},
    {{property_id::topic_alias, 1}, property_type::two_byte, "\x23\x00\x01"sv, "topic_alias=1"},
    {{property_id::maximum_qos, 0}, property_type::byte, "\x24\x00"sv, "maximum_qos=0"},
    {{property_id::retain_available, 1}, property_type::byte, "\x25\x01"sv, "retain_available=1"},
    {{property_id::user_property, 0, "", "v"}, property_type::utf8_pair, "\x26\x00\x00\x00\x01" "v"sv,
     R"(user_property=("","v"))"},
    {{property_id::maximum_packet_size, 128}, property_type::four_byte, "\x27\x00\x00\x00\x80"sv,
     "maximum_packet_size=128"},
    {{property_id::wildcard_subscription_available, 1}, property_type::byte, "\x28\x01"sv,
     "wildcard_subscription_available=1"},
    {{property_id::subscription_identifier_available, 0}, property_type::byte, "\x29\x00"sv,
     "subscription_identifier_available=0"},
    {{property_id::shared_subscription_available, 1}, property_type::byte, "\x2a\x01"sv,
     "shared_subscription_available=1"},
};

TEST(property, every_identifier_round_trips) {
  std::set<property_id> seen;
  for (const auto& row : wire_rows) {
    SCOPED_TRACE(row.text);
    seen.insert(row.p.id);
    EXPECT_EQ(mqtt::info(row.p.id).type, row.type);
    EXPECT_EQ(mqtt::info(row.p.id).name, row.text.substr(0, row.text.find('=')));
    const mqtt::properties ps{row.p};
    EXPECT_EQ(mqtt::properties_size(ps), row.bytes.size());
    std::string out(3, '\xa5');  // writing appends
    mqtt::writer w(out);
    mqtt::write_properties(w, ps);
    EXPECT_EQ(out, "\xa5\xa5\xa5"s + static_cast<char>(row.bytes.size()) + std::string(row.bytes));
    EXPECT_EQ(w.size(), 1 + row.bytes.size());
    mqtt::reader r(std::string_view(out).substr(3), mqtt::protocol_version::v5, mqtt::packet_type::publish);
    mqtt::properties back;
    ASSERT_TRUE(mqtt::read_properties(r, back)) << mqtt::to_string(r.error());
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(back, ps);
    EXPECT_EQ(mqtt::to_string(back), row.text);
  }
  EXPECT_EQ(seen.size(), 27u);
}

// A Variable Byte Integer property takes 1-4 bytes as its value needs.
TEST(property, subscription_identifier_widths) {
  const std::pair<std::uint32_t, std::string_view> rows[] = {
      {1, "\x0b\x01"sv}, {127, "\x0b\x7f"sv}, {128, "\x0b\x80\x01"sv},
      {16'384, "\x0b\x80\x80\x01"sv}, {2'097'152, "\x0b\x80\x80\x80\x01"sv}};
  for (const auto& [value, bytes] : rows) {
    std::string out;
    mqtt::writer w(out);
    mqtt::write_properties(w, {{property_id::subscription_identifier, value}});
    EXPECT_EQ(out.substr(1), bytes) << value;
  }
}

// Wire order, duplicates of repeatable properties and the lookup helpers.
TEST(property, order_is_kept_and_lookups_take_the_first) {
  //                 PL  user_property b="1"              user_property a="2"              reason_string
  const auto bytes = "\x11\x26\x00\x01" "b" "\x00\x01" "1" "\x26\x00\x01" "a" "\x00\x01" "2" "\x1f\x00\x00"sv;
  mqtt::reader r(bytes, mqtt::protocol_version::v5, mqtt::packet_type::puback);
  mqtt::properties ps;
  ASSERT_TRUE(mqtt::read_properties(r, ps));
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(mqtt::to_string(ps), R"(user_property=("b","1") user_property=("a","2") reason_string="")");
  EXPECT_TRUE(mqtt::check_properties(ps, L::puback).ok());
  EXPECT_EQ(mqtt::find(ps, property_id::user_property), &ps[0]);
  EXPECT_EQ(mqtt::text_of(ps, property_id::user_property), "b");
  EXPECT_EQ(mqtt::text_of(ps, property_id::reason_string), "");
  EXPECT_EQ(mqtt::text_of(ps, property_id::content_type), std::nullopt);
  EXPECT_EQ(mqtt::number_of(ps, property_id::receive_maximum), std::nullopt);
  EXPECT_EQ(mqtt::number_of({{property_id::receive_maximum, 7}}, property_id::receive_maximum), 7u);
  std::string out;
  mqtt::writer w(out);
  mqtt::write_properties(w, ps);
  EXPECT_EQ(out, bytes);
}

TEST(property, empty_list_is_one_zero_byte) {
  std::string out;
  mqtt::writer w(out);
  mqtt::write_properties(w, {});
  EXPECT_EQ(out, "\x00"sv);
  mqtt::reader r(out, mqtt::protocol_version::v5, mqtt::packet_type::connack);
  mqtt::properties ps;
  EXPECT_TRUE(mqtt::read_properties(r, ps));
  EXPECT_TRUE(ps.empty());
  EXPECT_EQ(mqtt::to_string(ps), "");
}

// Table 2-4, written out from the spec rather than from the codec's table.
TEST(property, placement_table) {
  const L acks[] = {L::connack, L::puback, L::pubrec, L::pubrel, L::pubcomp, L::suback, L::unsuback,
                    L::disconnect, L::auth};
  const std::pair<property_id, std::set<L>> rows[] = {
      {property_id::payload_format_indicator, {L::publish, L::will}},
      {property_id::message_expiry_interval, {L::publish, L::will}},
      {property_id::content_type, {L::publish, L::will}},
      {property_id::response_topic, {L::publish, L::will}},
      {property_id::correlation_data, {L::publish, L::will}},
      {property_id::subscription_identifier, {L::publish, L::subscribe}},
      {property_id::session_expiry_interval, {L::connect, L::connack, L::disconnect}},
      {property_id::assigned_client_identifier, {L::connack}},
      {property_id::server_keep_alive, {L::connack}},
      {property_id::authentication_method, {L::connect, L::connack, L::auth}},
      {property_id::authentication_data, {L::connect, L::connack, L::auth}},
      {property_id::request_problem_information, {L::connect}},
      {property_id::will_delay_interval, {L::will}},
      {property_id::request_response_information, {L::connect}},
      {property_id::response_information, {L::connack}},
      {property_id::server_reference, {L::connack, L::disconnect}},
      {property_id::reason_string, std::set<L>(std::begin(acks), std::end(acks))},
      {property_id::receive_maximum, {L::connect, L::connack}},
      {property_id::topic_alias_maximum, {L::connect, L::connack}},
      {property_id::topic_alias, {L::publish}},
      {property_id::maximum_qos, {L::connack}},
      {property_id::retain_available, {L::connack}},
      {property_id::user_property,
       {L::connect, L::connack, L::publish, L::will, L::puback, L::pubrec, L::pubrel, L::pubcomp, L::subscribe,
        L::suback, L::unsubscribe, L::unsuback, L::disconnect, L::auth}},
      {property_id::maximum_packet_size, {L::connect, L::connack}},
      {property_id::wildcard_subscription_available, {L::connack}},
      {property_id::subscription_identifier_available, {L::connack}},
      {property_id::shared_subscription_available, {L::connack}},
  };
  for (const auto& [id, where] : rows) {
    const auto& pi = mqtt::info(id);
    for (unsigned l = 1; l <= 16; ++l) {  // 12 and 13 are PINGREQ and PINGRESP: no properties
      const auto loc = static_cast<L>(l);
      EXPECT_EQ(mqtt::allowed_in(id, loc), where.count(loc) == 1) << pi.name << " in location " << l;
      // Two identical subscription identifiers would trip the duplicate rule in SUBSCRIBE.
      const mqtt::property p{id, pi.min, "", ""};
      const auto s = mqtt::check_properties({p}, loc, 7);
      if (where.count(loc)) {
        EXPECT_TRUE(s.ok()) << pi.name << " in location " << l << ": " << mqtt::to_string(s.error());
      } else {
        ASSERT_FALSE(s.ok()) << pi.name << " in location " << l;
        EXPECT_EQ(s.error().code, reason_code::malformed_packet);
        EXPECT_EQ(s.error().spec_id, "");
        EXPECT_EQ(s.error().offset, 7u);
        EXPECT_NE(s.error().what.find(std::string(pi.name) + " is not allowed in "), std::string::npos);
      }
    }
  }
  const auto s = mqtt::check_properties({{property_id::topic_alias, 1}}, L::will);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().what, "Will Properties: topic_alias is not allowed in Will Properties");
}

// Only the 27 identifiers exist; every other byte is a Malformed Packet.
TEST(property, unknown_identifiers) {
  std::set<std::uint8_t> known;
  for (const auto& row : wire_rows) known.insert(static_cast<std::uint8_t>(row.p.id));
  for (int b = 0; b < 256; ++b) {
    const auto* pi = mqtt::find_property_info(static_cast<std::uint8_t>(b));
    ASSERT_EQ(pi != nullptr, known.count(static_cast<std::uint8_t>(b)) == 1) << b;
    if (pi) {
      EXPECT_EQ(static_cast<int>(pi->id), b);
      continue;
    }
    // A known property first, so the error offset is that of the unknown byte.
    const std::string bytes = "\x04\x24\x01"s + static_cast<char>(b) + '\x00';
    mqtt::reader r(bytes, mqtt::protocol_version::v5, mqtt::packet_type::connack, 20);
    mqtt::properties ps;
    ASSERT_FALSE(mqtt::read_properties(r, ps)) << b;
    EXPECT_EQ(r.error().code, reason_code::malformed_packet);
    EXPECT_EQ(r.error().spec_id, "");
    EXPECT_EQ(r.error().offset, 23u);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", b);
    EXPECT_EQ(r.error().what, "CONNACK: unknown property identifier "s + hex);
  }
}

TEST(property, duplicates) {
  for (const auto& row : wire_rows) {
    const auto& pi = mqtt::info(row.p.id);
    for (unsigned l = 1; l <= 16; ++l) {
      const auto loc = static_cast<L>(l);
      if (!mqtt::allowed_in(row.p.id, loc)) continue;
      const auto s = mqtt::check_properties({row.p, row.p}, loc, 3);
      const bool repeatable = row.p.id == property_id::user_property ||
                              (row.p.id == property_id::subscription_identifier && loc == L::publish);
      if (repeatable) {
        EXPECT_TRUE(s.ok()) << pi.name << " in location " << l;
      } else {
        ASSERT_FALSE(s.ok()) << pi.name << " in location " << l;
        EXPECT_EQ(s.error().code, reason_code::protocol_error);
        EXPECT_EQ(s.error().spec_id, "");
        EXPECT_EQ(s.error().offset, 3u);
        EXPECT_NE(s.error().what.find(std::string(pi.name) + " appears more than once"), std::string::npos);
      }
    }
  }
  // Not only adjacent copies count.
  const auto s = mqtt::check_properties(
      {{property_id::receive_maximum, 1}, {property_id::user_property, 0, "k", "v"}, {property_id::receive_maximum, 2}},
      L::connect);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, reason_code::protocol_error);
}

// The values chapter 3 calls a Protocol Error.
TEST(property, value_ranges) {
  struct row {
    property_id id;
    L where;
    std::uint32_t number;
    bool ok;
    std::string_view spec_id;
  };
  const row rows[] = {
      {property_id::payload_format_indicator, L::publish, 1, true, ""},
      {property_id::payload_format_indicator, L::will, 2, false, ""},
      {property_id::payload_format_indicator, L::publish, 0xff, false, ""},
      {property_id::request_problem_information, L::connect, 1, true, ""},
      {property_id::request_problem_information, L::connect, 2, false, ""},
      {property_id::request_response_information, L::connect, 0, true, ""},
      {property_id::request_response_information, L::connect, 2, false, ""},
      {property_id::maximum_qos, L::connack, 1, true, ""},
      {property_id::maximum_qos, L::connack, 2, false, ""},
      {property_id::retain_available, L::connack, 2, false, ""},
      {property_id::wildcard_subscription_available, L::connack, 2, false, ""},
      {property_id::subscription_identifier_available, L::connack, 2, false, ""},
      {property_id::shared_subscription_available, L::connack, 2, false, ""},
      {property_id::receive_maximum, L::connect, 0, false, ""},
      {property_id::receive_maximum, L::connack, 65535, true, ""},
      {property_id::topic_alias, L::publish, 0, false, "MQTT-3.3.2-8"},
      {property_id::topic_alias, L::publish, 65535, true, ""},
      {property_id::maximum_packet_size, L::connect, 0, false, ""},
      {property_id::maximum_packet_size, L::connack, 0xffffffff, true, ""},
      {property_id::subscription_identifier, L::subscribe, 0, false, ""},
      {property_id::subscription_identifier, L::publish, 0, false, ""},
      {property_id::subscription_identifier, L::publish, 268'435'455, true, ""},
      // No range is defined for these: every value the wire can carry is accepted.
      {property_id::topic_alias_maximum, L::connack, 0, true, ""},
      {property_id::server_keep_alive, L::connack, 0, true, ""},
      {property_id::session_expiry_interval, L::disconnect, 0, true, ""},
      {property_id::message_expiry_interval, L::publish, 0, true, ""},
      {property_id::will_delay_interval, L::will, 0xffffffff, true, ""},
  };
  for (const auto& r : rows) {
    const auto s = mqtt::check_properties({{r.id, r.number}}, r.where, 5);
    const std::string label = std::string(mqtt::info(r.id).name) + "=" + std::to_string(r.number);
    ASSERT_EQ(s.ok(), r.ok) << label;
    if (r.ok) continue;
    EXPECT_EQ(s.error().code, reason_code::protocol_error) << label;
    EXPECT_EQ(s.error().spec_id, r.spec_id) << label;
    EXPECT_EQ(s.error().offset, 5u) << label;
    EXPECT_NE(s.error().what.find(label.substr(0, label.find('=')) + " is " + std::to_string(r.number) + ", outside"),
              std::string::npos)
        << s.error().what;
  }
}

// Structural errors inside a list: all Malformed Packets.
TEST(property, structural_errors) {
  struct row {
    std::string_view name;
    std::string_view bytes;
    std::string_view spec_id;
    std::size_t offset;  // within the bytes, which start at offset 10 of the packet
  };
  const row rows[] = {
      //                                   PL  properties
      {"length over the packet", "\x05\x01\x01"sv, "", 11},
      {"length cut short", "\x80"sv, "", 10},
      {"length not minimal", "\x81\x00\x01\x01"sv, "MQTT-1.5.5-1", 10},
      {"length of five bytes", "\x80\x80\x80\x80\x01"sv, "", 10},
      {"four-byte value cut", "\x03\x02\x00\x00"sv, "", 12},
      {"two-byte value cut", "\x02\x21\x00"sv, "", 12},
      {"byte value missing", "\x01\x01"sv, "", 12},
      {"string length over the list", "\x04\x03\x00\x05\x61"sv, "", 14},
      {"binary cut", "\x03\x09\x00\x02"sv, "", 14},
      {"varint cut", "\x02\x0b\x80"sv, "", 12},
      {"varint not minimal", "\x03\x0b\x80\x00"sv, "MQTT-1.5.5-1", 12},
      {"user property value missing", "\x04\x26\x00\x01\x6b"sv, "", 15},
      {"string not UTF-8", "\x04\x1f\x00\x01\xff"sv, "MQTT-1.5.4-1", 14},
      {"string with U+0000", "\x04\x03\x00\x01\x00"sv, "MQTT-1.5.4-2", 14},
      {"user property name surrogate", "\x08\x26\x00\x03\xed\xa0\x80\x00\x00"sv, "MQTT-1.5.4-1", 14},
      {"user property value overlong", "\x07\x26\x00\x00\x00\x02\xc0\x80"sv, "MQTT-1.5.4-1", 16},
  };
  for (const auto& r : rows) {
    mqtt::reader rd(r.bytes, mqtt::protocol_version::v5, mqtt::packet_type::publish, 10);
    mqtt::properties ps;
    ASSERT_FALSE(mqtt::read_properties(rd, ps)) << r.name;
    EXPECT_EQ(rd.error().code, reason_code::malformed_packet) << r.name;
    EXPECT_EQ(rd.error().spec_id, r.spec_id) << r.name;
    EXPECT_EQ(rd.error().offset, r.offset) << r.name;
    EXPECT_EQ(rd.error().what.rfind("PUBLISH: ", 0), 0u) << rd.error().what;
  }
}

}  // namespace

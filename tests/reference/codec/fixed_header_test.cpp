// The fixed header (3.1.1 section 2.2, 5.0 section 2.1): the type/flags table for every
// packet type in both versions, reserved types, and every Remaining Length form.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "reference/codec/fixed_header.hpp"

namespace {

using namespace std::literals;
using mqtt::packet_type;
using mqtt::protocol_version;

struct type_row {
  packet_type type;
  std::uint8_t flags;              // the only value allowed
  std::string_view id_v311, id_v5;  // cited when the flags differ
};

// Table 2.2 of 3.1.1 and Table 2-2 of 5.0, with the statement each packet's section adds.
constexpr type_row rows[] = {
    {packet_type::connect, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::connack, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::puback, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::pubrec, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::pubrel, 0x2, "MQTT-3.6.1-1", "MQTT-3.6.1-1"},
    {packet_type::pubcomp, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::subscribe, 0x2, "MQTT-3.8.1-1", "MQTT-3.8.1-1"},
    {packet_type::suback, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::unsubscribe, 0x2, "MQTT-3.10.1-1", "MQTT-3.10.1-1"},
    {packet_type::unsuback, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::pingreq, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::pingresp, 0x0, "MQTT-2.2.2-2", "MQTT-2.1.3-1"},
    {packet_type::disconnect, 0x0, "MQTT-3.14.1-1", "MQTT-3.14.1-1"},
    {packet_type::auth, 0x0, "", "MQTT-3.15.1-1"},  // 5.0 only
};

mqtt::fixed_header header(std::uint8_t first) { return mqtt::fixed_header{first, 0, 2}; }

TEST(fixed_header, reserved_flags_of_every_type) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    for (const auto& row : rows) {
      if (row.type == packet_type::auth && v == protocol_version::v311) continue;
      for (unsigned f = 0; f < 16; ++f) {
        const auto first = static_cast<std::uint8_t>(static_cast<unsigned>(row.type) << 4 | f);
        SCOPED_TRACE(std::string(mqtt::to_string(v)) + " first byte " + mqtt::to_hex(std::string(1, char(first))));
        const auto s = mqtt::check_type_and_flags(header(first), v);
        if (f == row.flags) {
          EXPECT_TRUE(s) << mqtt::to_string(s.error());
          continue;
        }
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().code, mqtt::reason_code::malformed_packet);
        EXPECT_EQ(s.error().spec_id, v == protocol_version::v5 ? row.id_v5 : row.id_v311);
        EXPECT_EQ(s.error().offset, 0u);
      }
    }
  }
}

TEST(fixed_header, publish_flags_are_left_to_publish) {
  // DUP, QoS and RETAIN are fields of PUBLISH; QoS 3 is refused by its parser.
  for (auto v : {protocol_version::v311, protocol_version::v5})
    for (unsigned f = 0; f < 16; ++f) EXPECT_TRUE(mqtt::check_type_and_flags(header(std::uint8_t(0x30 | f)), v));
}

TEST(fixed_header, flag_error_text_shows_both_bit_patterns) {
  const auto s = mqtt::check_type_and_flags(header(0x80), protocol_version::v311);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().what, "reserved flags of SUBSCRIBE must be 0010, not 0000");
}

TEST(fixed_header, type_0_is_reserved_in_both_versions) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    const auto s = mqtt::check_type_and_flags(header(0x00), v);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, mqtt::reason_code::malformed_packet);
    EXPECT_EQ(s.error().spec_id, "");  // no numbered statement covers packet types
    EXPECT_EQ(s.error().what, "packet type 0 is reserved in MQTT " + std::string(mqtt::to_string(v)));
  }
}

TEST(fixed_header, auth_is_reserved_in_v311) {
  const auto s = mqtt::check_type_and_flags(header(0xf0), protocol_version::v311);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, mqtt::reason_code::malformed_packet);
  EXPECT_EQ(s.error().spec_id, "");
  EXPECT_EQ(s.error().what, "packet type 15 is reserved in MQTT 3.1.1");
  EXPECT_TRUE(mqtt::check_type_and_flags(header(0xf0), protocol_version::v5));
}

struct length_row {
  std::string_view bytes;  // first byte and remaining length
  std::uint32_t remaining_length;
};

// The smallest and largest value of each width (3.1.1 Table 2.4, 5.0 section 1.5.5).
constexpr length_row lengths[] = {
    {"\x30\x00"sv, 0},
    {"\x30\x7f"sv, 127},
    {"\x30\x80\x01"sv, 128},
    {"\x30\xff\x7f"sv, 16'383},
    {"\x30\x80\x80\x01"sv, 16'384},
    {"\x30\xff\xff\x7f"sv, 2'097'151},
    {"\x30\x80\x80\x80\x01"sv, 2'097'152},
    {"\x30\xff\xff\xff\x7f"sv, 268'435'455},
};

TEST(fixed_header, remaining_length_forms) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    for (const auto& row : lengths) {
      SCOPED_TRACE(mqtt::to_hex(row.bytes));
      const auto r = mqtt::read_fixed_header(row.bytes, v);
      ASSERT_TRUE(r) << mqtt::to_string(r.error());
      ASSERT_TRUE(r->has_value());
      const auto& h = **r;
      EXPECT_EQ(h.type(), packet_type::publish);
      EXPECT_EQ(h.flags(), 0);
      EXPECT_EQ(h.remaining_length, row.remaining_length);
      EXPECT_EQ(h.size, row.bytes.size());
      EXPECT_EQ(h.packet_size(), row.bytes.size() + row.remaining_length);
    }
  }
}

TEST(fixed_header, only_the_header_is_needed) {
  //                                      CP  RL  (body not yet received)
  const auto r = mqtt::read_fixed_header("\x3d\x05"sv, protocol_version::v5);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->first, 0x3d);
  EXPECT_EQ((*r)->flags(), 0xd);
  EXPECT_EQ((*r)->remaining_length, 5u);
  EXPECT_EQ((*r)->packet_size(), 7u);
}

TEST(fixed_header, incomplete_input_asks_for_more) {
  for (auto in : {""sv, "\x30"sv, "\x30\x80"sv, "\x30\xff\xff"sv, "\x30\xff\xff\xff"sv}) {
    const auto r = mqtt::read_fixed_header(in, protocol_version::v5);
    ASSERT_TRUE(r) << mqtt::to_hex(in);
    EXPECT_FALSE(r->has_value()) << mqtt::to_hex(in);
  }
}

TEST(fixed_header, five_byte_remaining_length) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    //                                      CP  RL (5 bytes)
    const auto r = mqtt::read_fixed_header("\x30\xff\xff\xff\xff\x01"sv, v);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mqtt::reason_code::malformed_packet);
    EXPECT_EQ(r.error().spec_id, "");  // the 4-byte limit is not a numbered statement
    EXPECT_EQ(r.error().offset, 1u);
  }
}

TEST(fixed_header, non_minimal_remaining_length) {
  // 0 in two bytes, 127 in three: MQTT-1.5.5-1 in 5.0; 3.1.1 states no rule but the
  //               codec still refuses the ambiguity.
  for (auto in : {"\xc0\x80\x00"sv, "\x30\xff\x80\x00"sv}) {
    const auto v5 = mqtt::read_fixed_header(in, protocol_version::v5);
    ASSERT_FALSE(v5) << mqtt::to_hex(in);
    EXPECT_EQ(v5.error().code, mqtt::reason_code::malformed_packet);
    EXPECT_EQ(v5.error().spec_id, "MQTT-1.5.5-1");
    EXPECT_EQ(v5.error().offset, 1u);
    const auto v311 = mqtt::read_fixed_header(in, protocol_version::v311);
    ASSERT_FALSE(v311) << mqtt::to_hex(in);
    EXPECT_EQ(v311.error().code, mqtt::reason_code::malformed_packet);
    EXPECT_EQ(v311.error().spec_id, "");
  }
}

}  // namespace

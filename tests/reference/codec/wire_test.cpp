// The data types of section 1.5 (Variable Byte Integer, UTF-8 strings, integers,
// binary data), the hex parser scenario authors use, and the raw builder that forges.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "reference/codec/hex.hpp"
#include "reference/codec/raw.hpp"
#include "reference/codec/utf8.hpp"
#include "reference/codec/varint.hpp"
#include "reference/codec/wire.hpp"

namespace {

using namespace std::literals;
using mqtt::protocol_version;
using mqtt::reason_code;
using mqtt::utf8_status;
using mqtt::varint_status;

// Each boundary of 5.0 Table 1-1 / 3.1.1 Table 2.4, from both sides.
TEST(varint, boundaries) {
  const std::pair<std::uint32_t, std::string_view> rows[] = {
      {0, "\x00"sv},
      {127, "\x7f"sv},
      {128, "\x80\x01"sv},
      {16'383, "\xff\x7f"sv},
      {16'384, "\x80\x80\x01"sv},
      {2'097'151, "\xff\xff\x7f"sv},
      {2'097'152, "\x80\x80\x80\x01"sv},
      {268'435'455, "\xff\xff\xff\x7f"sv},
  };
  for (const auto& [value, bytes] : rows) {
    std::string out(2, '\xa5');  // appends
    mqtt::put_varint(out, value);
    EXPECT_EQ(out, "\xa5\xa5"s + std::string(bytes)) << value;
    EXPECT_EQ(mqtt::varint_size(value), bytes.size()) << value;
    mqtt::writer counter;
    counter.varint(value);
    EXPECT_EQ(counter.size(), bytes.size()) << value;
    // Bytes after the integer are not part of it.
    const auto r = mqtt::get_varint(std::string(bytes) + "\x05");
    EXPECT_EQ(r.status, varint_status::ok) << value;
    EXPECT_EQ(r.value, value);
    EXPECT_EQ(r.size, bytes.size());
  }
  EXPECT_EQ(mqtt::varint_max, 268'435'455u);
}

TEST(varint, rejected_encodings) {
  const std::pair<std::string_view, varint_status> rows[] = {
      {""sv, varint_status::incomplete},
      {"\x80"sv, varint_status::incomplete},
      {"\xff\xff"sv, varint_status::incomplete},
      {"\xff\xff\xff"sv, varint_status::incomplete},
      {"\x80\x00"sv, varint_status::non_minimal},           // 0 in two bytes
      {"\xff\x00"sv, varint_status::non_minimal},           // 127 in two bytes
      {"\x80\x80\x00"sv, varint_status::non_minimal},       // 0 in three bytes
      {"\xff\xff\x00"sv, varint_status::non_minimal},       // 16,383 in three bytes
      {"\x80\x80\x80\x00"sv, varint_status::non_minimal},   // 0 in four bytes
      {"\xff\xff\xff\x00"sv, varint_status::non_minimal},   // 2,097,151 in four bytes
      {"\x80\x80\x80\x80\x01"sv, varint_status::too_long},  // 268,435,456
      {"\xff\xff\xff\xff\x7f"sv, varint_status::too_long},
      {"\xff\xff\xff\xff"sv, varint_status::too_long},      // a fourth continuation bit is already wrong
  };
  for (const auto& [bytes, status] : rows)
    EXPECT_EQ(mqtt::get_varint(bytes).status, status) << mqtt::to_hex(bytes);
}

// Padding forges the non-minimal encodings MQTT-1.5.5-1 forbids.
TEST(varint, padded_forging) {
  struct row {
    std::uint32_t value;
    std::size_t width;
    std::string_view bytes;
    varint_status status;
  };
  const row rows[] = {
      {0, 1, "\x00"sv, varint_status::ok},
      {200, 2, "\xc8\x01"sv, varint_status::ok},  // its natural width: minimal
      {0, 2, "\x80\x00"sv, varint_status::non_minimal},
      {127, 2, "\xff\x00"sv, varint_status::non_minimal},
      {128, 3, "\x80\x81\x00"sv, varint_status::non_minimal},
      {5, 4, "\x85\x80\x80\x00"sv, varint_status::non_minimal},
      {16'384, 4, "\x80\x80\x81\x00"sv, varint_status::non_minimal},
      {16'384, 2, "\x80\x00"sv, varint_status::non_minimal},  // too wide for 2 bytes: truncated
  };
  for (const auto& r : rows) {
    std::string out;
    mqtt::put_varint_padded(out, r.value, r.width);
    EXPECT_EQ(out, r.bytes) << r.value << " in " << r.width;
    const auto back = mqtt::get_varint(out);
    EXPECT_EQ(back.status, r.status) << r.value << " in " << r.width;
    EXPECT_EQ(back.size, r.width);
  }
}

// The reader cites MQTT-1.5.5-1 only in 5.0; 3.1.1 numbers no such rule.
TEST(varint, reader_errors) {
  struct row {
    std::string_view bytes;
    protocol_version v;
    std::string_view spec_id;
    std::string_view what;
  };
  const row rows[] = {
      {"\x80\x00"sv, protocol_version::v5, "MQTT-1.5.5-1", "PUBLISH: x does not use the minimum number of bytes"},
      {"\x80\x00"sv, protocol_version::v311, "", "PUBLISH: x does not use the minimum number of bytes"},
      {"\x80\x80\x80\x80\x01"sv, protocol_version::v5, "", "PUBLISH: x is a Variable Byte Integer longer than 4 bytes"},
      {"\x80\x80"sv, protocol_version::v5, "", "PUBLISH: x is cut short by the end of the packet"},
  };
  for (const auto& r : rows) {
    mqtt::reader rd(r.bytes, r.v, mqtt::packet_type::publish, 4);
    std::uint32_t out = 99;
    EXPECT_FALSE(rd.varint(out, "x"));
    EXPECT_EQ(out, 99u);
    EXPECT_EQ(rd.error().code, reason_code::malformed_packet);
    EXPECT_EQ(rd.error().spec_id, r.spec_id);
    EXPECT_EQ(rd.error().what, r.what);
    EXPECT_EQ(rd.error().offset, 4u);
  }
}

TEST(reader, integers_are_big_endian_and_bounded) {
  mqtt::reader r("\x01\x02\x03\x04\x05\x06\x07\x08\x09"sv, protocol_version::v5, mqtt::packet_type::connack, 2);
  std::uint8_t a;
  std::uint16_t b;
  std::uint32_t c;
  ASSERT_TRUE(r.u8(a, "a") && r.u16(b, "b") && r.u32(c, "c"));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x04050607u);
  EXPECT_EQ(r.offset(), 9u);
  EXPECT_EQ(r.remaining(), 2u);
  EXPECT_EQ(r.rest(), "\x08\x09"sv);
  EXPECT_FALSE(r.u32(c, "d"));
  EXPECT_EQ(r.error().what, "CONNACK: d needs 4 bytes but 2 remain in the packet");
  EXPECT_EQ(r.error().offset, 9u);
  EXPECT_EQ(r.error().spec_id, "");
  // After a failure every read fails and the first error is kept.
  EXPECT_FALSE(r.u8(a, "e"));
  EXPECT_EQ(r.error().what, "CONNACK: d needs 4 bytes but 2 remain in the packet");
  EXPECT_TRUE(r.failed());
}

TEST(reader, binary_and_take) {
  mqtt::reader r("\x00\x02\xff\x00\x00\x00\x00\x03\x61"sv, protocol_version::v311, mqtt::packet_type::connect);
  std::string_view bin, empty, cut;
  ASSERT_TRUE(r.binary(bin, "b"));
  EXPECT_EQ(bin, "\xff\x00"sv);  // binary data is not UTF-8 checked
  ASSERT_TRUE(r.binary(empty, "e"));
  EXPECT_EQ(empty, "");
  EXPECT_FALSE(r.binary(cut, "password"));
  EXPECT_EQ(r.error().what, "CONNECT: password needs 3 bytes but 1 remain in the packet");
  EXPECT_EQ(r.error().offset, 8u);
}

TEST(writer, counts_and_writes_the_same_bytes) {
  std::string out;
  mqtt::writer w(out), counter;
  for (auto* x : {&w, &counter}) {
    x->u8(0xab);
    x->u16(0x0102);
    x->u32(0x03040506);
    x->varint(200);
    x->prefixed("hi");
    x->raw("\x00"sv);
  }
  EXPECT_EQ(out, "\xab\x01\x02\x03\x04\x05\x06\xc8\x01\x00\x02" "hi" "\x00"sv);
  EXPECT_EQ(w.size(), out.size());
  EXPECT_EQ(counter.size(), out.size());
}

struct utf8_row {
  std::string_view name;
  std::string_view bytes;
  utf8_status status;
  std::size_t offset;
  bool control, non_character;
};

// RFC 3629 well-formedness plus the MQTT rules of 1.5.3 / 1.5.4.
const utf8_row utf8_rows[] = {
    {"empty", ""sv, utf8_status::ok, 0, false, false},
    {"ascii", "a/b"sv, utf8_status::ok, 0, false, false},
    {"two bytes", "\xc3\xa9"sv, utf8_status::ok, 0, false, false},
    {"three bytes", "\xe2\x82\xac"sv, utf8_status::ok, 0, false, false},
    {"four bytes", "\xf0\x9d\x84\x9e"sv, utf8_status::ok, 0, false, false},
    {"U+D7FF below surrogates", "\xed\x9f\xbf"sv, utf8_status::ok, 0, false, false},
    {"U+E000 above surrogates", "\xee\x80\x80"sv, utf8_status::ok, 0, false, false},
    {"U+10FFFF", "\xf4\x8f\xbf\xbf"sv, utf8_status::ok, 0, false, true},
    {"BOM", "\xef\xbb\xbf" "a"sv, utf8_status::ok, 0, false, false},
    {"U+0000", "a\x00"sv, utf8_status::null_char, 1, false, false},
    {"overlong U+0000", "\xc0\x80"sv, utf8_status::ill_formed, 0, false, false},
    {"overlong C1", "\xc1\xbf"sv, utf8_status::ill_formed, 0, false, false},
    {"overlong three bytes", "\xe0\x80\xaf"sv, utf8_status::ill_formed, 0, false, false},
    {"overlong four bytes", "\xf0\x82\x82\xac"sv, utf8_status::ill_formed, 0, false, false},
    {"U+D800", "\xed\xa0\x80"sv, utf8_status::surrogate, 0, false, false},
    {"U+DFFF", "a\xed\xbf\xbf"sv, utf8_status::surrogate, 1, false, false},
    {"U+110000", "\xf4\x90\x80\x80"sv, utf8_status::ill_formed, 0, false, false},
    {"F5 lead", "\xf5\x80\x80\x80"sv, utf8_status::ill_formed, 0, false, false},
    {"five-byte form", "\xf8\x88\x80\x80\x80"sv, utf8_status::ill_formed, 0, false, false},
    {"FE", "\xfe"sv, utf8_status::ill_formed, 0, false, false},
    {"FF", "ab\xff"sv, utf8_status::ill_formed, 2, false, false},
    {"lone continuation", "\x80"sv, utf8_status::ill_formed, 0, false, false},
    {"cut two-byte", "a\xc3"sv, utf8_status::ill_formed, 1, false, false},
    {"cut three-byte", "\xe2\x82"sv, utf8_status::ill_formed, 0, false, false},
    {"bad continuation", "ab\xe2\x28\xa1"sv, utf8_status::ill_formed, 2, false, false},
    {"U+0001", "\x01"sv, utf8_status::ok, 0, true, false},
    {"tab", "a\tb"sv, utf8_status::ok, 0, true, false},
    {"U+001F", "\x1f"sv, utf8_status::ok, 0, true, false},
    {"U+007F", "\x7f"sv, utf8_status::ok, 0, true, false},
    {"U+0080", "\xc2\x80"sv, utf8_status::ok, 0, true, false},
    {"U+009F", "\xc2\x9f"sv, utf8_status::ok, 0, true, false},
    {"U+00A0", "\xc2\xa0"sv, utf8_status::ok, 0, false, false},
    {"U+FDD0", "\xef\xb7\x90"sv, utf8_status::ok, 0, false, true},
    {"U+FFFE", "\xef\xbf\xbe"sv, utf8_status::ok, 0, false, true},
    {"U+FFFF", "\xef\xbf\xbf"sv, utf8_status::ok, 0, false, true},
    {"U+1FFFE", "\xf0\x9f\xbf\xbe"sv, utf8_status::ok, 0, false, true},
    {"control then ill-formed", "\x01\xff"sv, utf8_status::ill_formed, 1, true, false},
};

TEST(utf8, check_rules) {
  for (const auto& r : utf8_rows) {
    const auto c = mqtt::check_utf8(r.bytes);
    EXPECT_EQ(c.status, r.status) << r.name;
    EXPECT_EQ(c.offset, r.offset) << r.name;
    EXPECT_EQ(c.control_chars, r.control) << r.name;
    EXPECT_EQ(c.non_characters, r.non_character) << r.name;
  }
}

// reader::utf8 turns the rules into errors citing each version's own statement.
TEST(utf8, reader_cites_each_version) {
  struct row {
    std::string_view bytes;
    std::string_view v311_id, v5_id;
    std::size_t offset;
  };
  const row rows[] = {
      {"\x00\x02\x61\xff"sv, "MQTT-1.5.3-1", "MQTT-1.5.4-1", 13},
      {"\x00\x03\xed\xa0\x80"sv, "MQTT-1.5.3-1", "MQTT-1.5.4-1", 12},
      {"\x00\x02\x61\x00"sv, "MQTT-1.5.3-2", "MQTT-1.5.4-2", 13},
      {"\x00\x02\xc0\x80"sv, "MQTT-1.5.3-1", "MQTT-1.5.4-1", 12},
  };
  for (const auto& r : rows) {
    for (auto v : {protocol_version::v311, protocol_version::v5}) {
      mqtt::reader rd(r.bytes, v, mqtt::packet_type::subscribe, 10);
      std::string_view out;
      ASSERT_FALSE(rd.utf8(out, "topic filter")) << mqtt::to_hex(r.bytes);
      EXPECT_EQ(rd.error().code, reason_code::malformed_packet);
      EXPECT_EQ(rd.error().spec_id, v == protocol_version::v5 ? r.v5_id : r.v311_id);
      EXPECT_EQ(rd.error().offset, r.offset);
      EXPECT_EQ(rd.error().what.rfind("SUBSCRIBE: topic filter ", 0), 0u) << rd.error().what;
    }
  }
}

// MQTT-1.5.4-3 / MQTT-1.5.3-3: a BOM is a character, kept; control characters pass.
TEST(utf8, reader_keeps_bom_and_control_characters) {
  mqtt::reader r("\x00\x04\xef\xbb\xbf" "a" "\x00\x01\x01"sv, protocol_version::v5, mqtt::packet_type::publish);
  std::string_view bom, control;
  ASSERT_TRUE(r.utf8(bom, "topic"));
  EXPECT_EQ(bom, "\xef\xbb\xbf" "a"sv);
  ASSERT_TRUE(r.utf8(control, "content type"));
  EXPECT_EQ(control, "\x01"sv);
  EXPECT_TRUE(r.at_end());
}

TEST(hex, parses_what_authors_write) {
  const auto p = mqtt::parse_hex("30 05 | 00 03 61 2F 62\n\tAb,cd\r\n");
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.bytes, "\x30\x05\x00\x03\x61\x2f\x62\xab\xcd"sv);
  EXPECT_EQ(mqtt::to_hex(p.bytes), "30 05 00 03 61 2f 62 ab cd");
  const auto packed = mqtt::parse_hex("e001ff");
  ASSERT_TRUE(packed.ok);
  EXPECT_EQ(packed.bytes, "\xe0\x01\xff"sv);
  const auto empty = mqtt::parse_hex(" | ");
  ASSERT_TRUE(empty.ok);
  EXPECT_EQ(empty.bytes, "");
}

TEST(hex, rejects_with_the_character_offset) {
  const std::tuple<std::string_view, std::size_t, std::string_view> rows[] = {
      {"3", 0, "a byte needs two hex digits"},
      {"30 5", 3, "a byte needs two hex digits"},
      {"3 0", 0, "a byte needs two hex digits"},
      {"30|0 5", 3, "a byte needs two hex digits"},
      {"zz", 0, "'z' is not a hex digit"},
      {"30 0g", 4, "'g' is not a hex digit"},
      {"0x30", 1, "'x' is not a hex digit"},
  };
  for (const auto& [text, at, error] : rows) {
    const auto p = mqtt::parse_hex(text);
    EXPECT_FALSE(p.ok) << text;
    EXPECT_EQ(p.error_at, at) << text;
    EXPECT_EQ(p.error, error) << text;
  }
}

TEST(raw_builder, writes_every_field_as_given) {
  mqtt::raw_builder b;
  b.u8(0xff).u16(0x0102).u32(0x03040506).varint(128).varint(1, 3).str("a").str("bc", 9).bytes("\x00"sv);
  b.props({{mqtt::property_id::topic_alias, 0}, {mqtt::property_id::topic_alias, 0}});  // duplicate, zero
  EXPECT_EQ(b.body(), "\xff"                              // u8
                      "\x01\x02"                          // u16
                      "\x03\x04\x05\x06"                  // u32
                      "\x80\x01"                          // varint 128
                      "\x81\x80\x00"                      // varint 1 padded to 3 bytes
                      "\x00\x01" "a"                      // str
                      "\x00\x09" "bc"                     // str with a forged length
                      "\x00"                              // bytes
                      "\x06\x23\x00\x00\x23\x00\x00"sv);  // properties
  EXPECT_EQ(b.size(), 27u);
}

TEST(raw_builder, finish_with_true_or_forged_length) {
  const auto b = mqtt::raw_builder().u16(1).str("a/#").u8(0x03);  // SUBSCRIBE body, QoS 3
  EXPECT_EQ(b.finish(0x82), "\x82\x08\x00\x01\x00\x03" "a/#" "\x03"sv);
  EXPECT_EQ(b.finish(0x82, 9), "\x82\x09\x00\x01\x00\x03" "a/#" "\x03"sv);
  EXPECT_EQ(b.finish(0x82, 8, 2), "\x82\x88\x00\x00\x01\x00\x03" "a/#" "\x03"sv);

  // The forgeries decode to the errors they were built for.
  auto wrong_length = mqtt::decode(b.finish(0x82, 9), protocol_version::v5);
  ASSERT_FALSE(wrong_length.ok());
  EXPECT_EQ(wrong_length.error().code, reason_code::malformed_packet);
  EXPECT_EQ(wrong_length.error().spec_id, "");
  auto padded = mqtt::decode(b.finish(0x82, 8, 2), protocol_version::v5);
  ASSERT_FALSE(padded.ok());
  EXPECT_EQ(padded.error().code, reason_code::malformed_packet);
  EXPECT_EQ(padded.error().spec_id, "MQTT-1.5.5-1");
  EXPECT_EQ(padded.error().offset, 1u);
  // A CONNACK with reserved acknowledge flags set.
  auto flags = mqtt::decode(mqtt::raw_builder().u8(0x02).u8(0).props({}).finish(0x20), protocol_version::v5);
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.error().spec_id, "MQTT-3.2.2-1");
}

}  // namespace

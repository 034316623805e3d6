// The stream decoder's limits and errors: the maximum packet size enforced from the
// fixed header alone, sticky errors and offsets counted from the stream's start, in
// both the copying (feed/next) and the in-place (next_frame) paths.
#include <gtest/gtest.h>

#include "reference/codec/stream_decoder.hpp"

namespace {

using namespace std::literals;
using mqtt::protocol_version;

// A PUBLISH header announcing 1,000,000 bytes of body.
//                            CP  RL
constexpr auto huge_header = "\x30\xc0\x84\x3d"sv;

TEST(stream_decoder, max_packet_size_is_enforced_from_the_fixed_header) {
  mqtt::stream_decoder d(protocol_version::v5, 100);
  d.feed("\xc0\x00"sv);  // PINGREQ
  ASSERT_TRUE(d.next().ok());
  d.feed(huge_header.substr(0, 2));
  auto r = d.next();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());  // the remaining length is not complete yet
  d.feed(huge_header.substr(2));
  r = d.next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, mqtt::reason_code::packet_too_large);
  EXPECT_EQ(r.error().offset, 2u);
  EXPECT_EQ(r.error().what, "PUBLISH of 1000004 bytes exceeds the maximum packet size of 100");
  // The body is never buffered: later bytes are dropped.
  d.feed(std::string(4096, 'z'));
  EXPECT_EQ(d.buffered(), 4u);
  EXPECT_EQ(d.next().error().code, mqtt::reason_code::packet_too_large);
}

TEST(stream_decoder, a_packet_of_exactly_the_maximum_size_is_accepted) {
  const std::string p = mqtt::encode(mqtt::publish{false, mqtt::qos::at_most_once, false, "t", 0, {}, "12345"},
                                     protocol_version::v311);
  ASSERT_EQ(p.size(), 10u);
  mqtt::stream_decoder at_limit(protocol_version::v311, 10);
  at_limit.feed(p);
  EXPECT_TRUE(at_limit.next().ok());
  mqtt::stream_decoder below(protocol_version::v311, 9);
  below.feed(p.substr(0, 2));  // the fixed header alone decides
  EXPECT_EQ(below.next().error().code, mqtt::reason_code::packet_too_large);
}

TEST(stream_decoder, errors_are_sticky_and_offsets_count_from_the_stream_start) {
  mqtt::stream_decoder d(protocol_version::v311);
  //      CP  RL  PID
  d.feed("\x40\x02\x00\x01"sv);  // PUBACK
  //      CP  RL  len     a   bad
  d.feed("\x30\x04\x00\x02\x61\xff"sv);  // PUBLISH with a topic that is not UTF-8
  ASSERT_TRUE(d.next().ok());
  const auto first = d.next();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, mqtt::reason_code::malformed_packet);
  EXPECT_EQ(first.error().spec_id, "MQTT-1.5.3-1");
  EXPECT_EQ(first.error().offset, 4u + 5u);  // the 0xff, byte 5 of the second packet
  d.feed("\xc0\x00"sv);
  for (int i = 0; i < 2; ++i) {
    const auto again = d.next();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().offset, 9u);
    EXPECT_EQ(again.error().what, first.error().what);
    EXPECT_EQ(d.next_frame().error().offset, 9u);
  }
}

TEST(stream_decoder, fixed_header_errors_carry_the_stream_offset) {
  mqtt::stream_decoder d(protocol_version::v5);
  //      CP  RL
  d.feed("\xe0\x00"sv);  // DISCONNECT
  //      CP  RL
  d.feed("\x30\x80\x00"sv);  // PUBLISH with a remaining length of 0 in two bytes
  ASSERT_TRUE(d.next().ok());
  const auto r = d.next_frame();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().spec_id, "MQTT-1.5.5-1");
  EXPECT_EQ(r.error().offset, 3u);
  EXPECT_EQ(d.offset(), 2u);
}

TEST(stream_decoder, in_place_errors_are_sticky_and_carry_the_stream_offset) {
  mqtt::stream_decoder d(protocol_version::v5, 100);
  //                      CP  RL  CP
  mqtt::bytes_view in = "\xc0\x00\x30"sv;  // PINGREQ, then the start of a PUBLISH
  ASSERT_TRUE(d.next_frame(in)->has_value());
  EXPECT_FALSE(d.next_frame(in)->has_value());
  d.feed(in);
  in = huge_header.substr(1);  // its remaining length: 1,000,000
  auto r = d.next_frame(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, mqtt::reason_code::packet_too_large);
  EXPECT_EQ(r.error().offset, 2u);
  mqtt::bytes_view more = "\xc0\x00"sv;
  EXPECT_EQ(d.next_frame(more).error().offset, 2u);
}

}  // namespace

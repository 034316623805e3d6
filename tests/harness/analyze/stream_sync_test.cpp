#include "harness/exchange/stream_sync.hpp"

#include <gtest/gtest.h>

#include "reference/codec/hex.hpp"

namespace mqttspec::exchange {
namespace {

std::string bytes(const char* hex) { return mqtt::parse_hex(hex).bytes; }

TEST(find_boundary, skips_the_tail_of_a_packet) {
  auto b = find_boundary(bytes("6c 6c 6f | 32 0c 00 03 61 2f 62 00 03 68 65 6c 6c 6f | c0 00"), mqtt::protocol_version::v311);
  EXPECT_EQ(b.what, boundary::kind::found);
  EXPECT_EQ(b.offset, 3u);
}

TEST(find_boundary, waits_for_a_packet_cut_by_the_end) {
  auto b = find_boundary(bytes("00 00 | 32 0c 00 03 61"), mqtt::protocol_version::v311);
  EXPECT_EQ(b.what, boundary::kind::need_more);
  EXPECT_EQ(b.offset, 2u);
}

TEST(find_boundary, a_length_that_runs_past_the_stream_is_not_a_boundary) {
  // 0x30 0x7f promises 127 bytes; what follows it is a whole PINGRESP.
  auto data = bytes("30 7f") + std::string(200, '\xff') + bytes("d0 00");
  auto b = find_boundary(data, std::nullopt);
  EXPECT_EQ(b.what, boundary::kind::found);
  EXPECT_EQ(b.offset, 202u);
}

TEST(guess_version, a_311_publish_does_not_decode_as_5) {
  std::size_t decisive = 0;
  auto v = guess_version("", bytes("32 0c 00 03 61 2f 62 00 03 68 65 6c 6c 6f"), &decisive);
  EXPECT_EQ(v, mqtt::protocol_version::v311);
  EXPECT_EQ(decisive, 1u);
}

TEST(guess_version, a_5_puback_with_a_reason_code_is_not_311) {
  EXPECT_EQ(guess_version(bytes("40 03 00 01 10"), ""), mqtt::protocol_version::v5);
}

TEST(guess_version, publishes_with_empty_5_properties_lean_to_5) {
  // 5.0 PUBLISH QoS 0 "a" with no properties: read as 3.1.1, its payload starts with 00.
  const auto p = bytes("30 05 00 01 61 00 78");
  std::size_t decisive = 0;
  EXPECT_EQ(guess_version("", p + p, &decisive), std::nullopt);  // two are not enough
  EXPECT_EQ(guess_version("", p + p + p, &decisive), mqtt::protocol_version::v5);
  EXPECT_EQ(decisive, 1u);
}

TEST(guess_version, a_publish_with_5_properties_is_5) {
  // PUBLISH QoS 0 "a", properties: user property ("u", "C"), payload "x".
  EXPECT_EQ(guess_version("", bytes("30 0c 00 01 61 | 07 26 00 01 75 00 01 43 | 78")), mqtt::protocol_version::v5);
}

TEST(guess_version, pings_do_not_tell) {
  std::size_t decisive = 9;
  EXPECT_EQ(guess_version(bytes("c0 00"), bytes("d0 00"), &decisive), std::nullopt);
  EXPECT_EQ(decisive, 0u);
}

}  // namespace
}  // namespace mqttspec::exchange

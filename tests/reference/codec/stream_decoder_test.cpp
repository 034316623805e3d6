// The stream decoder gives the same packets however the bytes are cut: at every byte
// boundary, in seeded random chunks, one byte at a time, copied or in place. Also the
// version a CONNECT names. Limits and errors: stream_decoder_errors_test.cpp.
#include <gtest/gtest.h>

#include <random>

#include "reference/codec/stream_decoder.hpp"

namespace {

using namespace std::literals;
using mqtt::protocol_version;

// One stream of every packet type of a version, with the packets it must decode to.
struct stream_case {
  protocol_version start;  // the decoder's version before the CONNECT
  std::vector<mqtt::packet> packets;
  std::vector<protocol_version> versions;  // each packet's version
  std::vector<std::size_t> offsets;        // each packet's first byte
  std::string bytes;

  void add(mqtt::packet p, protocol_version v) {
    offsets.push_back(bytes.size());
    mqtt::encode(p, v, bytes);
    packets.push_back(std::move(p));
    versions.push_back(v);
  }
};

// Payloads outlive the packets that view them.
const std::string big_311(17'000, 'x');  // remaining length 17,015: three bytes
const std::string big_5(20'000, 'y');
const std::string medium(200, 'm');  // remaining length in two bytes

mqtt::properties user(std::string_view k, std::string_view v) {
  return {{mqtt::property_id::user_property, 0, k, v}};
}

const stream_case& v311_stream() {
  static const stream_case s = [] {
    constexpr auto v = protocol_version::v311;
    stream_case c{protocol_version::v5, {}, {}, {}, {}};
    mqtt::connect con{v, false, 30, {}, "client-1", mqtt::will_message{"will/t", "bye", mqtt::qos::at_least_once, true, {}},
                      "user"sv, "pw"sv};
    c.add(con, v);
    c.add(mqtt::connack{true, mqtt::reason_code::success, {}}, v);
    c.add(mqtt::publish{false, mqtt::qos::at_most_once, false, "a/b", 0, {}, "hi"}, v);
    c.add(mqtt::publish{true, mqtt::qos::at_least_once, true, "big/payload", 7, {}, big_311}, v);
    c.add(mqtt::publish{false, mqtt::qos::exactly_once, false, "m", 8, {}, medium}, v);
    c.add(mqtt::puback{7, {}, {}}, v);
    c.add(mqtt::pubrec{8, {}, {}}, v);
    c.add(mqtt::pubrel{8, {}, {}}, v);
    c.add(mqtt::pubcomp{8, {}, {}}, v);
    c.add(mqtt::subscribe{9, {}, {{"s/+", mqtt::qos::exactly_once}, {"t/#", mqtt::qos::at_most_once}}}, v);
    c.add(mqtt::suback{9, {}, {mqtt::reason_code::granted_qos_2, mqtt::reason_code::unspecified_error}}, v);
    c.add(mqtt::unsubscribe{10, {}, {"s/+", "t/#"}}, v);
    c.add(mqtt::unsuback{10, {}, {}}, v);
    c.add(mqtt::pingreq{}, v);
    c.add(mqtt::pingresp{}, v);
    c.add(mqtt::disconnect{}, v);
    return c;
  }();
  return s;
}

const stream_case& v5_stream() {
  static const stream_case s = [] {
    constexpr auto v = protocol_version::v5;
    using mqtt::property_id;
    stream_case c{protocol_version::v311, {}, {}, {}, {}};
    mqtt::connect con{v, true, 10, {{property_id::session_expiry_interval, 3600, {}, {}}}, "client-5",
                      mqtt::will_message{"will/5", "gone", mqtt::qos::exactly_once, false,
                                         {{property_id::will_delay_interval, 5, {}, {}}}},
                      std::nullopt, "secret"sv};
    c.add(con, v);
    c.add(mqtt::connack{false, mqtt::reason_code::success, {{property_id::receive_maximum, 20, {}, {}}}}, v);
    c.add(mqtt::publish{false, mqtt::qos::at_most_once, false, "a/b", 0, {}, ""}, v);
    c.add(mqtt::publish{false, mqtt::qos::at_least_once, true, "big/5", 11,
                        {{property_id::content_type, 0, "text/plain", {}}, {property_id::topic_alias, 3, {}, {}}},
                        big_5},
          v);
    c.add(mqtt::publish{false, mqtt::qos::exactly_once, false, "m", 12, user("k", "v"), medium}, v);
    c.add(mqtt::puback{11, mqtt::reason_code::no_matching_subscribers, {}}, v);
    c.add(mqtt::pubrec{12, mqtt::reason_code::success, {{property_id::reason_string, 0, "ok", {}}}}, v);
    c.add(mqtt::pubrel{12, mqtt::reason_code::success, {}}, v);
    c.add(mqtt::pubcomp{12, mqtt::reason_code::packet_identifier_not_found, {}}, v);
    c.add(mqtt::subscribe{13, {{property_id::subscription_identifier, 300, {}, {}}},
                          {{"s/+", mqtt::qos::at_least_once, true, true, 2}, {"t", mqtt::qos::at_most_once}}},
          v);
    c.add(mqtt::suback{13, {}, {mqtt::reason_code::granted_qos_1, mqtt::reason_code::not_authorized}}, v);
    c.add(mqtt::unsubscribe{14, user("a", "b"), {"s/+"}}, v);
    c.add(mqtt::unsuback{14, {}, {mqtt::reason_code::no_subscription_existed}}, v);
    c.add(mqtt::pingreq{}, v);
    c.add(mqtt::pingresp{}, v);
    c.add(mqtt::auth{mqtt::reason_code::continue_authentication, {{property_id::authentication_method, 0, "x", {}}}},
          v);
    c.add(mqtt::disconnect{mqtt::reason_code::disconnect_with_will_message, {}}, v);
    return c;
  }();
  return s;
}

// Drains the decoder and checks each packet against the next expected one. Returns
// the first difference, or "" when every packet so far matched.
std::string drain(mqtt::stream_decoder& d, const stream_case& s, std::size_t& n) {
  for (;;) {
    const auto at = d.offset();
    auto r = d.next();
    if (!r) return "error " + mqtt::to_string(r.error());
    if (!*r) return "";
    if (n >= s.packets.size()) return "packet after the last one";
    if (at != s.offsets[n]) return "packet " + std::to_string(n) + " at offset " + std::to_string(at);
    if (**r != s.packets[n])
      return "packet " + std::to_string(n) + " is " + mqtt::to_string(**r, s.versions[n]) + ", not " +
             mqtt::to_string(s.packets[n], s.versions[n]);
    if (d.version() != s.versions[n]) return "version after packet " + std::to_string(n);
    ++n;
  }
}

// Feeds the stream cut at `cuts` (increasing offsets) and checks what comes out.
std::string run(const stream_case& s, const std::vector<std::size_t>& cuts) {
  mqtt::stream_decoder d(s.start);
  std::size_t n = 0, from = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : s.bytes.size();
    d.feed(std::string_view(s.bytes).substr(from, to - from));
    from = to;
    if (auto diff = drain(d, s, n); !diff.empty()) return diff;
  }
  if (n != s.packets.size()) return std::to_string(n) + " packets decoded";
  if (d.buffered() != 0 || d.offset() != s.bytes.size()) return "bytes left over";
  return "";
}

// The same through next_frame(in): each chunk is read in place and gone after its
// round; what is left of it (a partial packet) is fed. Checks the frames' bytes, and
// that a packet lying whole in a chunk is a view of that chunk, not a copy.
std::string run_in_place(const stream_case& s, const std::vector<std::size_t>& cuts) {
  mqtt::stream_decoder d(s.start);
  std::size_t n = 0, from = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : s.bytes.size();
    const std::string chunk = s.bytes.substr(from, to - from);
    mqtt::bytes_view in = chunk;
    for (;;) {
      const auto at = d.offset();
      const bool whole_in_chunk = d.buffered() == 0;
      auto f = d.next_frame(in);
      if (!f) return "error " + mqtt::to_string(f.error());
      if (!*f) break;
      if (n >= s.packets.size()) return "packet after the last one";
      if (at != s.offsets[n]) return "packet " + std::to_string(n) + " at offset " + std::to_string(at);
      const std::size_t end = n + 1 < s.offsets.size() ? s.offsets[n + 1] : s.bytes.size();
      if (**f != std::string_view(s.bytes).substr(at, end - at)) return "packet " + std::to_string(n) + " bytes";
      if (whole_in_chunk && ((*f)->data() < chunk.data() || (*f)->data() >= chunk.data() + chunk.size()))
        return "packet " + std::to_string(n) + " was copied";
      if (d.version() != s.start) return "next_frame changed the version";
      ++n;
    }
    d.feed(in);
    from = to;
  }
  if (n != s.packets.size()) return std::to_string(n) + " packets decoded";
  if (d.buffered() != 0 || d.offset() != s.bytes.size()) return "bytes left over";
  return "";
}

class stream_split : public testing::TestWithParam<const stream_case* (*)()> {};

TEST_P(stream_split, whole_stream_at_once) {
  const auto& s = *GetParam()();
  EXPECT_EQ(run(s, {}), "");
}

TEST_P(stream_split, two_parts_at_every_byte_boundary) {
  const auto& s = *GetParam()();
  for (std::size_t k = 0; k <= s.bytes.size(); ++k) ASSERT_EQ(run(s, {k}), "") << "split at byte " << k;
}

TEST_P(stream_split, seeded_random_chunks) {
  const auto& s = *GetParam()();
  std::mt19937 rng(20240611);
  for (int i = 0; i < 300; ++i) {
    // Small chunks cut headers; large ones hold many packets or part of the big one.
    const std::size_t max_chunk = std::array<std::size_t, 4>{8, 200, 5'000, 40'000}[i % 4];
    std::uniform_int_distribution<std::size_t> size(1, max_chunk);
    std::vector<std::size_t> cuts;
    for (std::size_t at = size(rng); at < s.bytes.size(); at += size(rng)) cuts.push_back(at);
    ASSERT_EQ(run(s, cuts), "") << "run " << i << " with " << cuts.size() + 1 << " chunks";
  }
}

TEST_P(stream_split, one_byte_at_a_time) {
  const auto& s = *GetParam()();
  std::vector<std::size_t> cuts(s.bytes.size() - 1);
  for (std::size_t k = 0; k < cuts.size(); ++k) cuts[k] = k + 1;
  EXPECT_EQ(run(s, cuts), "");
}

TEST_P(stream_split, in_place_at_every_byte_boundary) {
  const auto& s = *GetParam()();
  for (std::size_t k = 0; k <= s.bytes.size(); ++k) ASSERT_EQ(run_in_place(s, {k}), "") << "split at byte " << k;
}

TEST_P(stream_split, in_place_in_seeded_random_chunks) {
  const auto& s = *GetParam()();
  std::mt19937 rng(20250601);
  for (int i = 0; i < 300; ++i) {
    const std::size_t max_chunk = std::array<std::size_t, 4>{8, 200, 5'000, 40'000}[i % 4];
    std::uniform_int_distribution<std::size_t> size(1, max_chunk);
    std::vector<std::size_t> cuts;
    for (std::size_t at = size(rng); at < s.bytes.size(); at += size(rng)) cuts.push_back(at);
    ASSERT_EQ(run_in_place(s, cuts), "") << "run " << i << " with " << cuts.size() + 1 << " chunks";
  }
}

TEST_P(stream_split, in_place_one_byte_at_a_time) {
  const auto& s = *GetParam()();
  std::vector<std::size_t> cuts(s.bytes.size() - 1);
  for (std::size_t k = 0; k < cuts.size(); ++k) cuts[k] = k + 1;
  EXPECT_EQ(run_in_place(s, cuts), "");
}

const stream_case* v311() { return &v311_stream(); }
const stream_case* v5() { return &v5_stream(); }
INSTANTIATE_TEST_SUITE_P(versions, stream_split, testing::Values(&v311, &v5),
                         [](const auto& info) { return info.index == 0 ? "v311"s : "v5"s; });

TEST(stream_decoder, streams_are_what_the_tests_claim) {
  const auto& a = v311_stream();
  const auto& b = v5_stream();
  EXPECT_EQ(a.packets.size(), 16u);  // every type but AUTH
  EXPECT_EQ(b.packets.size(), 17u);
  // The big PUBLISH: QoS 1, DUP, RETAIN; remaining length 2+11+2+17000 = 17015 in three bytes.
  //                                          CP  RL
  EXPECT_EQ(a.bytes.substr(a.offsets[3], 4), "\x3b\xf7\x84\x01"sv);
  //                                          CP  RL
  EXPECT_EQ(b.bytes.substr(b.offsets[4], 3), "\x34\xd5\x01"sv);  // 2+1+2+8+200 = 213 in two bytes
  EXPECT_EQ(a.bytes.size(), 17'347u);
  EXPECT_EQ(b.bytes.size(), 20'406u);
}

TEST(stream_decoder, a_connect_switches_the_version) {
  const auto& s = v5_stream();
  mqtt::stream_decoder d(protocol_version::v311);
  d.feed(std::string_view(s.bytes).substr(0, s.offsets[2]));  // CONNECT, then a CONNACK with properties
  ASSERT_TRUE(d.next().ok());
  EXPECT_EQ(d.version(), protocol_version::v5);
  auto r = d.next();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, s.packets[1]);
}

TEST(stream_decoder, a_connect_with_an_unknown_level_fails_without_switching) {
  mqtt::stream_decoder d(protocol_version::v5);
  //      CP  RL  name                    LV  CF  KA      ID
  d.feed("\x10\x0c\x00\x04\x4d\x51\x54\x54\x03\x02\x00\x3c\x00\x00"sv);
  const auto r = d.next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, mqtt::reason_code::unsupported_protocol_version);
  EXPECT_EQ(r.error().offset, 8u);
  EXPECT_EQ(d.version(), protocol_version::v5);
}

TEST(stream_decoder, next_frame_returns_bytes_and_leaves_the_version_alone) {
  const auto& s = v311_stream();
  mqtt::stream_decoder d(protocol_version::v5);
  d.feed(s.bytes);
  for (std::size_t i = 0; i < s.packets.size(); ++i) {
    auto f = d.next_frame();
    ASSERT_TRUE(f.ok()) << "frame " << i;
    ASSERT_TRUE(f->has_value());
    const std::size_t end = i + 1 < s.offsets.size() ? s.offsets[i + 1] : s.bytes.size();
    EXPECT_EQ(**f, std::string_view(s.bytes).substr(s.offsets[i], end - s.offsets[i]));
  }
  EXPECT_FALSE(d.next_frame()->has_value());
  EXPECT_EQ(d.version(), protocol_version::v5);  // only next() decodes the CONNECT
}

TEST(stream_decoder, a_packet_views_the_fed_bytes_until_the_next_feed) {
  mqtt::stream_decoder d(protocol_version::v311);
  d.feed("\x30\x05\x00\x01t"sv);
  d.feed("hi\x30"sv);
  auto r = d.next();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(std::get<mqtt::publish>(**r).payload, "hi");
  EXPECT_EQ(d.buffered(), 1u);
  EXPECT_FALSE(d.next()->has_value());
}

TEST(stream_decoder, in_place_a_split_packet_takes_only_the_bytes_it_needs) {
  mqtt::stream_decoder d(protocol_version::v311);
  //                      CP  RL  len
  mqtt::bytes_view in = "\x30\x04\x00\x01"sv;
  EXPECT_FALSE(d.next_frame(in)->has_value());
  d.feed(in);  // the first 4 bytes of a PUBLISH to "t" with the payload "i"
  const std::string next = "ti\xc0\x00"s;  // its last 2 bytes, then a PINGREQ
  in = next;
  auto f = d.next_frame(in);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ(**f, "\x30\x04\x00\x01ti"sv);
  EXPECT_EQ(in, "\xc0\x00"sv);  // untouched: the PINGREQ is read in place
  f = d.next_frame(in);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->data(), next.data() + 2);
  EXPECT_TRUE(in.empty());
  EXPECT_FALSE(d.next_frame(in)->has_value());
  EXPECT_EQ(d.buffered(), 0u);
  EXPECT_EQ(d.offset(), 8u);
}

}  // namespace

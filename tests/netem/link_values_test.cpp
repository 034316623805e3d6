// The values of --link (and of scenario links, which go through the same parser):
// every key's accepted range, and the errors that name the key and the range.
#include <gtest/gtest.h>

#include "netem/profile.hpp"

namespace netem {
namespace {

std::string error_of(std::string_view text) { return parse_link(text).error; }

struct key_range {
  const char* key;
  const char* lowest;    // accepted
  const char* highest;   // accepted
  const char* below;     // rejected, or "" when nothing is below
  const char* above;     // rejected
  const char* message;   // the error for `above`
};

// Percentages are 0..100, times and counts non-negative, sizes and rates at least 1.
const key_range ranges[] = {
    {"latency_ms", "0", "3600000", "-5", "3600001", "latency: latency_ms: 3600001 is outside 0..3600000"},
    {"jitter_ms", "0", "3600000", "-0.5", "3600001", "latency: jitter_ms: 3600001 is outside 0..3600000"},
    {"jitter_correlation_pct", "0", "100", "-1", "101", "latency: jitter_correlation_pct: 101 is outside 0..100"},
    {"loss_pct", "0", "100", "-1", "200", "loss: loss_pct: 200 is outside 0..100"},
    {"p_pct", "0", "100", "-1", "100.5", "gilbert_elliott: p_pct: 100.5 is outside 0..100"},
    {"r_pct", "0", "100", "-1", "101", "gilbert_elliott: r_pct: 101 is outside 0..100"},
    {"loss_bad_pct", "0", "100", "-1", "101", "gilbert_elliott: loss_bad_pct: 101 is outside 0..100"},
    {"loss_good_pct", "0", "100", "-1", "101", "gilbert_elliott: loss_good_pct: 101 is outside 0..100"},
    {"rate_kbps", "1", "100000000", "0", "100000001", "rate: rate_kbps: 100000001 is outside 1..100000000"},
    {"queue_bytes", "1", "1073741824", "0", "1073741825", "rate: queue_bytes: 1073741825 is outside 1..1073741824"},
    {"slice_bytes", "1", "1048576", "0", "1048577", "slice: slice_bytes: 1048577 is outside 1..1048576"},
    {"slice_random", "0", "1", "-1", "2", "slice: slice_random: 2 is outside 0..1"},
    {"slice_delay_us", "0", "60000000", "-1", "60000001", "slice: slice_delay_us: 60000001 is outside 0..60000000"},
    {"partition_ms", "0", "86400000", "-1", "86400001", "partition: partition_ms: 86400001 is outside 0..86400000"},
    {"stall_ms", "0", "86400000", "-1", "86400001", "stall: stall_ms: 86400001 is outside 0..86400000"},
};

TEST(link_values, every_key_accepts_its_range_and_rejects_outside_it) {
  for (const auto& k : ranges) {
    const std::string key = k.key;
    EXPECT_EQ(error_of(key + "=" + k.lowest), "") << key;
    EXPECT_EQ(error_of(key + "=" + k.highest), "") << key;
    EXPECT_EQ(error_of("up." + key + "=" + k.highest), "") << key;
    EXPECT_EQ(error_of(key + "=" + k.above), k.message);
    EXPECT_EQ(error_of("down." + key + "=" + k.above), k.message);
    const std::string low = error_of(key + "=" + k.below);
    EXPECT_NE(low.find(key + ": " + k.below + " is outside"), std::string::npos) << low;
  }
}

TEST(link_values, every_settable_key_is_covered) {
  for (const auto& t : impairment_types())
    for (auto key : t.keys) {
      if (key == "rto_ms" || key == "jitter_distribution") continue;
      bool covered = false;
      for (const auto& k : ranges) covered |= k.key == key;
      EXPECT_TRUE(covered) << key << " has no range test";
    }
}

TEST(link_values, the_issue_examples_are_errors) {
  EXPECT_EQ(error_of("loss_pct=200"), "loss: loss_pct: 200 is outside 0..100");
  EXPECT_EQ(error_of("latency_ms=-5"), "latency: latency_ms: -5 is outside 0..3600000");
  // A profile's own values are fine; an override is checked like any value.
  EXPECT_EQ(error_of("satellite,loss_pct=101"), "loss: loss_pct: 101 is outside 0..100");
  EXPECT_EQ(error_of("satellite,loss_pct=100"), "");
}

TEST(link_values, non_numbers_are_errors) {
  EXPECT_EQ(error_of("latency_ms=banana"), "latency: latency_ms: 'banana' is not a number");
  EXPECT_EQ(error_of("loss_pct=5%"), "loss: loss_pct: '5%' is not a number");
  EXPECT_EQ(error_of("loss_pct=0x10"), "loss: loss_pct: '0x10' is not a number");
  EXPECT_EQ(error_of("loss_pct=nan"), "loss: loss_pct: 'nan' is not a number");
  EXPECT_EQ(error_of("latency_ms=inf"), "latency: latency_ms: 'inf' is not a number");
  EXPECT_EQ(error_of("latency_ms=1e2"), "");  // 100
}

TEST(link_values, counts_are_whole_numbers) {
  EXPECT_EQ(error_of("slice_bytes=1.5"), "slice: slice_bytes: 1.5 is not a whole number");
  EXPECT_EQ(error_of("slice_random=0.5"), "slice: slice_random: 0.5 is not a whole number");
  EXPECT_EQ(error_of("queue_bytes=100.25"), "rate: queue_bytes: 100.25 is not a whole number");
  EXPECT_EQ(error_of("slice_bytes=3.0"), "");
  EXPECT_EQ(error_of("latency_ms=0.2"), "");  // times may be fractions
}

TEST(link_values, empty_values_are_errors) {
  EXPECT_EQ(error_of("loss_pct="), "loss: loss_pct: no value (write loss_pct=VALUE)");
  EXPECT_EQ(error_of("latency_ms= ,loss_pct=1"), "latency: latency_ms: no value (write latency_ms=VALUE)");
  EXPECT_EQ(error_of("loss_pct"), "unknown link profile 'loss_pct' (known: none, lan, wifi, flaky-wifi, lossy-3g, "
                                  "satellite, sliced)");
  EXPECT_EQ(error_of("=5"), "link setting '=5' has no name");
}

TEST(link_values, unknown_keys_are_errors) {
  EXPECT_EQ(error_of("banana=3"), "unknown link setting 'banana'");
  EXPECT_EQ(error_of("up.los_pct=3"), "unknown link setting 'los_pct'");
  EXPECT_EQ(error_of("rto_ms=100"), "unknown link setting 'rto_ms'");  // derived, not a setting
  EXPECT_EQ(error_of("banana").substr(0, 29), "unknown link profile 'banana'");
}

TEST(link_values, choices_and_blackhole) {
  EXPECT_EQ(error_of("jitter_ms=5,jitter_distribution=pareto"), "");
  EXPECT_EQ(error_of("jitter_distribution=cauchy"), "latency: jitter_distribution: 'cauchy' is not one of normal pareto uniform");
  EXPECT_EQ(error_of("blackhole"), "");
  EXPECT_EQ(error_of("blackhole=0"), "blackhole takes no value: write 'blackhole' alone");
  auto up = parse_link("up.blackhole");
  ASSERT_EQ(up.error, "");
  ASSERT_EQ(up.specs.size(), 1u);
  EXPECT_EQ(up.specs[0].type, "blackhole");
  EXPECT_EQ(up.specs[0].dir, direction::upstream);
}

TEST(link_values, spaces_around_keys_and_values_are_ignored) {
  auto p = parse_link(" latency_ms = 150 , loss_pct=2 ");
  ASSERT_EQ(p.error, "");
  ASSERT_EQ(p.specs.size(), 2u);
  EXPECT_EQ(p.specs[0].attributes.at("latency_ms"), "150");
  EXPECT_EQ(parse_link("").error, "");
  EXPECT_TRUE(parse_link("none").specs.empty());
}

}  // namespace
}  // namespace netem

// The link model in virtual time: each impairment's effect, order, seeds, traces.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <map>
#include <numeric>

#include "netem/link.hpp"
#include "netem/profile.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;

timestamp ms(double v) { return timestamp(static_cast<std::int64_t>(v * 1000)); }

impairment_spec spec(std::string type, std::map<std::string, std::string> attrs, direction d = direction::both) {
  return {std::move(type), d, std::move(attrs), {}};
}

// Sends `n` one-byte segments `gap_ms` apart upstream and returns their delays.
std::vector<double> delays_ms(link& l, int n, double gap_ms = 1) {
  for (int i = 0; i < n; ++i) l.send(direction::upstream, ms(i * gap_ms), std::string(1, char('a' + i % 26)));
  std::vector<double> d;
  int i = 0;
  for (auto& x : l.deliver(timestamp::max())) d.push_back(double((x.at - ms(i++ * gap_ms)).count()) / 1000);
  return d;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

TEST(link, no_impairment_delivers_at_once_in_order) {
  link l(1, {});
  l.send(direction::upstream, ms(5), "abc");
  l.send(direction::downstream, ms(6), "xyz");
  ASSERT_EQ(l.next_event(), ms(5));
  auto d = l.deliver(ms(10));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].bytes, "abc");
  EXPECT_EQ(d[0].dir, direction::upstream);
  EXPECT_EQ(d[1].bytes, "xyz");
  EXPECT_EQ(d[1].at, ms(6));
}

TEST(link, latency_is_exact_without_jitter) {
  link l(1, {spec("latency", {{"latency_ms", "150"}})});
  l.send(direction::upstream, ms(0), "a");
  EXPECT_TRUE(l.deliver(ms(149.999)).empty());
  auto d = l.deliver(ms(150));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].at, ms(150));
}

TEST(link, uniform_jitter_has_the_right_mean_and_bounds_and_keeps_order) {
  link spaced(42, {spec("latency", {{"latency_ms", "100"}, {"jitter_ms", "20"}}, direction::upstream)});
  auto d = delays_ms(spaced, 5000, 100);
  ASSERT_EQ(d.size(), 5000u);
  EXPECT_NEAR(mean(d), 100, 1);
  EXPECT_LT(*std::min_element(d.begin(), d.end()), 81);
  EXPECT_GT(*std::max_element(d.begin(), d.end()), 119);
  for (double x : d) {
    EXPECT_GE(x, 80 - 1e-9);
    EXPECT_LE(x, 120 + 1e-9);
  }
  // 1 ms apart, a segment cannot overtake the one before: delivery times never decrease,
  // and head-of-line blocking raises the mean, as on a real TCP connection.
  link dense(42, {spec("latency", {{"latency_ms", "100"}, {"jitter_ms", "20"}}, direction::upstream)});
  auto e = delays_ms(dense, 5000, 1);
  for (std::size_t i = 1; i < e.size(); ++i) EXPECT_GE(e[i] + 1, e[i - 1]);
  EXPECT_GT(mean(e), 105);
}

TEST(link, normal_jitter_spread_matches_sigma) {
  link l(7, {spec("latency", {{"latency_ms", "500"}, {"jitter_ms", "10"}, {"jitter_distribution", "normal"}},
                  direction::upstream)});
  // Far apart, so order never holds a segment back.
  std::vector<double> d;
  for (int i = 0; i < 4000; ++i) l.send(direction::upstream, ms(i * 1000), "x");
  int i = 0;
  for (auto& x : l.deliver(timestamp::max())) d.push_back(double((x.at - ms(i++ * 1000)).count()) / 1000);
  const double m = mean(d);
  double var = 0;
  for (double x : d) var += (x - m) * (x - m);
  EXPECT_NEAR(m, 500, 1);
  EXPECT_NEAR(std::sqrt(var / double(d.size())), 10, 1);
}

TEST(link, loss_becomes_retransmission_delay_with_doubling_rto) {
  link l(3, {spec("loss", {{"loss_pct", "30"}}, direction::upstream)});
  auto d = delays_ms(l, 4000, 1'000'000);  // far apart: no head-of-line blocking
  ASSERT_EQ(d.size(), 4000u);           // nothing is lost for good
  std::map<int, int> by_delay;
  for (double x : d) by_delay[int(std::lround(x))]++;
  // P(on time) = 0.7, P(200 ms) = 0.3 * 0.7, P(200 + 400 ms) = 0.09 * 0.7, ...
  const auto share = [&](int delay) { return by_delay.count(delay) ? by_delay.at(delay) / 4000.0 : 0.0; };
  EXPECT_NEAR(share(0), 0.7, 0.03);
  EXPECT_NEAR(share(200), 0.21, 0.03);
  EXPECT_NEAR(share(600), 0.063, 0.015);
  EXPECT_NEAR(share(1400), 0.0189, 0.008);
  for (const auto& [delay, n] : by_delay)  // only sums of doubling RTOs occur: 200 * (2^k - 1)
    EXPECT_EQ(std::popcount(unsigned(delay / 200 + 1)), 1) << delay;
}

TEST(link, gilbert_elliott_losses_come_in_bursts) {
  link l(11, {spec("gilbert_elliott", {{"p_pct", "5"}, {"r_pct", "20"}, {"loss_bad_pct", "100"}}, direction::upstream)});
  l.send(direction::upstream, ms(0), "x");
  for (int i = 1; i < 20000; ++i) l.send(direction::upstream, ms(i * 10000), "x");
  l.deliver(timestamp::max());
  // Count runs of consecutive lossy segments in the trace: mean burst ~ 1/r = 5 tries.
  int lossy = 0;
  for (const auto& t : l.trace()) lossy += t.what.starts_with("lost");
  EXPECT_GT(lossy, 500);
  EXPECT_LT(lossy, 4000);
}

TEST(link, rate_limits_throughput) {
  link l(1, {spec("rate", {{"rate_kbps", "800"}}, direction::upstream)});  // 100 bytes per ms
  l.send(direction::upstream, ms(0), std::string(1000, 'x'));
  l.send(direction::upstream, ms(0), std::string(1000, 'y'));
  auto d = l.deliver(timestamp::max());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].at, ms(10));
  EXPECT_EQ(d[1].at, ms(20));
}

TEST(link, slicing_cuts_at_every_byte) {
  link l(1, {spec("slice", {{"slice_bytes", "1"}})});
  l.send(direction::downstream, ms(0), "hello");
  auto d = l.deliver(ms(0));
  ASSERT_EQ(d.size(), 5u);
  std::string joined;
  for (auto& x : d) {
    EXPECT_EQ(x.bytes.size(), 1u);
    joined += x.bytes;
  }
  EXPECT_EQ(joined, "hello");
}

TEST(link, random_slices_keep_every_byte_in_order) {
  link l(99, {spec("slice", {{"slice_bytes", "7"}, {"slice_random", "1"}})});
  std::string all;
  for (int i = 0; i < 200; ++i) all += char(i);
  l.send(direction::upstream, ms(0), all);
  std::string joined;
  std::size_t max_piece = 0;
  for (auto& x : l.deliver(ms(0))) joined += x.bytes, max_piece = std::max(max_piece, x.bytes.size());
  EXPECT_EQ(joined, all);
  EXPECT_LE(max_piece, 7u);
}

TEST(link, blackhole_drops_everything_silently) {
  link l(1, {});
  l.add(spec("blackhole", {}, direction::upstream), ms(0));
  l.send(direction::upstream, ms(1), "lost");
  l.send(direction::downstream, ms(1), "kept");
  auto d = l.deliver(timestamp::max());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].bytes, "kept");
}

TEST(link, partition_holds_bytes_then_delivers_them) {
  link l(1, {});
  l.add(spec("partition", {{"partition_ms", "5000"}}), ms(1000));
  l.send(direction::upstream, ms(2000), "held");
  EXPECT_TRUE(l.deliver(ms(5999)).empty());
  EXPECT_EQ(l.next_event(), ms(6000));
  auto d = l.deliver(ms(6000));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].bytes, "held");
  l.send(direction::upstream, ms(7000), "free");
  EXPECT_EQ(l.deliver(ms(7000)).size(), 1u);
}

TEST(link, removing_a_partition_releases_now) {
  link l(1, {});
  l.add(spec("partition", {{"partition_ms", "60000"}}), ms(0));
  l.send(direction::upstream, ms(10), "held");
  l.remove("partition", direction::both, ms(100));
  auto d = l.deliver(ms(100));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].at, ms(100));
}

TEST(link, fin_follows_data_and_rst_drops_it) {
  link a(1, {spec("latency", {{"latency_ms", "50"}})});
  a.send(direction::upstream, ms(0), "bye");
  a.close(direction::upstream, ms(1), false);
  auto d = a.deliver(timestamp::max());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].what, delivery::kind::fin);
  EXPECT_EQ(d[1].at, ms(50));

  link b(1, {spec("latency", {{"latency_ms", "50"}})});
  b.send(direction::upstream, ms(0), "lost");
  b.close(direction::upstream, ms(1), true);
  d = b.deliver(timestamp::max());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].what, delivery::kind::rst);
  EXPECT_EQ(d[0].at, ms(1));
}

TEST(link, same_seed_same_run_other_seed_other_run) {
  const auto run = [](std::uint64_t seed) {
    auto p = parse_link("flaky-wifi");
    EXPECT_EQ(p.error, "");
    link l(seed, p.specs);
    return delays_ms(l, 500);
  };
  EXPECT_EQ(run(5), run(5));
  EXPECT_NE(run(5), run(6));
}

TEST(link, bad_specs_are_errors_naming_the_key) {
  EXPECT_EQ(link(1, {spec("latency", {{"latency_ms", "abc"}})}).error(), "latency: latency_ms: 'abc' is not a number");
  EXPECT_EQ(link(1, {spec("loss", {{"loss_pct", "101"}})}).error(), "loss: loss_pct: 101 is outside 0..100");
  EXPECT_EQ(link(1, {spec("loss", {{"los_pct", "1"}})}).error(), "loss: unknown attribute 'los_pct'");
  EXPECT_NE(link(1, {spec("lag", {})}).error().find("unknown impairment type 'lag'"), std::string::npos);
}

TEST(profile, parses_profiles_overrides_and_directions) {
  auto p = parse_link("satellite,loss_pct=5,down.latency_ms=10");
  ASSERT_EQ(p.error, "");
  ASSERT_EQ(p.specs.size(), 4u);  // latency both, loss, rate, latency downstream
  EXPECT_EQ(p.specs[0].type, "latency");
  EXPECT_EQ(p.specs[0].attributes.at("latency_ms"), "300");
  EXPECT_EQ(p.specs[1].attributes.at("loss_pct"), "5");
  EXPECT_EQ(p.specs[3].dir, direction::downstream);
  EXPECT_EQ(parse_link("nowhere").error.substr(0, 30), "unknown link profile 'nowhere'");
  EXPECT_EQ(parse_link("latency=5").error, "unknown link setting 'latency'");
  for (const auto& prof : profiles()) EXPECT_EQ(parse_link(prof.name).error, "") << prof.name;
}

}  // namespace
}  // namespace netem

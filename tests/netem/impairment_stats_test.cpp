// Statistics of each impairment in virtual time, with fixed seeds: the distributions
// the docs promise (mean, spread, tails, correlation, burst lengths, throughput), and
// exact behaviour where there is no randomness (slicing, partition, stall, blackhole).
// Tolerances are several standard errors of the estimate for the sample size used, so
// they hold for any seed, not just the one fixed here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "netem/link.hpp"
#include "reference/codec/codec.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace netem {
namespace {

timestamp ms(double v) { return timestamp(static_cast<std::int64_t>(v * 1000)); }
double to_ms(timestamp t) { return double(t.count()) / 1000; }

impairment_spec up(std::string type, std::map<std::string, std::string> attrs) {
  return {std::move(type), direction::upstream, std::move(attrs), {}};
}

// Delays (ms) of `n` one-byte segments sent `gap` apart upstream: far enough apart
// that none waits behind another, so each delay is the impairment's own draw.
std::vector<double> delays(std::uint64_t seed, const std::vector<impairment_spec>& specs, int n,
                           timestamp gap = std::chrono::hours(1)) {
  link l(seed, specs);
  for (int i = 0; i < n; ++i) l.send(direction::upstream, gap * i, "x");
  std::vector<double> d;
  int i = 0;
  for (const auto& x : l.deliver(timestamp::max())) d.push_back(to_ms(x.at - gap * i++));
  return d;
}

struct moments {
  double mean = 0, sd = 0;
};
moments of(const std::vector<double>& v) {
  moments m;
  m.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  double var = 0;
  for (double x : v) var += (x - m.mean) * (x - m.mean);
  m.sd = std::sqrt(var / double(v.size() - 1));
  return m;
}
double share(const std::vector<double>& v, auto pred) {
  return double(std::count_if(v.begin(), v.end(), pred)) / double(v.size());
}
double lag1_autocorrelation(const std::vector<double>& v) {
  const auto m = of(v);
  double num = 0, den = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    den += (v[i] - m.mean) * (v[i] - m.mean);
    if (i > 0) num += (v[i] - m.mean) * (v[i - 1] - m.mean);
  }
  return num / den;
}

std::vector<impairment_spec> jitter(const std::string& dist, double latency, double j, double corr_pct = 0) {
  return {up("latency", {{"latency_ms", std::to_string(latency)},
                         {"jitter_ms", std::to_string(j)},
                         {"jitter_distribution", dist},
                         {"jitter_correlation_pct", std::to_string(corr_pct)}})};
}

constexpr int n = 20'000;

TEST(impairment_stats, uniform_jitter_is_flat_over_plus_minus_jitter) {
  const auto d = delays(1, jitter("uniform", 100, 20), n);
  const auto m = of(d);
  // Uniform on [80, 120]: mean 100, sd 40 / sqrt(12) = 11.55; standard error of the mean 0.08.
  EXPECT_NEAR(m.mean, 100, 0.4);
  EXPECT_NEAR(m.sd, 40 / std::sqrt(12.0), 0.3);
  // Each 10 ms quarter holds a quarter of the draws (binomial sd 0.003).
  for (double lo = 80; lo < 120; lo += 10)
    EXPECT_NEAR(share(d, [&](double x) { return x >= lo && x < lo + 10; }), 0.25, 0.015) << lo;
}

TEST(impairment_stats, normal_jitter_has_sigma_and_the_68_95_rule) {
  const auto d = delays(2, jitter("normal", 200, 10), n);
  const auto m = of(d);
  EXPECT_NEAR(m.mean, 200, 0.3);
  EXPECT_NEAR(m.sd, 10, 0.3);
  EXPECT_NEAR(share(d, [](double x) { return std::abs(x - 200) <= 10; }), 0.6827, 0.015);
  EXPECT_NEAR(share(d, [](double x) { return std::abs(x - 200) <= 20; }), 0.9545, 0.008);
  EXPECT_NEAR(share(d, [](double x) { return std::abs(x - 200) > 30; }), 0.0027, 0.002);
}

TEST(impairment_stats, pareto_jitter_is_one_sided_with_a_heavy_tail) {
  // jitter = 1.5 * J * (X - 1), X Pareto with shape 2.5: mean J, sd 1.5 * J * 1.49 = 2.24 J,
  // P(jitter > x) = (1 + x / 1.5J)^-2.5.
  const double j = 10;
  const auto d = delays(3, jitter("pareto", 100, j), 100'000);
  std::vector<double> jit;
  for (double x : d) jit.push_back(x - 100);
  EXPECT_GE(*std::min_element(jit.begin(), jit.end()), 0.0);  // never earlier than the latency
  const auto m = of(jit);
  EXPECT_NEAR(m.mean, j, 0.4);
  EXPECT_NEAR(m.sd, 2.24 * j, 2.0);  // the sample sd of a heavy tail converges slowly
  const auto tail = [&](double x) { return std::pow(1 + x / (1.5 * j), -2.5); };
  for (double x : {1.0, 3.0, 5.0, 10.0})
    EXPECT_NEAR(share(jit, [&](double v) { return v > x * j; }), tail(x * j), 4 * std::sqrt(tail(x * j) / 1e5) + 1e-4)
        << x;
  // Heavy compared with a normal of the same sd, for which 10 J is 4.5 sd (3e-6): pareto
  // puts 0.6 % of its draws there.
  EXPECT_GT(share(jit, [&](double v) { return v > 10 * j; }), 0.004);
}

TEST(impairment_stats, correlation_sets_the_lag1_autocorrelation_and_narrows_the_spread) {
  // jitter_t = c * jitter_(t-1) + (1 - c) * fresh_t: an AR(1) series with lag-1
  // autocorrelation c and variance var(fresh) * (1 - c) / (1 + c).
  double last_r = -1;
  for (double c : {0.0, 0.25, 0.5, 0.75, 0.9}) {
    const auto d = delays(4, jitter("normal", 500, 20, c * 100), n);
    const double r = lag1_autocorrelation(d);
    EXPECT_NEAR(r, c, 0.03) << c;  // standard error about 1 / sqrt(n) = 0.007
    EXPECT_GT(r, last_r);
    last_r = r;
    EXPECT_NEAR(of(d).sd, 20 * std::sqrt((1 - c) / (1 + c)), 0.05 * 20 * std::sqrt((1 - c) / (1 + c)) + 0.2) << c;
    EXPECT_NEAR(of(d).mean, 500, 1.5);
  }
}

TEST(impairment_stats, random_loss_rate_matches_loss_pct) {
  for (double p : {1.0, 10.0, 50.0}) {
    const auto d = delays(5, {up("loss", {{"loss_pct", std::to_string(p)}})}, n);
    // A segment is on time unless its first transmission is lost.
    EXPECT_NEAR(share(d, [](double x) { return x > 0; }), p / 100, 4 * std::sqrt(p / 100 * (1 - p / 100) / n)) << p;
  }
}

TEST(impairment_stats, gilbert_elliott_bursts_last_one_over_r) {
  // Every transmission (first or retransmission) steps the chain once; with loss_bad_pct
  // 100 a transmission is lost exactly while the chain is bad. A segment arriving in the
  // good state starts a bad spell with probability p, and then is retransmitted once per
  // bad step: the number of losses is the spell's length, geometric with mean 1 / r.
  for (auto [p, r] : {std::pair{5.0, 50.0}, {2.0, 30.0}, {10.0, 40.0}}) {
    // 8 h apart: even 15 losses (1.8 h of retransmission) never hold up the next segment.
    const auto d = delays(6, {up("gilbert_elliott", {{"p_pct", std::to_string(p)},
                                                     {"r_pct", std::to_string(r)},
                                                     {"loss_bad_pct", "100"}})},
                          n, std::chrono::hours(8));
    std::vector<double> bursts;
    for (double x : d)
      if (x > 0) bursts.push_back(std::log2(x / 200 + 1));  // 200 ms * (2^k - 1) after k losses
    for (double k : bursts) EXPECT_EQ(k, std::round(k));
    EXPECT_NEAR(double(bursts.size()) / n, p / 100, 4 * std::sqrt(p / 100 / n)) << p;
    // 15 tries cap a spell; (1 - r)^14 of them reach it, a negligible share here.
    const double expected = 100 / r, sd = std::sqrt(1 - r / 100) / (r / 100);
    EXPECT_NEAR(of(bursts).mean, expected, 4 * sd / std::sqrt(double(bursts.size()))) << r;
    // Geometric: P(length 1) = r.
    EXPECT_NEAR(share(bursts, [](double k) { return k == 1; }), r / 100, 0.05) << r;
  }
}

TEST(impairment_stats, gilbert_elliott_good_and_bad_state_losses) {
  // loss_good_pct alone, with the chain never leaving good, is random loss.
  const auto d = delays(7, {up("gilbert_elliott", {{"p_pct", "0"}, {"loss_good_pct", "20"}})}, n);
  EXPECT_NEAR(share(d, [](double x) { return x > 0; }), 0.2, 0.012);
}

TEST(impairment_stats, rate_throughput_and_queueing) {
  // 8000 kbps = 1000 bytes per ms. A backlog of 2 MB drains in exactly 2 s.
  {
    link l(1, {up("rate", {{"rate_kbps", "8000"}, {"queue_bytes", "4000000"}})});
    for (int i = 0; i < 2000; ++i) l.send(direction::upstream, ms(0), std::string(1000, 'x'));
    const auto d = l.deliver(timestamp::max());
    ASSERT_EQ(d.size(), 2000u);
    for (std::size_t i = 0; i < d.size(); ++i) EXPECT_EQ(d[i].at, ms(double(i + 1))) << i;
  }
  // Offered at half the rate, nothing queues: each segment waits only its own serialisation.
  {
    link l(1, {up("rate", {{"rate_kbps", "8000"}})});
    for (int i = 0; i < 1000; ++i) l.send(direction::upstream, ms(2.0 * i), std::string(1000, 'x'));
    int i = 0;
    for (const auto& x : l.deliver(timestamp::max())) EXPECT_EQ(x.at, ms(2.0 * i++ + 1));
  }
  // Offered at twice the rate into a 10 kB queue: the first segment that finds it full
  // comes back after the RTO (200 ms), and the bottleneck idles until then; the ones
  // behind it queue after it, so from there the bottleneck is busy again: 4 MB take
  // 4 s plus that one gap (200 ms less the 10 ms the queue held).
  {
    link l(1, {up("rate", {{"rate_kbps", "8000"}, {"queue_bytes", "10000"}})});
    for (int i = 0; i < 4000; ++i) l.send(direction::upstream, ms(0.5 * i), std::string(1000, 'x'));
    const auto d = l.deliver(timestamp::max());
    ASSERT_EQ(d.size(), 4000u);
    EXPECT_NEAR(to_ms(d.back().at), 4000 + 200 - 10, 1);
    int gaps = 0;
    for (std::size_t i = 1; i < d.size(); ++i) gaps += d[i].at - d[i - 1].at != ms(1);
    EXPECT_EQ(gaps, 1);
    int full = 0;
    for (const auto& t : l.trace()) full += t.what.starts_with("queue full");
    EXPECT_GT(full, 1000);
  }
}

TEST(impairment_stats, slicing_at_every_byte_keeps_packets_whole) {
  // A PUBLISH with a two-byte remaining length, cut at every size from 1 byte to its
  // whole length: the stream decoder always rebuilds the same packet.
  const std::string payload(200, 'p');
  const mqtt::publish p{false, mqtt::qos::at_least_once, false, "a/b", 7, {}, payload};
  const std::string bytes = mqtt::encode(p, mqtt::protocol_version::v311);
  ASSERT_GT(bytes.size(), 200u);
  for (std::size_t k = 1; k <= bytes.size(); ++k) {
    link l(1, {up("slice", {{"slice_bytes", std::to_string(k)}, {"slice_delay_us", "10"}})});
    l.send(direction::upstream, ms(0), bytes + bytes);
    const auto d = l.deliver(timestamp::max());
    const std::size_t pieces = (2 * bytes.size() + k - 1) / k;
    ASSERT_EQ(d.size(), pieces) << k;
    EXPECT_EQ(d.back().at, timestamp(10 * std::int64_t(pieces - 1))) << k;  // slice_delay_us apart
    mqtt::stream_decoder dec(mqtt::protocol_version::v311);
    int whole = 0;
    for (const auto& x : d) {
      EXPECT_LE(x.bytes.size(), k);
      dec.feed(x.bytes);
      while (auto f = dec.next()) {
        if (!*f) break;
        EXPECT_EQ(std::get<mqtt::publish>(**f), p) << k;
        ++whole;
      }
    }
    EXPECT_EQ(whole, 2) << k;
  }
}

TEST(impairment_stats, random_slicing_cuts_at_every_position_with_uniform_sizes) {
  link l(8, {up("slice", {{"slice_bytes", "8"}, {"slice_random", "1"}})});
  const std::string segment(20, 's');
  std::map<std::size_t, int> cut_at;  // offset within the segment where a piece ends
  for (int i = 0; i < 5000; ++i) {
    l.send(direction::upstream, ms(i), segment);
    std::size_t pos = 0;
    for (const auto& x : l.deliver(ms(i))) {
      pos += x.bytes.size();
      if (pos < segment.size()) ++cut_at[pos];
    }
    ASSERT_EQ(pos, segment.size());
  }
  for (std::size_t c = 1; c < segment.size(); ++c) EXPECT_GT(cut_at[c], 0) << c;
  // Piece sizes are uniform on 1..8 (mean 4.5, sd 2.29): measured on one long segment,
  // where the truncated last piece does not matter.
  link big(9, {up("slice", {{"slice_bytes", "8"}, {"slice_random", "1"}})});
  big.send(direction::upstream, ms(0), std::string(200'000, 'b'));
  std::vector<double> sizes;
  std::map<std::size_t, int> by_size;
  for (const auto& x : big.deliver(ms(0))) sizes.push_back(double(x.bytes.size())), ++by_size[x.bytes.size()];
  EXPECT_NEAR(of(sizes).mean, 4.5, 4 * 2.29 / std::sqrt(double(sizes.size())));
  ASSERT_EQ(by_size.size(), 8u);
  for (const auto& [size, count] : by_size) EXPECT_NEAR(double(count) / double(sizes.size()), 0.125, 0.01) << size;
}

TEST(impairment_stats, partition_holds_everything_sent_then_releases_it_in_order) {
  link l(1, {up("latency", {{"latency_ms", "100"}})});
  l.add(up("partition", {{"partition_ms", "3000"}}), ms(1000));
  std::string sent;
  for (int i = 0; i < 50; ++i) {
    const std::string b(1, char('A' + i % 26));
    l.send(direction::upstream, ms(900 + 100 * i), b);  // before, during and after the partition
    sent += b;
  }
  l.close(direction::upstream, ms(5000), false);  // while bytes are still on their way
  std::string got;
  bool fin = false;
  for (const auto& x : l.deliver(timestamp::max())) {
    if (x.what == delivery::kind::fin) {
      EXPECT_EQ(got, sent);  // the FIN comes after every byte
      EXPECT_EQ(x.at, ms(5900));
      fin = true;
      continue;
    }
    // Latency first, then the partition: what left the latency stage between 1 s and 4 s
    // arrives at 4 s (the segment sent at 900 ms left at 1000 ms exactly and waits too).
    const int i = int(got.size());
    const timestamp after_latency = ms(900 + 100 * i + 100);
    EXPECT_EQ(x.at, after_latency < ms(4000) && after_latency >= ms(1000) ? ms(4000) : after_latency) << i;
    got += x.bytes;
  }
  EXPECT_EQ(got, sent);
  EXPECT_TRUE(fin);
}

TEST(impairment_stats, fin_sent_during_a_partition_waits_for_the_held_bytes) {
  for (bool step_by_step : {false, true}) {
    link l(1, {});
    l.add(up("partition", {{"partition_ms", "1000"}}), ms(0));
    l.send(direction::upstream, ms(100), "held");
    l.close(direction::upstream, ms(200), false);
    std::vector<delivery> d;
    if (step_by_step)
      while (auto t = l.next_event())
        for (auto& x : l.deliver(*t)) d.push_back(std::move(x));
    else
      d = l.deliver(timestamp::max());
    ASSERT_EQ(d.size(), 2u) << step_by_step;
    EXPECT_EQ(d[0].bytes, "held");
    EXPECT_EQ(d[0].at, ms(1000));
    EXPECT_EQ(d[1].what, delivery::kind::fin);
    EXPECT_EQ(d[1].at, ms(1000));
  }
}

TEST(impairment_stats, stall_is_a_partition_of_one_direction) {
  link l(1, {});
  l.add(up("stall", {{"stall_ms", "500"}}), ms(0));
  l.send(direction::upstream, ms(100), "u");
  l.send(direction::downstream, ms(100), "d");
  auto d = l.deliver(ms(499));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].bytes, "d");
  EXPECT_EQ(l.next_event(), ms(500));
  d = l.deliver(ms(500));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].bytes, "u");
}

TEST(impairment_stats, blackhole_drops_data_fin_and_rst_and_removing_it_restores_flow) {
  link l(1, {});
  l.add({"blackhole", direction::both, {}, {}}, ms(0));
  l.send(direction::upstream, ms(1), "a");
  l.send(direction::downstream, ms(1), "b");
  EXPECT_FALSE(l.next_event());
  EXPECT_TRUE(l.deliver(timestamp::max()).empty());
  l.remove("blackhole", direction::both, ms(10));
  l.send(direction::upstream, ms(11), "c");
  auto d = l.deliver(timestamp::max());
  ASSERT_EQ(d.size(), 1u);  // what fell into the hole is gone for good
  EXPECT_EQ(d[0].bytes, "c");
  // Half-open: neither a FIN nor an RST tells the other end.
  l.add({"blackhole", direction::both, {}, {}}, ms(20));
  l.close(direction::upstream, ms(21), false);
  l.close(direction::downstream, ms(21), true);
  EXPECT_TRUE(l.deliver(timestamp::max()).empty());
  int dropped = 0;
  for (const auto& t : l.trace()) dropped += t.impairment.starts_with("blackhole");
  EXPECT_EQ(dropped, 4);  // two data segments, the FIN and the RST, each traced
}

}  // namespace
}  // namespace netem

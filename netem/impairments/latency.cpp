// latency: every segment waits latency_ms plus jitter. Jitter is drawn from a
// uniform (+-jitter_ms), normal (sigma jitter_ms) or pareto (heavy tail, scale
// jitter_ms) distribution, optionally correlated with the previous draw. Segments
// never overtake each other: TCP delivers in order.
#include "registry.hpp"

namespace netem {

namespace {

class latency final : public impairment {
 public:
  latency(double latency_ms, double jitter_ms, std::string distribution, double correlation, std::uint64_t seed)
      : latency_us_(latency_ms * 1000), jitter_us_(jitter_ms * 1000), distribution_(std::move(distribution)),
        correlation_(correlation), rng_(seed) {}

  void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) override {
    double jitter = 0;
    if (jitter_us_ > 0) {
      double fresh;
      if (distribution_ == "normal") fresh = rng_.normal() * jitter_us_;
      else if (distribution_ == "pareto") fresh = (rng_.pareto(2.5) - 1.0) * jitter_us_ * 1.5;  // mean ~ jitter_us_
      else fresh = (rng_.uniform() * 2 - 1) * jitter_us_;
      jitter = correlation_ * previous_ + (1 - correlation_) * fresh;
      previous_ = jitter;
    }
    const double delay = std::max(0.0, latency_us_ + jitter);
    const timestamp wanted = s.at + timestamp(static_cast<std::int64_t>(delay));
    const timestamp at = in_order(wanted);
    trace.push_back({s.at, name(), "delayed " + std::to_string(s.bytes.size()) + " bytes by " + us_text(at - s.at) +
                                       (at > wanted ? " (held behind an earlier segment)" : "")});
    s.at = at;
    out.push_back(std::move(s));
  }

 private:
  double latency_us_, jitter_us_;
  std::string distribution_;
  double correlation_;
  double previous_ = 0;
  rng rng_;
};

}  // namespace

made_impairment make_latency(attributes& a, std::uint64_t seed) {
  const double ms = a.number("latency_ms", 0, 0, 3'600'000);
  const double jitter = a.number("jitter_ms", 0, 0, 3'600'000);
  const auto dist = a.choice("jitter_distribution", "uniform", {"uniform", "normal", "pareto"});
  const double corr = a.number("jitter_correlation_pct", 0, 0, 100) / 100;
  return {std::make_unique<latency>(ms, jitter, dist, corr, seed), a.error()};
}

}  // namespace netem

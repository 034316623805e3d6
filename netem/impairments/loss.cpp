// loss: each segment is lost with probability loss_pct. MQTT rides on TCP, so a lost
// segment is not a lost packet: it arrives after the retransmission timeout (RTO
// from rto_ms, doubling each time the retransmission is lost too).
#include "registry.hpp"

namespace netem {

namespace {

class loss final : public impairment {
 public:
  loss(double p, double rto_ms, std::uint64_t seed) : p_(p), rto_(static_cast<std::int64_t>(rto_ms * 1000)), rng_(seed) {}

  void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) override {
    int tries = 0;
    const timestamp extra = retransmission_delay(rto_, [&] { return rng_.chance(p_); }, tries);
    if (tries > 0)
      trace.push_back({s.at, name(), "lost " + std::to_string(tries) + "x; retransmitted after " + us_text(extra)});
    s.at = in_order(s.at + extra);
    out.push_back(std::move(s));
  }

 private:
  double p_;
  timestamp rto_;
  rng rng_;
};

}  // namespace

made_impairment make_loss(attributes& a, std::uint64_t seed) {
  const double p = a.number("loss_pct", 0, 0, 100) / 100;
  const double rto = a.number("rto_ms", 200, 1, 60'000);
  return {std::make_unique<loss>(p, rto, seed), a.error()};
}

}  // namespace netem

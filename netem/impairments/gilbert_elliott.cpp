// gilbert_elliott: bursty loss. A two-state chain, good and bad: each segment first
// moves good->bad with probability p_pct or bad->good with r_pct, then is lost with
// loss_bad_pct (1-h) in the bad state or loss_good_pct (1-k) in the good one. As with
// loss, a lost segment arrives late, after TCP's retransmissions.
#include "registry.hpp"

namespace netem {

namespace {

class gilbert_elliott final : public impairment {
 public:
  gilbert_elliott(double p, double r, double bad_loss, double good_loss, double rto_ms, std::uint64_t seed)
      : p_(p), r_(r), bad_loss_(bad_loss), good_loss_(good_loss), rto_(static_cast<std::int64_t>(rto_ms * 1000)),
        rng_(seed) {}

  void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) override {
    int tries = 0;
    const timestamp extra = retransmission_delay(
        rto_,
        [&] {
          step();
          return rng_.chance(bad_ ? bad_loss_ : good_loss_);
        },
        tries);
    if (tries > 0)
      trace.push_back({s.at, name(), "lost " + std::to_string(tries) + "x in a " + (bad_ ? "bad" : "good") +
                                         " spell; retransmitted after " + us_text(extra)});
    s.at = in_order(s.at + extra);
    out.push_back(std::move(s));
  }

  bool bad() const { return bad_; }

 private:
  void step() { bad_ = bad_ ? !rng_.chance(r_) : rng_.chance(p_); }

  double p_, r_, bad_loss_, good_loss_;
  timestamp rto_;
  bool bad_ = false;
  rng rng_;
};

}  // namespace

made_impairment make_gilbert_elliott(attributes& a, std::uint64_t seed) {
  const double p = a.number("p_pct", 1, 0, 100) / 100;
  const double r = a.number("r_pct", 30, 0, 100) / 100;
  const double bad = a.number("loss_bad_pct", 100, 0, 100) / 100;
  const double good = a.number("loss_good_pct", 0, 0, 100) / 100;
  const double rto = a.number("rto_ms", 200, 1, 60'000);
  return {std::make_unique<gilbert_elliott>(p, r, bad, good, rto, seed), a.error()};
}

}  // namespace netem

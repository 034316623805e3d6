// rate: a bottleneck of rate_kbps with a queue of queue_bytes. Each segment waits for
// the ones before it to be serialised; a segment that finds the queue full is dropped
// by the bottleneck and comes back after TCP's retransmission timeout.
#include "registry.hpp"

namespace netem {

namespace {

class rate final : public impairment {
 public:
  rate(double kbps, double queue_bytes, double rto_ms)
      : bytes_per_us_(kbps * 1000 / 8 / 1e6), queue_bytes_(queue_bytes), rto_(static_cast<std::int64_t>(rto_ms * 1000)) {}

  void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) override {
    timestamp start = std::max(s.at, busy_until_);
    // Bytes still waiting in the queue when this segment arrives.
    const double backlog = double((busy_until_ - s.at).count()) * bytes_per_us_;
    if (backlog > 0 && backlog + double(s.bytes.size()) > queue_bytes_) {
      trace.push_back({s.at, name(), "queue full (" + std::to_string(static_cast<long>(backlog)) +
                                         " bytes); dropped, retransmitted after " + us_text(rto_)});
      start = std::max(s.at + rto_, busy_until_);
    }
    const auto serialise = timestamp(static_cast<std::int64_t>(double(s.bytes.size()) / bytes_per_us_));
    busy_until_ = start + serialise;
    s.at = in_order(busy_until_);
    out.push_back(std::move(s));
  }

 private:
  double bytes_per_us_;
  double queue_bytes_;
  timestamp rto_;
  timestamp busy_until_{0};
};

}  // namespace

made_impairment make_rate(attributes& a, std::uint64_t) {
  const double kbps = a.number("rate_kbps", 1000, 1, 100'000'000);
  const double queue = a.number("queue_bytes", 65536, 1, 1 << 30);
  const double rto = a.number("rto_ms", 200, 1, 60'000);
  return {std::make_unique<rate>(kbps, queue, rto), a.error()};
}

}  // namespace netem

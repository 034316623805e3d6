// blackhole, partition and stall: what TCP cannot hide.
//  - blackhole: every byte silently dropped from now on, a half-open connection.
//  - partition: for partition_ms nothing gets through, then the bytes sent meanwhile
//    arrive (TCP kept retransmitting them).
//  - stall: the same seen from the other end: the peer stops reading for stall_ms.
#include "registry.hpp"

namespace netem {

namespace {

class blackhole final : public impairment {
 public:
  bool drops_everything() const override { return true; }

  void apply(segment s, std::vector<segment>&, std::vector<decision>& trace) override {
    trace.push_back({s.at, name(), "dropped " + std::to_string(s.bytes.size()) + " bytes (blackhole)"});
  }
};

class hold final : public impairment {
 public:
  explicit hold(timestamp duration) : duration_(duration) {}

  void start(timestamp now) override { until_ = now + duration_; }

  void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) override {
    if (s.at >= until_ && held_.empty()) {
      s.at = in_order(s.at);
      out.push_back(std::move(s));
      return;
    }
    trace.push_back({s.at, name(), "held " + std::to_string(s.bytes.size()) + " bytes until " + us_text(until_)});
    held_.push_back(std::move(s));
  }

  void release(timestamp now, std::vector<segment>& out, std::vector<decision>& trace) override {
    if (held_.empty() || now < until_) return;
    trace.push_back({until_, name(), "released " + std::to_string(held_.size()) + " held segments"});
    for (auto& s : held_) {
      // Bytes that reached this stage after the hold ended leave when they arrived.
      s.at = in_order(std::max(s.at, until_));
      out.push_back(std::move(s));
    }
    held_.clear();
  }

  void flush(timestamp now, std::vector<segment>& out) override {
    for (auto& s : held_) {
      s.at = in_order(std::max(s.at, now));
      out.push_back(std::move(s));
    }
    held_.clear();
    until_ = now;
  }

  std::optional<timestamp> next_release() const override {
    if (held_.empty()) return std::nullopt;
    return until_;
  }

 private:
  timestamp duration_;
  timestamp until_{0};
  std::vector<segment> held_;
};

}  // namespace

made_impairment make_blackhole(attributes& a, std::uint64_t) { return {std::make_unique<blackhole>(), a.error()}; }

made_impairment make_partition(attributes& a, std::uint64_t) {
  const double ms = a.number("partition_ms", 1000, 0, 86'400'000);
  return {std::make_unique<hold>(timestamp(static_cast<std::int64_t>(ms * 1000))), a.error()};
}

made_impairment make_stall(attributes& a, std::uint64_t) {
  const double ms = a.number("stall_ms", 1000, 0, 86'400'000);
  return {std::make_unique<hold>(timestamp(static_cast<std::int64_t>(ms * 1000))), a.error()};
}

}  // namespace netem

// slice: cuts every segment into pieces of at most slice_bytes (of random size
// 1..slice_bytes when slice_random is 1), slice_delay_us apart, so one MQTT packet
// spans several reads and a fixed header can be split anywhere.
#include "registry.hpp"

namespace netem {

namespace {

class slice final : public impairment {
 public:
  slice(std::size_t max, bool random, double delay_us, std::uint64_t seed)
      : max_(max), random_(random), delay_(static_cast<std::int64_t>(delay_us)), rng_(seed) {}

  void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) override {
    std::size_t pos = 0, pieces = 0;
    timestamp at = s.at;
    while (pos < s.bytes.size()) {
      std::size_t n = random_ ? 1 + rng_.next() % max_ : max_;
      n = std::min(n, s.bytes.size() - pos);
      out.push_back({in_order(at), s.bytes.substr(pos, n)});
      pos += n;
      at += delay_;
      ++pieces;
    }
    if (pieces > 1)
      trace.push_back({s.at, name(), "cut " + std::to_string(s.bytes.size()) + " bytes into " +
                                         std::to_string(pieces) + " pieces"});
  }

 private:
  std::size_t max_;
  bool random_;
  timestamp delay_;
  rng rng_;
};

}  // namespace

made_impairment make_slice(attributes& a, std::uint64_t seed) {
  const auto max = static_cast<std::size_t>(a.number("slice_bytes", 1, 1, 1 << 20));
  const bool random = a.number("slice_random", 0, 0, 1) != 0;
  const double delay = a.number("slice_delay_us", 0, 0, 60'000'000);
  return {std::make_unique<slice>(max, random, delay, seed), a.error()};
}

}  // namespace netem

// The link's own random numbers: xoshiro256** seeded through splitmix64, with the
// distributions written out here, because std::normal_distribution and friends
// differ between standard libraries and a seed must reproduce a run anywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace netem {

class rng {
 public:
  explicit rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1).
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  /// True with probability `p` (0..1).
  bool chance(double p) { return uniform() < p; }
  /// Standard normal (Box-Muller; one value per call, for simplicity).
  double normal() {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
  }
  /// Pareto with shape `alpha` and scale 1: heavy-tailed, >= 1.
  double pareto(double alpha) {
    double u = uniform();
    while (u <= 0.0) u = uniform();
    return std::pow(u, -1.0 / alpha);
  }

  /// A seed for a child generator, so each impairment draws from its own stream.
  static std::uint64_t derive(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t x = seed ^ (0x9e3779b97f4a7c15ull * (index + 1));
    return splitmix(x);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  std::uint64_t s_[4];
};

}  // namespace netem

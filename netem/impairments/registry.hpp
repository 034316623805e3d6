// Internal: the factory of each impairment type, and helpers they share.
#pragma once

#include <string>

#include "../attributes.hpp"
#include "../impairment.hpp"

namespace netem {

made_impairment make_latency(attributes& a, std::uint64_t seed);
made_impairment make_loss(attributes& a, std::uint64_t seed);
made_impairment make_gilbert_elliott(attributes& a, std::uint64_t seed);
made_impairment make_rate(attributes& a, std::uint64_t seed);
made_impairment make_slice(attributes& a, std::uint64_t seed);
made_impairment make_blackhole(attributes& a, std::uint64_t seed);
made_impairment make_partition(attributes& a, std::uint64_t seed);
made_impairment make_stall(attributes& a, std::uint64_t seed);

/// "1.250 ms"
std::string us_text(timestamp d);

/// TCP's answer to a lost segment: retransmit after the RTO, doubling per loss.
/// `lost()` says whether one more try is lost; returns the total added delay.
template <class Lost>
timestamp retransmission_delay(timestamp rto, Lost lost, int& tries) {
  timestamp total{0};
  tries = 0;
  // Linux gives up after 15 retries; so does the model, delivering at last.
  while (tries < 15 && lost()) {
    total += rto;
    rto *= 2;
    ++tries;
  }
  return total;
}

}  // namespace netem

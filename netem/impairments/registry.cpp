#include "registry.hpp"

#include <cstdio>

namespace netem {

std::string_view to_string(direction d) {
  return d == direction::upstream ? "upstream" : d == direction::downstream ? "downstream" : "both";
}

std::string us_text(timestamp d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", double(d.count()) / 1000);
  return buf;
}

namespace {

struct entry {
  impairment_type info;
  made_impairment (*make)(attributes&, std::uint64_t);
};

const std::vector<entry>& registry() {
  static const std::vector<entry> all{
      {{"latency", {"latency_ms", "jitter_ms", "jitter_distribution", "jitter_correlation_pct"},
        "fixed delay plus jitter (uniform, normal or pareto), in order"},
       make_latency},
      {{"loss", {"loss_pct", "rto_ms"}, "random segment loss, seen as TCP retransmission delay"}, make_loss},
      {{"gilbert_elliott", {"p_pct", "r_pct", "loss_bad_pct", "loss_good_pct", "rto_ms"},
        "bursty loss (two-state chain), seen as retransmission delay"},
       make_gilbert_elliott},
      {{"rate", {"rate_kbps", "queue_bytes", "rto_ms"}, "bandwidth limit with a bounded queue"}, make_rate},
      {{"slice", {"slice_bytes", "slice_random", "slice_delay_us"}, "cut segments into small pieces"}, make_slice},
      {{"blackhole", {}, "drop every byte silently: a half-open connection"}, make_blackhole},
      {{"partition", {"partition_ms"}, "nothing passes for a time, then the held bytes arrive"}, make_partition},
      {{"stall", {"stall_ms"}, "the receiver stops reading for a time"}, make_stall},
  };
  return all;
}

}  // namespace

made_impairment make_impairment(const impairment_spec& spec, std::uint64_t seed) {
  for (const auto& e : registry()) {
    if (e.info.type != spec.type) continue;
    attributes a(spec.attributes);
    auto made = e.make(a, seed);
    if (!made.error.empty()) return {nullptr, spec.type + ": " + made.error};
    made.value->set_name(spec.name.empty() ? spec.type + "_" + std::string(to_string(spec.dir)) : spec.name);
    return made;
  }
  std::string known;
  for (const auto& e : registry()) known += (known.empty() ? "" : ", ") + std::string(e.info.type);
  return {nullptr, "unknown impairment type '" + spec.type + "' (known: " + known + ")"};
}

const std::vector<impairment_type>& impairment_types() {
  static const std::vector<impairment_type> types = [] {
    std::vector<impairment_type> t;
    for (const auto& e : registry()) t.push_back(e.info);
    return t;
  }();
  return types;
}

}  // namespace netem

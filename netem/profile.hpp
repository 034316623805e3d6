// Named link profiles and the `key=value,...` form of --link.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "impairment.hpp"

namespace netem {

struct profile {
  std::string_view name;
  std::string_view summary;
  std::string_view settings;  // in the key=value form
};

/// lan, wifi, flaky-wifi, lossy-3g, satellite, ...
const std::vector<profile>& profiles();

struct parsed_link {
  std::vector<impairment_spec> specs;
  std::string error;  // "" when parsed
};

/// "satellite", "latency_ms=150,loss_pct=2", or a profile with overrides
/// ("satellite,loss_pct=5"). Keys pick the impairment type (latency_ms -> latency);
/// "up." or "down." before a key applies it to one direction only. Every value is
/// checked here, range and type ("loss: loss_pct: 200 is outside 0..100"), so each
/// caller (run, proxy, scenario files) refuses the same values with the same message.
parsed_link parse_link(std::string_view text);

}  // namespace netem

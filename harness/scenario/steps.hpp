// Reading one step of a scenario (docs/scenarios.md, "Steps"). Internal to the loader.
#pragma once

#include <optional>
#include <vector>

#include "values.hpp"

namespace mqttspec::scenario::detail {

/// One step; `clients` are the names the case defines.
std::optional<step> read_step(reader& r, const YAML::Node& n, const position& at,
                              const std::vector<client_spec>& clients);

}  // namespace mqttspec::scenario::detail

// Reading a scenario's top level: metadata, spec ids, link, clients, and its steps.
// Internal to the loader.
#pragma once

#include <optional>

#include "reader.hpp"

namespace mqttspec::scenario::detail {

/// The scenario of one document with the reader's parameter values substituted.
/// Returns nullopt when something was reported.
std::optional<scenario> read_scenario(reader& r, const YAML::Node& root, const spec::spec_table& table);

}  // namespace mqttspec::scenario::detail

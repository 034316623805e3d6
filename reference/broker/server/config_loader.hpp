// Reads the reference broker's YAML config file (keys as in docs/broker.md):
//
//   maximum_qos: 1
//   refused_topics: [forbidden/#]
//   users: { alice: secret }
//   overlap: copy_per_subscription
//   faults: [no-will]
//
// Unknown keys, wrong types and out-of-range values are errors naming file:line:col.
#pragma once

#include <string>
#include <variant>

#include "reference/broker/config.hpp"

namespace mqtt::broker {

/// The config, or one line "FILE:LINE:COL: what is wrong".
std::variant<config, std::string> load_config(const std::string& path);
/// The same for YAML text; `name` stands for the file in messages.
std::variant<config, std::string> parse_config(const std::string& text, const std::string& name);

}  // namespace mqtt::broker

// An analysis as people read it (a table per connection, then the findings, the
// summary last) and as programs read it (JSON, reports/schemas/analysis.schema.json).
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis.hpp"

namespace mqttspec::analyze {

/// `quiet`: the summary only.
void print(std::ostream& out, const analysis& a, bool quiet);

nlohmann::json to_json(const analysis& a);

/// Seconds since the capture's first frame: "12.345678".
std::string since_start(const analysis& a, timestamp at);

}  // namespace mqttspec::analyze

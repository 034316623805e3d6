// The HTML report of an analysis, in the style of a run's: each MQTT connection of the
// capture is a row (pass, or fail with its findings), and its detail shows the
// connection's timeline as a message sequence diagram.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analysis.hpp"

namespace mqttspec::analyze {

/// The analysis as a run document (reports/schemas/run.schema.json): a case per connection.
nlohmann::json run_document(const analysis& a, const std::string& command);

/// Writes DIR/index.html; "" or why not.
std::string write_report(const analysis& a, const std::string& dir, const std::string& command);

}  // namespace mqttspec::analyze

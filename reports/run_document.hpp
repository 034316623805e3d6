// The run document (the JSON of `mqttspec run --json`, reports/schemas/run.schema.json)
// as every report reads it: from a file, or from a run just finished.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mqttspec::reports {

using json = nlohmann::ordered_json;

/// Reads a run document; "" or why not ("FILE: not a run document ...").
std::string load_run(const std::string& path, json& out);

/// A document with every string made valid UTF-8 (forged packets carry any byte),
/// so every writer can print it without checks.
json sanitized(const json& doc);

/// Every normative statement of both versions, for the heat map and the case detail:
/// {"3.1.1": [[id, section, section title, text], ...], "5": [...]}.
json spec_statements();

}  // namespace mqttspec::reports

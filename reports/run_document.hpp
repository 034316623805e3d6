// The run document (the JSON of `mqttspec run --json`, reports/schemas/run.schema.json)
// as every report reads it: from a file, or from a run just finished.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mqttspec::reports {

using json = nlohmann::ordered_json;

/// Reads a run document; "" or why not ("FILE: not a run document ...").
/// A relative pcap path is taken from the document's folder (as write_run writes it),
/// or from the working directory when only that one exists (older documents).
std::string load_run(const std::string& path, json& out);

/// Writes a run document with its pcap paths relative to the file's folder and no
/// absolute scenario path (see portable()); "" or why not.
std::string write_run(const std::string& path, const json& doc);

/// A seed exactly, as text: 64-bit seeds exceed JavaScript's 53-bit numbers, so
/// documents may carry them as strings; "0" when there is none.
std::string seed_text(const json& owner);

/// A document with every string made valid UTF-8 (forged packets carry any byte),
/// so every writer can print it without checks.
json sanitized(const json& doc);

/// Every normative statement of both versions, for the heat map and the case detail:
/// {"3.1.1": [[id, section, section title, text], ...], "5": [...]}.
json spec_statements();

}  // namespace mqttspec::reports

// Every result of a run as JSON, for scripts, for the reports and for `mqttspec report`.
// The document is described by reports/schemas/run.schema.json; it carries every case's
// failures, steps, packets and link events, so a merged matrix can show any case's
// detail without the original run.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "result.hpp"

namespace mqttspec::run {

struct run_info {
  std::string broker;                       // "embedded reference broker (virtual time)" or a URL
  std::string profile;                      // the profile's name
  std::map<std::string, bool> capabilities;  // from the profile and discovery
  std::map<std::string, std::string> limits;
  std::vector<std::string> protocols;       // the versions the run covered: "3.1.1", "5"
  std::vector<std::string> faults;          // embedded broker faults, if any
  std::string link;                         // --link as given
  std::uint64_t seed = 0;
  double wall_s = 0;
  std::string started;                      // ISO 8601, UTC
  std::string command;                      // a command line that reproduces the run
  bool virtual_time = true;
  std::string stopped;                      // "" or why the run ended early: "interrupted", ...
  /// Case id -> why its result is expected (from --expect): reports mark it known.
  std::map<std::string, std::string> known;
};

/// The schema version written as "format"; bumped when a field changes meaning.
inline constexpr int json_format = 1;

/// The whole run as one document.
nlohmann::ordered_json to_json(const std::vector<case_result>& results, const run_info& info);

/// Writes the file; "" or why not.
std::string write_json(const std::string& path, const std::vector<case_result>& results, const run_info& info);

}  // namespace mqttspec::run

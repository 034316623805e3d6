// Every result of a run as JSON, for scripts and for `mqttspec report`.
#pragma once

#include <string>
#include <vector>

#include "result.hpp"

namespace mqttspec::run {

struct run_info {
  std::string broker;
  std::uint64_t seed = 0;
  std::string link;
  double wall_s = 0;
};

/// Writes the file; "" or why not.
std::string write_json(const std::string& path, const std::vector<case_result>& results, const run_info& info);

}  // namespace mqttspec::run

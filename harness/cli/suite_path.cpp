#include "suite_path.hpp"

#include <cstdlib>
#include <filesystem>

#include "spec/spec_table.hpp"

namespace mqttspec::cli {

std::string default_suite() {
  if (const char* env = std::getenv("MQTTSPEC_SCENARIOS"); env && *env) return env;
  auto dir = spec::locate_data("scenarios", "scenario.schema.json");
  return dir.empty() ? "scenarios" : dir;
}

std::string shown_path(const std::string& path) {
  std::error_code ec;
  const auto rel = std::filesystem::proximate(path, ec);
  return ec || rel.empty() ? path : rel.generic_string();
}

}  // namespace mqttspec::cli

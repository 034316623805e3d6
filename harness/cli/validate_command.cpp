// `mqttspec validate PATH...`: every problem of the scenario files as
// file:line:col: message, then a summary. Exit 0 when clean, 2 otherwise.
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "harness/scenario/loader.hpp"

namespace mqttspec::cli {

namespace {

// The same files the loader reads from a folder: *.yaml and *.yml below it.
bool holds_scenarios(const std::filesystem::path& dir) {
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto ext = it->path().extension();
    if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) return true;
  }
  return bool(ec);  // an unreadable folder is the loader's to report
}

}  // namespace

int validate_command(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << "usage: mqttspec validate PATH...\n"
                   "Checks scenario files (a directory: every *.yaml and *.yml below it, at least\n"
                   "one) and prints each problem as file:line:col: message. Exit 0 when clean,\n"
                   "2 otherwise.\n";
      return 0;
    }
    if (a.starts_with("-")) {
      std::cerr << "mqttspec validate: unknown option " << a << "\n";
      return 2;
    }
    paths.push_back(a);
  }
  if (paths.empty()) {
    std::cerr << "mqttspec validate: give the scenario files or folders to check (usage: mqttspec validate PATH...)\n";
    return 2;
  }
  // A folder with no scenario in it is a wrong path, not a clean suite.
  for (const auto& p : paths)
    if (std::error_code ec; std::filesystem::is_directory(p, ec) && !holds_scenarios(p)) {
      std::cerr << "mqttspec validate: " << p << " holds no scenario files (*.yaml or *.yml)\n";
      return 2;
    }
  const auto& table = spec::spec_table::builtin();
  if (!table.error().empty()) {
    std::cerr << "mqttspec validate: " << table.error() << " (set MQTTSPEC_SPEC_DIR)\n";
    return 2;
  }
  const auto result = scenario::load_paths(paths, table);
  for (const auto& p : result.problems) std::cout << scenario::to_string(p) << "\n";
  std::cout << result.files.size() << (result.files.size() == 1 ? " file, " : " files, ") << result.scenarios.size()
            << (result.scenarios.size() == 1 ? " scenario, " : " scenarios, ") << result.problems.size()
            << (result.problems.size() == 1 ? " problem" : " problems") << "\n";
  return result.problems.empty() ? 0 : 2;
}

}  // namespace mqttspec::cli

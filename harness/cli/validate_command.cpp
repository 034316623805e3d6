// `mqttspec validate PATH...`: every problem of the scenario files as
// file:line:col: message, then a summary. Exit 0 when clean, 2 otherwise.
#include <iostream>

#include "commands.hpp"
#include "harness/scenario/loader.hpp"

namespace mqttspec::cli {

int validate_command(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << "usage: mqttspec validate PATH...\n"
                   "Checks scenario files (a directory: every *.yaml below it) and prints each\n"
                   "problem as file:line:col: message. Exit 0 when clean, 2 otherwise.\n";
      return 0;
    }
    if (a.starts_with("-")) {
      std::cerr << "mqttspec validate: unknown option " << a << "\n";
      return 2;
    }
    paths.push_back(a);
  }
  if (paths.empty()) {
    std::cerr << "usage: mqttspec validate PATH...\n";
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

// Reads scenario files (docs/scenarios.md is the format) into the model, checking
// everything the format defines. Never throws on any input: every problem is a value
// with the file, line and column it is about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"
#include "spec/spec_table.hpp"

namespace mqttspec::scenario {

struct problem {
  position at;
  std::string message;
};

/// "file:line:col: message".
std::string to_string(const problem& p);

struct load_result {
  /// Every scenario of every file without problems, parameters expanded (one per
  /// combination, id suffixed "[k=v,...]"), in file order. `at` is where the id is written.
  std::vector<scenario> scenarios;
  /// Sorted by file, line, column; each reported once even when several parameter
  /// combinations hit it.
  std::vector<problem> problems;
  std::vector<std::string> files;  // the files read, in order
};

/// One file's text; `file` names it in positions.
load_result load_text(std::string_view text, const std::string& file,
                      const spec::spec_table& table = spec::spec_table::builtin());

/// One file, or a directory tree: every *.yaml and *.yml below it, sorted by path.
/// Several paths are read in the order given; an id used twice is a problem.
load_result load_paths(const std::vector<std::string>& paths,
                       const spec::spec_table& table = spec::spec_table::builtin());

/// One runnable case per scenario and protocol version: "id@3.1.1", "id[qos=1]@5".
/// The cases point into `scenarios`, which must outlive them.
std::vector<test_case> cases_of(const std::vector<scenario>& scenarios);

/// A reason code as scenarios write it: a 5.0 name ("not_authorized", also the
/// aliases normal_disconnection and granted_qos_0), "0x87" or "135". Scenarios use
/// the 5.0 names for 3.1.1 too; the runner maps them to 3.1.1 return codes.
std::optional<std::uint8_t> reason_code_value(std::string_view text);

}  // namespace mqttspec::scenario

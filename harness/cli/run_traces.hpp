// Golden traces for `run` and `record`: each case's pcap compared with the one stored
// for it, and the index `record` writes beside the stored ones.
#pragma once

#include <string>
#include <vector>

#include "harness/run/result.hpp"
#include "harness/traces/compare.hpp"

namespace mqttspec::cli {

/// Compares each result's pcap with DIR/<the same file name> (traces::compare_files,
/// namespaces ignored); sets trace and trace_differences. `strict`: a case that
/// differs, or has no trace, fails.
void compare_traces(std::vector<run::case_result>& results, const std::string& dir, traces::compare_options o,
                    bool strict);

/// Prints how many cases matched their trace, and the differences of the others.
void print_traces(const std::vector<run::case_result>& results);

/// DIR/index.json: each case's id, trace file, seed and verdict. Error text, or "".
std::string write_trace_index(const std::vector<run::case_result>& results, const std::string& dir);

}  // namespace mqttspec::cli

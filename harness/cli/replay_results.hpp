// A replay's verdicts: the run of the capture's scenario split into a result per
// connection of the capture, each compared with the recorded exchange.
#pragma once

#include <string>
#include <vector>

#include "harness/run/result.hpp"
#include "harness/traces/compare.hpp"
#include "harness/traces/to_scenario.hpp"

namespace mqttspec::cli {

/// What will be replayed, and what cannot be and why.
void print_plan(const traces::scenario_text& s);

/// One result per replayed connection (its steps, packets, failures, and the
/// differences from the capture; with `strict` a difference fails it) and one
/// `skipped` result per connection that was not replayed.
std::vector<run::case_result> per_connection(std::vector<run::case_result> run, const traces::trace_file& capture,
                                             const traces::scenario_text& s, const traces::compare_options& o,
                                             bool strict, const std::string& capture_path);

}  // namespace mqttspec::cli

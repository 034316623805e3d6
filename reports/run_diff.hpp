// What changed between two runs of the same broker: new failures, fixed cases,
// other verdict changes, cases added and removed.
#pragma once

#include <string>
#include <vector>

#include "run_document.hpp"

namespace mqttspec::reports {

struct verdict_change {
  std::string id;
  std::string before, after;  // "" : the case is not in that run
  std::string why;            // the new run's first failure, when there is one
};

struct run_diff {
  std::vector<verdict_change> new_failures;  // was pass/skipped/non-strict (or absent), now fail/error/flaky
  std::vector<verdict_change> fixed;         // was fail/error/flaky, now pass
  std::vector<verdict_change> changed;       // any other change of verdict
  std::vector<verdict_change> added, removed;
};

run_diff diff_runs(const json& before, const json& after);

/// One line per change, grouped; "no change" when there is none.
std::string to_text(const run_diff& d);
std::string to_markdown(const run_diff& d);

}  // namespace mqttspec::reports

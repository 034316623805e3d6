// Expectations files (YAML): the results a broker is known to have that are not a
// pass, each with a reason. A run fails only on results it does not list, and says so
// when a listed case passes (the broker was fixed: the entry has rotted).
//   - case: "will/delay*@5"
//     verdict: fail                   # or a list: [pass, non-strict], or flaky
//     reason: "mosquitto publishes the will at once when session expiry is 0 (observed 2.0.11)"
#pragma once

#include <string>
#include <vector>

#include "result.hpp"

namespace mqttspec::run {

struct expectation {
  std::string case_glob;
  std::vector<verdict> allowed;  // the verdicts the case may have
  std::string reason;
  std::string where;  // "file:line:col" of the entry
};

/// "" on success, else "file:line:col: message".
std::string load_expectations(const std::string& path, std::vector<expectation>& out);

/// The expectation that lists `r` with its verdict, if any.
const expectation* expected_for(const std::vector<expectation>& e, const case_result& r);

/// An expectation that lists `r` but not with a pass, when `r` passed: it has rotted.
const expectation* unexpected_pass(const std::vector<expectation>& e, const case_result& r);

/// Entries whose glob matches none of `case_ids` (the whole suite, before filters):
/// "file:line:col: no case matches 'glob'".
std::vector<std::string> unmatched(const std::vector<expectation>& e, const std::vector<std::string>& case_ids);

/// "fail" or "pass or non-strict".
std::string allowed_text(const expectation& e);

}  // namespace mqttspec::run

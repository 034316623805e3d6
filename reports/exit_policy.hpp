// Which verdicts make `mqttspec run` exit 1. The default fails on fail, error and
// flaky; --fail-on non-strict adds non-strict; --ignore-flaky drops flaky.
#pragma once

#include <string>
#include <string_view>

namespace mqttspec::reports {

struct exit_policy {
  bool fail_on_non_strict = false;
  bool ignore_flaky = false;
};

/// Parses --fail-on: "fail" or "non-strict"; false for anything else.
bool parse_fail_on(std::string_view s, exit_policy& p);

/// Does a case with this verdict (and no expectation covering it) fail the run?
bool fails_run(std::string_view verdict, const exit_policy& p);

}  // namespace mqttspec::reports

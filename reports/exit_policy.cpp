#include "exit_policy.hpp"

namespace mqttspec::reports {

bool parse_fail_on(std::string_view s, exit_policy& p) {
  if (s == "fail") p.fail_on_non_strict = false;
  else if (s == "non-strict") p.fail_on_non_strict = true;
  else return false;
  return true;
}

bool fails_run(std::string_view verdict, const exit_policy& p) {
  if (verdict == "fail" || verdict == "error") return true;
  if (verdict == "flaky") return !p.ignore_flaky;
  if (verdict == "non-strict") return p.fail_on_non_strict;
  return false;
}

}  // namespace mqttspec::reports

#include "run_diff.hpp"

#include <map>

namespace mqttspec::reports {

namespace {

bool bad(const std::string& v) { return v == "fail" || v == "error" || v == "flaky"; }

std::string first_failure(const json& c) {
  if (!c["failures"].empty()) return c["failures"][0].value("message", std::string());
  return c.value("reason", std::string());
}

}  // namespace

run_diff diff_runs(const json& before, const json& after) {
  std::map<std::string, const json*> old_cases;
  for (const auto& c : before["cases"]) old_cases[c.value("id", std::string())] = &c;
  run_diff d;
  for (const auto& c : after["cases"]) {
    const auto id = c.value("id", std::string());
    const auto now = c.value("verdict", std::string());
    auto it = old_cases.find(id);
    if (it == old_cases.end()) {
      d.added.push_back({id, "", now, first_failure(c)});
      if (bad(now)) d.new_failures.push_back({id, "", now, first_failure(c)});
      continue;
    }
    const auto was = it->second->value("verdict", std::string());
    old_cases.erase(it);
    if (was == now) continue;
    verdict_change ch{id, was, now, first_failure(c)};
    if (bad(now) && !bad(was)) d.new_failures.push_back(ch);
    else if (bad(was) && now == "pass") d.fixed.push_back(ch);
    else d.changed.push_back(ch);
  }
  for (const auto& [id, c] : old_cases) d.removed.push_back({id, c->value("verdict", std::string()), "", ""});
  return d;
}

std::string to_text(const run_diff& d) {
  std::string s;
  auto group = [&](const char* title, const std::vector<verdict_change>& v) {
    if (v.empty()) return;
    s += std::string(title) + " (" + std::to_string(v.size()) + "):\n";
    for (const auto& c : v) {
      s += "  " + c.id + "  " + (c.before.empty() ? "(new case)" : c.before) + " -> " + (c.after.empty() ? "(removed)" : c.after);
      if (!c.why.empty() && c.after != "pass") s += "  — " + c.why;
      s += "\n";
    }
  };
  group("new failures", d.new_failures);
  group("fixed", d.fixed);
  group("other changes", d.changed);
  group("cases added", d.added);
  group("cases removed", d.removed);
  return s.empty() ? "no change\n" : s;
}

std::string to_markdown(const run_diff& d) {
  std::string s;
  auto group = [&](const char* title, const std::vector<verdict_change>& v) {
    if (v.empty()) return;
    s += std::string("#### ") + title + " (" + std::to_string(v.size()) + ")\n\n| case | before | after | why |\n|---|---|---|---|\n";
    for (const auto& c : v) s += "| `" + c.id + "` | " + c.before + " | " + c.after + " | " + c.why + " |\n";
    s += "\n";
  };
  group("New failures", d.new_failures);
  group("Fixed", d.fixed);
  group("Other changes", d.changed);
  return s.empty() ? "No change in verdicts.\n" : s;
}

}  // namespace mqttspec::reports

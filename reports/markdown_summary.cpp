#include "markdown_summary.hpp"

#include <fstream>

namespace mqttspec::reports {

namespace {

// Table cells hold one line and no pipes.
std::string cell(std::string s) {
  for (auto& c : s)
    if (c == '|' || c == '\n') c = ' ';
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return s;
}

const char* icon(const std::string& v) {
  if (v == "pass") return "✅";
  if (v == "fail") return "❌";
  if (v == "error") return "💥";
  if (v == "flaky") return "🎲";
  if (v == "non-strict") return "⚠️";
  return "⏭️";
}

}  // namespace

std::string markdown_summary(const json& run, const exit_policy& policy) {
  std::string s = "### mqttspec: " + run.value("broker", std::string()) + "\n\n";
  s += "seed `" + seed_text(run) + "`, link `" + run.value("link", std::string()) +
       "`, " + std::to_string(run["cases"].size()) + " cases\n\n| verdict | cases |\n|---|---:|\n";
  const json counts = run.value("counts", json::object());  // items() must not outlive it
  for (const auto& [v, n] : counts.items())
    s += std::string("| ") + icon(v) + " " + v + " | " + std::to_string(n.get<int>()) + " |\n";
  std::string rows;
  std::size_t shown = 0, bad = 0;
  for (const auto& c : run["cases"]) {
    const auto v = c.value("verdict", std::string());
    if (v == "pass" || v == "skipped") continue;
    ++bad;
    if (++shown > 50) continue;
    std::string why = c.value("reason", std::string());
    std::string spec;
    if (!c["failures"].empty()) {
      why = c["failures"][0].value("message", std::string());
      for (const auto& id : c["failures"][0].value("spec", json::array())) spec += (spec.empty() ? "" : " ") + id.get<std::string>();
    }
    rows += std::string("| ") + icon(v) + " " + v + (c.contains("known") ? " (known)" : fails_run(v, policy) ? "" : " (allowed)") + " | `" + cell(c.value("id", std::string())) +
            "` | " + cell(why) + " | " + cell(spec) + " |\n";
  }
  if (bad) {
    s += "\n| verdict | case | first failure | spec |\n|---|---|---|---|\n" + rows;
    if (shown > 50) s += "\n" + std::to_string(shown - 50) + " more: see the HTML report or the JUnit results.\n";
  }
  return s + "\n";
}

std::string append_summary(const std::string& path, const json& run, const exit_policy& policy) {
  std::ofstream out(path, std::ios::app);
  if (!out) return "cannot write " + path;
  out << markdown_summary(run, policy);
  return out ? "" : "cannot write " + path;
}

}  // namespace mqttspec::reports

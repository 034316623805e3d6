#include "junit_report.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "spec/spec_table.hpp"
#include "portable.hpp"

namespace mqttspec::reports {

namespace {

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0 : s);
  return buf;
}

// The suite of a case: its scenario file below scenarios/, else the file name.
std::string suite_of(const json& c) {
  std::string f = shown_file(str(c, "file"));
  if (auto p = f.rfind("scenarios/"); p != std::string::npos) f = f.substr(p + 10);
  return f.empty() ? "scenarios" : f;
}

std::string classname_of(const json& c) {
  const std::string id = str(c, "id");
  const auto slash = id.find('/');
  std::string group = slash == std::string::npos ? "cases" : id.substr(0, slash);
  for (auto& ch : group)
    if (ch == '.') ch = '_';
  return std::string("mqttspec.") + (str(c, "protocol") == "5" ? "mqtt5." : "mqtt311.") + group;
}

std::string attr(const char* name, std::string_view value) {
  return std::string(" ") + name + "=\"" + xml_escape(value) + "\"";
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // XML 1.0 forbids other control characters even as references.
        out += ch < 0x20 ? '?' : static_cast<char>(ch);
    }
  }
  return out;
}

std::string failure_details(const json& c) {
  const auto& table = spec::spec_table::builtin();
  const auto version = str(c, "protocol") == "5" ? mqtt::protocol_version::v5 : mqtt::protocol_version::v311;
  std::string s;
  if (!str(c, "reason").empty()) s += "reason: " + str(c, "reason") + "\n";
  for (const auto& f : c.value("failures", json::array())) {
    s += "at " + str(f, "where") + ": " + str(f, "message") + (f.value("non_strict", false) ? " [non-strict]" : "") + "\n";
    if (!str(f, "expected").empty()) s += "  expected: " + str(f, "expected") + "\n";
    if (!str(f, "actual").empty()) s += "  actual:   " + str(f, "actual") + "\n";
    if (!str(f, "actual_hex").empty()) s += "  hex:      " + str(f, "actual_hex") + "\n";
    for (const auto& id : f.value("spec", json::array())) {
      const auto text = table.text(version, id.get<std::string>());
      s += "  [" + id.get<std::string>() + "] " + std::string(text.empty() ? "(not in this version's spec)" : text) + "\n";
    }
  }
  s += "seed: " + seed_text(c) + "\n";
  if (!str(c, "pcap").empty()) s += "pcap: " + str(c, "pcap") + "\n";
  return s;
}

std::string junit_xml(const json& run, const exit_policy& policy) {
  // Suites in the order their first case ran.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const json*>> suites;
  for (const auto& c : run["cases"]) {
    auto name = suite_of(c);
    if (!suites.count(name)) order.push_back(name);
    suites[name].push_back(&c);
  }
  std::string props = "    <properties>\n";
  auto prop = [&](const char* n, const std::string& v) { props += "      <property" + attr("name", n) + attr("value", v) + "/>\n"; };
  prop("seed", seed_text(run));
  prop("broker", str(run, "broker"));
  prop("profile", str(run, "profile"));
  prop("link", str(run, "link"));
  prop("started", str(run, "started"));
  if (!str(run, "command").empty()) prop("command", str(run, "command"));
  props += "    </properties>\n";

  std::size_t total = 0, failures = 0, errors = 0;
  std::string body;
  for (const auto& name : order) {
    std::size_t f = 0, e = 0, sk = 0;
    double time = 0;
    std::string cases;
    for (const json* c : suites[name]) {
      const std::string v = str(*c, "verdict");
      const double t = c->value("wall_ms", 0.0) / 1000;
      time += t;
      cases += "    <testcase" + attr("name", str(*c, "id")) + attr("classname", classname_of(*c)) + attr("time", seconds(t));
      std::string first = str(*c, "reason");
      if (!(*c)["failures"].empty()) first = str((*c)["failures"][0], "message");
      const std::string title = str(*c, "title");
      if (v == "skipped" || c->contains("known")) {
        // A known result (listed in the expectations file) does not fail the run: shown as skipped.
        ++sk;
        const std::string why = c->contains("known") ? "known " + v + ": " + str(*c, "known") : first;
        cases += ">\n      <skipped" + attr("message", why.empty() ? "skipped" : why) + "/>\n    </testcase>\n";
      } else if (v == "error") {
        ++e;
        cases += ">\n      <error" + attr("type", "error") + attr("message", first) + ">" + xml_escape(failure_details(*c)) +
                 "</error>\n    </testcase>\n";
      } else if (v == "pass" || (v == "non-strict" && !policy.fail_on_non_strict) || (v == "flaky" && policy.ignore_flaky)) {
        if (v == "pass") cases += "/>\n";
        else
          cases += ">\n      <system-out>" + xml_escape(v + ": " + title + "\n" + failure_details(*c)) +
                   "</system-out>\n    </testcase>\n";
      } else {
        ++f;
        cases += ">\n      <failure" + attr("type", v) + attr("message", first.empty() ? v : first) + ">" +
                 xml_escape(title + "\n" + failure_details(*c)) + "</failure>\n    </testcase>\n";
      }
    }
    total += suites[name].size(), failures += f, errors += e;
    body += "  <testsuite" + attr("name", name) + attr("tests", std::to_string(suites[name].size())) +
            attr("failures", std::to_string(f)) + attr("errors", std::to_string(e)) + attr("skipped", std::to_string(sk)) +
            attr("time", seconds(time)) + attr("timestamp", str(run, "started")) + ">\n" + props + cases + "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attr("name", "mqttspec: " + str(run, "broker")) +
         attr("tests", std::to_string(total)) + attr("failures", std::to_string(failures)) +
         attr("errors", std::to_string(errors)) + attr("time", seconds(run.value("wall_s", 0.0))) + ">\n" + body +
         "</testsuites>\n";
}

std::string write_junit(const std::string& path, const json& run, const exit_policy& policy) {
  std::ofstream out(path);
  if (!out) return "cannot write " + path;
  // pcap lines relative to the XML's folder: CI uploads it with the reports beside it.
  const auto folder = std::filesystem::path(path).parent_path().string();
  out << junit_xml(portable(run, folder.empty() ? "." : folder), policy);
  return out ? "" : "cannot write " + path;
}

}  // namespace mqttspec::reports

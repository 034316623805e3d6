#include "report.hpp"

#include <set>

#include "output.hpp"
#include "reports/html_report.hpp"

namespace mqttspec::analyze {

namespace {

using nlohmann::json;

std::string version_of(const connection& c) {
  return c.version && *c.version == mqtt::protocol_version::v311 ? "3.1.1" : "5";
}

json case_of(const analysis& a, const connection& c) {
  const std::string who = c.client_id.empty() ? c.client : c.client_id;
  json failures = json::array();
  std::set<std::string> spec;
  bool must = false, should = false;
  for (const auto& f : a.findings) {
    if (f.connection != c.id) continue;
    (f.should ? should : must) = true;
    if (!f.spec_id.empty()) spec.insert(f.spec_id);
    std::string where = "at " + since_start(a, f.at) + " s";
    if (!f.frames.empty()) where = "frame " + std::to_string(f.frames.front()) + ", " + where;
    std::string actual;
    for (const auto& p : f.packets) actual += (actual.empty() ? "" : "\n") + p;
    failures.push_back({{"where", where},
                        {"message", f.message},
                        {"expected", ""},
                        {"actual", actual},
                        {"actual_hex", ""},
                        {"spec", f.spec_id.empty() ? json::array() : json::array({f.spec_id})},
                        {"non_strict", f.should}});
  }
  json packets = json::array();
  for (const auto& p : c.timeline)
    packets.push_back({{"t_s", std::stod(since_start(a, p.at))},
                       {"client", who},
                       {"connection", 1},
                       {"from", p.from_server ? "broker" : "client"},
                       {"text", p.text},
                       {"hex", ""}});
  json notes = json::array();
  for (const auto& n : c.notes) notes.push_back({{"t_s", std::stod(since_start(a, c.start))}, {"connection", 1}, {"what", n}});
  json tags = json::array({c.ended});
  if (c.mid_stream) tags.push_back("mid-stream");
  if (c.timeline_dropped) tags.push_back(std::to_string(c.timeline_dropped) + " more packets not drawn");
  return {{"id", "connection/" + std::to_string(c.id) + " " + who},
          {"title", c.client + " -> " + c.server + ", MQTT " + version_of(c) + " (" + c.version_from + "), from frame " +
                        std::to_string(c.first_frame)},
          {"file", a.file},
          {"protocol", version_of(c)},
          {"verdict", must ? "fail" : should ? "non-strict" : "pass"},
          {"reason", ""},
          {"spec", json(spec)},
          {"tags", tags},
          {"seed", 0},
          {"duration_s", std::stod(since_start(a, c.end)) - std::stod(since_start(a, c.start))},
          {"wall_ms", 0},
          {"failures", failures},
          {"steps", json::array()},
          {"packets", packets},
          {"link_events", notes}};
}

}  // namespace

json run_document(const analysis& a, const std::string& command) {
  json cases = json::array();
  json counts = {{"pass", 0}, {"fail", 0}, {"non-strict", 0}, {"skipped", 0}, {"error", 0}, {"flaky", 0}};
  std::set<std::string> protocols;
  for (const auto& c : a.connections) {
    auto k = case_of(a, c);
    counts[k["verdict"].get<std::string>()] = counts[k["verdict"].get<std::string>()].get<int>() + 1;
    protocols.insert(k["protocol"].get<std::string>());
    cases.push_back(std::move(k));
  }
  const auto summary = to_json(a);
  return {{"format", 1},
          {"tool", "mqttspec"},
          {"broker", "capture " + a.file},
          {"profile", ""},
          {"capabilities", json::object()},
          {"limits", json::object()},
          {"protocols", json(protocols)},
          {"faults", json::array()},
          {"seed", 0},
          {"link", "captured"},
          {"virtual_time", false},
          {"started", summary["capture"].value("first", "")},
          {"command", command},
          {"wall_s", a.seconds},
          {"counts", counts},
          {"cases", cases}};
}

std::string write_report(const analysis& a, const std::string& dir, const std::string& command) {
  reports::html_options o;
  o.title = "mqttspec capture analysis";
  o.labels = {a.file};
  return reports::write_html(dir, {run_document(a, command)}, o);
}

}  // namespace mqttspec::analyze

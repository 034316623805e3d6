#include "json_output.hpp"

#include <fstream>

namespace mqttspec::run {

namespace {

double seconds(timestamp t) { return double(t.count()) / 1e6; }

nlohmann::ordered_json case_json(const case_result& r, const run_info& info) {
  nlohmann::ordered_json c;
  c["id"] = r.id;
  c["title"] = r.title;
  c["file"] = r.file;
  c["protocol"] = r.version == mqtt::protocol_version::v5 ? "5" : "3.1.1";
  c["verdict"] = std::string(to_string(r.outcome));
  c["reason"] = r.reason;
  c["spec"] = r.spec_ids;
  c["tags"] = r.tags;
  c["seed"] = r.seed;
  c["duration_s"] = seconds(r.duration);
  c["wall_ms"] = r.wall_ms;
  auto& fs = c["failures"] = nlohmann::ordered_json::array();
  for (const auto& f : r.failures)
    fs.push_back({{"where", f.where},
                  {"message", f.message},
                  {"expected", f.expected},
                  {"actual", f.actual},
                  {"actual_hex", f.actual_hex},
                  {"spec", f.spec_ids},
                  {"non_strict", f.should}});
  auto& steps = c["steps"] = nlohmann::ordered_json::array();
  for (const auto& s : r.steps)
    steps.push_back({{"text", s.text}, {"start_s", seconds(s.started)}, {"end_s", seconds(s.ended)}, {"ok", s.ok}});
  auto& packets = c["packets"] = nlohmann::ordered_json::array();
  for (const auto& p : r.packets)
    packets.push_back({{"t_s", seconds(p.at)},
                       {"client", p.client},
                       {"connection", p.connection},
                       {"from", p.from_broker ? "broker" : "client"},
                       {"text", p.text},
                       {"hex", p.hex}});
  auto& events = c["link_events"] = nlohmann::ordered_json::array();
  for (const auto& e : r.link_events)
    events.push_back({{"t_s", seconds(e.at)}, {"connection", e.connection}, {"what", e.what}});
  if (!r.pcap.empty()) c["pcap"] = r.pcap;
  if (!r.trace.empty()) {
    c["trace"] = r.trace;
    c["trace_differences"] = r.trace_differences;
  }
  if (auto it = info.known.find(r.id); it != info.known.end()) c["known"] = it->second;
  return c;
}

}  // namespace

nlohmann::ordered_json to_json(const std::vector<case_result>& results, const run_info& info) {
  nlohmann::ordered_json root;
  root["format"] = json_format;
  root["tool"] = "mqttspec";
  root["broker"] = info.broker;
  root["profile"] = info.profile;
  root["capabilities"] = info.capabilities;
  root["limits"] = info.limits;
  root["protocols"] = info.protocols;
  root["faults"] = info.faults;
  // JavaScript reads 53 bits of a number exactly: a larger seed travels as text.
  if (info.seed < (1ull << 53)) root["seed"] = info.seed;
  else root["seed"] = std::to_string(info.seed);
  root["link"] = info.link;
  root["virtual_time"] = info.virtual_time;
  root["started"] = info.started;
  root["command"] = info.command;
  root["wall_s"] = info.wall_s;
  if (!info.stopped.empty()) root["stopped"] = info.stopped;
  // Built apart and moved in: a reference into root would dangle when root grows.
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (auto v : {verdict::pass, verdict::fail, verdict::non_strict, verdict::skipped, verdict::error, verdict::flaky})
    counts[std::string(to_string(v))] = 0;
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const auto& r : results) {
    counts[std::string(to_string(r.outcome))] = counts[std::string(to_string(r.outcome))].get<int>() + 1;
    cases.push_back(case_json(r, info));
  }
  root["counts"] = std::move(counts);
  root["cases"] = std::move(cases);
  return root;
}

std::string write_json(const std::string& path, const std::vector<case_result>& results, const run_info& info) {
  std::ofstream out(path);
  if (!out) return "cannot write " + path;
  // Packets and hex may hold bytes that are not UTF-8 (forged strings): replace, never throw.
  out << to_json(results, info).dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return out ? "" : "cannot write " + path;
}

}  // namespace mqttspec::run

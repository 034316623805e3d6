#include "json_output.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace mqttspec::run {

std::string write_json(const std::string& path, const std::vector<case_result>& results, const run_info& info) {
  nlohmann::ordered_json root;
  root["broker"] = info.broker;
  root["seed"] = info.seed;
  root["link"] = info.link;
  root["wall_s"] = info.wall_s;
  auto& cases = root["cases"] = nlohmann::ordered_json::array();
  for (const auto& r : results) {
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
    c["duration_s"] = double(r.duration.count()) / 1e6;
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
    if (!r.pcap.empty()) c["pcap"] = r.pcap;
    cases.push_back(std::move(c));
  }
  std::ofstream out(path);
  if (!out) return "cannot write " + path;
  out << root.dump(2) << "\n";
  return out ? "" : "cannot write " + path;
}

}  // namespace mqttspec::run

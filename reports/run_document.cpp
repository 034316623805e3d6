#include "run_document.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "spec/spec_table.hpp"
#include "portable.hpp"

namespace mqttspec::reports {

namespace fs = std::filesystem;

std::string load_run(const std::string& path, json& out) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read";
  out = json::parse(in, nullptr, false);
  if (out.is_discarded()) return path + ": not valid JSON";
  if (!out.is_object() || !out.contains("cases") || !out["cases"].is_array())
    return path + ": not a run document (no \"cases\" array; write one with mqttspec run --json FILE)";
  const fs::path from = fs::path(path).parent_path();
  for (auto& c : out["cases"]) {
    if (!c.is_object() || !c.contains("pcap") || !c["pcap"].is_string()) continue;
    const fs::path p = c["pcap"].get<std::string>(), beside = from / p;
    std::error_code ec;
    if (p.is_relative() && (fs::exists(beside, ec) || !fs::exists(p, ec))) c["pcap"] = beside.lexically_normal().generic_string();
  }
  return "";
}

std::string write_run(const std::string& path, const json& doc) {
  std::ofstream out(path);
  if (!out) return "cannot write " + path;
  const auto folder = fs::path(path).parent_path().string();
  out << portable(doc, folder.empty() ? "." : folder).dump(1, ' ', false, json::error_handler_t::replace) << "\n";
  return out ? "" : "cannot write " + path;
}

std::string seed_text(const json& owner) {
  const auto it = owner.find("seed");
  if (it == owner.end()) return "0";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return it->dump();
}

json sanitized(const json& doc) {
  return json::parse(doc.dump(-1, ' ', false, json::error_handler_t::replace));
}

json spec_statements() {
  const auto& table = spec::spec_table::builtin();
  json out = json::object();
  for (auto [v, name] : {std::pair{mqtt::protocol_version::v311, "3.1.1"}, std::pair{mqtt::protocol_version::v5, "5"}}) {
    auto& rows = out[name] = json::array();
    for (const auto& id : table.ids(v)) {
      const auto* s = table.find(v, id);
      rows.push_back(json::array({s->id, s->section, s->section_title, s->text}));
    }
  }
  return out;
}

}  // namespace mqttspec::reports

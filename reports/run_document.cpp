#include "run_document.hpp"

#include <fstream>
#include <sstream>

#include "harness/spec/spec_table.hpp"

namespace mqttspec::reports {

std::string load_run(const std::string& path, json& out) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read";
  out = json::parse(in, nullptr, false);
  if (out.is_discarded()) return path + ": not valid JSON";
  if (!out.is_object() || !out.contains("cases") || !out["cases"].is_array())
    return path + ": not a run document (no \"cases\" array; write one with mqttspec run --json FILE)";
  return "";
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

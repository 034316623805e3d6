#include "spec_table.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace mqttspec::spec {

namespace fs = std::filesystem;

std::string locate_data(const std::string& folder, const std::string& marker) {
  std::error_code ec;
  if (fs::exists(fs::path(folder) / marker, ec)) return folder;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
    for (const auto& candidate : {dir / folder, dir / "share" / "mqttspec" / folder})
      if (fs::exists(candidate / marker, ec)) {
        const auto rel = fs::proximate(candidate, ec);
        return ec ? candidate.string() : rel.string();
      }
  return {};
}

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

}  // namespace

spec_table spec_table::load(const std::string& dir) {
  spec_table t;
  const std::pair<mqtt::protocol_version, const char*> files[] = {
      {mqtt::protocol_version::v311, "mqtt-3.1.1-normative.tsv"},
      {mqtt::protocol_version::v5, "mqtt-5.0-normative.tsv"},
  };
  for (const auto& [version, name] : files) {
    auto& rows = t.rows_[version];
    auto& index = t.index_[version];
    const std::string path = dir + "/" + name;
    std::ifstream in(path);
    if (!in) {
      t.error_ += (t.error_.empty() ? "" : "; ") + std::string("cannot read ") + path;
      continue;
    }
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (header) {  // the column names
        header = false;
        continue;
      }
      if (line.empty()) continue;
      auto cols = split_tabs(line);
      if (cols.size() < 4) continue;
      index.emplace(cols[0], rows.size());
      rows.push_back({cols[0], cols[1], cols[2], cols[3]});
    }
  }
  return t;
}

std::string spec_table::default_dir() {
  if (const char* env = std::getenv("MQTTSPEC_SPEC_DIR"); env && *env) return env;
  auto dir = locate_data("spec", "mqtt-5.0-normative.tsv");
  return dir.empty() ? "spec" : dir;
}

const spec_table& spec_table::builtin() {
  static const spec_table table = load(default_dir());
  return table;
}

const statement* spec_table::find(mqtt::protocol_version v, std::string_view id) const {
  auto idx = index_.find(v);
  if (idx == index_.end()) return nullptr;
  auto it = idx->second.find(id);
  return it == idx->second.end() ? nullptr : &rows_.at(v)[it->second];
}

bool spec_table::exists(mqtt::protocol_version v, std::string_view id) const { return find(v, id) != nullptr; }

std::string_view spec_table::text(mqtt::protocol_version v, std::string_view id) const {
  const auto* s = find(v, id);
  return s ? std::string_view(s->text) : std::string_view();
}

std::string_view spec_table::section(mqtt::protocol_version v, std::string_view id) const {
  const auto* s = find(v, id);
  return s ? std::string_view(s->section) : std::string_view();
}

std::vector<std::string> spec_table::ids(mqtt::protocol_version v) const {
  std::vector<std::string> out;
  if (auto it = rows_.find(v); it != rows_.end())
    for (const auto& r : it->second) out.push_back(r.id);
  return out;
}

}  // namespace mqttspec::spec

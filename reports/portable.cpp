#include "portable.hpp"

#include <filesystem>
#include <set>

namespace mqttspec::reports {

namespace fs = std::filesystem;

namespace {

// Absolute and without "..", symlinks resolved where they exist, so that two spellings
// of one place compare equal.
fs::path resolved(const std::string& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p.empty() ? "." : p, ec).lexically_normal();
  const fs::path c = fs::weakly_canonical(a, ec);
  return ec ? a : c;
}

// A folder name from a run label: "reference, faulty" -> "reference-faulty".
std::string slug(const std::string& label) {
  std::string s;
  for (char ch : label) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_';
    if (ok) s += ch;
    else if (!s.empty() && s.back() != '-') s += '-';
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s.find_first_not_of('.') == std::string::npos ? "" : s;
}

}  // namespace

std::string relative_to(const std::string& path, const std::string& folder) {
  const fs::path p = resolved(path), f = resolved(folder);
  const fs::path rel = p.lexically_relative(f);
  if (rel.empty()) return p.filename().generic_string();  // another root (not on POSIX)
  if (*rel.begin() != "..") return rel.generic_string();
  // Places that share nothing but "/" (/tmp/x from /work/main/build): the climb up to
  // the root would spell out the absolute path, so only the name.
  const bool share = std::distance(p.begin(), p.end()) > 1 && std::distance(f.begin(), f.end()) > 1 &&
                     *std::next(p.begin()) == *std::next(f.begin());
  return share ? rel.generic_string() : p.filename().generic_string();
}

bool is_under(const std::string& path, const std::string& folder) {
  const fs::path rel = resolved(path).lexically_relative(resolved(folder));
  return !rel.empty() && *rel.begin() != "..";
}

std::string shown_file(const std::string& file) {
  const fs::path p(file);
  if (file.empty() || p.is_relative()) return file;
  const std::string g = p.generic_string();
  if (auto at = g.rfind("/scenarios/"); at != std::string::npos) return g.substr(at + 1);
  if (is_under(file, ".")) return relative_to(file, ".");
  return p.filename().generic_string();
}

json portable(json run, const std::string& folder) {
  if (!run.contains("cases") || !run["cases"].is_array()) return run;
  for (auto& c : run["cases"]) {
    if (!c.is_object()) continue;
    if (c.contains("pcap") && c["pcap"].is_string()) c["pcap"] = relative_to(c["pcap"].get<std::string>(), folder);
    if (!c.contains("file") || !c["file"].is_string()) continue;
    const auto file = c["file"].get<std::string>(), shown = shown_file(file);
    if (file == shown) continue;
    c["file"] = shown;
    // "where" starts with the file: "/abs/scenarios/a.yaml:3:5 step 2 (...)".
    if (!c.contains("failures") || !c["failures"].is_array()) continue;
    for (auto& f : c["failures"])
      if (f.is_object() && f.contains("where") && f["where"].is_string() && f["where"].get<std::string>().rfind(file, 0) == 0)
        f["where"] = shown + f["where"].get<std::string>().substr(file.size());
  }
  return run;
}

void gather_pcaps(std::vector<json>& runs, const std::string& dir, const std::vector<std::string>& labels) {
  std::set<std::string> used;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::string sub = slug(i < labels.size() ? labels[i] : "");
    for (int n = 1; sub.empty() || used.count(sub); ++n) sub = "run-" + std::to_string(i + 1) + (n > 1 ? "-" + std::to_string(n) : "");
    used.insert(sub);
    if (!runs[i].contains("cases") || !runs[i]["cases"].is_array()) continue;
    for (auto& c : runs[i]["cases"]) {
      if (!c.is_object() || !c.contains("pcap") || !c["pcap"].is_string()) continue;
      const auto from = c["pcap"].get<std::string>();
      std::error_code ec;
      if (is_under(from, dir) || !fs::is_regular_file(from, ec)) continue;
      const fs::path to = fs::path(dir) / "pcap" / sub / fs::path(from).filename();
      fs::create_directories(to.parent_path(), ec);
      if (!ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
      if (!ec) c["pcap"] = to.generic_string();
    }
  }
}

}  // namespace mqttspec::reports

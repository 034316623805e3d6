#include "expectations.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "runner.hpp"

namespace mqttspec::run {

namespace {

std::string where(const std::string& path, const YAML::Node& n) {
  const auto m = n.Mark();
  return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::optional<verdict> verdict_named(const std::string& s) {
  for (auto v : {verdict::pass, verdict::fail, verdict::non_strict, verdict::skipped, verdict::error, verdict::flaky})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

bool allows(const expectation& e, verdict v) { return std::find(e.allowed.begin(), e.allowed.end(), v) != e.allowed.end(); }

}  // namespace

std::string load_expectations(const std::string& path, std::vector<expectation>& out) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (root.IsNull()) return {};
    if (!root.IsSequence()) return where(path, root) + ": an expectations file is a list";
    for (const auto& item : root) {
      if (!item.IsMap()) return where(path, item) + ": an expectation is a map (case, verdict, reason)";
      expectation e;
      e.where = where(path, item);
      for (const auto& kv : item) {
        const auto key = kv.first.as<std::string>();
        if (key == "case") {
          e.case_glob = kv.second.as<std::string>();
        } else if (key == "reason") {
          e.reason = kv.second.as<std::string>();
        } else if (key == "verdict") {
          const auto one = [&](const YAML::Node& n) -> std::string {
            const auto name = n.as<std::string>();
            auto v = verdict_named(name);
            if (!v) return where(path, n) + ": unknown verdict '" + name + "' (pass, fail, non-strict, skipped, error, flaky)";
            e.allowed.push_back(*v);
            return {};
          };
          if (kv.second.IsSequence()) {
            for (const auto& n : kv.second)
              if (auto err = one(n); !err.empty()) return err;
            if (e.allowed.empty()) return where(path, kv.second) + ": verdict lists no verdict";
          } else if (auto err = one(kv.second); !err.empty()) {
            return err;
          }
        } else {
          return where(path, kv.first) + ": unknown key '" + key + "' (case, verdict, reason)";
        }
      }
      if (e.case_glob.empty()) return e.where + ": an expectation needs 'case'";
      if (e.reason.empty()) return e.where + ": an expectation needs a 'reason'";
      if (e.allowed.empty()) e.allowed.push_back(verdict::fail);
      out.push_back(std::move(e));
    }
    return {};
  } catch (const YAML::Exception& e) {
    return path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg;
  }
}

const expectation* expected_for(const std::vector<expectation>& e, const case_result& r) {
  for (const auto& x : e)
    if (glob(x.case_glob, r.id) && allows(x, r.outcome)) return &x;
  return nullptr;
}

const expectation* unexpected_pass(const std::vector<expectation>& e, const case_result& r) {
  if (r.outcome != verdict::pass) return nullptr;
  for (const auto& x : e)
    if (glob(x.case_glob, r.id) && !allows(x, verdict::pass)) return &x;
  return nullptr;
}

std::vector<std::string> unmatched(const std::vector<expectation>& e, const std::vector<std::string>& case_ids) {
  std::vector<std::string> out;
  for (const auto& x : e)
    if (std::none_of(case_ids.begin(), case_ids.end(), [&](const std::string& id) { return glob(x.case_glob, id); }))
      out.push_back(x.where + ": no case matches '" + x.case_glob + "'");
  return out;
}

std::string allowed_text(const expectation& e) {
  std::string s;
  for (auto v : e.allowed) s += (s.empty() ? "" : " or ") + std::string(to_string(v));
  return s;
}

}  // namespace mqttspec::run

#include "profile.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "runner.hpp"

namespace mqttspec::run {

const std::vector<std::string>& capability_names() {
  static const std::vector<std::string> names{
      "qos1", "qos2", "retain", "wildcard_subscriptions", "shared_subscriptions", "subscription_identifiers",
      "topic_alias", "will", "persistent_sessions", "enhanced_auth", "user_password"};
  return names;
}

std::vector<std::string> broker_profile::missing() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : capabilities)
    if (!v) out.push_back(k);
  return out;
}

namespace {

std::string where(const std::string& path, const YAML::Node& n) {
  const auto m = n.Mark();
  return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

std::optional<verdict> verdict_named(const std::string& s) {
  for (auto v : {verdict::pass, verdict::fail, verdict::non_strict, verdict::skipped, verdict::error, verdict::flaky})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

}  // namespace

std::string load_profile(const std::string& path, broker_profile& out) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return where(path, root) + "a profile is a map";
    for (const auto& kv : root) {
      const auto key = kv.first.as<std::string>();
      if (key == "name") {
        out.name = kv.second.as<std::string>();
      } else if (key == "capabilities") {
        for (const auto& c : kv.second) {
          const auto cap = c.first.as<std::string>();
          const auto& names = capability_names();
          if (std::find(names.begin(), names.end(), cap) == names.end())
            return where(path, c.first) + "unknown capability '" + cap + "'";
          out.capabilities[cap] = c.second.as<bool>();
        }
      } else if (key == "limits") {
        for (const auto& l : kv.second) out.limits[l.first.as<std::string>()] = l.second.as<std::string>();
      } else {
        return where(path, kv.first) + "unknown key '" + key + "' (name, capabilities, limits)";
      }
    }
    return {};
  } catch (const YAML::Exception& e) {
    return path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg;
  }
}

std::string load_expectations(const std::string& path, std::vector<expectation>& out) {
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (!root.IsSequence()) return where(path, root) + "an expectations file is a list";
    for (const auto& item : root) {
      expectation e;
      for (const auto& kv : item) {
        const auto key = kv.first.as<std::string>();
        if (key == "case") e.case_glob = kv.second.as<std::string>();
        else if (key == "reason") e.reason = kv.second.as<std::string>();
        else if (key == "verdict") {
          auto v = verdict_named(kv.second.as<std::string>());
          if (!v) return where(path, kv.second) + "unknown verdict '" + kv.second.as<std::string>() + "'";
          e.expected = *v;
        } else {
          return where(path, kv.first) + "unknown key '" + key + "' (case, verdict, reason)";
        }
      }
      if (e.case_glob.empty()) return where(path, item) + "an expectation needs 'case'";
      if (e.reason.empty()) return where(path, item) + "an expectation needs a 'reason'";
      out.push_back(std::move(e));
    }
    return {};
  } catch (const YAML::Exception& e) {
    return path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg;
  }
}

const expectation* expected_for(const std::vector<expectation>& e, const case_result& r) {
  for (const auto& x : e)
    if (glob(x.case_glob, r.id) && x.expected == r.outcome) return &x;
  return nullptr;
}

}  // namespace mqttspec::run

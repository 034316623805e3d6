#include "profile.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>


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

// The limits a profile may state, each with its range: typed, so a typo is an error.
struct limit_rule {
  const char* name;
  double lo, hi;
};
constexpr limit_rule limit_rules[] = {
    {"maximum_qos", 0, 2},
    {"maximum_packet_size", 1, 4294967295.0},
    {"receive_maximum", 1, 65535},
    {"topic_alias_maximum", 0, 65535},
    {"server_keep_alive", 0, 65535},
    {"session_expiry_interval", 0, 4294967295.0},
    {"maximum_client_id_length", 1, 65535},
    {"maximum_topic_length", 1, 65535},
};

// "" or why `value` is not a whole number in the limit's range.
std::string check_limit(const std::string& key, const std::string& value) {
  for (const auto& l : limit_rules) {
    if (key != l.name) continue;
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size() || v != static_cast<double>(static_cast<long long>(v)) || v < l.lo || v > l.hi)
      return "limit '" + key + "' must be a whole number from " + std::to_string(static_cast<long long>(l.lo)) + " to " +
             std::to_string(static_cast<long long>(l.hi)) + ", not '" + value + "'";
    return {};
  }
  std::string known;
  for (const auto& l : limit_rules) known += (known.empty() ? "" : ", ") + std::string(l.name);
  return "unknown limit '" + key + "' (" + known + ")";
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
        for (const auto& l : kv.second) {
          const auto key = l.first.as<std::string>(), value = l.second.as<std::string>();
          if (auto e = check_limit(key, value); !e.empty()) return where(path, l.second) + e;
          out.limits[key] = value;
        }
      } else {
        return where(path, kv.first) + "unknown key '" + key + "' (name, capabilities, limits)";
      }
    }
    return {};
  } catch (const YAML::Exception& e) {
    return path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg;
  }
}

}  // namespace mqttspec::run

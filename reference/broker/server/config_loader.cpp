#include "config_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

namespace mqtt::broker {

namespace {

// Thrown inside this file only, turned into the error string at the top.
struct config_error {
  YAML::Mark mark;
  std::string what;
};

[[noreturn]] void fail(const YAML::Node& n, std::string what) { throw config_error{n.Mark(), std::move(what)}; }

bool to_bool(const YAML::Node& n, const std::string& key) {
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) fail(n, key + ": expected true or false");
  return v;
}

std::uint64_t to_uint(const YAML::Node& n, const std::string& key, std::uint64_t max) {
  std::uint64_t v = 0;
  const bool ok = n.IsScalar() && !n.Scalar().empty() && n.Scalar()[0] != '-' &&
                  YAML::convert<std::uint64_t>::decode(n, v);
  if (!ok || v > max) fail(n, key + ": expected an integer from 0 to " + std::to_string(max));
  return v;
}

std::string to_string(const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) fail(n, key + ": expected a string");
  return n.Scalar();
}

template <class F>
void each_item(const YAML::Node& n, const std::string& key, F f) {
  if (!n.IsSequence()) fail(n, key + ": expected a list");
  for (const auto& item : n) f(item);
}

using setter = std::function<void(config&, const YAML::Node&, const std::string&)>;

// One entry per key: the table is the list of what the file may say.
const std::map<std::string, setter>& setters() {
  static const std::map<std::string, setter> all{
      {"maximum_qos", [](config& c, const YAML::Node& n, const std::string& k) { c.maximum_qos = std::uint8_t(to_uint(n, k, 2)); }},
      {"retain_available", [](config& c, const YAML::Node& n, const std::string& k) { c.retain_available = to_bool(n, k); }},
      {"wildcard_subscription_available",
       [](config& c, const YAML::Node& n, const std::string& k) { c.wildcard_subscription_available = to_bool(n, k); }},
      {"shared_subscription_available",
       [](config& c, const YAML::Node& n, const std::string& k) { c.shared_subscription_available = to_bool(n, k); }},
      {"subscription_identifiers_available",
       [](config& c, const YAML::Node& n, const std::string& k) { c.subscription_identifiers_available = to_bool(n, k); }},
      {"receive_maximum",
       [](config& c, const YAML::Node& n, const std::string& k) {
         c.receive_maximum = std::uint16_t(to_uint(n, k, 65535));
         if (c.receive_maximum == 0) fail(n, k + ": must be at least 1 (MQTT-3.2.2.3.3)");
       }},
      {"topic_alias_maximum",
       [](config& c, const YAML::Node& n, const std::string& k) { c.topic_alias_maximum = std::uint16_t(to_uint(n, k, 65535)); }},
      {"maximum_packet_size",
       [](config& c, const YAML::Node& n, const std::string& k) { c.maximum_packet_size = std::uint32_t(to_uint(n, k, 0xffffffff)); }},
      {"server_keep_alive",
       [](config& c, const YAML::Node& n, const std::string& k) { c.server_keep_alive = std::uint16_t(to_uint(n, k, 65535)); }},
      {"max_queued_messages",
       [](config& c, const YAML::Node& n, const std::string& k) { c.max_queued_messages = std::uint32_t(to_uint(n, k, 0xffffffff)); }},
      {"max_session_expiry",
       [](config& c, const YAML::Node& n, const std::string& k) { c.max_session_expiry = std::uint32_t(to_uint(n, k, 0xffffffff)); }},
      {"refused_topics",
       [](config& c, const YAML::Node& n, const std::string& k) {
         each_item(n, k, [&](const YAML::Node& t) { c.refused_topics.insert(to_string(t, k + " item")); });
       }},
      {"users",
       [](config& c, const YAML::Node& n, const std::string& k) {
         if (!n.IsMap()) fail(n, k + ": expected a map of user name to password");
         for (const auto& kv : n) c.users[to_string(kv.first, k + " key")] = to_string(kv.second, k + "." + kv.first.Scalar());
       }},
      {"allow_anonymous", [](config& c, const YAML::Node& n, const std::string& k) { c.allow_anonymous = to_bool(n, k); }},
      {"protocol_versions",
       [](config& c, const YAML::Node& n, const std::string& k) {
         c.protocol_versions.clear();
         each_item(n, k, [&](const YAML::Node& t) {
           const auto v = to_string(t, k + " item");
           if (v == "3.1.1") c.protocol_versions.insert(protocol_version::v311);
           else if (v == "5" || v == "5.0") c.protocol_versions.insert(protocol_version::v5);
           else fail(t, k + ": expected 3.1.1 or 5, not '" + v + "'");
         });
         if (c.protocol_versions.empty()) fail(n, k + ": serve at least one version");
       }},
      {"allow_empty_client_id",
       [](config& c, const YAML::Node& n, const std::string& k) { c.allow_empty_client_id = to_bool(n, k); }},
      {"server_reference", [](config& c, const YAML::Node& n, const std::string& k) { c.server_reference = to_string(n, k); }},
      {"auth_method", [](config& c, const YAML::Node& n, const std::string& k) { c.auth_method = to_string(n, k); }},
      {"overlap",
       [](config& c, const YAML::Node& n, const std::string& k) {
         const auto v = to_string(n, k);
         if (v == "single_copy") c.overlap = overlap_mode::single_copy;
         else if (v == "copy_per_subscription") c.overlap = overlap_mode::copy_per_subscription;
         else fail(n, k + ": expected single_copy or copy_per_subscription, not '" + v + "'");
       }},
      {"faults",
       [](config& c, const YAML::Node& n, const std::string& k) {
         each_item(n, k, [&](const YAML::Node& t) {
           const auto name = to_string(t, k + " item");
           auto f = parse_fault(name);
           if (!f) fail(t, k + ": unknown fault '" + name + "' (mqttspec broker --list-faults)");
           c.faults.insert(*f);
         });
       }},
  };
  return all;
}

std::string where(const std::string& name, const YAML::Mark& m) {
  // yaml-cpp counts from 0; editors count from 1.
  if (m.is_null()) return name;
  return name + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

}  // namespace

std::variant<config, std::string> parse_config(const std::string& text, const std::string& name) {
  config c;
  try {
    const YAML::Node root = YAML::Load(text);
    if (root.IsNull()) return c;  // an empty file: every default
    if (!root.IsMap()) fail(root, "expected a map of settings");
    for (const auto& kv : root) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      auto it = setters().find(key);
      if (it == setters().end()) {
        std::string known;
        for (const auto& [k, s] : setters()) known += (known.empty() ? "" : ", ") + k;
        fail(kv.first, "unknown key '" + key + "' (known: " + known + ")");
      }
      it->second(c, kv.second, key);
    }
  } catch (const config_error& e) {
    return where(name, e.mark) + ": " + e.what;
  } catch (const YAML::Exception& e) {
    return where(name, e.mark) + ": " + e.msg;
  }
  return c;
}

std::variant<config, std::string> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path + ": cannot open the file";
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace mqtt::broker

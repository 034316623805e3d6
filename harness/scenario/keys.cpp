#include "keys.hpp"

#include <algorithm>

#include "netem/impairment.hpp"

namespace mqttspec::scenario {

const std::vector<std::string_view>& link_setting_keys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> k;
    for (const auto& t : netem::impairment_types())
      for (auto key : t.keys)
        // rto_ms is an attribute the link derives, not a setting (netem::parse_link rejects it).
        if (key != "rto_ms" && std::find(k.begin(), k.end(), key) == k.end()) k.push_back(key);
    return k;
  }();
  return keys;
}

const std::vector<key_table>& key_tables() {
  static const std::vector<key_table> tables = [] {
    auto with = [](std::vector<std::string_view> a, const std::vector<std::string_view>& b) {
      a.insert(a.end(), b.begin(), b.end());
      return a;
    };
    std::vector<key_table> t{
        {"scenario",
         {"id", "title", "quote", "protocol", "spec", "tags", "requires", "timeout_s", "namespace", "samples",
          "stagger_s", "parameters", "link", "clients", "steps"}},
        {"client",
         {"client_id", "clean_start", "keepalive_s", "will", "user", "password", "properties", "raw", "auto_ack",
          "link"}},
        {"will", {"topic", "payload", "payload_hex", "qos", "retain", "properties"}},
        {"link", with({"profile", "blackhole"}, link_setting_keys())},
        {"subscription", {"filter", "qos", "no_local", "retain_as_published", "retain_handling"}},
        {"connack_expect", {"session_present", "rc", "properties"}},
        {"matcher", {"regex", "one_of", "range"}},
        {"step.connect", {"expect", "clean_start", "wait", "within_s"}},
        {"step.subscribe",
         {"filter", "filters", "qos", "no_local", "retain_as_published", "retain_handling", "properties", "expect",
          "id", "wait", "within_s"}},
        {"step.unsubscribe", {"filter", "filters", "expect", "id", "wait", "within_s"}},
        {"step.publish",
         {"topic", "payload", "payload_hex", "qos", "retain", "dup", "id", "properties", "wait", "within_s"}},
        {"step.disconnect", {"rc", "properties", "within_s"}},
        {"step.close", {"within_s"}},
        {"step.reset", {"within_s"}},
        {"step.send", {"hex", "within_s"}},
        {"step.expect_nothing", {"for_s", "within_s"}},
        {"step.expect_close", {"or", "non_strict", "within_s", "late_s"}},
        {"step.link", with({"blackhole", "direction", "clear", "reset", "close", "within_s"}, link_setting_keys())},
        {"step.wait", {"within_s"}},
        {"expect.connack", {"session_present", "rc", "properties", "within_s"}},
        {"expect.publish",
         {"topic", "payload", "payload_hex", "qos", "retain", "dup", "id", "properties", "within_s", "late_s"}},
        {"expect.puback", {"id", "rc", "properties", "within_s"}},
        {"expect.pubrec", {"id", "rc", "properties", "within_s"}},
        {"expect.pubrel", {"id", "rc", "properties", "within_s"}},
        {"expect.pubcomp", {"id", "rc", "properties", "within_s"}},
        {"expect.suback", {"id", "codes", "properties", "within_s"}},
        {"expect.unsuback", {"id", "codes", "properties", "within_s"}},
        {"expect.pingresp", {"within_s"}},
        {"expect.disconnect", {"rc", "properties", "within_s"}},
        {"expect.auth", {"rc", "properties", "within_s"}},
    };
    return t;
  }();
  return tables;
}

const std::vector<std::string_view>& keys_of(std::string_view context) {
  static const std::vector<std::string_view> none;
  for (const auto& t : key_tables())
    if (t.context == context) return t.keys;
  return none;
}

const std::vector<std::string_view>& verbs() {
  static const std::vector<std::string_view> v{"connect", "subscribe", "unsubscribe", "publish", "disconnect",
                                               "close",   "reset",     "send",        "expect"};
  return v;
}

const std::vector<std::string_view>& expectable_types() {
  static const std::vector<std::string_view> t{"connack", "publish", "puback",   "pubrec",     "pubrel",
                                               "pubcomp", "suback",  "unsuback", "pingresp",   "disconnect",
                                               "auth"};
  return t;
}

const std::vector<std::string_view>& capabilities() {
  static const std::vector<std::string_view> c{
      "qos1", "qos2", "retain", "wildcard_subscriptions", "shared_subscriptions", "subscription_identifiers",
      "topic_alias", "will", "persistent_sessions", "enhanced_auth", "user_password"};
  return c;
}

}  // namespace mqttspec::scenario

// Broker profiles (YAML). A profile says what a broker supports, so cases that need an absent capability are
// skipped rather than failed:
//   name: mosquitto 2.0
//   capabilities: { shared_subscriptions: true, enhanced_auth: false }
//   limits: { maximum_qos: 2 }          # typed: a word where a number belongs is an error
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mqttspec::run {

struct broker_profile {
  std::string name = "embedded reference broker";
  std::map<std::string, bool> capabilities;  // absent key: assumed present
  std::map<std::string, std::string> limits;

  std::vector<std::string> missing() const;
};

/// "" on success, else "file:line:col: message".
std::string load_profile(const std::string& path, broker_profile& out);

/// Capabilities every profile may name (the `requires:` words of scenarios).
const std::vector<std::string>& capability_names();

}  // namespace mqttspec::run

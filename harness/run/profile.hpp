// Broker profiles and expectations files (YAML).
//
// A profile says what a broker supports, so cases that need an absent capability are
// skipped rather than failed:
//   name: mosquitto 2.0
//   capabilities: { shared_subscriptions: true, enhanced_auth: false }
//   limits: { maximum_qos: 2 }
//
// An expectations file lists known failures of a broker, each with a reason; a run
// fails only on results it does not list:
//   - case: "will/delay*@5"
//     verdict: fail
//     reason: "mosquitto publishes the will at once when session expiry is 0 (observed 2.0.11)"
#pragma once

#include <map>
#include <string>
#include <vector>

#include "result.hpp"

namespace mqttspec::run {

struct broker_profile {
  std::string name = "embedded reference broker";
  std::map<std::string, bool> capabilities;  // absent key: assumed present
  std::map<std::string, std::string> limits;

  std::vector<std::string> missing() const;
};

struct expectation {
  std::string case_glob;
  verdict expected = verdict::fail;
  std::string reason;
};

/// "" on success, else "file:line:col: message".
std::string load_profile(const std::string& path, broker_profile& out);
std::string load_expectations(const std::string& path, std::vector<expectation>& out);

/// The expectation that covers `r`, if any.
const expectation* expected_for(const std::vector<expectation>& e, const case_result& r);

/// Capabilities every profile may name (the `requires:` words of scenarios).
const std::vector<std::string>& capability_names();

}  // namespace mqttspec::run

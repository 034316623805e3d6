// Discovery of a real broker before a run: which protocol versions it accepts, and
// what its 5.0 CONNACK says it lacks (Maximum QoS, Retain Available, ...), so cases
// that need an absent version or capability are skipped, with the reason, not failed.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "reference/codec/types.hpp"

namespace mqttspec::run {

struct discovery {
  std::string error;                         // "" when the broker accepted a version
  std::map<std::string, bool> capabilities;  // only what a 5.0 CONNACK told
  std::string connack;                       // the accepting CONNACK, decoded
  double rtt_ms = 0;                         // CONNECT -> CONNACK
  std::map<mqtt::protocol_version, std::string> refused;  // versions refused, and how
};

struct credentials {
  std::optional<std::string> username, password;
};

/// Connects to HOST:PORT once per protocol version (5.0, then 3.1.1), reads each
/// CONNACK and disconnects. Each answer is awaited at most `timeout_s`.
discovery discover(const std::string& host_port, const credentials& who = {}, double timeout_s = 5);

}  // namespace mqttspec::run

// Discovery of a real broker's capabilities from a 5.0 CONNACK: what it says it lacks
// (Maximum QoS, Retain Available, ...) becomes missing capabilities, so cases that
// need them are skipped.
#pragma once

#include <map>
#include <string>

namespace mqttspec::run {

struct discovery {
  std::string error;                         // "" when the broker answered
  std::map<std::string, bool> capabilities;  // only what the CONNACK told
  std::string connack;                       // the CONNACK, decoded
  double rtt_ms = 0;                         // CONNECT -> CONNACK on loopback
};

/// Connects to HOST:PORT, sends a 5.0 CONNECT, reads the CONNACK, disconnects.
discovery discover(const std::string& host_port);

}  // namespace mqttspec::run

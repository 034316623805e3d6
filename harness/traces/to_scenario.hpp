// A capture turned into a scenario (docs/scenarios.md): one reference client per MQTT
// connection, its packets as typed steps in the capture's order across connections,
// the broker's answers as expectations. `replay --to-yaml` writes it; `replay` runs it
// against a broker and compares the exchange with the capture, so a replay and an
// edited scenario are the same thing.
//
// What makes it protocol-aware rather than byte-blind: the reference client waits for
// the CONNACK, SUBACK or PUBACK/PUBCOMP a packet waited for in the capture, answers
// the new broker's packet ids, follows its Assigned Client Identifier, Server Keep
// Alive and topic aliases; a connection that ended without DISCONNECT ends the same
// way (close, reset, or silence until the broker's keep-alive closes it).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "trace_file.hpp"

namespace mqttspec::traces {

struct scenario_options {
  std::string id = "replay/capture";  // the scenario's id
  std::string source = "capture";     // the capture's file name, for comments and the title
  /// Time between steps: the recorded gaps divided by `speed`; 0: no waits at all
  /// (as fast as the protocol allows).
  double speed = 1;
  /// The version to replay; unset: that of the first connection. A scenario has one.
  std::optional<mqtt::protocol_version> version;
};

/// A connection of the capture the scenario replays.
struct replayed_connection {
  std::size_t index;       // in trace_file::connections
  std::string client;      // its client in the scenario
  std::string address;     // "127.0.0.1:40012"
  std::size_t steps = 0;   // its steps in the scenario (its link steps too)
};

struct skipped_connection {
  std::string address;
  std::string reason;
};

struct scenario_text {
  std::string yaml;  // empty when no connection can be replayed
  std::vector<replayed_connection> connections;
  std::vector<skipped_connection> skipped;
  std::optional<mqtt::protocol_version> version;
};

scenario_text to_scenario(const trace_file& t, const scenario_options& o);

}  // namespace mqttspec::traces

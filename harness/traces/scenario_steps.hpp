// The steps of one connection of a capture (to_scenario.hpp), before the connections
// are merged into the capture's order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trace_file.hpp"

namespace mqttspec::traces::detail {

/// One step of the scenario, where it came from, and how it fits the timing.
struct event {
  std::uint64_t frame = 0;  // its first packet: events are put in the capture's order by it
  int order = 0;            // among events of the same frame
  tcp_timestamp at{};       // when it began in the capture
  tcp_timestamp done{};     // when its step ends in the capture (the answer it waits for)
  bool expect = false;      // waits for the broker itself: no wait step before it
  double window_floor = 0;  // an expect's window is at least this (a keep-alive lapse)
  bool at_start = false;    // happened before the capture began: goes first
  std::string publishes;    // a message (topic, NUL, payload) this step makes available: a PUBLISH, a will
  std::string delivers;     // an expect publish: the message it waits for
  std::string head;         // "sub: expect publish"
  std::vector<std::string> args;  // "topic: \"a/b\"", ...
  std::string frames;       // "frames 12, 14"
};

/// The client of a connection: its YAML (under `clients:`) and its steps.
struct client_steps {
  std::string yaml;
  std::vector<event> events;
  bool dollar_topics = false;  // a topic or filter starting with '$': namespacing would change it
};

client_steps steps_of(const connection_trace& c, const std::string& name, std::size_t number);

}  // namespace mqttspec::traces::detail

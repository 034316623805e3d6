// The one judging entry point: whatever observed the exchange (a live case, a
// capture, a replay) turns it into these events, in time order, and hands each to
// checks::monitor through feed().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/checks/checks.hpp"

namespace mqttspec::exchange {

using timestamp = checks::timestamp;

struct event {
  // At equal times and observation order: joins, packets, link changes, ends.
  // joined: observation began after the connection opened (checks::monitor::on_joined);
  // websocket: what the WebSocket under the connection showed (on_websocket).
  enum class kind : std::uint8_t { joined, websocket, packet, link, end };
  kind what = kind::packet;
  timestamp at{};
  std::uint64_t seq = 0;  // observation order; equal times keep cause before effect
  const std::string* client = nullptr;
  std::uint64_t connection = 0;
  bool from_broker = false;
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  const mqtt::packet* packet = nullptr;       // kind::packet: the packet, or null when
  const mqtt::decode_error* error = nullptr;  // it did not decode (then this is set)
  std::string_view bytes;
  bool by_broker = false;                     // kind::end: the broker's side closed
  checks::link_event link = checks::link_event::blackhole;  // kind::link
  const checks::websocket_fact* websocket = nullptr;         // kind::websocket
};

/// Time order; at equal times observation order, then kind.
void sort(std::vector<event>& events);

/// Hands one event to the monitor.
void feed(checks::monitor& m, const event& e);

}  // namespace mqttspec::exchange

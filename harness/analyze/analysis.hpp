// What `mqttspec analyze` found in a capture: its connections, what each carried, and
// the findings of the conformance checkers, each tied to its connection and frames.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reference/codec/codec.hpp"

namespace mqttspec::analyze {

using timestamp = std::chrono::microseconds;  // Unix time

/// One packet in a connection's timeline (kept for reports, bounded per connection).
struct packet_ref {
  std::uint64_t frame = 0;
  timestamp at{};
  bool from_server = false;
  std::string text;  // decoded, one line, or the decode error
};

struct finding {
  std::string spec_id;  // empty where the spec numbers no statement (the message names the section)
  bool should = false;  // a SHOULD missed; else a MUST broken
  std::string message;
  std::uint64_t connection = 0;  // 0: not tied to one connection
  std::string client;            // the client id (or address) the checker named
  timestamp at{};
  std::vector<std::uint64_t> frames;  // frames of the packets involved
  std::vector<std::string> packets;   // those packets, decoded
};

struct connection {
  std::uint64_t id = 0;  // TCP connection number in the capture, from 1
  std::string client, server;  // "127.0.0.1:41234"
  std::string client_id;       // from CONNECT; empty when not seen
  std::optional<mqtt::protocol_version> version;
  std::string version_from;    // "connect", "option", "inferred", "assumed" (no evidence either way)
  bool mid_stream = false;     // the capture has no CONNECT for it
  timestamp start{}, end{};
  std::uint64_t first_frame = 0;
  std::string ended;  // "client closed", "server closed", "client reset", "server reset", "capture ended"
  std::array<std::uint64_t, 16> from_client{}, from_server{};  // packets by type (index: control packet type)
  std::uint64_t malformed = 0;
  std::uint64_t findings = 0;
  std::vector<std::string> notes;  // gaps, conflicting retransmissions, resynchronisation
  std::vector<packet_ref> timeline;  // the first packets (report only)
  std::uint64_t timeline_dropped = 0;
};

/// A TCP connection that looked like MQTT but could not be read (TLS, an unknown protocol on an MQTT port).
struct unreadable {
  std::string client, server;
  std::string reason;
  std::uint64_t first_frame = 0;
};

struct analysis {
  std::string file;
  std::string format;  // "pcap", "pcapng"
  std::uint64_t frames = 0, bytes = 0;
  std::optional<timestamp> first, last;
  std::string error;  // the file stopped early (truncated): what was read is still judged
  std::array<std::uint64_t, 16> packets{};  // both directions, every connection
  std::vector<connection> connections;
  std::vector<unreadable> unreadables;
  std::vector<finding> findings;
  std::vector<std::string> notes;            // what the capture cannot show (checkers that stayed silent, ...)
  std::map<std::string, std::uint64_t> skipped;  // frames not read, by reason
  std::uint64_t tcp_connections = 0, gaps = 0, conflicts = 0, retransmissions = 0;
  double seconds = 0;  // time taken
};

/// "CONNECT" ... "AUTH" for control packet types 1..15; "reserved" for 0.
const char* type_name(std::size_t type);

}  // namespace mqttspec::analyze

// A trace file (a case's pcap, a golden trace) read back into the exchanges of its
// connections, through the same reader, TCP reassembly and decoder as `analyze`; and
// two trace files compared connection by connection (compare.hpp).
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "compare.hpp"
#include "reference/codec/types.hpp"

namespace mqttspec::traces {

using tcp_timestamp = std::chrono::microseconds;

/// One TCP connection of a trace file.
struct connection_trace {
  std::string client;     // its address: "10.0.0.2:40001"
  std::string client_id;  // from its CONNECT, "" if none
  std::vector<packet_record> packets;
  std::deque<std::string> bytes;  // the packets' views point in here
  std::vector<std::string> problems;  // bytes that did not decode, gaps
  bool client_gap = false;            // bytes of the client's stream are missing
  /// What the client sent that does not decode: a packet whose content is malformed,
  /// or everything after a length no packet can have. A replay sends it as it was.
  struct raw_bytes {
    std::uint64_t frame = 0;
    tcp_timestamp at{};
    std::string bytes;
  };
  std::vector<raw_bytes> client_raw;
  bool midstream = false;  // began before the capture: read from the first whole packet
  /// How the connection ended, if the capture saw it: which side closed first, with
  /// FIN or RST, and when.
  struct ending {
    bool by_client = false, reset = false;
    tcp_timestamp at{};
    std::uint64_t frame = 0;
  };
  std::optional<ending> ended;
};

/// A TCP connection that carried data but is not read as MQTT, and why.
struct other_connection {
  std::string client;  // the address of the side that spoke first
  std::string reason;  // "TLS", "no CONNECT at its start: ..."
  std::uint64_t frame = 0;
};

struct trace_file {
  std::deque<connection_trace> connections;  // in order of their first frame; never moved
  std::vector<other_connection> others;
  std::string error;                         // the file could not be read (whole or in part)
};

struct read_options {
  /// Also read the connections that began before the capture, as this version, from
  /// each direction's first whole packet. Their client is the side with the higher
  /// port (an ephemeral one), unless the capture saw the handshake.
  std::optional<mqtt::protocol_version> midstream;
};

/// Reads `path`. MQTT is every TCP connection whose client side opens with CONNECT
/// (and, with `midstream`, those the capture joined late).
trace_file read_trace(const std::string& path, const read_options& o = {});

/// Normalisers that drop a run's namespace (ms-<run>-<case>-id, ms/<run>/<case>/topic),
/// so that traces of different runs and brokers compare.
compare_options namespace_blind(compare_options o = {});

/// The differences between two trace files, a line each ("connection 2 (sub):
/// PUBLISH qos: 1 -> 2 (frames 12, 14)"); empty when they are the same.
std::vector<std::string> compare_files(const trace_file& recorded, const trace_file& observed,
                                       const compare_options& o);

}  // namespace mqttspec::traces

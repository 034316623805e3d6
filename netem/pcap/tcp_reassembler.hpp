// TCP reassembly for reading captures: segments in capture order in, each connection's
// two byte streams out in order, with what went wrong on the way (missing bytes,
// retransmissions that disagree, resets) reported where it happened. Memory grows with
// the connections open at once, never with the capture's length.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "frame_parser.hpp"

namespace netem {

class tcp_reassembler {
 public:
  using timestamp = std::chrono::microseconds;

  struct connection {  // one TCP connection (a 4-tuple may carry many in turn)
    std::uint64_t id;  // 1, 2, ... in order of first frame
    address a;
    std::uint16_t a_port;  // side 0: the SYN sender when the handshake was seen, else the sender of the first frame seen
    address b;
    std::uint16_t b_port;  // side 1
    bool handshake_seen;   // SYN or SYN-ACK seen: side 0 is surely the client
    std::uint64_t first_frame;
    timestamp first_at;
  };

  class sink {  // what the MQTT layer implements
   public:
    virtual ~sink() = default;
    virtual void on_open(const connection&) = 0;
    /// In-order bytes of one side (0 = a -> b, 1 = b -> a). `frame`/`at`: the frame that completed them.
    virtual void on_data(const connection&, int side, std::string_view bytes, std::uint64_t frame, timestamp at) = 0;
    /// Bytes of one side that never appeared (missing segments): the stream jumps `missing` bytes.
    virtual void on_gap(const connection&, int side, std::uint64_t missing, std::uint64_t frame, timestamp at) = 0;
    /// A retransmission carried different bytes than the first copy at stream offset `offset` (the first copy is kept).
    virtual void on_conflict(const connection&, int side, std::uint64_t offset, std::uint64_t frame, timestamp at) = 0;
    /// FIN (reset=false) or RST (reset=true) from `side`.
    virtual void on_close(const connection&, int side, bool reset, std::uint64_t frame, timestamp at) = 0;
    /// The connection is over (both FINs, a RST, the 4-tuple reused by a new SYN, or the capture's end): no more calls for it.
    virtual void on_end(const connection&, timestamp at) = 0;
  };

  struct counters {  // for the summary
    std::uint64_t segments = 0;         // TCP segments added
    std::uint64_t connections = 0;      // opened
    std::uint64_t retransmissions = 0;  // segments whose bytes had all been seen already
    std::uint64_t out_of_order = 0;     // segments held until an earlier hole filled
    std::uint64_t gaps = 0;             // holes given up on
    std::uint64_t gap_bytes = 0;
    std::uint64_t conflicts = 0;  // retransmissions that disagreed with the first copy
    std::uint64_t reused = 0;     // connections that started on a 4-tuple seen before
    std::uint64_t late = 0;       // segments for a connection already over, ignored
    std::uint64_t ignored = 0;    // segments without data of no known connection (ACKs, FINs, RSTs)
  };

  /// `max_buffered_per_side`: bytes held out of order for one direction; past it the
  /// hole before them is given up on (on_gap).
  explicit tcp_reassembler(sink& s, std::size_t max_buffered_per_side = 4 << 20);
  ~tcp_reassembler();
  tcp_reassembler(const tcp_reassembler&) = delete;
  tcp_reassembler& operator=(const tcp_reassembler&) = delete;

  void add(const tcp_segment& s, std::uint64_t frame, timestamp at);
  /// End of capture: what is buffered out of order is delivered after a gap, every open connection ends.
  void finish(timestamp at);
  std::size_t open_connections() const;
  /// Open connections plus the ended ones still remembered (for a minute of capture time,
  /// at most 16384) to tell their late segments from new connections.
  std::size_t tracked() const;
  const counters& stats() const;

  /// Delivered bytes kept per direction to compare retransmissions with: only those not
  /// yet acknowledged, the last this many (up to twice as many between bulk trims).
  static constexpr std::size_t history_limit = 16 * 1024;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace netem

// One direction of a TCP connection for tcp_reassembler: sequence numbers become 64-bit
// stream offsets (so wrap-around at 2^32 is invisible), segments past a hole are held
// until it fills or is given up on, and retransmitted bytes are compared with the first
// copy while it is still kept (delivered but not yet acknowledged).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tcp_reassembler.hpp"

namespace netem {

class tcp_stream {
 public:
  /// Where events go, and the frame they are charged to.
  struct context {
    tcp_reassembler::sink& sink;
    const tcp_reassembler::connection& conn;
    int side;
    std::uint64_t frame;
    tcp_reassembler::timestamp at;
    tcp_reassembler::counters& stats;
    std::size_t max_held;
  };

  bool started() const { return started_; }
  /// Offset 0 is sequence number `seq`; `syn`: that is the one after this SYN's.
  void start(std::uint32_t seq, bool syn);
  /// The SYN's sequence number, when one started the stream.
  std::optional<std::uint32_t> isn() const { return syn_ ? std::optional(base_ - 1) : std::nullopt; }
  /// Delivered nothing yet and holds nothing: a different SYN-ACK may still restart it.
  bool untouched() const { return next_ == 0 && held_.empty(); }

  /// Payload that begins at `seq`.
  void data(const context& c, std::uint32_t seq, std::string_view payload);
  /// A FIN at `seq` (after the segment's payload).
  void fin(const context& c, std::uint32_t seq);
  /// The peer acknowledged everything before `seq`: a hole it covers is lost from the capture.
  void ack(const context& c, std::uint32_t seq);
  /// The connection ends: held bytes are delivered after their holes, a pending FIN closes.
  void finish(const context& c);
  /// Frees the buffers (the connection is over).
  void release();

  bool closed() const { return closed_; }
  void set_closed() { closed_ = true; }
  /// Offset of `seq` relative to where the stream stands: negative = before the start.
  std::int64_t offset_of(std::uint32_t seq) const {
    return static_cast<std::int64_t>(next_) + static_cast<std::int32_t>(seq - static_cast<std::uint32_t>(base_ + next_));
  }
  /// Where the stream stands: FIN or next expected byte.
  std::uint64_t end() const { return fin_at_ ? *fin_at_ : next_; }

 private:
  void deliver(const context& c, std::string_view bytes);
  bool hold(const context& c, std::uint64_t off, std::string_view payload);  // false: nothing new
  void drain(const context& c);
  void skip_to(const context& c, std::uint64_t off);
  bool compare(const context& c, std::uint64_t off, std::string_view bytes, std::string_view first, std::uint64_t first_off);
  void close_if_due(const context& c);

  bool started_ = false, syn_ = false, closed_ = false;
  std::uint32_t base_ = 0;    // sequence number of offset 0
  std::uint64_t next_ = 0;    // every byte before was delivered or given up on
  std::map<std::uint64_t, std::string> held_;  // out of order, by offset; never overlapping
  std::size_t held_bytes_ = 0;
  std::string history_;  // delivered bytes [history_at_, next_), for comparing retransmissions
  std::uint64_t history_at_ = 0;
  std::optional<std::uint64_t> fin_at_;
  std::uint64_t acked_ = 0;  // the most the peer acknowledged
  bool acked_any_ = false;
};

}  // namespace netem

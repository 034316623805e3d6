// A simulated link: per direction a chain of impairments over the byte stream, plus
// what TCP shows of a connection's end (FIN, RST). Pure: time is an argument, every
// random choice comes from the link's seed, every decision is traced.
//
//   link l(seed, specs);
//   l.send(direction::upstream, now, bytes);
//   while (auto t = l.next_event()) { advance to *t; for (auto& d : l.deliver(*t)) ... }
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "impairment.hpp"

namespace netem {

/// What reaches the far end of one direction.
struct delivery {
  timestamp at;
  direction dir;  // upstream or downstream
  enum class kind : std::uint8_t { data, fin, rst } what = kind::data;
  std::string bytes;
};

/// One direction's chain.
class stream {
 public:
  explicit stream(direction d) : dir_(d) {}

  void add(std::unique_ptr<impairment> i, timestamp now);
  /// Removes every impairment of this type ("" for all); held bytes are released now.
  void remove(const std::string& type_prefix, timestamp now);
  void send(timestamp now, std::string bytes);
  /// A FIN after the bytes already sent; an RST at once, dropping what is in flight.
  void close(timestamp now, bool reset);

  std::optional<timestamp> next_event() const;
  /// Everything due by `now`, in order.
  void deliver(timestamp now, std::vector<delivery>& out);

  const std::vector<decision>& trace() const { return trace_; }
  bool closed() const { return closed_; }
  /// No impairment and nothing in flight: bytes may go straight through.
  bool passthrough() const { return chain_.empty() && ready_.empty() && !closed_; }

 private:
  void push_from(std::size_t stage, std::vector<segment> segs);
  void release(timestamp now);
  /// Queues a pending FIN once no stage holds bytes that must arrive before it.
  void settle_fin();

  direction dir_;
  std::vector<std::unique_ptr<impairment>> chain_;
  std::deque<delivery> ready_;
  std::vector<decision> trace_;
  bool closed_ = false;
  std::optional<timestamp> fin_pending_;  // FIN sent while a stage held bytes
};

class link {
 public:
  /// `specs` may say direction both: each direction gets its own instance and seed.
  link(std::uint64_t seed, const std::vector<impairment_spec>& specs, timestamp now = timestamp{0});

  /// Errors in specs (unknown type, bad attribute): the first, or "".
  const std::string& error() const { return error_; }

  /// Adds impairments while the link runs (the harness cuts a client off mid-scenario).
  std::string add(const impairment_spec& spec, timestamp now);
  void remove(const std::string& type, direction d, timestamp now);

  void send(direction d, timestamp now, std::string bytes);
  void close(direction d, timestamp now, bool reset);

  std::optional<timestamp> next_event() const;
  std::vector<delivery> deliver(timestamp now);
  /// The same for one direction (the proxy delivers each on its own).
  std::optional<timestamp> next_event(direction d) const { return of(d).next_event(); }
  void deliver(direction d, timestamp now, std::vector<delivery>& out) { of(d).deliver(now, out); }
  bool closed(direction d) const { return of(d).closed(); }
  bool passthrough(direction d) const { return of(d).passthrough(); }

  /// Every decision of both directions, in time order.
  std::vector<decision> trace() const;
  std::uint64_t seed() const { return seed_; }

 private:
  stream& of(direction d) { return d == direction::upstream ? up_ : down_; }
  const stream& of(direction d) const { return d == direction::upstream ? up_ : down_; }

  std::uint64_t seed_;
  std::uint64_t made_ = 0;  // impairments made so far: each gets its own derived seed
  stream up_{direction::upstream};
  stream down_{direction::downstream};
  std::string error_;
};

}  // namespace netem

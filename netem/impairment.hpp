// One impairment of one direction of a link. The link feeds it the byte stream as
// segments with the time each leaves the previous stage; it returns them with the
// time each leaves this stage (later, split, or held). Bytes are never reordered or
// lost silently, as TCP guarantees; only a blackhole drops them, which models a
// half-open connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rng.hpp"

namespace netem {

using timestamp = std::chrono::microseconds;

enum class direction : std::uint8_t { upstream, downstream, both };  // upstream: client -> broker
std::string_view to_string(direction d);

struct segment {
  timestamp at;  // when it leaves the stage that produced it
  std::string bytes;
};

/// Why a segment was delayed, split, held or dropped: every decision is traceable.
struct decision {
  timestamp at;
  std::string impairment;  // "loss_upstream"
  std::string what;        // "lost; retransmitted after RTO 200 ms (try 1)"
};

/// `{type, direction, attributes}` with the unit in each attribute key.
struct impairment_spec {
  std::string type;     // "latency", "loss", ...
  direction dir = direction::both;
  std::map<std::string, std::string> attributes;  // "latency_ms" -> "150"
  std::string name;     // defaults to "<type>_<direction>"
};

class impairment {
 public:
  virtual ~impairment() = default;

  /// Takes one segment; appends what leaves this stage now or later to `out`.
  /// Output times never go backwards.
  virtual void apply(segment s, std::vector<segment>& out, std::vector<decision>& trace) = 0;

  /// The impairment takes effect at `now` (a partition lasts from here).
  virtual void start(timestamp /*now*/) {}

  /// Segments held back whose time has come by `now` (partition, stall).
  virtual void release(timestamp /*now*/, std::vector<segment>& /*out*/, std::vector<decision>& /*trace*/) {}
  /// True for a blackhole: nothing, not even a FIN, gets through.
  virtual bool drops_everything() const { return false; }

  /// Gives up everything held, as of `now` (the impairment is being removed).
  virtual void flush(timestamp /*now*/, std::vector<segment>& /*out*/) {}
  /// The earliest time release() would return something, if anything is held.
  virtual std::optional<timestamp> next_release() const { return std::nullopt; }

  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }

 protected:
  /// Output times are monotonic per stage: a later segment never overtakes.
  timestamp in_order(timestamp t) {
    if (t < last_) t = last_;
    last_ = t;
    return t;
  }

 private:
  std::string name_;
  timestamp last_{0};
};

/// Builds an impairment from its spec; the error names the bad key or value.
struct made_impairment {
  std::unique_ptr<impairment> value;
  std::string error;
};
made_impairment make_impairment(const impairment_spec& spec, std::uint64_t seed);

/// Every registered type with its keys, for --help and validation.
struct impairment_type {
  std::string_view type;
  std::vector<std::string_view> keys;
  std::string_view summary;
};
const std::vector<impairment_type>& impairment_types();

}  // namespace netem

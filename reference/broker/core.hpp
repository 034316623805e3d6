// The reference broker as a sans-I/O state machine: events in, actions out. No
// sockets, clocks, threads or logging: time is an argument, and what would be I/O
// comes back as actions for the driver (the Asio front end or the virtual-time world).
//
//   core b(cfg);
//   std::vector<action> out;
//   b.on_open(1, now, out);
//   b.on_bytes(1, bytes, now, out);   // -> send_bytes / close_connection / arm_timer / note
//   b.on_time(now, out);              // when an armed timer is due
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "config.hpp"
#include "reference/codec/types.hpp"

namespace mqtt::broker {

using conn_id = std::uint64_t;
/// Time since the driver's epoch. The core never reads a clock.
using timestamp = std::chrono::microseconds;

struct send_bytes {
  conn_id conn;
  std::string bytes;  // one or more whole packets
};

/// Close the network connection (after sending what was queued before it).
struct close_connection {
  conn_id conn;
};

/// Call on_time(at) once the driver's clock reaches `at`. Arming again replaces
/// nothing: the driver may keep only the earliest pending time.
struct arm_timer {
  timestamp at;
};

/// A protocol event worth logging: a violation the broker detected and acted on,
/// with the statement it enforces.
struct note {
  conn_id conn;
  std::string spec_id;  // may be empty
  std::string text;
};

using action = std::variant<send_bytes, close_connection, arm_timer, note>;

class core {
 public:
  explicit core(config cfg = {});
  ~core();
  core(const core&) = delete;
  core& operator=(const core&) = delete;

  /// A client opened a network connection.
  void on_open(conn_id c, timestamp now, std::vector<action>& out);
  /// Bytes arrived on `c`, in any chunking.
  void on_bytes(conn_id c, bytes_view bytes, timestamp now, std::vector<action>& out);
  /// The network connection ended without the broker asking (peer close, reset, error).
  void on_closed(conn_id c, timestamp now, std::vector<action>& out);
  /// Time advanced: fire keepalive lapses, will delays, session and message expiry.
  void on_time(timestamp now, std::vector<action>& out);

  const config& settings() const;
  std::size_t connection_count() const;
  std::size_t session_count() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mqtt::broker

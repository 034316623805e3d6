// Where a case runs: the virtual-time world with the embedded broker, or real sockets
// to a broker through the netem proxy. The runner talks to both the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "netem/impairment.hpp"

namespace mqttspec::run {

using timestamp = std::chrono::microseconds;

/// The client end of one TCP connection.
class endpoint {
 public:
  virtual ~endpoint() = default;
  virtual void on_bytes(std::string_view bytes, timestamp now) = 0;
  /// The connection ended from the network's side: the broker closed it (FIN) or
  /// it was reset.
  virtual void on_closed(timestamp now, bool reset) = 0;
};

/// A link decision or event worth showing in a report.
struct link_event {
  timestamp at;
  std::uint64_t connection;
  std::string what;
  std::string client = {};  // the case's client on that connection (set by the executor)
};

class driver {
 public:
  using conn_id = std::uint64_t;
  virtual ~driver() = default;

  virtual timestamp now() const = 0;
  /// Opens a connection to the broker through a link with these impairments.
  /// Returns 0 and sets `error` when the broker cannot be reached (an environment error).
  virtual conn_id open(endpoint& e, const std::vector<netem::impairment_spec>& link, std::string& error) = 0;
  virtual void send(conn_id c, std::string bytes) = 0;
  /// The client closes its side: FIN, or RST.
  virtual void close(conn_id c, bool reset) = 0;
  virtual std::string add_impairment(conn_id c, const netem::impairment_spec& spec) = 0;
  virtual void clear_impairments(conn_id c, const std::vector<netem::impairment_spec>& keep) = 0;
  /// Calls `f` at `at` on the driver's clock.
  virtual void schedule(timestamp at, std::function<void()> f) = 0;
  /// Runs events until `until`, stopping early (returning true) once `done()` holds.
  virtual bool run_until(timestamp until, const std::function<bool()>& done) = 0;
  /// Link decisions and connection events so far.
  virtual std::vector<link_event> link_events() const = 0;
  /// True for the virtual-time world, where windows are exact.
  virtual bool virtual_time() const = 0;
};

}  // namespace mqttspec::run

// The virtual-time world: the reference broker core and any number of clients in one
// thread, joined by simulated links, on a virtual clock. Nothing waits for real time:
// the loop jumps from one event to the next. Same seed, same run, byte for byte and
// timestamp for timestamp.
//
//   world w(seed, broker_config);
//   auto c = w.connect(my_peer, link_specs);   // TCP connection through a link
//   w.send(c, bytes);                          // client -> link -> broker
//   w.run_until(60s);                          // peers hear bytes and closes
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "netem/link.hpp"
#include "netem/pcap/capture.hpp"
#include "reference/broker/core.hpp"

namespace netem {

/// A client's view of its connection: what arrives from the broker.
class peer {
 public:
  virtual ~peer() = default;
  virtual void on_bytes(std::string_view bytes, timestamp now) = 0;
  /// The connection ended: the broker closed it (FIN) or it was reset (RST).
  virtual void on_closed(timestamp now, bool reset) = 0;
};

/// Which bytes a capture shows: those the client sent and received, or those the
/// broker received and sent. The two differ by the link's delays and cuts.
enum class tap_side : std::uint8_t { client, broker };

/// Something that happened, for reports and sequence diagrams.
struct world_event {
  timestamp at;
  std::uint64_t conn;
  std::string what;  // "open", "client sent 23 bytes", "broker closed", "link: ..."
};

class world {
 public:
  using conn_id = std::uint64_t;

  world(std::uint64_t seed, mqtt::broker::config cfg = {});
  ~world();

  timestamp now() const { return now_; }
  std::uint64_t seed() const { return seed_; }
  mqtt::broker::core& broker() { return broker_; }

  /// Writes every connection from now on into a pcap file; "" on success, else why not.
  /// `secrets`: passwords overwritten in the capture (see pcap/redact.hpp).
  static constexpr timestamp default_epoch = std::chrono::seconds(1'764'000'000);
  std::string capture_to(const std::string& path, tap_side side = tap_side::client, timestamp epoch = default_epoch,
                         std::vector<std::string> secrets = {});

  /// Opens a connection from `p` through a link with these impairments (each
  /// connection's link has its own seed, derived from the world's).
  conn_id connect(peer& p, const std::vector<impairment_spec>& link_specs = {});
  /// Bytes from the client side.
  void send(conn_id c, std::string bytes);
  /// The client closes (FIN) or resets (RST) its connection.
  void close(conn_id c, bool reset = false);
  /// Changes a live connection's link (the harness cuts a client off mid-scenario).
  std::string add_impairment(conn_id c, const impairment_spec& spec);
  void remove_impairment(conn_id c, const std::string& type, direction d = direction::both);
  const link* link_of(conn_id c) const;

  /// Calls `f` at `at` (client timers, scripted steps).
  void at(timestamp when, std::function<void()> f);

  /// Runs every event up to and including `until`; the clock ends at `until`.
  void run_until(timestamp until);
  /// Runs until nothing is scheduled before `limit`; returns false if it hit the limit.
  bool run_until_idle(timestamp limit);
  /// Runs the events of the next moment if it is at most `limit` and returns true;
  /// otherwise moves the clock to `limit` and returns false. For callers that check
  /// a condition after every moment.
  bool advance(timestamp limit);

  const std::vector<world_event>& events() const { return events_; }
  /// Protocol notes of the broker (violations it detected), with their times.
  const std::vector<std::pair<timestamp, mqtt::broker::note>>& broker_notes() const { return notes_; }
  std::size_t open_connections() const;

 private:
  struct connection;
  struct timer {
    timestamp at;
    std::uint64_t seq;
    std::function<void()> f;
    bool operator>(const timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  void apply(std::vector<mqtt::broker::action>& actions);
  std::optional<timestamp> next_time() const;
  void step(timestamp t);
  void deliver(connection& c, const delivery& d);
  void log(conn_id c, std::string what);

  std::uint64_t seed_;
  timestamp now_{0};
  mqtt::broker::core broker_;
  std::map<conn_id, std::unique_ptr<connection>> conns_;
  conn_id next_conn_ = 1;
  std::priority_queue<timer, std::vector<timer>, std::greater<>> timers_;
  std::uint64_t timer_seq_ = 0;
  std::set<timestamp> broker_timers_;
  std::unique_ptr<capture> capture_;
  tap_side tap_ = tap_side::client;
  std::vector<world_event> events_;
  std::vector<std::pair<timestamp, mqtt::broker::note>> notes_;
};

}  // namespace netem

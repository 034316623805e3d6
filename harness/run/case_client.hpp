// One client of a running case: it builds its packets from the scenario, keeps every
// packet the broker sent it (decoded, with the bytes and the time), and, as a
// reference client, acknowledges and pings on its own.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "driver.hpp"
#include "harness/exchange/connection_decoder.hpp"
#include "harness/scenario/model.hpp"
#include "reference/codec/codec.hpp"
#include "reference/client/core.hpp"

namespace mqttspec::run {

/// A packet as it crossed the wire, with the bytes it was decoded from.
struct wire_packet {
  timestamp at;
  bool from_broker;
  std::uint64_t connection;  // 1, 2, ... per client: each reconnect is a new one
  mqtt::protocol_version version;
  std::uint64_t seq = 0;     // order of observation across the case's clients
  std::shared_ptr<const std::string> bytes;
  std::optional<mqtt::packet> packet;  // views into *bytes; nullopt when it did not decode
  std::optional<mqtt::decode_error> error;
  std::string text() const;  // one line: decoded form or the error
};

class case_client final : public endpoint {
 public:
  /// `sequence` numbers everything the case's clients observe, in order: at equal
  /// times it keeps cause before effect.
  case_client(const scenario::client_spec& spec, mqtt::protocol_version v, driver& d, std::string client_id,
              std::string topic_prefix, std::vector<netem::impairment_spec> link, std::uint64_t& sequence);

  const std::string& name() const { return spec_.name; }
  const scenario::client_spec& spec() const { return spec_; }
  mqtt::protocol_version version() const { return version_; }

  /// Opens a new TCP connection (closing nothing): "" or the environment error.
  std::string open();
  bool connected() const { return conn_ != 0 && !closed_; }
  bool closed() const { return closed_; }
  std::optional<timestamp> closed_at() const { return closed_at_; }
  bool was_reset() const { return reset_; }
  /// The broker sent more than a case can need: the client cut the connection.
  bool flooded() const { return flooded_; }
  static constexpr std::size_t max_packets = 200'000;
  driver::conn_id connection() const { return conn_; }

  /// The reference client core (nullopt for a raw client).
  mqtt::client::core* reference() { return ref_.get(); }
  /// Sends the CONNECT (through the reference core for a reference client).
  void connect(std::optional<bool> clean_start);
  /// Runs a reference-core command and carries out what it asks.
  void apply(std::vector<mqtt::client::action>& actions);
  /// Events of the reference core not yet consumed: published, violations, ...
  std::deque<mqtt::client::action>& events() { return events_; }
  /// Violations the reference core found in what the broker sent.
  const std::vector<mqtt::client::protocol_violation>& violations() const { return violations_; }

  /// Sends a packet (recorded in the trace); raw bytes go as they are.
  void send(const mqtt::packet& p);
  void send_raw(std::string bytes);
  void close(bool reset);

  /// The CONNECT this client's spec describes.
  mqtt::connect make_connect(std::optional<bool> clean_start);
  /// Packet identifiers for this client's packets (1..65535, skipping those in use).
  std::uint16_t next_id();

  /// Namespacing: "a/b" -> "ms/<run>/<case>/a/b" and back.
  std::string topic(std::string_view t) const;
  std::string_view strip(std::string_view t) const;

  /// Packets from the broker not yet consumed by a step.
  std::deque<wire_packet>& inbox() { return inbox_; }
  /// Every packet both ways, in order: for checks and reports.
  const std::vector<wire_packet>& trace() const { return trace_; }
  /// How each of this client's connections ended.
  struct ending {
    std::uint64_t connection;
    timestamp at;
    bool by_broker;
    std::uint64_t seq;
  };
  const std::vector<ending>& endings() const { return endings_; }
  /// The driver's id of each connection (index: connection number - 1).
  const std::vector<driver::conn_id>& driver_ids() const { return driver_ids_; }

  /// Strings that packets sent by this client view (kept alive for the case).
  std::string_view keep(std::string s);

  void on_bytes(std::string_view bytes, timestamp now) override;
  void on_closed(timestamp now, bool reset) override;

 private:
  void record(timestamp at, bool from_broker, std::string bytes);

  scenario::client_spec spec_;
  mqtt::protocol_version version_;
  driver& driver_;
  std::string client_id_, prefix_;
  std::vector<netem::impairment_spec> link_;
  driver::conn_id conn_ = 0;
  std::uint64_t connection_no_ = 0;
  bool closed_ = false, reset_ = false, flooded_ = false;
  std::optional<timestamp> closed_at_;
  std::unique_ptr<exchange::connection_decoder> decoder_;  // of the current connection
  std::deque<wire_packet> inbox_;
  std::vector<wire_packet> trace_;
  std::deque<std::string> kept_;
  std::uint16_t last_id_ = 0;
  std::unique_ptr<mqtt::client::core> ref_;
  std::deque<mqtt::client::action> events_;
  std::vector<mqtt::client::protocol_violation> violations_;
  std::vector<ending> endings_;
  std::vector<driver::conn_id> driver_ids_;
  std::map<std::uint32_t, std::string_view> aliases_;  // the broker's topic aliases, this connection
  std::uint64_t& sequence_;
};

}  // namespace mqttspec::run

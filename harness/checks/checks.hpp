// Invariant checkers: they watch every packet of every client connection of a test
// case and report where the broker broke one of its obligations, with the normative
// statement id of the case's protocol version.
//
//   checks::monitor m(checks::options{});
//   m.on_packet(o);                      // every decoded packet, both directions, in time order
//   m.on_malformed(...);                 // bytes that did not decode
//   m.on_connection_end(...);            // a TCP connection closed
//   m.on_link_event(...);                // the runner made a client's link silent
//   std::vector<checks::violation> v = m.finish(end_of_case);
//
// Times are those of the runner's observation point (virtual or wall clock), which
// must be the same for every client of the case. Checkers only report what a correct
// broker can never do, whatever the link's latency: when in doubt they stay silent.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "reference/codec/codec.hpp"

namespace mqttspec::checks {

using timestamp = std::chrono::microseconds;

/// One decoded packet seen on one connection.
struct observed {
  timestamp at;
  std::string_view client;     // the case's client name (the caller keeps it alive)
  std::uint64_t connection;    // a new number per TCP connection of that client
  bool from_broker;            // direction
  mqtt::protocol_version version;
  mqtt::packet packet;         // views stay valid: the runner keeps the bytes for the case
  std::string_view bytes;
  /// PUBLISH only: the Topic Name after 5.0 Topic Alias resolution.
  std::string topic;
  // Keys of the checkers' hashed maps, worked out once per packet (a capture has
  // millions): client_key(client), connection_key(client, connection) and, PUBLISH
  // only, message_hash(topic, payload).
  std::uint64_t client_key = 0;
  std::uint64_t connection_key = 0;
  std::uint64_t message = 0;
  std::uint64_t topic_key = 0;  // PUBLISH only: hash_bytes(topic)
};

/// What monitor::on_packet fills in: the topic (without alias resolution) and the keys.
/// Who feeds a checker directly calls it.
void fill_in(observed& o);

/// A fast 64-bit hash of bytes (16 at a time; a capture hashes every payload once).
/// Not made to resist inputs crafted to collide.
std::uint64_t hash_bytes(std::string_view bytes);
std::uint64_t client_key(std::string_view client);
std::uint64_t connection_key(std::string_view client, std::uint64_t connection);
/// A 64-bit hash of a message (topic and whole payload), and of a client's copy of it,
/// for maps of millions of messages: two different ones share one with a probability
/// of about n^2 / 2^65 (3e-8 for a million), which is taken.
std::uint64_t message_hash(std::string_view topic, std::string_view payload);
std::uint64_t message_hash(std::uint64_t topic_key, std::string_view payload);
std::uint64_t message_hash(std::uint64_t client_key, std::uint64_t message);

/// Hash for maps keyed by the 64-bit keys above: they are hashes already.
struct key_hash {
  std::size_t operator()(std::uint64_t k) const { return k; }
};

/// A broken obligation. `spec_id` is an id of the TSV of the case's version; it is
/// empty only where the spec has no numbered statement (the message then names the
/// section).
struct violation {
  timestamp at;
  std::string client;
  std::string spec_id;
  std::string message;
  bool should = false;  // a SHOULD was missed: non-strict, not fail
};

/// Link changes that make a client silent on purpose (keepalive needs to know).
enum class link_event {
  blackhole,  // from now on nothing the client sends reaches the broker
  restore,    // the link carries traffic again
};

struct options {
  /// Messages the checkers remember after every subscriber owed one received it (a
  /// later copy of an older message is judged as of unknown origin): what bounds the
  /// memory of a long capture. Unsettled messages are kept whatever their number.
  std::size_t settled_messages_kept = 65536;
  /// Slack on timing rules (keepalive): link latency, scheduling, timer granularity.
  timestamp keepalive_tolerance = std::chrono::seconds(2);
  /// A response or delivery still missing less than this before the end of the case
  /// may be in flight: not reported.
  timestamp response_grace = std::chrono::seconds(2);
};

/// What the WebSocket under MQTT showed (section 6 of both versions).
struct websocket_fact {
  enum class kind : std::uint8_t {
    offered,     // the client's Sec-WebSocket-Protocol list (`text`; empty: none)
    selected,    // the server's Sec-WebSocket-Protocol answer (`text`; empty: none)
    text_frame,  // a data frame that is not binary (the first of a side)
  };
  kind what = kind::offered;
  bool from_broker = false;
  std::string text;
};

class world;  // world.hpp: what the clients asked of the broker

/// One invariant. Subclasses override the hooks they need and call report().
class checker {
 public:
  checker();
  virtual ~checker();
  /// Short name for reports: "packet_ids".
  virtual std::string_view name() const = 0;

  virtual void on_packet(const observed& o) = 0;
  /// Bytes that did not decode; `error.spec_id` names the rule when it can.
  virtual void on_malformed(timestamp, const std::string& /*client*/, std::uint64_t /*connection*/,
                            bool /*from_broker*/, mqtt::protocol_version, const mqtt::decode_error&,
                            std::string_view /*bytes*/) {}
  /// The connection closed. `by_broker`: the broker's side closed first. After a
  /// blackhole the runner reports the close as seen at the broker's end of the link.
  virtual void on_connection_end(timestamp, const std::string& /*client*/, std::uint64_t /*connection*/,
                                 bool /*by_broker*/) {}
  virtual void on_link_event(timestamp, const std::string& /*client*/, link_event) {}
  /// Observation of this connection began after it opened (a capture started late):
  /// its CONNECT, CONNACK and earlier requests are unknown. Checkers that judge a
  /// packet by what came before treat it as accepted and stay silent on what they
  /// cannot know (a response to a request they never saw).
  virtual void on_joined(timestamp, const std::string& /*client*/, std::uint64_t /*connection*/) {}
  /// The connection runs over WebSocket, which showed this.
  virtual void on_websocket(timestamp, const std::string& /*client*/, std::uint64_t /*connection*/,
                            const websocket_fact&) {}

  /// The case ended at `end`: appends everything found, in the order found.
  void finish(timestamp end, std::vector<violation>& out);
  /// Appends what was found so far and forgets it (a capture attaches each finding
  /// to the packet that showed it, then drops the packet).
  void drain(std::vector<violation>& out);

 protected:
  /// Rules that can only be judged at the end (something never happened).
  virtual void at_end(timestamp /*end*/) {}
  void report(timestamp at, std::string_view client, std::string_view spec_id, std::string message,
              bool should = false);

  /// The clients' requests as the checkers need them (world.hpp), as they were before
  /// the packet being judged. Under a monitor all checkers share one, which the monitor
  /// updates after every checker saw the packet; a checker fed alone keeps its own, and
  /// checkers that read it call these two last in on_packet / on_connection_end.
  const world& model() const { return *model_; }
  void model_packet(const observed& o);
  void model_end(const std::string& client, std::uint64_t connection);

 private:
  friend class monitor;
  std::vector<violation> found_;
  std::shared_ptr<world> model_;
  bool shared_model_ = false;
};

std::unique_ptr<checker> make_well_formed(const options&);
std::unique_ptr<checker> make_packet_ids(const options&);
std::unique_ptr<checker> make_qos_flow(const options&);
std::unique_ptr<checker> make_exactly_once(const options&);
std::unique_ptr<checker> make_at_least_once(const options&);
std::unique_ptr<checker> make_ordering(const options&);
std::unique_ptr<checker> make_no_delivery_after_unsubscribe(const options&);
std::unique_ptr<checker> make_retain_flag(const options&);
std::unique_ptr<checker> make_keepalive(const options&);
std::unique_ptr<checker> make_will(const options&);
std::unique_ptr<checker> make_limits(const options&);
std::unique_ptr<checker> make_websocket(const options&);
/// Not in all_checkers(): the client's own obligations, for captures, where the
/// client is not the harness (a live case sends broken packets on purpose). Also
/// judges the broker's keep alive from the capture's silences (no blackhole needed).
std::unique_ptr<checker> make_client_rules(const options&);

/// A comma-separated Sec-WebSocket-Protocol list holds `name`.
bool lists_subprotocol(std::string_view list, std::string_view name);

/// Every checker above, in that order.
std::vector<std::unique_ptr<checker>> all_checkers(const options& opts);

/// What the runner uses: all checkers behind one set of hooks, plus 5.0 Topic Alias
/// resolution (per connection and direction) so checkers see real topic names.
class monitor {
 public:
  explicit monitor(const options& opts = {});
  explicit monitor(std::vector<std::unique_ptr<checker>> checkers, const options& opts = {});
  ~monitor();

  /// `o.topic` is filled here.
  void on_packet(observed o);
  void on_malformed(timestamp at, const std::string& client, std::uint64_t connection, bool from_broker,
                    mqtt::protocol_version v, const mqtt::decode_error& error, std::string_view bytes);
  void on_connection_end(timestamp at, const std::string& client, std::uint64_t connection, bool by_broker);
  void on_link_event(timestamp at, const std::string& client, link_event e);
  void on_joined(timestamp at, const std::string& client, std::uint64_t connection);
  void on_websocket(timestamp at, const std::string& client, std::uint64_t connection, const websocket_fact& f);
  /// Violations of every checker, sorted by time.
  std::vector<violation> finish(timestamp end);
  /// What the checkers found so far, not yet returned; finish() returns the rest.
  std::vector<violation> drain();

 private:
  struct aliases;
  std::vector<std::unique_ptr<checker>> checkers_;
  std::unique_ptr<aliases> aliases_;
  std::shared_ptr<world> model_;  // one for all checkers: a capture holds millions of messages
};

}  // namespace mqttspec::checks

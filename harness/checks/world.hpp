// What the clients of a case asked of the broker, as the checkers need it: the
// messages published (with when they were sent and acknowledged, and who is still
// owed a copy), each client's subscriptions in its current session, and when sessions
// were lost. Internal to harness/checks: under a monitor all checkers share one; a
// checker fed alone keeps its own (checker::model_packet).
//
// A capture holds millions of messages, so the world forgets a message once every
// subscriber owed it got a copy and options::settled_messages_kept newer ones came;
// what it keeps grows with open sessions and their backlogs, not with the capture.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "checks.hpp"
#include "id_map.hpp"

namespace mqttspec::checks {

/// An Application Message a client gave the broker (a PUBLISH, or a will).
struct publication {
  std::string publisher;
  std::uint64_t publisher_key = 0;
  std::string topic;
  std::uint64_t topic_key = 0;  // hash_bytes(topic)
  std::string payload;     // its first max_payload_kept bytes, for reports
  std::uint64_t hash = 0;  // message_hash(topic, whole payload)
  mqtt::qos qos = mqtt::qos::at_most_once;
  bool retain = false;
  bool will = false;       // published by the broker at a time we do not see
  bool expires = false;    // 5.0 Message Expiry Interval set: may vanish undelivered
  timestamp sent{};
  std::optional<timestamp> accepted;  // PUBACK / PUBREC with a success code
  /// Clients (client_key) that had a QoS >= 1 subscription matching it when it was
  /// sent and have not received a copy since: what at_least_once judges at the end.
  std::vector<std::uint64_t> owed;
  bool old = false;  // past the settled_messages_kept newest: forgotten once settled
};

struct subscription {
  std::string filter;        // as sent, $share/ prefix included
  std::string match_filter;  // what matches topic names
  bool shared = false;
  mqtt::qos requested = mqtt::qos::at_most_once;
  std::optional<mqtt::qos> granted;  // after SUBACK; none while pending or failed
  bool pending = true;
  bool no_local = false;
  bool retain_as_published = false;
  mqtt::qos max_granted = mqtt::qos::at_most_once;  // highest QoS this filter ever had
  timestamp sent{};
  std::optional<timestamp> acked;
};

struct removed_subscription {
  std::string match_filter;
  timestamp at;  // UNSUBACK seen
};

/// What matches one topic for one client (world::match).
struct topic_match {
  std::vector<const subscription*> subs;    // active subscriptions (pending included)
  std::size_t filters_ever = 0;             // distinct filters of every SUBSCRIBE ever sent
  std::optional<timestamp> last_subscribe;  // the latest SUBSCRIBE of a matching filter
};

struct client_state {
  std::string name;
  std::uint64_t connection = 0;
  bool connected = false;     // CONNACK success seen and no end yet
  bool fresh_session = false; // a CONNACK with Session Present 0 was seen: we know all its state
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  std::map<std::string, subscription> subs;  // by filter as sent
  std::vector<removed_subscription> removed;
  std::vector<subscription> all_subscribes;  // every SUBSCRIBE filter ever sent, for timing rules
  // Requests of the current connection waiting for their answer.
  std::map<std::uint16_t, std::vector<std::string>> pending_subscribe;
  std::map<std::uint16_t, std::vector<std::string>> pending_unsubscribe;
  // Client QoS > 0 PUBLISH flows not finished: packet id -> publication index.
  id_map<std::size_t> open_publishes;
  bool has_maximum_packet_size = false;
  // Publications that counted this client as owed (some settled since): to let go of
  // them when its session ends.
  std::vector<std::size_t> owed;
  std::size_t owed_checked = 0;  // owed.size() when last pruned
  // match() answers by topic hash, until the subscriptions change.
  mutable std::unordered_map<std::uint64_t, topic_match, key_hash> matches;
};

class world {
 public:
  /// Bytes of each payload kept: messages are told apart by their hash; the bytes are
  /// only for reports.
  static constexpr std::size_t max_payload_kept = 64;

  explicit world(std::size_t settled_kept = options{}.settled_messages_kept) : settled_kept_(settled_kept) {}

  /// Call once per packet, after the checker looked at the state before it. `o` must
  /// be filled in (fill_in).
  void update(const observed& o);
  void connection_end(const std::string& client, std::uint64_t connection);

  const client_state* client(std::uint64_t key) const;
  const client_state* client(const std::string& name) const { return client(client_key(name)); }
  /// A publication by index (indexes grow with publication order); it must be live:
  /// indexes come from find() or owed lists.
  const publication& message(std::size_t i) const { return live_.at(i); }
  /// Indexes of the live publications of this message_hash.
  const std::vector<std::size_t>& find(std::uint64_t message) const;
  /// Indexes of the publications some client is still owed, in publication order.
  std::vector<std::size_t> unsettled() const;
  /// Active subscriptions of the client (pending ones included) whose filter matches.
  const std::vector<const subscription*>& matching(std::uint64_t client, std::string_view topic) const;
  /// The same for a PUBLISH's topic to its client (keys worked out already).
  const std::vector<const subscription*>& matching(const observed& o) const { return match(o).subs; }
  /// What matches a PUBLISH's topic for its client.
  const topic_match& match(const observed& o) const { return match(o.client_key, o.topic, o.topic_key); }

 private:
  void publish(const observed& o, client_state& c, const mqtt::publish& p);
  void add(publication p);
  void delivered(const observed& o);
  void forget_owed(client_state& c);
  void settle(std::size_t i, std::uint64_t client);
  void drop(std::size_t i);
  void subscriptions_changed(client_state& c);
  const topic_match& match(std::uint64_t client, std::string_view topic, std::uint64_t topic_key) const;
  std::vector<std::uint64_t> owed_by(std::string_view topic, std::uint64_t topic_key, std::uint64_t publisher,
                                     timestamp sent);

  std::size_t settled_kept_;
  std::unordered_map<std::uint64_t, client_state, key_hash> clients_;
  std::unordered_map<std::size_t, publication> live_;
  std::size_t next_ = 0;
  std::deque<std::size_t> recent_;  // live, not yet old, in publication order
  std::unordered_map<std::uint64_t, std::vector<std::size_t>, key_hash> by_message_;
  std::unordered_map<std::uint64_t, std::size_t, key_hash> retained_;  // topic hash -> the retained publication
  // owed_by() per topic hash, until a subscription, session or CONNECT changes.
  std::unordered_map<std::uint64_t, std::vector<std::pair<std::uint64_t, bool>>, key_hash> owed_cache_;
};

/// The CONNACK accepts the connection (3.1.1: return code 0; 5.0: a code below 0x80).
bool accepted(const mqtt::connack& p, mqtt::protocol_version v);

}  // namespace mqttspec::checks

// What the clients of a case asked of the broker, as the checkers need it: the
// messages published (with when they were sent and acknowledged), each client's
// subscriptions in its current session, and when sessions were lost. Internal to
// harness/checks; each checker keeps its own copy and calls update() per packet.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "checks.hpp"

namespace mqttspec::checks {

/// An Application Message a client gave the broker (a PUBLISH, or a will).
struct publication {
  std::string publisher;
  std::string topic;
  std::string payload;     // its first max_payload_kept bytes, for reports
  std::uint64_t hash = 0;  // message_hash(topic, whole payload)
  mqtt::qos qos = mqtt::qos::at_most_once;
  bool retain = false;
  bool will = false;       // published by the broker at a time we do not see
  bool expires = false;    // 5.0 Message Expiry Interval set: may vanish undelivered
  timestamp sent{};
  std::optional<timestamp> accepted;  // PUBACK / PUBREC with a success code
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

struct client_state {
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
  // Client QoS > 0 PUBLISH flows not finished: packet id -> index in publications.
  std::map<std::uint16_t, std::size_t> open_publishes;
  bool has_maximum_packet_size = false;
};

class world {
 public:
  /// Bytes of each payload kept: messages are told apart by their hash; the bytes are
  /// only for reports, and a capture holds millions of messages.
  static constexpr std::size_t max_payload_kept = 64;

  /// Call once per packet, after the checker looked at the state before it.
  void update(const observed& o);
  void connection_end(const std::string& client, std::uint64_t connection);

  const client_state* client(const std::string& name) const;
  const std::vector<publication>& publications() const { return publications_; }
  /// Indexes of the publications of this exact topic and payload.
  const std::vector<std::size_t>& find(std::string_view topic, std::string_view payload) const;
  /// Active subscriptions of `client` (pending ones included) whose filter matches.
  std::vector<const subscription*> matching(const std::string& client, std::string_view topic) const;

 private:
  void add(publication p);

  std::unordered_map<std::string, client_state> clients_;
  std::vector<publication> publications_;
  // Indexes into publications_ by message_key(): a capture holds millions of messages.
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_message_;  // by message_hash
};

/// The CONNACK accepts the connection (3.1.1: return code 0; 5.0: a code below 0x80).
bool accepted(const mqtt::connack& p, mqtt::protocol_version v);

/// One key of several strings (client, topic, ...) for hashed maps: '\0' cannot occur
/// in an MQTT UTF-8 string, so the parts never run into each other.
template <class... Parts>
std::string joined_key(const Parts&... parts) {
  std::string k;
  ((k.append(parts), k.push_back('\0')), ...);
  return k;
}

/// Hash of a (client, connection) key, for the checkers' per-connection maps.
struct connection_hash {
  std::size_t operator()(const std::pair<std::string, std::uint64_t>& k) const {
    return std::hash<std::string>{}(k.first) ^ (k.second * 0x9e3779b97f4a7c15ull);
  }
};

/// A 64-bit hash of a message (and of a client's copy of it), for maps of millions of
/// messages: two different messages share one with a probability of about n^2 / 2^65
/// (3e-8 for a million), which is taken.
std::uint64_t message_hash(std::string_view topic, std::string_view payload);
std::uint64_t message_hash(std::string_view client, std::uint64_t message);

/// Topic-payload key for maps of messages.
std::string message_key(std::string_view topic, std::string_view payload);

}  // namespace mqttspec::checks

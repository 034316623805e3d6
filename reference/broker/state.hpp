// The broker core's internal state: messages, sessions, connections and the timer
// queue, shared by the files that implement core (one responsibility per file).
#pragma once

#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core.hpp"
#include "reference/codec/codec.hpp"
#include "reference/codec/stream_decoder.hpp"
#include "reference/topic/subscription_index.hpp"
#include "reference/topic/topic.hpp"

namespace mqtt::broker::detail {

constexpr std::uint32_t never_expires = 0xffffffff;

/// A property that owns its strings: decoded packets only view the input bytes.
struct owned_property {
  property_id id;
  std::uint32_t number = 0;
  std::string text, value;
};
using owned_properties = std::vector<owned_property>;

owned_properties own(const properties& ps);
/// Views into `ps`, valid while `ps` lives.
properties view(const owned_properties& ps);

/// An Application Message as the broker took ownership of it.
struct message {
  std::string topic;
  std::string payload;
  mqtt::qos qos = qos::at_most_once;
  bool retain = false;
  owned_properties props;               // forwarded unaltered: no alias, expiry or subscription ids
  std::optional<std::uint32_t> expiry_s;  // Message Expiry Interval as received
  timestamp received{};
  std::string publisher;  // client id, for No Local
  bool dup = false;       // as received: read only by the propagate-dup fault
};
using message_ptr = std::shared_ptr<const message>;

/// One copy of a message on its way to one session.
struct delivery {
  message_ptr msg;
  mqtt::qos qos = qos::at_most_once;
  bool retain = false;
  std::vector<std::uint32_t> sub_ids;
};

/// A QoS 1/2 PUBLISH sent to the client and not yet acknowledged.
struct inflight {
  std::uint16_t packet_id = 0;
  delivery d;
  bool pubrel_sent = false;  // QoS 2 after PUBREC: only the PUBREL is resent
};

struct sub_entry {
  mqtt::qos max_qos = qos::at_most_once;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
  std::uint32_t sub_id = 0;  // 0: none
  std::string group;         // shared subscription group; empty when not shared
};

struct will_data {
  message_ptr msg;
  std::uint32_t delay_s = 0;
};

/// Messages on their way to a session's client and QoS 2 ids it sent; allocated with the
/// first, so the many sessions that never carry a QoS 1/2 message or a queue hold none.
struct session_flow {
  std::list<inflight> out;  // in the order first sent (MQTT-4.6.0-1)
  std::unordered_map<std::uint16_t, std::list<inflight>::iterator> out_by_id;
  std::list<delivery> queue;        // not yet sent: offline, or held by flow control
  std::set<std::uint16_t> qos2_in;  // PUBREC sent, PUBREL awaited
};

struct session {
  const std::string* client_id = nullptr;  // its key in core::impl::sessions
  std::uint64_t key = 0;                   // subscriber key in the subscription indexes
  conn_id conn = 0;                        // 0: offline
  std::optional<timestamp> expires_at;     // while offline
  std::map<std::string, sub_entry> subs;   // full filter ($share/... included)
  std::unique_ptr<session_flow> flow_ptr;  // null until needed: read it through has_flow(), flow()
  std::uint32_t expiry_s = 0;              // never_expires: kept forever
  std::uint16_t next_id = 1;
  protocol_version version = protocol_version::v5;

  bool has_flow() const { return flow_ptr != nullptr; }
  session_flow& flow() {
    if (!flow_ptr) flow_ptr = std::make_unique<session_flow>();
    return *flow_ptr;
  }
};

/// CONNECT fields the broker keeps, owned (the packet only views the bytes).
struct connect_params {
  protocol_version version = protocol_version::v5;
  bool clean_start = true;
  std::uint16_t keep_alive = 0;
  std::string client_id;
  bool assigned_id = false;
  std::uint32_t session_expiry = 0;
  std::uint16_t receive_maximum = 65535;
  std::uint32_t maximum_packet_size = 0;
  std::uint16_t topic_alias_maximum = 0;
  bool request_problem_information = true;
  bool request_response_information = false;
  std::string auth_method;  // empty: no enhanced authentication
};

enum class phase : std::uint8_t { awaiting_connect, authenticating, connected, closed };

/// What few connections need, allocated on first use: a will, topic aliases, or
/// enhanced authentication.
struct connection_extra {
  std::optional<will_data> will;
  std::map<std::uint16_t, std::string> alias_in;
  std::unordered_map<std::string, std::uint16_t> alias_out;
  std::uint16_t next_alias_out = 1;
  std::optional<connect_params> params;  // with enhanced authentication: the CONNECT, kept for re-authentication
  std::string auth_challenge;            // an exchange in progress
};

/// One network connection. What every packet needs is inline and small; the rest is
/// in `extra`: 10,000 idle connections should take little memory.
struct connection {
  conn_id id = 0;
  stream_decoder decoder;
  timestamp last_seen{};
  session* sess = nullptr;  // while connected
  std::unique_ptr<connection_extra> extra;
  // From the CONNECT:
  std::uint32_t maximum_packet_size = 0;  // the client's; 0: the protocol's limit
  std::uint32_t expiry_at_connect = 0;
  std::uint16_t keep_alive = 0;  // effective: server keep alive when the broker set one
  std::uint16_t receive_maximum = 65535;
  std::uint16_t topic_alias_maximum = 0;  // the client's: aliases the broker may send
  phase state = phase::awaiting_connect;
  protocol_version version = protocol_version::v5;

  connection_extra& more() {
    if (!extra) extra = std::make_unique<connection_extra>();
    return *extra;
  }
  bool has_will() const { return extra && extra->will; }
};

/// A timer queue entry; checked against the current state when it fires.
struct timer_entry {
  enum class kind : std::uint8_t { keepalive, will, session_expiry } what;
  conn_id conn = 0;
  std::string client_id;
};

struct pending_will {
  will_data will;
  std::string client_id;
  timestamp at{};
};

}  // namespace mqtt::broker::detail

namespace mqtt::broker {

using namespace detail;

struct core::impl {
  explicit impl(config c) : cfg(std::move(c)) {}

  config cfg;
  // By value: a node-based map keeps each element's address while it lives.
  std::unordered_map<conn_id, connection> conns;
  std::unordered_map<std::string, session> sessions;
  std::unordered_map<std::uint64_t, session*> by_key;
  std::uint64_t next_key = 1;
  std::uint64_t next_assigned = 1;
  topic::subscription_index<sub_entry> subs;
  std::map<std::string, std::uint64_t> shared_turn;  // round robin per "$share/group/filter"
  std::map<std::string, message_ptr> retained;
  std::map<std::string, pending_will> wills;  // by client id, waiting for their delay
  std::multimap<timestamp, timer_entry> timers;
  std::vector<conn_id> ended;  // closed during the current event: erased at its end
  std::optional<timestamp> armed;
  std::vector<action>* out = nullptr;  // the current event's actions
  timestamp now{};

  // core.cpp: plumbing
  void send(connection& c, const packet& p);
  bool fits(const connection& c, const packet& p) const;
  void note(conn_id c, std::string_view spec_id, std::string text);
  /// Ends the connection: DISCONNECT `rc` first in 5.0 when a CONNACK was sent,
  /// then close; the will is published unless `normal`.
  void close(connection& c, std::optional<reason_code> rc, bool publish_will, std::string_view why = {});
  void violation(connection& c, reason_code rc, std::string_view spec_id, std::string what);
  /// Marks `c` closed; it is erased when the current event ends.
  void end(connection& c);
  void handle(connection& c, bytes_view frame);
  void dispatch(connection& c, packet& p);
  void schedule(timestamp at, timer_entry e);
  void arm();
  connection* find_conn(conn_id id);

  // connect.cpp
  void on_connect(connection& c, const connect& p);
  void on_auth(connection& c, const auth& p);
  void reject(connection& c, reason_code v5_code, std::uint8_t v311_code, std::string_view spec_id,
              std::string why);
  void accept(connection& c, connect_params& cp);
  void on_disconnect(connection& c, const disconnect& p);

  // session.cpp
  session& open_session(connection& c, const connect_params& cp, bool& present);
  void detach(connection& c);
  void end_session(session& s);

  // publish_in.cpp
  void on_publish(connection& c, const publish& p);
  void on_pubrel(connection& c, const pubrel& p);
  void on_puback(connection& c, const puback& p);
  void on_pubrec(connection& c, const pubrec& p);
  void on_pubcomp(connection& c, const pubcomp& p);
  void store_retained(const message_ptr& m);

  // route.cpp
  std::size_t route(const message_ptr& m);
  void enqueue(session& s, delivery d);
  void pump(session& s);
  void resume(session& s);

  // deliver.cpp
  /// Sends one PUBLISH; false when it was dropped (too large for the client).
  bool send_publish(connection& c, const delivery& d, std::uint16_t id, bool dup);
  std::uint16_t new_packet_id(session& s);
  bool expired(const message& m) const;

  // subscribe.cpp
  void on_subscribe(connection& c, const subscribe& p);
  void on_unsubscribe(connection& c, const unsubscribe& p);
  void remove_subscription(session& s, const std::string& filter);

  // will.cpp
  void lose_will(connection& c);
  void schedule_will(connection& c);
  void cancel_will(const std::string& client_id);
  void publish_will(const will_data& w);
  void fire_wills(timestamp now);

  // timers.cpp
  void on_time(timestamp now);
};

}  // namespace mqtt::broker

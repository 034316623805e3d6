// client_rules, for captures: the client's own obligations, which a live case never
// judges (its clients are the harness, breaking rules on purpose): CONNECT first,
// nothing after its DISCONNECT, Packet Identifiers non-zero and not in use, Keep
// Alive kept, and (5.0) the server's Receive Maximum, Maximum Packet Size, Topic
// Alias Maximum and Retain Available respected. Findings name the client's fault in
// their message ("client ...").
//
// A capture also shows the broker's side of Keep Alive without any blackhole: once
// the client has been silent for 1.5 x Keep Alive (plus options::keepalive_tolerance),
// the broker must close; later but within another 1.5 x Keep Alive is non-strict,
// as in live runs (keepalive.cpp).
#include <map>
#include <unordered_map>
#include <optional>

#include "checks.hpp"
#include "id_map.hpp"
#include "spec_ids.hpp"

namespace mqttspec::checks {
namespace {

using std::chrono::seconds;

struct connection_state {
  std::string client;
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  bool joined = false, any = false, disconnected = false, ended = false;
  std::uint32_t keepalive_s = 0;
  std::optional<timestamp> last_from_client;
  id_map<mqtt::packet_type> ids;  // in use by the client
  std::size_t open_publishes = 0;
  std::uint32_t receive_maximum = 65535, alias_max = 0;
  std::optional<std::uint32_t> max_packet;
  bool retain_available = true;
  std::map<const void*, bool> reported;  // one report per rule and connection
};

class client_rules final : public checker {
 public:
  explicit client_rules(const options& opts) : opts_(opts) {}
  std::string_view name() const override { return "client_rules"; }

  void on_joined(timestamp, const std::string& client, std::uint64_t connection) override {
    conns_[connection_key(client, connection)].joined = true;
  }

  void on_packet(const observed& o) override {
    auto& c = conns_[o.connection_key];
    if (c.client.empty()) c.client = o.client;
    c.version = o.version;
    if (o.from_broker) return from_broker(o, c);
    if (!c.any && !c.joined && !std::holds_alternative<mqtt::connect>(o.packet))
      once(c, ids::client_connect_first, o, "client: " + what(o) + " before its CONNECT");
    if (c.disconnected) once(c, ids::client_nothing_after_disconnect, o, "client: " + what(o) + " after its DISCONNECT");
    if (c.keepalive_s > 0 && c.last_from_client && o.at - *c.last_from_client > keepalive(c) + opts_.keepalive_tolerance)
      once(c, ids::client_keepalive, o,
           "client: silent for " + std::to_string((o.at - *c.last_from_client).count() / 1000) +
               " ms, Keep Alive is " + std::to_string(c.keepalive_s) + " s");
    c.any = true;
    c.last_from_client = o.at;
    if (c.max_packet && o.bytes.size() > *c.max_packet)
      once(c, ids::client_max_packet_size, o,
           "client: " + what(o) + " of " + std::to_string(o.bytes.size()) + " bytes, the server's Maximum Packet Size is " +
               std::to_string(*c.max_packet));
    if (const auto* p = std::get_if<mqtt::connect>(&o.packet)) c.keepalive_s = p->keep_alive;
    if (std::holds_alternative<mqtt::disconnect>(o.packet)) c.disconnected = true;
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) publish(o, *p, c);
    if (const auto* p = std::get_if<mqtt::subscribe>(&o.packet)) take_id(o, p->packet_id, c, false);
    if (const auto* p = std::get_if<mqtt::unsubscribe>(&o.packet)) take_id(o, p->packet_id, c, false);
  }

  void on_websocket(timestamp at, const std::string& client, std::uint64_t, const websocket_fact& f) override {
    using kind = websocket_fact::kind;
    if (f.what == kind::offered && !lists_subprotocol(f.text, "mqtt"))
      report(at, client, ids::websocket_offers_mqtt.v5,
             "client: its WebSocket upgrade offers " +
                 (f.text.empty() ? std::string("no subprotocol") : "the subprotocols \"" + f.text + "\"") +
                 ", without \"mqtt\"");
    if (f.what == kind::text_frame && !f.from_broker)
      report(at, client, ids::websocket_binary.v5, "client: MQTT in a WebSocket text frame, not binary");
  }

  void on_connection_end(timestamp at, const std::string& client, std::uint64_t connection, bool by_broker) override {
    auto it = conns_.find(connection_key(client, connection));
    if (it == conns_.end() || it->second.ended) return;
    auto& c = it->second;
    c.ended = true;
    c.ids.clear();  // a capture has many connections: keep only what a late packet needs
    c.reported.clear();
    if (by_broker) judge_broker_close(c, client, at, true);
  }

 protected:
  void at_end(timestamp end) override {
    for (auto& [key, c] : conns_)
      if (!c.ended) judge_broker_close(c, c.client, end, false);
  }

 private:
  timestamp keepalive(const connection_state& c) const { return seconds(c.keepalive_s); }

  static std::string what(const observed& o) { return std::string(mqtt::to_string(mqtt::type_of(o.packet))); }

  void once(connection_state& c, const ids::rule& rule, const observed& o, std::string message) {
    if (c.reported[&rule]) return;
    c.reported[&rule] = true;
    report(o.at, o.client, rule.of(o.version), std::move(message));
  }

  void publish(const observed& o, const mqtt::publish& p, connection_state& c) {
    if (o.version == mqtt::protocol_version::v5) {
      auto alias = mqtt::number_of(p.props, mqtt::property_id::topic_alias);
      if (alias && *alias > c.alias_max)
        once(c, ids::client_topic_alias, o,
             "client: Topic Alias " + std::to_string(*alias) + ", the server's Topic Alias Maximum is " +
                 std::to_string(c.alias_max));
      if (p.retain && !c.retain_available)
        once(c, ids::client_retain_unavailable, o, "client: PUBLISH with RETAIN 1, the server has Retain Available 0");
    }
    if (p.qos == mqtt::qos::at_most_once) return;
    const bool fresh = !c.ids.contains(p.packet_id);
    take_id(o, p.packet_id, c, p.dup);
    if (fresh && ++c.open_publishes > c.receive_maximum && o.version == mqtt::protocol_version::v5)
      once(c, ids::client_receive_maximum, o,
           "client: " + std::to_string(c.open_publishes) + " unacknowledged QoS > 0 PUBLISHes, the server's Receive "
           "Maximum is " + std::to_string(c.receive_maximum));
  }

  void take_id(const observed& o, std::uint16_t id, connection_state& c, bool dup) {
    if (id == 0) return once(c, ids::client_id_nonzero, o, "client: " + what(o) + " with Packet Identifier 0");
    if (c.ids.contains(id) && !dup)
      once(c, ids::client_id_unused, o,
           "client: new " + what(o) + " with Packet Identifier " + std::to_string(id) + ", still in use");
    c.ids[id] = mqtt::type_of(o.packet);
  }

  void release(connection_state& c, std::uint16_t id, mqtt::packet_type of) {
    const auto* in_use = c.ids.find(id);
    if (in_use == nullptr || *in_use != of) return;
    c.ids.erase(id);
    if (of == mqtt::packet_type::publish && c.open_publishes > 0) --c.open_publishes;
  }

  void from_broker(const observed& o, connection_state& c) {
    using mqtt::packet_type;
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet)) {
      c.receive_maximum = mqtt::number_of(p->props, mqtt::property_id::receive_maximum).value_or(65535);
      c.max_packet = mqtt::number_of(p->props, mqtt::property_id::maximum_packet_size);
      c.alias_max = mqtt::number_of(p->props, mqtt::property_id::topic_alias_maximum).value_or(0);
      c.retain_available = mqtt::number_of(p->props, mqtt::property_id::retain_available).value_or(1) != 0;
      if (auto k = mqtt::number_of(p->props, mqtt::property_id::server_keep_alive)) c.keepalive_s = *k;
    } else if (const auto* p = std::get_if<mqtt::puback>(&o.packet)) {
      release(c, p->packet_id, packet_type::publish);
    } else if (const auto* p = std::get_if<mqtt::pubrec>(&o.packet)) {
      if (static_cast<std::uint8_t>(p->code) >= 0x80) release(c, p->packet_id, packet_type::publish);
    } else if (const auto* p = std::get_if<mqtt::pubcomp>(&o.packet)) {
      release(c, p->packet_id, packet_type::publish);
    } else if (const auto* p = std::get_if<mqtt::suback>(&o.packet)) {
      release(c, p->packet_id, packet_type::subscribe);
    } else if (const auto* p = std::get_if<mqtt::unsuback>(&o.packet)) {
      release(c, p->packet_id, packet_type::unsubscribe);
    }
  }

  // The broker ended (`closed`) or still held (`!closed`) a connection at `at`.
  void judge_broker_close(connection_state& c, const std::string& client, timestamp at, bool closed) {
    if (c.keepalive_s == 0 || !c.last_from_client || c.disconnected) return;
    const auto deadline = *c.last_from_client + keepalive(c) * 3 / 2 + opts_.keepalive_tolerance;
    const auto late_bound = deadline + keepalive(c) * 3 / 2;
    if (at <= deadline || (!closed && at <= late_bound)) return;
    const bool late = closed && at <= late_bound;
    report(deadline, client, ids::keepalive_close.of(c.version),
           std::string(closed ? "closed " : "still open ") + std::to_string((at - *c.last_from_client).count() / 1000) +
               " ms after the client's last packet, Keep Alive is " + std::to_string(c.keepalive_s) + " s" +
               (late ? ": late (within another 1.5 x Keep Alive)" : ""),
           late);
  }

  options opts_;
  std::unordered_map<std::uint64_t, connection_state, key_hash> conns_;  // by connection_key
};

}  // namespace

std::unique_ptr<checker> make_client_rules(const options& opts) { return std::make_unique<client_rules>(opts); }

}  // namespace mqttspec::checks

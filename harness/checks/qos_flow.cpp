// qos_flow: the broker answers each request with the packet the QoS flow prescribes
// (QoS 1 PUBLISH -> PUBACK, QoS 2 PUBLISH -> PUBREC, PUBREL -> PUBCOMP, SUBSCRIBE ->
// SUBACK, UNSUBSCRIBE -> UNSUBACK, PINGREQ -> PINGRESP), sends PUBREL only for a
// PUBLISH the client PUBREC'd, and never delivers above the QoS granted to the
// matching subscriptions or above the QoS the message was published with.
//
// A missing answer is judged at the end, on connections still open, when the request
// is older than options::response_grace and nothing excused the broker (the client
// broke the protocol, a DISCONNECT, a blackhole).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "checks.hpp"
#include "id_map.hpp"
#include "spec_ids.hpp"
#include "world.hpp"
#include "reference/topic/topic.hpp"

namespace mqttspec::checks {
namespace {

struct request {
  const ids::rule* rule;
  const char* what;  // "QoS 1 PUBLISH": the text is made only for a report
  timestamp at;
};

struct connection_state {
  std::string client;
  std::uint64_t client_key = 0;
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  bool accepted = false;  // CONNACK with success
  bool excused = false;   // missing answers are not the broker's fault any more
  std::map<std::pair<int, std::uint16_t>, request> waiting;  // (packet type, id) -> request
  std::vector<timestamp> pings;
};

class qos_flow final : public checker {
 public:
  explicit qos_flow(const options& opts) : opts_(opts) {}
  std::string_view name() const override { return "qos_flow"; }

  void on_joined(timestamp, const std::string& client, std::uint64_t connection) override {
    conns_[connection_key(client, connection)].accepted = true;  // requests seen from now on are judged
  }

  void on_packet(const observed& o) override {
    auto& c = conns_[o.connection_key];
    if (c.client_key == 0) {
      c.client = o.client;
      c.client_key = o.client_key;
    }
    c.version = o.version;
    if (o.from_broker)
      from_broker(o, c);
    else
      from_client(o, c);
    model_packet(o);
    track_outgoing(o);
  }

  void on_malformed(timestamp, const std::string& client, std::uint64_t connection, bool from_broker,
                    mqtt::protocol_version, const mqtt::decode_error&, std::string_view) override {
    if (!from_broker) conns_[connection_key(client, connection)].excused = true;  // the broker may just close
  }

  void on_connection_end(timestamp, const std::string& client, std::uint64_t connection, bool) override {
    conns_.erase(connection_key(client, connection));  // nothing more to judge
    model_end(client, connection);
  }

  void on_link_event(timestamp, const std::string& client, link_event e) override {
    if (e != link_event::blackhole) return;
    const auto key = client_key(client);
    for (auto& [_, c] : conns_)
      if (c.client_key == key) c.excused = true;
  }

 protected:
  void at_end(timestamp end) override {
    for (auto& [key, c] : conns_) {
      if (c.excused) continue;
      for (auto& [key, r] : c.waiting)
        if (r.at + opts_.response_grace <= end)
          report(end, c.client, r.rule->of(c.version),
                 "no answer to " + std::string(r.what) + " (id " + std::to_string(key.second) + ")");
      if (!c.pings.empty() && c.pings.front() + opts_.response_grace <= end)
        report(end, c.client, ids::pingresp_answers_pingreq.of(c.version), "no PINGRESP to a PINGREQ");
    }
  }

 private:
  // Outgoing QoS > 0 flows of the broker, per client session: id -> (QoS, PUBREC seen).
  void track_outgoing(const observed& o) {
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet); p && !p->session_present) {
      outgoing_.erase(o.client_key);
    } else if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
      if (o.from_broker && p->qos != mqtt::qos::at_most_once)
        outgoing_[o.client_key].try_emplace(p->packet_id, {p->qos, false});
    } else if (o.from_broker) {
      return;
    } else if (const auto* p = std::get_if<mqtt::pubrec>(&o.packet)) {
      if (auto* flow = outgoing_[o.client_key].find(p->packet_id))
        flow->second = static_cast<std::uint8_t>(p->code) < 0x80;
    } else if (const auto* p = std::get_if<mqtt::puback>(&o.packet)) {
      outgoing_[o.client_key].erase(p->packet_id);
    } else if (const auto* p = std::get_if<mqtt::pubcomp>(&o.packet)) {
      outgoing_[o.client_key].erase(p->packet_id);
    }
  }

  void wait(connection_state& c, mqtt::packet_type t, std::uint16_t id, const ids::rule& rule, const char* what,
            timestamp at) {
    c.waiting.insert_or_assign({static_cast<int>(t), id}, request{&rule, what, at});
  }
  bool answer(connection_state& c, mqtt::packet_type t, std::uint16_t id) {
    return c.waiting.erase({static_cast<int>(t), id}) > 0;
  }

  void from_client(const observed& o, connection_state& c) {
    using mqtt::packet_type;
    if (std::holds_alternative<mqtt::disconnect>(o.packet)) c.excused = true;
    if (!c.accepted) return;
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
      if (p->qos == mqtt::qos::at_least_once)
        wait(c, packet_type::puback, p->packet_id, ids::puback_answers_qos1, "QoS 1 PUBLISH", o.at);
      if (p->qos == mqtt::qos::exactly_once)
        wait(c, packet_type::pubrec, p->packet_id, ids::pubrec_answers_qos2, "QoS 2 PUBLISH", o.at);
    } else if (const auto* p = std::get_if<mqtt::pubrel>(&o.packet)) {
      wait(c, packet_type::pubcomp, p->packet_id, ids::pubcomp_answers_pubrel, "PUBREL", o.at);
    } else if (const auto* p = std::get_if<mqtt::subscribe>(&o.packet)) {
      wait(c, packet_type::suback, p->packet_id, ids::suback_answers_subscribe, "SUBSCRIBE", o.at);
    } else if (const auto* p = std::get_if<mqtt::unsubscribe>(&o.packet)) {
      wait(c, packet_type::unsuback, p->packet_id, ids::unsuback_answers_unsubscribe,
           "UNSUBSCRIBE", o.at);
    } else if (std::holds_alternative<mqtt::pingreq>(o.packet)) {
      c.pings.push_back(o.at);
    }
  }

  void from_broker(const observed& o, connection_state& c) {
    using mqtt::packet_type;
    auto v = o.version;
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet)) {
      c.accepted = static_cast<std::uint8_t>(p->code) == 0;
    } else if (std::holds_alternative<mqtt::disconnect>(o.packet)) {
      c.excused = true;
    } else if (const auto* p = std::get_if<mqtt::puback>(&o.packet)) {
      if (answer(c, packet_type::pubrec, p->packet_id))
        report(o.at, o.client, ids::pubrec_answers_qos2.of(v), "PUBACK answers a QoS 2 PUBLISH");
      answer(c, packet_type::puback, p->packet_id);
    } else if (const auto* p = std::get_if<mqtt::pubrec>(&o.packet)) {
      if (answer(c, packet_type::puback, p->packet_id))
        report(o.at, o.client, ids::puback_answers_qos1.of(v), "PUBREC answers a QoS 1 PUBLISH");
      answer(c, packet_type::pubrec, p->packet_id);
    } else if (const auto* p = std::get_if<mqtt::pubcomp>(&o.packet)) {
      answer(c, packet_type::pubcomp, p->packet_id);
    } else if (const auto* p = std::get_if<mqtt::suback>(&o.packet)) {
      answer(c, packet_type::suback, p->packet_id);
    } else if (const auto* p = std::get_if<mqtt::unsuback>(&o.packet)) {
      answer(c, packet_type::unsuback, p->packet_id);
    } else if (std::holds_alternative<mqtt::pingresp>(o.packet)) {
      if (!c.pings.empty()) c.pings.erase(c.pings.begin());
    } else if (const auto* p = std::get_if<mqtt::pubrel>(&o.packet)) {
      const auto* flow = outgoing_[o.client_key].find(p->packet_id);
      if (flow != nullptr && flow->first != mqtt::qos::exactly_once)
        report(o.at, o.client, ids::pubrel_after_pubrec.of(v), "PUBREL for a QoS 1 PUBLISH");
      else if (flow != nullptr && !flow->second)
        report(o.at, o.client, ids::pubrel_after_pubrec.of(v), "PUBREL before the client's PUBREC");
    } else if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
      check_qos(o, *p);
    }
  }

  // Above min(message QoS, granted QoS) is wrong. Only judged when every input is known:
  // a session created in the case, a matching subscription, and the message's origin.
  void check_qos(const observed& o, const mqtt::publish& p) {
    const auto* c = model().client(o.client_key);
    if (p.dup || c == nullptr || !c->fresh_session) return;
    for (const auto& r : c->removed)
      if (mqtt::topic::matches(r.match_filter, o.topic)) return;  // queued for a removed subscription
    const auto& subs = model().matching(o);
    if (subs.empty()) return;
    auto bound = mqtt::qos::at_most_once;
    for (const auto* s : subs) bound = std::max({bound, s->max_granted, s->pending ? s->requested : bound});
    const auto& found = model().find(o.message);
    if (!found.empty()) {
      auto message = mqtt::qos::at_most_once;
      for (auto i : found) message = std::max(message, model().message(i).qos);
      bound = std::min(bound, message);
    }
    if (p.qos > bound)
      report(o.at, o.client, ids::qos_at_most_granted.of(o.version),
             "PUBLISH at QoS " + std::to_string(static_cast<int>(p.qos)) + " on \"" + o.topic +
                 "\", at most QoS " + std::to_string(static_cast<int>(bound)) + " allowed");
  }

  options opts_;
  std::unordered_map<std::uint64_t, connection_state, key_hash> conns_;  // by connection_key
  // by client_key
  std::unordered_map<std::uint64_t, id_map<std::pair<mqtt::qos, bool>>, key_hash> outgoing_;
};

}  // namespace

std::unique_ptr<checker> make_qos_flow(const options& opts) { return std::make_unique<qos_flow>(opts); }

}  // namespace mqttspec::checks

// packet_ids: the broker numbers its QoS > 0 PUBLISHes with non-zero identifiers not in
// use in the session, never has more of them unacknowledged than the client's Receive
// Maximum (5.0), and answers each request with the identifier of that request. SUBACK
// and (5.0) UNSUBACK carry one code per filter.
//
// A wrong acknowledgement *type* for a known id (PUBACK for a QoS 2 PUBLISH, PUBREL
// before PUBREC) is qos_flow's; a resend without DUP of the same message is
// exactly_once's. Each broken rule is reported by one checker only.
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <set>

#include "checks.hpp"
#include "id_map.hpp"
#include "spec_ids.hpp"

namespace mqttspec::checks {
namespace {

struct outgoing {  // a broker PUBLISH the client has not finished acknowledging
  std::uint64_t message = 0;
  mqtt::qos qos = mqtt::qos::at_most_once;
  bool pubrec = false;  // the client sent PUBREC: the broker's PUBREL is expected
};

struct session {
  id_map<outgoing> broker_ids;
  std::uint64_t connection = 0;
  std::uint32_t receive_maximum = 65535;
  bool quota_reported = false;
  // Client requests of the current connection, waiting for their answer.
  id_map<bool> qos1, qos2, pubrel;
  std::map<std::uint16_t, std::size_t> subscribe, unsubscribe;  // id -> filter count
};

bool failure(mqtt::reason_code rc) { return static_cast<std::uint8_t>(rc) >= 0x80; }

class packet_ids final : public checker {
 public:
  std::string_view name() const override { return "packet_ids"; }

  void on_joined(timestamp, const std::string& client, std::uint64_t connection) override {
    joined_.insert(connection_key(client, connection));
  }

  void on_packet(const observed& o) override {
    auto& s = sessions_[o.client_key];
    if (s.connection != o.connection) {
      s.connection = o.connection;
      s.quota_reported = false;
      s.qos1.clear(), s.qos2.clear(), s.pubrel.clear(), s.subscribe.clear(), s.unsubscribe.clear();
    }
    if (o.from_broker)
      from_broker(o, s);
    else
      from_client(o, s);
  }

 private:
  void from_client(const observed& o, session& s) {
    if (const auto* p = std::get_if<mqtt::connect>(&o.packet)) {
      s.receive_maximum = mqtt::number_of(p->props, mqtt::property_id::receive_maximum).value_or(65535);
    } else if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
      if (p->qos == mqtt::qos::at_least_once) s.qos1[p->packet_id] = true;
      if (p->qos == mqtt::qos::exactly_once) s.qos2[p->packet_id] = true;
    } else if (const auto* p = std::get_if<mqtt::pubrel>(&o.packet)) {
      s.pubrel[p->packet_id] = true;
    } else if (const auto* p = std::get_if<mqtt::subscribe>(&o.packet)) {
      s.subscribe[p->packet_id] = p->topics.size();
    } else if (const auto* p = std::get_if<mqtt::unsubscribe>(&o.packet)) {
      s.unsubscribe[p->packet_id] = p->filters.size();
    } else if (const auto* p = std::get_if<mqtt::puback>(&o.packet)) {
      s.broker_ids.erase(p->packet_id);
    } else if (const auto* p = std::get_if<mqtt::pubrec>(&o.packet)) {
      auto* flow = s.broker_ids.find(p->packet_id);
      if (flow == nullptr) return;
      if (failure(p->code))
        s.broker_ids.erase(p->packet_id);  // the flow ends here (5.0 section 4.3.3)
      else
        flow->pubrec = true;
    } else if (const auto* p = std::get_if<mqtt::pubcomp>(&o.packet)) {
      s.broker_ids.erase(p->packet_id);
    }
  }

  void from_broker(const observed& o, session& s) {
    auto v = o.version;
    const std::string_view c = o.client;
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet)) {
      if (!p->session_present) s.broker_ids.clear();
    } else if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
      if (p->qos == mqtt::qos::at_most_once) return;
      auto id = p->packet_id;
      if (id == 0) {
        report(o.at, c, ids::publish_id_nonzero.of(v), "QoS > 0 PUBLISH with Packet Identifier 0");
        return;
      }
      auto* flow = s.broker_ids.find(id);
      if (flow != nullptr && !p->dup && flow->message != o.message)
        report(o.at, c, ids::publish_id_unused.of(v),
               "new PUBLISH reuses Packet Identifier " + std::to_string(id) + " still in use");
      if (flow == nullptr || !p->dup) s.broker_ids[id] = {o.message, p->qos};
      if (s.broker_ids.size() > s.receive_maximum && !s.quota_reported) {
        s.quota_reported = true;
        report(o.at, c, ids::receive_maximum.of(v),
               std::to_string(s.broker_ids.size()) + " unacknowledged QoS > 0 PUBLISHes, Receive Maximum is " +
                   std::to_string(s.receive_maximum));
      }
    } else if (const auto* p = std::get_if<mqtt::puback>(&o.packet)) {
      if (!s.qos1.erase(p->packet_id) && !s.qos2.contains(p->packet_id))
        unknown(o, "PUBACK", p->packet_id, ids::pub_response_id);
    } else if (const auto* p = std::get_if<mqtt::pubrec>(&o.packet)) {
      if (!s.qos2.erase(p->packet_id) && !s.qos1.contains(p->packet_id))
        unknown(o, "PUBREC", p->packet_id, ids::pub_response_id);
    } else if (const auto* p = std::get_if<mqtt::pubrel>(&o.packet)) {
      if (!s.broker_ids.contains(p->packet_id)) unknown(o, "PUBREL", p->packet_id, ids::pub_response_id);
    } else if (const auto* p = std::get_if<mqtt::pubcomp>(&o.packet)) {
      if (!s.pubrel.erase(p->packet_id)) unknown(o, "PUBCOMP", p->packet_id, ids::pubcomp_id);
    } else if (const auto* p = std::get_if<mqtt::suback>(&o.packet)) {
      auto it = s.subscribe.find(p->packet_id);
      if (it == s.subscribe.end()) return unknown(o, "SUBACK", p->packet_id, ids::suback_id);
      if (p->codes.size() != it->second)
        report(o.at, c, ids::suback_count.of(v), counts("SUBACK", p->codes.size(), it->second));
      s.subscribe.erase(it);
    } else if (const auto* p = std::get_if<mqtt::unsuback>(&o.packet)) {
      auto it = s.unsubscribe.find(p->packet_id);
      if (it == s.unsubscribe.end()) return unknown(o, "UNSUBACK", p->packet_id, ids::unsuback_id);
      if (v == mqtt::protocol_version::v5 && p->codes.size() != it->second)
        report(o.at, c, ids::unsuback_count.of(v), counts("UNSUBACK", p->codes.size(), it->second));
      s.unsubscribe.erase(it);
    }
  }

  void unknown(const observed& o, const char* what, std::uint16_t id, const ids::rule& rule) {
    if (joined_.contains(o.connection_key)) return;  // the request may predate the capture
    report(o.at, o.client, rule.of(o.version),
           std::string(what) + " with Packet Identifier " + std::to_string(id) +
               ", which no packet awaiting it carries");
  }

  static std::string counts(const char* what, std::size_t got, std::size_t want) {
    return std::string(what) + " has " + std::to_string(got) + " reason codes for " + std::to_string(want) +
           " topic filters";
  }

  std::unordered_map<std::uint64_t, session, key_hash> sessions_;  // by client_key
  std::unordered_set<std::uint64_t, key_hash> joined_;              // connection_keys
};

}  // namespace

std::unique_ptr<checker> make_packet_ids(const options&) { return std::make_unique<packet_ids>(); }

}  // namespace mqttspec::checks

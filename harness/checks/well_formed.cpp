// well_formed: every packet from the broker decodes, is one a Server may send, and
// comes in the order a connection allows: CONNACK first and once, nothing after a
// refusing CONNACK or after the broker's DISCONNECT.
#include <map>
#include <unordered_map>
#include <utility>

#include "checks.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

using mqtt::packet_type;

struct connection_state {
  bool connack = false;
  bool refused = false;        // CONNACK with a failure code: the broker must close
  bool disconnected = false;   // the broker sent DISCONNECT
  bool order_reported = false; // one report per connection for each ordering rule
  bool closed_reported = false;
  bool clean_start = false;
  bool auth_method = false;
  bool joined = false;  // observed from its middle: its first CONNACK may still come
};

// Table 2.1 / 2-1: packet types only a Client sends. 3.1.1 has no server DISCONNECT.
bool client_only(packet_type t, mqtt::protocol_version v) {
  switch (t) {
    case packet_type::connect:
    case packet_type::subscribe:
    case packet_type::unsubscribe:
    case packet_type::pingreq:
      return true;
    case packet_type::disconnect:
    case packet_type::auth:
      return v == mqtt::protocol_version::v311;
    default:
      return false;
  }
}

class well_formed final : public checker {
 public:
  std::string_view name() const override { return "well_formed"; }

  void on_joined(timestamp, const std::string& client, std::uint64_t connection) override {
    auto& c = conns_[connection_key(client, connection)];
    c.connack = c.joined = true;  // accepted before the observation began, or about to be
  }

  void on_packet(const observed& o) override {
    auto& c = conns_[o.connection_key];
    auto t = mqtt::type_of(o.packet);
    if (!o.from_broker) {
      if (const auto* p = std::get_if<mqtt::connect>(&o.packet)) {
        c.clean_start = p->clean_start;
        c.auth_method = mqtt::find(p->props, mqtt::property_id::authentication_method) != nullptr;
      }
      return;
    }
    auto v = o.version;
    const std::string_view what = mqtt::to_string(t);
    if (client_only(t, v)) {
      // No numbered statement: the direction column of Table 2.1 (2-1 in 5.0).
      report(o.at, o.client, "", "section 2.1.2: a Server never sends " + std::string(what));
      return;
    }
    if ((c.disconnected || c.refused) && !c.closed_reported) {
      c.closed_reported = true;
      if (c.disconnected)
        report(o.at, o.client, ids::nothing_after_disconnect.of(v), std::string(what) + " after the broker's DISCONNECT");
      else
        report(o.at, o.client, ids::close_after_refusal.of(v),
               std::string(what) + " after a CONNACK refusing the connection");
    }
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet)) {
      if (c.connack && !c.joined) {
        auto id = ids::connack_once.of(v);
        report(o.at, o.client, id, std::string(id.empty() ? "section 3.2: " : "") + "a second CONNACK");
        return;
      }
      c.connack = true;
      c.joined = false;
      bool ok = static_cast<std::uint8_t>(p->code) < (v == mqtt::protocol_version::v5 ? 0x80 : 0x01);
      c.refused = !ok;
      if (ok && p->session_present && c.clean_start)
        report(o.at, o.client, ids::session_present_on_clean.of(v),
               "Session Present 1 in answer to a CONNECT with Clean Start 1");
      return;
    }
    if (t == packet_type::auth && !c.auth_method) {
      report(o.at, o.client, ids::auth_without_method.of(v), "AUTH to a client whose CONNECT had no Authentication Method");
      return;
    }
    if (t == packet_type::disconnect) c.disconnected = true;
    // 5.0 enhanced authentication exchanges AUTH before CONNACK.
    if (c.connack || c.order_reported || t == packet_type::auth) return;
    c.order_reported = true;
    if (t == packet_type::disconnect)
      report(o.at, o.client, ids::disconnect_before_connack.of(v), "DISCONNECT before any CONNACK");
    else
      report(o.at, o.client, ids::connack_first.of(v), std::string(what) + " before CONNACK");
  }

  void on_malformed(timestamp at, const std::string& client, std::uint64_t, bool from_broker,
                    mqtt::protocol_version, const mqtt::decode_error& e, std::string_view bytes) override {
    if (!from_broker) return;
    report(at, client, e.spec_id, "undecodable packet from the broker: " + mqtt::to_string(e) + " [" +
                                      mqtt::to_hex(bytes.substr(0, 32)) + (bytes.size() > 32 ? " ..." : "") + "]");
  }

 private:
  std::unordered_map<std::uint64_t, connection_state, key_hash> conns_;  // by connection_key
};

}  // namespace

std::unique_ptr<checker> make_well_formed(const options&) { return std::make_unique<well_formed>(); }

}  // namespace mqttspec::checks

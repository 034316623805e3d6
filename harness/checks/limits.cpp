// limits (5.0): the broker keeps to what the client's CONNECT allowed: no packet
// larger than its Maximum Packet Size (MQTT-3.1.2-24), no Topic Alias above its Topic
// Alias Maximum (MQTT-3.3.2-11; 0 or absent: none at all).
#include <map>
#include <unordered_map>

#include "checks.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

struct allowed {
  std::optional<std::uint32_t> max_packet;
  std::uint32_t alias_max = 0;
  bool packet_reported = false, alias_reported = false;
};

class limits final : public checker {
 public:
  std::string_view name() const override { return "limits"; }

  void on_packet(const observed& o) override {
    if (o.version != mqtt::protocol_version::v5) return;
    auto& c = conns_[o.connection_key];
    if (!o.from_broker) {
      if (const auto* p = std::get_if<mqtt::connect>(&o.packet)) {
        c.max_packet = mqtt::number_of(p->props, mqtt::property_id::maximum_packet_size);
        c.alias_max = mqtt::number_of(p->props, mqtt::property_id::topic_alias_maximum).value_or(0);
      }
      return;
    }
    if (c.max_packet && o.bytes.size() > *c.max_packet && !c.packet_reported) {
      c.packet_reported = true;
      report(o.at, o.client, ids::broker_max_packet_size.of(o.version),
             std::string(mqtt::to_string(mqtt::type_of(o.packet))) + " of " + std::to_string(o.bytes.size()) +
                 " bytes, the client's Maximum Packet Size is " + std::to_string(*c.max_packet));
    }
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
      auto alias = mqtt::number_of(p->props, mqtt::property_id::topic_alias);
      if (alias && *alias > c.alias_max && !c.alias_reported) {
        c.alias_reported = true;
        report(o.at, o.client, ids::broker_topic_alias.of(o.version),
               "Topic Alias " + std::to_string(*alias) + ", the client's Topic Alias Maximum is " +
                   std::to_string(c.alias_max));
      }
    }
  }

 private:
  std::unordered_map<std::uint64_t, allowed, key_hash> conns_;  // by connection_key
};

}  // namespace

std::unique_ptr<checker> make_limits(const options&) { return std::make_unique<limits>(); }

}  // namespace mqttspec::checks

// at_least_once: a QoS 1 or 2 message the broker accepted (PUBACK / PUBREC with a
// success code) reaches every client that, when it was published, had a subscription
// matching it with QoS >= 1 granted. Judged at the end, only for subscribers still
// connected then in the same session, whose subscription was acknowledged before the
// message was sent and never replaced, and for messages accepted at least
// options::response_grace before the end. Messages with an expiry, wills, shared
// subscriptions, No Local and clients with a Maximum Packet Size are left out: the
// broker may rightly drop those.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "checks.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

class at_least_once final : public checker {
 public:
  explicit at_least_once(const options& opts) : opts_(opts) {}
  std::string_view name() const override { return "at_least_once"; }

  void on_packet(const observed& o) override {
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet); p && o.from_broker) connected_at_[std::string(o.client)] = o.at;
    model_packet(o);  // counts deliveries: publication::owed
  }

  void on_connection_end(timestamp, const std::string& client, std::uint64_t connection, bool) override {
    model_end(client, connection);
  }

  void on_link_event(timestamp, const std::string& client, link_event e) override {
    if (e == link_event::blackhole) blackholed_.insert(client);  // what it receives may be lost from view
  }

 protected:
  void at_end(timestamp end) override {
    for (auto i : model().unsettled()) {
      const auto& m = model().message(i);
      if (m.qos == mqtt::qos::at_most_once || m.will || m.expires || !m.accepted) continue;
      if (*m.accepted + opts_.response_grace > end) continue;
      std::vector<const client_state*> owed;  // reported in name order
      for (auto key : m.owed)
        if (const auto* c = model().client(key)) owed.push_back(c);
      std::sort(owed.begin(), owed.end(), [](auto* a, auto* b) { return a->name < b->name; });
      for (const auto* c : owed) check(m, *c, end);
    }
  }

 private:
  void check(const publication& m, const client_state& c, timestamp end) {
    if (!c.connected || blackholed_.contains(c.name) || c.has_maximum_packet_size) return;
    auto since = connected_at_.find(c.name);
    // Just reconnected: queued messages may be on their way.
    if (since == connected_at_.end() || since->second + opts_.response_grace > end) return;
    // The subscription it was owed by is still there, unreplaced.
    bool owed = false;
    for (const auto* s : model().matching(client_key(c.name), m.topic))
      if (s->granted && *s->granted != mqtt::qos::at_most_once && s->acked && *s->acked < m.sent && s->sent < m.sent)
        owed = true;
    if (!owed) return;
    report(end, c.name, ids::deliver_to_subscribers.of(c.version),
           "QoS " + std::to_string(static_cast<int>(m.qos)) + " message on \"" + m.topic + "\" from " + m.publisher +
               ", accepted at " + std::to_string(m.accepted->count()) + " us, never delivered");
  }

  options opts_;
  std::map<std::string, timestamp> connected_at_;
  std::set<std::string> blackholed_;
};

}  // namespace

std::unique_ptr<checker> make_at_least_once(const options& opts) { return std::make_unique<at_least_once>(opts); }

}  // namespace mqttspec::checks

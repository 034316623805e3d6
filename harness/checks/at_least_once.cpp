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
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet); p && o.from_broker) {
      auto& last = delivered_[message_hash(o.client, message_hash(o.topic, p->payload))];
      last = std::max(last, o.at);
    }
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet); p && o.from_broker) connected_at_[o.client] = o.at;
    model_packet(o);
  }

  void on_connection_end(timestamp, const std::string& client, std::uint64_t connection, bool) override {
    model_end(client, connection);
  }

  void on_link_event(timestamp, const std::string& client, link_event e) override {
    if (e == link_event::blackhole) blackholed_.insert(client);  // what it receives may be lost from view
  }

 protected:
  void at_end(timestamp end) override {
    // The subscribers that can be owed anything, each with its matching subscriptions
    // per topic worked out once: a capture has many messages on few topics.
    std::vector<subscriber> subscribers;
    for (const auto& [name, since] : connected_at_) {
      const auto* c = model().client(name);
      if (c == nullptr || !c->connected || blackholed_.contains(name) || c->has_maximum_packet_size) continue;
      if (since + opts_.response_grace > end) continue;  // just reconnected: queued messages may be on their way
      subscribers.push_back({&name, c, {}});
    }
    for (const auto& m : model().publications()) {
      if (m.qos == mqtt::qos::at_most_once || m.will || m.expires || !m.accepted) continue;
      if (*m.accepted + opts_.response_grace > end) continue;
      for (auto& s : subscribers) check(m, s, end);
    }
  }

 private:
  struct subscriber {
    const std::string* name;
    const client_state* state;
    std::unordered_map<std::string_view, std::vector<const subscription*>> by_topic;
  };

  void check(const publication& m, subscriber& sub, timestamp end) {
    const std::string& client = *sub.name;
    auto [matching, fresh] = sub.by_topic.try_emplace(m.topic);
    if (fresh) matching->second = model().matching(client, m.topic);
    bool owed = false;
    for (const auto* s : matching->second) {
      if (s->shared || (s->no_local && m.publisher == client)) return;
      if (s->granted && *s->granted != mqtt::qos::at_most_once && s->acked && *s->acked < m.sent && s->sent < m.sent)
        owed = true;
    }
    if (!owed) return;
    auto it = delivered_.find(message_hash(client, m.hash));
    if (it != delivered_.end() && it->second >= m.sent) return;
    report(end, client, ids::deliver_to_subscribers.of(sub.state->version),
           "QoS " + std::to_string(static_cast<int>(m.qos)) + " message on \"" + m.topic + "\" from " + m.publisher +
               ", accepted at " + std::to_string(m.accepted->count()) + " us, never delivered");
  }

  options opts_;
  // The latest delivery of each message to each client, by message_hash(client, ...).
  std::unordered_map<std::uint64_t, timestamp> delivered_;
  std::map<std::string, timestamp> connected_at_;
  std::set<std::string> blackholed_;
};

}  // namespace

std::unique_ptr<checker> make_at_least_once(const options& opts) { return std::make_unique<at_least_once>(opts); }

}  // namespace mqttspec::checks

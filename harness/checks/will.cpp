// will: the broker publishes a client's Will Message when, and only when, its
// connection ends without a normal DISCONNECT.
//  - Only when: after a DISCONNECT (5.0: with reason 0x00) the will is discarded; a
//    delivery of it afterwards breaks MQTT-3.14.4-3 — unless some client published
//    the same topic and payload itself, or another connection's will is still due.
//  - When: a connection that ends without DISCONNECT (or with 5.0's 0x04) owes its
//    will to every subscriber connected then with a matching subscription of QoS >= 1
//    granted, for a will of QoS >= 1 (MQTT-3.1.2-8). Judged at the end like
//    at_least_once: only for subscribers still connected, ends at least
//    options::response_grace before the end, no Will Delay Interval, no session
//    takeover, no shared subscription and no Maximum Packet Size.
// Retained copies sent on subscribe are not deliveries of the will's moment.
#include <map>
#include <set>
#include <unordered_map>

#include "checks.hpp"
#include "reference/topic/topic.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

class will final : public checker {
 public:
  explicit will(const options& opts) : opts_(opts) {}
  std::string_view name() const override { return "will"; }

  void on_packet(const observed& o) override {
    if (const auto* p = std::get_if<mqtt::connect>(&o.packet); p && !o.from_broker) connect(o, *p);
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet); p && o.from_broker) {
      connected_at_[std::string(o.client)] = o.at;
      if (auto it = pending_.find(std::string(o.client)); it != pending_.end()) {
        if (accepted(*p, o.version)) {
          by_message_[message_hash(it->second.topic, it->second.payload)].push_back(wills_.size());
          wills_.push_back(std::move(it->second));
        }
        pending_.erase(it);
      }
    }
    if (const auto* p = std::get_if<mqtt::disconnect>(&o.packet); p && !o.from_broker) {
      if (auto* w = open_will(o.client, o.connection)) {
        const bool keeps = o.version == mqtt::protocol_version::v5 && p->code != mqtt::reason_code::success;
        w->state = keeps ? stage::due_at_end : stage::discarded;
        w->changed = o.at;
      }
    }
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet); p && o.from_broker && !p->retain) delivery(o);
    model_packet(o);
  }

  void on_connection_end(timestamp at, const std::string& client, std::uint64_t connection, bool) override {
    if (auto* w = open_will(client, connection); w && w->state != stage::discarded) {
      w->state = stage::due;
      w->changed = at;
    }
    model_end(client, connection);
  }

  void on_link_event(timestamp, const std::string& client, link_event e) override {
    if (e == link_event::blackhole) blackholed_.insert(client);
  }

 protected:
  void at_end(timestamp end) override {
    for (const auto& w : wills_) {
      if (w.state != stage::due || w.delayed || w.qos == mqtt::qos::at_most_once) continue;
      if (w.changed + opts_.response_grace > end || taken_over(w)) continue;
      for (const auto& [name, since] : connected_at_) owed(w, name, since, end);
    }
  }

 private:
  enum class stage { open, due_at_end, due, discarded };
  struct stored {
    std::string client;
    std::uint64_t connection = 0;
    std::string topic, payload;
    mqtt::qos qos = mqtt::qos::at_most_once;
    mqtt::protocol_version version = mqtt::protocol_version::v5;
    bool delayed = false;  // 5.0 Will Delay Interval: the broker may wait, or the session may resume
    stage state = stage::open;
    timestamp changed{};
    std::set<std::string> got;  // subscribers that received it after the end
  };

  void connect(const observed& o, const mqtt::connect& p) {
    pending_.erase(std::string(o.client));
    if (!p.will) return;
    const auto delay = mqtt::number_of(p.will->props, mqtt::property_id::will_delay_interval);
    stored w;
    w.client = o.client;
    w.connection = o.connection;
    w.topic = std::string(p.will->topic);
    w.payload = std::string(p.will->payload);
    w.qos = p.will->qos;
    w.version = o.version;
    w.delayed = delay && *delay > 0;
    pending_[std::string(o.client)] = std::move(w);
    connects_[std::string(o.client)].push_back(o.at);
  }

  stored* open_will(std::string_view client, std::uint64_t connection) {
    for (auto& w : wills_)
      if (w.client == client && w.connection == connection && (w.state == stage::open || w.state == stage::due_at_end))
        return &w;
    return nullptr;
  }

  // Another connection of the same client id opened before this one ended: the broker
  // may have ended it for the newcomer, and 5.0 lets a resumed session keep the will.
  bool taken_over(const stored& w) const {
    auto it = connects_.find(w.client);
    if (it == connects_.end()) return false;
    std::size_t before = 0;
    for (auto t : it->second) before += t <= w.changed;
    return before > w.connection;
  }

  void delivery(const observed& o) {
    auto found = by_message_.find(o.message);
    if (found == by_message_.end()) return;
    bool discarded = false, due = false;
    for (auto i : found->second) {
      auto& w = wills_[i];
      if (w.state == stage::discarded && w.changed <= o.at) discarded = true;
      else due = true;
      if (w.state == stage::due) w.got.insert(std::string(o.client));
    }
    if (!discarded || due) return;
    for (auto i : model().find(o.message))
      if (!model().message(i).will) return;  // a client published it itself
    report(o.at, o.client, ids::will_discarded.of(o.version),
           "the will on \"" + o.topic + "\" was delivered after its client's DISCONNECT discarded it");
  }

  void owed(const stored& w, const std::string& client, timestamp since, timestamp end) {
    if (client == w.client || w.got.contains(client) || since > w.changed) return;
    const auto* c = model().client(client);
    if (c == nullptr || !c->connected || blackholed_.contains(client) || c->has_maximum_packet_size) return;
    bool subscribed = false;
    for (const auto* s : model().matching(client_key(client), w.topic)) {
      if (s->shared) return;
      if (s->granted && *s->granted != mqtt::qos::at_most_once && s->acked && *s->acked < w.changed) subscribed = true;
    }
    if (!subscribed) return;
    (void)end;
    report(w.changed, client, ids::will_published.of(w.version),
           "the will of " + w.client + " on \"" + w.topic + "\" was never delivered, though its connection ended " +
               "without a normal DISCONNECT");
  }

  options opts_;
  std::map<std::string, stored> pending_;  // CONNECT with a will, waiting for its CONNACK
  std::vector<stored> wills_;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>, key_hash> by_message_;  // indexes into wills_
  std::map<std::string, std::vector<timestamp>> connects_;
  std::map<std::string, timestamp> connected_at_;
  std::set<std::string> blackholed_;
};

}  // namespace

std::unique_ptr<checker> make_will(const options& opts) { return std::make_unique<will>(opts); }

}  // namespace mqttspec::checks

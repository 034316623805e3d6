// retain_flag: the RETAIN flag of a PUBLISH from the broker says why it was sent.
//   3.1.1: 1 for a retained message sent because of a new subscription (MQTT-3.3.1-8),
//          0 for a message forwarded to an established subscription (MQTT-3.3.1-9).
//   5.0:   on an established subscription, 0 when Retain As Published is 0
//          (MQTT-3.3.1-12), the publisher's flag when it is 1 (MQTT-3.3.1-13).
// "Established" is judged by time so that no link latency can excuse it: every
// matching subscription was acknowledged before the message was sent, and no matching
// SUBSCRIBE came after it (a new one could rightly send the retained copy).
#include <algorithm>

#include "checks.hpp"
#include "reference/topic/topic.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

class retain_flag final : public checker {
 public:
  std::string_view name() const override { return "retain_flag"; }

  void on_packet(const observed& o) override {
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet); p && o.from_broker && !p->dup) check(o, *p);
    model_packet(o);
  }

 private:
  void check(const observed& o, const mqtt::publish& p) {
    const auto* c = model().client(o.client_key);
    const auto& found = model().find(o.message);
    if (c == nullptr || found.empty()) return;
    timestamp first_sent = model().message(found.front()).sent;
    bool any_retain = false, all_retain = true;
    for (auto i : found) {
      const auto& m = model().message(i);
      if (m.will) return;  // published when the broker chose: timing unknown
      any_retain |= m.retain;
      all_retain &= m.retain;
    }
    auto v = o.version;
    if (established(o, first_sent)) {
      const auto& subs = model().matching(o);
      if (v == mqtt::protocol_version::v311) {
        if (p.retain)
          report(o.at, o.client, ids::no_retain_on_established.of(v), text(o, "RETAIN 1", "an established subscription"));
        return;
      }
      bool all_rap = std::all_of(subs.begin(), subs.end(), [](auto* s) { return s->retain_as_published; });
      bool no_rap = std::none_of(subs.begin(), subs.end(), [](auto* s) { return s->retain_as_published; });
      if (no_rap && p.retain)
        report(o.at, o.client, ids::retain_as_published_0.of(v),
               text(o, "RETAIN 1", "a subscription with Retain As Published 0"));
      if (all_rap && any_retain == all_retain && p.retain != any_retain)
        report(o.at, o.client, ids::retain_as_published_1.of(v),
               text(o, p.retain ? "RETAIN 1" : "RETAIN 0",
                    std::string("a subscription with Retain As Published 1, published with RETAIN ") +
                        (any_retain ? "1" : "0")));
      return;
    }
    if (v == mqtt::protocol_version::v311 && !p.retain && all_retain && !p.payload.empty() &&
        only_new_subscriptions(*c, o.topic, found))
      report(o.at, o.client, ids::retain_on_new_subscription.of(v),
             text(o, "RETAIN 0", "a subscription made after the message was retained"));
  }

  // Every matching subscription was acknowledged before `sent`, none was requested after.
  bool established(const observed& o, timestamp sent) const {
    const auto& subs = model().matching(o);
    if (subs.empty()) return false;
    for (const auto* s : subs)
      if (!s->acked || *s->acked >= sent) return false;
    const auto& last = model().match(o).last_subscribe;
    return !last || *last < sent;
  }

  // The session is known from its start and every matching SUBSCRIBE ever sent came
  // after the broker accepted every publication of the message: it was retained then.
  bool only_new_subscriptions(const client_state& c, const std::string& topic,
                              const std::vector<std::size_t>& found) const {
    if (!c.fresh_session) return false;
    timestamp stored{};
    for (auto i : found) {
      const auto& m = model().message(i);
      if (!m.accepted) return false;  // QoS 0: no sign of when the broker stored it
      stored = std::max(stored, *m.accepted);
    }
    bool any = false;
    for (const auto& s : c.all_subscribes) {
      if (!mqtt::topic::matches(s.match_filter, topic)) continue;
      if (s.sent <= stored) return false;
      any = true;
    }
    return any;
  }

  static std::string text(const observed& o, const std::string& flag, const std::string& why) {
    return "PUBLISH on \"" + o.topic + "\" with " + flag + " sent because of " + why;
  }

};

}  // namespace

std::unique_ptr<checker> make_retain_flag(const options&) { return std::make_unique<retain_flag>(); }

}  // namespace mqttspec::checks

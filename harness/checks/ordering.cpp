// ordering: per subscriber, topic, publisher and QoS, the broker forwards QoS >= 1
// messages in the order it received them. A delivery is judged only when its topic
// and payload name exactly one publication (so resent or repeated payloads are
// skipped), when it is a first delivery (DUP 0, RETAIN 0: retained copies on subscribe
// come out of order by design), and when a single non-shared subscription of the
// subscriber matches it (overlapping subscriptions may each get their own copy).
#include <unordered_map>
#include <tuple>

#include "checks.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

class ordering final : public checker {
 public:
  std::string_view name() const override { return "ordering"; }

  void on_packet(const observed& o) override {
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet); p && o.from_broker) check(o, *p);
    model_packet(o);
  }

 private:
  void check(const observed& o, const mqtt::publish& p) {
    if (p.qos == mqtt::qos::at_most_once || p.dup || p.retain) return;
    const auto& found = model().find(o.message);
    if (found.size() != 1) return;
    auto index = found.front();
    const auto& m = model().message(index);
    if (m.will || m.qos == mqtt::qos::at_most_once) return;
    const auto& subs = model().matching(o);
    if (subs.size() > 1 || (subs.size() == 1 && subs.front()->shared)) return;
    const auto key = message_hash(o.client_key, message_hash(m.topic_key, m.publisher) + static_cast<int>(m.qos));
    auto [it, first] = last_.try_emplace(key, index, m.payload);
    if (first) return;
    if (index < it->second.first) {
      report(o.at, o.client, ids::ordered_topic.of(o.version),
             "on \"" + o.topic + "\" from " + m.publisher + ": payload \"" + m.payload +
                 "\" delivered after \"" + it->second.second + "\", which was published after it");
    } else {
      it->second = {index, m.payload};
    }
  }

  // (subscriber, topic, publisher, QoS) -> the latest publication delivered (index, payload).
  std::unordered_map<std::uint64_t, std::pair<std::size_t, std::string>, key_hash> last_;
};

}  // namespace

std::unique_ptr<checker> make_ordering(const options&) { return std::make_unique<ordering>(); }

}  // namespace mqttspec::checks

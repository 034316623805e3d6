// no_delivery_after_unsubscribe: once the broker has answered UNSUBSCRIBE, it adds no
// new message for the removed filter. Judged for first deliveries (DUP 0) whose topic
// no remaining or pending subscription of the client matches, and whose every
// publication was sent after the UNSUBACK was seen: the broker then received the
// message after it removed the subscription, whatever the links' latencies.
#include <algorithm>

#include "checks.hpp"
#include "reference/topic/topic.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

class no_delivery_after_unsubscribe final : public checker {
 public:
  std::string_view name() const override { return "no_delivery_after_unsubscribe"; }

  void on_packet(const observed& o) override {
    if (const auto* p = std::get_if<mqtt::publish>(&o.packet); p && o.from_broker && !p->dup) check(o);
    model_packet(o);
  }

 private:
  void check(const observed& o) {
    const auto* c = model().client(o.client_key);
    if (c == nullptr || !model().matching(o).empty()) return;
    const removed_subscription* gone = nullptr;
    for (const auto& r : c->removed)
      if (mqtt::topic::matches(r.match_filter, o.topic) && (gone == nullptr || r.at > gone->at)) gone = &r;
    if (gone == nullptr) return;
    const auto& found = model().find(o.message);
    if (found.empty()) return;  // origin unknown
    for (auto i : found) {
      const auto& m = model().message(i);
      if (m.will || m.sent <= gone->at) return;  // may have been queued before the removal
    }
    report(o.at, o.client, ids::stop_after_unsubscribe.of(o.version),
           "PUBLISH on \"" + o.topic + "\" published after the UNSUBACK for \"" + gone->match_filter + "\"");
  }

};

}  // namespace

std::unique_ptr<checker> make_no_delivery_after_unsubscribe(const options&) {
  return std::make_unique<no_delivery_after_unsubscribe>();
}

}  // namespace mqttspec::checks

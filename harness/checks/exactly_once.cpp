// exactly_once: a QoS 2 message reaches each subscriber once. The broker resends an
// unfinished PUBLISH only with DUP 1 and its id, never after its PUBREL, and never
// delivers one message as new more often than it was published (times the number of
// the subscriber's matching subscriptions, each of which may get its own copy).
// State lives per client session, so it spans reconnects; a CONNACK with Session
// Present 0 starts afresh.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "checks.hpp"
#include "id_map.hpp"
#include "reference/topic/topic.hpp"
#include "spec_ids.hpp"
#include "world.hpp"

namespace mqttspec::checks {
namespace {

enum class stage { sent, received, released };  // PUBLISH, then PUBREC, then PUBREL

struct flow {
  std::uint64_t message = 0;
  stage at = stage::sent;
};

class exactly_once final : public checker {
 public:
  std::string_view name() const override { return "exactly_once"; }

  void on_packet(const observed& o) override {
    auto& flows = flows_[o.client_key];
    if (const auto* p = std::get_if<mqtt::connack>(&o.packet); p && !p->session_present) flows.clear();
    if (o.from_broker) {
      if (const auto* p = std::get_if<mqtt::publish>(&o.packet); p && p->qos == mqtt::qos::exactly_once)
        publish(o, *p, flows);
      if (const auto* p = std::get_if<mqtt::pubrel>(&o.packet)) {
        if (auto* f = flows.find(p->packet_id)) f->at = stage::released;
      }
    } else if (const auto* p = std::get_if<mqtt::pubrec>(&o.packet)) {
      if (auto* f = flows.find(p->packet_id)) {
        if (static_cast<std::uint8_t>(p->code) >= 0x80)
          flows.erase(p->packet_id);
        else if (f->at == stage::sent)
          f->at = stage::received;
      }
    } else if (const auto* p = std::get_if<mqtt::pubcomp>(&o.packet)) {
      flows.erase(p->packet_id);
    }
    model_packet(o);
  }

 private:
  void publish(const observed& o, const mqtt::publish& p, id_map<flow>& flows) {
    auto v = o.version;
    if (const auto* f = flows.find(p.packet_id)) {
      if (f->at == stage::released) {
        report(o.at, o.client, ids::no_publish_after_pubrel.of(v),
               "PUBLISH id " + std::to_string(p.packet_id) + " resent after its PUBREL");
        return;
      }
      if (f->message == o.message) {
        if (!p.dup)
          report(o.at, o.client, ids::dup_on_resend.of(v),
                 "QoS 2 PUBLISH id " + std::to_string(p.packet_id) + " resent with DUP 0");
        return;  // a resend: the client does not deliver it again
      }
    }
    flows[p.packet_id] = {o.message, stage::sent};
    // A retained copy sent on (re)subscribe is a legitimate repeat: not counted.
    if (p.retain) return;
    const auto& found = model().find(o.message);
    if (found.empty()) return;  // origin unknown
    auto& n = delivered_[message_hash(o.client_key, o.message)];
    if (n.copies == 0 || n.oldest != found.front()) n = {o.message, found.front(), 0};  // older ones forgotten
    const auto copies = ++n.copies;
    forget_settled();
    auto allowed = allowed_copies(o);
    if (allowed > 0 && copies > allowed)
      report(o.at, o.client, ids::no_duplicate_qos2.of(v),
             "QoS 2 message on \"" + o.topic + "\" delivered as new " + std::to_string(copies) + " times, published " +
                 std::to_string(allowed) + (allowed == 1 ? " time" : " times") + " for this subscriber");
  }

  // QoS 2 publications of the message times the subscriber's distinct matching filters;
  // 0 when the message's origin is unknown.
  std::size_t allowed_copies(const observed& o) const {
    std::size_t published = 0;
    for (auto i : model().find(o.message))
      if (model().message(i).qos == mqtt::qos::exactly_once) ++published;
    if (published == 0) return 0;
    return published * std::max<std::size_t>(1, model().match(o).filters_ever);
  }

  // Counts of messages the model forgot are dropped now and then: a later copy of one
  // is of unknown origin anyway, and a capture holds millions.
  void forget_settled() {
    if (delivered_.size() < 2 * counted_ + 1024) return;
    std::erase_if(delivered_, [&](const auto& e) { return model().find(e.second.message).empty(); });
    counted_ = delivered_.size();
  }

  std::unordered_map<std::uint64_t, id_map<flow>, key_hash> flows_;  // by client_key
  struct count {
    std::uint64_t message = 0;
    std::size_t oldest = 0;  // the oldest publication of it the model knew when counting began
    std::size_t copies = 0;  // delivered as new since
  };
  std::unordered_map<std::uint64_t, count, key_hash> delivered_;  // by message_hash(client, message)
  std::size_t counted_ = 0;  // delivered_.size() after the last clean-up
};

}  // namespace

std::unique_ptr<checker> make_exactly_once(const options&) { return std::make_unique<exactly_once>(); }

}  // namespace mqttspec::checks

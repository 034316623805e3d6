// Last will: kept with the connection, dropped on DISCONNECT 0x00, otherwise published
// when the connection ends, after the 5.0 Will Delay Interval or when the session ends.
#include "state.hpp"

namespace mqtt::broker {

void core::impl::lose_will(connection& c) {
  // MQTT-3.1.2-10 (both), MQTT-3.14.4-3 (both): removed without publishing.
  if (c.extra) c.extra->will.reset();
}

void core::impl::schedule_will(connection& c) {
  if (!c.has_will()) return;  // MQTT-3.1.2-12 (3.1.1): no will flag, nothing published
  will_data w = std::move(*c.extra->will);
  c.extra->will.reset();
  if (cfg.has(fault::no_will)) return;  // fault: breaks MQTT-3.1.2-8
  std::uint32_t delay = c.version == protocol_version::v5 ? w.delay_s : 0;
  // 5.0: the will waits for the shorter of its delay and the session's expiry
  // (MQTT-3.1.2-8: "the Will Delay Interval has elapsed or the Session ends").
  const std::uint32_t expiry = c.sess ? c.sess->expiry_s : 0;
  if (expiry != never_expires) delay = std::min(delay, expiry);
  if (delay == 0) {
    // MQTT-3.1.2-8 (3.1.1): published when the connection closes other than by DISCONNECT.
    publish_will(w);
    return;
  }
  // No session yet: an enhanced authentication was under way, which keeps the CONNECT.
  const std::string id = c.sess ? *c.sess->client_id : c.extra->params ? c.extra->params->client_id : std::string();
  const timestamp at = now + std::chrono::seconds(delay);
  wills[id] = pending_will{std::move(w), id, at};
  schedule(at, {timer_entry::kind::will, 0, id});
}

void core::impl::cancel_will(const std::string& client_id) {
  // MQTT-3.1.3-9: a new connection to the session before the delay: no will.
  wills.erase(client_id);
}

void core::impl::publish_will(const will_data& w) {
  // MQTT-3.1.2-16 / -17 (3.1.1), MQTT-3.1.2-14 / -15 (5.0): retained only when Will Retain is 1.
  auto m = std::make_shared<message>(*w.msg);
  m->received = now;  // the Message Expiry Interval counts from publication (3.1.3.2.4)
  message_ptr msg = std::move(m);
  if (msg->retain && cfg.retain_available) store_retained(msg);
  route(msg);
}

void core::impl::fire_wills(timestamp t) {
  std::vector<std::string> due;
  for (const auto& [id, pw] : wills)
    if (pw.at <= t) due.push_back(id);
  for (const auto& id : due) {
    auto it = wills.find(id);
    will_data w = std::move(it->second.will);
    wills.erase(it);
    publish_will(w);
  }
}

}  // namespace mqtt::broker

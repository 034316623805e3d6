// Commands from the user: publish, subscribe, unsubscribe, disconnect, auth. Each
// checks what the codec and the broker's limits allow before anything is sent.
#include "state.hpp"

namespace mqtt::client {

namespace {

submitted refused(std::string why) { return {0, std::move(why)}; }

}  // namespace

submitted core::publish(std::string_view topic, bytes_view payload, mqtt::qos q, bool retain,
                        const properties& props, timestamp now, std::vector<action>& out) {
  auto& s = *impl_;
  s.now_ = now;
  mqtt::publish p;
  p.qos = q;
  p.retain = retain;
  p.topic = topic;
  p.packet_id = q == qos::at_most_once ? 0 : 1;  // checked with a stand-in id
  p.props = props;
  p.payload = payload;
  if (auto st = check(p, s.v_); !st) return refused(to_string(st.error()));
  if (s.phase_ == phase::connected && s.v5()) {
    if (q > s.limits_.maximum_qos) return refused("QoS above the broker's Maximum QoS (MQTT-3.2.2-11)");
    if (retain && !s.limits_.retain_available) return refused("the broker has Retain Available 0 (MQTT-3.2.2-14)");
    if (s.limits_.maximum_packet_size && encoded_size(p, s.v_) > s.limits_.maximum_packet_size)
      return refused("larger than the broker's Maximum Packet Size (MQTT-3.2.2-15)");
  }
  outgoing m{0, std::string(topic), std::string(payload), q, retain, own(props), false};
  if (q != qos::at_most_once) {
    auto id = s.session_.ids.acquire();
    if (!id) return refused("every packet identifier is in use");
    m.packet_id = *id;
  }
  const std::uint16_t id = m.packet_id;
  s.session_.queue.push_back(std::move(m));
  s.flush(out);
  s.rearm(false, out);
  return {id, {}};
}

// SUBSCRIBE and UNSUBSCRIBE: checked, given a free packet identifier, remembered
// until their acknowledgement, sent.
// (A template over the state type: core::impl is private to core.)
template <class State, class Request>
submitted send_request(State& s, Request p, std::size_t entries, std::vector<action>& out) {
  if (s.phase_ != phase::connected) return refused("not connected");
  p.packet_id = 1;  // checked with a stand-in id
  if (auto st = check(p, s.v_); !st) return refused(to_string(st.error()));
  if (s.limits_.maximum_packet_size && encoded_size(p, s.v_) > s.limits_.maximum_packet_size)
    return refused("larger than the broker's Maximum Packet Size (MQTT-3.2.2-15)");
  auto id = s.session_.ids.acquire();
  if (!id) return refused("every packet identifier is in use");
  p.packet_id = *id;
  s.pending_[*id] = {Request::type, entries};
  s.send(p, out);
  s.rearm(false, out);
  return {*id, {}};
}

submitted core::subscribe(const std::vector<subscription>& topics, const properties& props, timestamp now,
                          std::vector<action>& out) {
  impl_->now_ = now;
  return send_request(*impl_, mqtt::subscribe{0, props, topics}, topics.size(), out);
}

submitted core::unsubscribe(const std::vector<std::string_view>& filters, const properties& props, timestamp now,
                            std::vector<action>& out) {
  impl_->now_ = now;
  return send_request(*impl_, mqtt::unsubscribe{0, props, filters}, filters.size(), out);
}

void core::disconnect(reason_code reason, const properties& props, timestamp now, std::vector<action>& out) {
  auto& s = *impl_;
  s.now_ = now;
  if (s.phase_ != phase::connecting && s.phase_ != phase::connected) return;
  if (s.v5()) {
    if (auto n = number_of(props, property_id::session_expiry_interval)) s.session_expiry_ = *n;
    s.send(mqtt::disconnect{reason, props}, out);
  } else {
    s.send(mqtt::disconnect{}, out);
  }
  // Nothing more may follow the DISCONNECT, and we close (MQTT-3.14.4-1, MQTT-3.14.4-2).
  s.end_connection(reason, origin::local, "disconnect()", true, out);
}

submitted core::auth(reason_code reason, bytes_view data, const properties& props, timestamp now,
                     std::vector<action>& out) {
  auto& s = *impl_;
  s.now_ = now;
  if (!s.v5()) return refused("AUTH exists in 5.0 only");
  // Without a method we must never send AUTH (MQTT-4.12.0-7).
  if (!s.opts_.authentication_method) return refused("no Authentication Method in the options (MQTT-4.12.0-7)");
  if (s.phase_ != phase::connecting && s.phase_ != phase::connected) return refused("not connected");
  mqtt::auth p{reason, {}};
  p.props.push_back({property_id::authentication_method, 0, *s.opts_.authentication_method, {}});
  if (!data.empty()) p.props.push_back({property_id::authentication_data, 0, data, {}});
  p.props.insert(p.props.end(), props.begin(), props.end());
  if (auto st = check(p, s.v_); !st) return refused(to_string(st.error()));
  s.send(p, out);
  s.rearm(false, out);
  return {};
}

}  // namespace mqtt::client

// Our messages: the in-flight window, Topic Aliases, the broker's limits, the QoS 1/2
// acknowledgements, and the resend of unacknowledged PUBLISH and PUBREL on resume.
#include "state.hpp"

namespace mqtt::client {

std::size_t core::impl::window() const {
  std::size_t w = opts_.inflight_window;
  if (v5()) w = std::min<std::size_t>(w, limits_.receive_maximum);  // MQTT-3.3.4-7
  return std::max<std::size_t>(w, 1);
}

void core::impl::flush(std::vector<action>& out) {
  auto& q = session_.queue;
  while (phase_ == phase::connected && !q.empty()) {
    outgoing& m = q.front();
    if (m.qos != qos::at_most_once && session_.inflight.size() >= window()) return;
    if (!send_message(m, false, out)) {
      session_.ids.release(m.packet_id);
      q.pop_front();
      continue;
    }
    if (m.qos != qos::at_most_once) session_.inflight.push_back(std::move(m));
    q.pop_front();
  }
}

bool core::impl::send_message(const outgoing& m, bool dup, std::vector<action>& out) {
  if (m.released) {
    send(pubrel{m.packet_id, reason_code::success, {}}, out);
    return true;
  }
  // Limits a message accepted while disconnected may meet only now.
  std::string why;
  if (v5() && m.qos > limits_.maximum_qos)
    why = "QoS " + std::to_string(int(m.qos)) + " above the broker's Maximum QoS (MQTT-3.2.2-11)";
  else if (v5() && m.retain && !limits_.retain_available)
    why = "RETAIN but the broker has Retain Available 0 (MQTT-3.2.2-14)";
  mqtt::publish p;
  p.dup = dup;
  p.qos = m.qos;
  p.retain = m.retain;
  p.topic = m.topic;
  p.packet_id = m.packet_id;
  p.props = view(m.props);
  p.payload = m.payload;
  // Aliases never outlive the connection (MQTT-3.3.2-7); 0 is never used (MQTT-3.3.2-8).
  std::optional<std::uint16_t> new_alias;
  if (v5() && opts_.use_topic_aliases && limits_.topic_alias_maximum > 0 && !find(p.props, property_id::topic_alias)) {
    if (auto it = aliases_out_.find(m.topic); it != aliases_out_.end()) {
      p.props.push_back({property_id::topic_alias, it->second, {}, {}});
      p.topic = {};
    } else if (next_alias_out_ <= limits_.topic_alias_maximum) {  // MQTT-3.3.2-9
      new_alias = next_alias_out_;
      p.props.push_back({property_id::topic_alias, *new_alias, {}, {}});
    }
  }
  if (why.empty() && limits_.maximum_packet_size && encoded_size(p, v_) > limits_.maximum_packet_size)
    why = "PUBLISH of " + std::to_string(encoded_size(p, v_)) + " bytes exceeds the broker's Maximum Packet Size " +
          std::to_string(limits_.maximum_packet_size) + " (MQTT-3.2.2-15)";
  if (!why.empty()) {
    out.push_back(publish_dropped{m.packet_id, std::move(why)});
    return false;
  }
  if (new_alias) {
    aliases_out_.emplace(m.topic, *new_alias);
    ++next_alias_out_;
  }
  send(p, out);
  return true;
}

void core::impl::resend_inflight(std::vector<action>& out) {
  // In the order first sent (MQTT-4.6.0-1), with the original ids and DUP 1 (MQTT-4.4.0-1, MQTT-3.3.1-1).
  for (auto it = session_.inflight.begin(); it != session_.inflight.end();) {
    if (send_message(*it, true, out)) {
      ++it;
    } else {
      session_.ids.release(it->packet_id);
      it = session_.inflight.erase(it);
    }
  }
}

namespace {

std::list<outgoing>::iterator find_id(std::list<outgoing>& l, std::uint16_t id) {
  for (auto it = l.begin(); it != l.end(); ++it)
    if (it->packet_id == id) return it;
  return l.end();
}

}  // namespace

void core::impl::complete(std::list<outgoing>::iterator it, reason_code rc, std::vector<action>& out) {
  const std::uint16_t id = it->packet_id;
  session_.inflight.erase(it);
  session_.ids.release(id);
  out.push_back(published{id, rc});
  flush(out);
}

void core::impl::on_puback(const puback& p, std::vector<action>& out) {
  auto it = find_id(session_.inflight, p.packet_id);
  if (it == session_.inflight.end() || it->qos != qos::at_least_once) {
    violation(sid("MQTT-2.3.1-6", "MQTT-2.2.1-5"),
              "PUBACK for packet identifier " + std::to_string(p.packet_id) + " with no QoS 1 PUBLISH in flight", out);
    return;
  }
  complete(it, p.code, out);
}

void core::impl::on_pubrec(const pubrec& p, std::vector<action>& out) {
  auto it = find_id(session_.inflight, p.packet_id);
  if (it == session_.inflight.end() || it->qos != qos::exactly_once) {
    violation(sid("MQTT-2.3.1-6", "MQTT-2.2.1-5"),
              "PUBREC for packet identifier " + std::to_string(p.packet_id) + " with no QoS 2 PUBLISH in flight", out);
    if (v5()) send(pubrel{p.packet_id, reason_code::packet_identifier_not_found, {}}, out);
    return;
  }
  // A failure code ends the flow: no PUBREL, no resend (MQTT-4.4.0-2).
  if (v5() && static_cast<std::uint8_t>(p.code) >= 0x80) {
    complete(it, p.code, out);
    return;
  }
  it->released = true;  // a repeated PUBREC gets the PUBREL again
  send(pubrel{p.packet_id, reason_code::success, {}}, out);  // MQTT-4.3.3-4
}

void core::impl::on_pubcomp(const pubcomp& p, std::vector<action>& out) {
  auto it = find_id(session_.inflight, p.packet_id);
  if (it == session_.inflight.end() || !it->released) {
    violation(sid("MQTT-2.3.1-6", "MQTT-2.2.1-5"),
              "PUBCOMP for packet identifier " + std::to_string(p.packet_id) + " with no PUBREL in flight", out);
    return;
  }
  complete(it, p.code, out);
}

}  // namespace mqtt::client

// PUBLISH from a client (topic aliases in, receive maximum, QoS 1/2 receiver flows,
// retained store) and the client's acknowledgements of PUBLISHes the broker sent.
#include "state.hpp"

namespace mqtt::broker {

void core::impl::on_publish(connection& c, const publish& p) {
  const bool v5 = c.version == protocol_version::v5;
  std::string topic(p.topic);
  if (v5) {
    if (find(p.props, property_id::subscription_identifier))
      // MQTT-3.3.4-6: a client's PUBLISH carries no Subscription Identifier.
      return violation(c, reason_code::protocol_error, "MQTT-3.3.4-6", "PUBLISH from a client has a subscription id");
    if (auto alias = number_of(p.props, property_id::topic_alias)) {
      // MQTT-3.3.2-8 (0 is never valid), MQTT-3.3.2-12 (1..maximum are accepted), 3.2.2.3.8.
      // MQTT-3.2.2-17, MQTT-3.2.2-18, MQTT-3.3.2-9: a client's alias above our maximum.
      if (*alias == 0 || *alias > cfg.topic_alias_maximum)
        return violation(c, reason_code::topic_alias_invalid, "MQTT-3.3.2-12",
                         "topic alias " + std::to_string(*alias) + " outside 1.." +
                             std::to_string(cfg.topic_alias_maximum));
      // MQTT-3.3.2-7: mappings live in the connection, never carried to the next one.
      auto& aliases = c.more().alias_in;
      if (!topic.empty()) {
        aliases[std::uint16_t(*alias)] = topic;
      } else if (auto it = aliases.find(std::uint16_t(*alias)); it != aliases.end()) {
        topic = it->second;
      } else {
        return violation(c, reason_code::protocol_error, "MQTT-3.3.2-12",
                         "topic alias " + std::to_string(*alias) + " has no mapping");
      }
    }
    if (std::uint8_t(p.qos) > cfg.maximum_qos)
      // 3.2.2.3.4: a PUBLISH above the Maximum QoS is answered with DISCONNECT 0x9B.
      return violation(c, reason_code::qos_not_supported, "MQTT-3.2.2-11", "PUBLISH QoS exceeds Maximum QoS");
    if (p.retain && !cfg.retain_available)
      return violation(c, reason_code::retain_not_supported, "MQTT-3.2.2-14", "retain is not available");
  }
  // MQTT-3.3.2-2, MQTT-4.7.0-1, MQTT-4.7.1-1 (no wildcards), MQTT-4.7.3-1, MQTT-4.7.3-2,
  // MQTT-4.7.3-3: a topic name the broker can route.
  if (auto bad = topic::check_name(topic, c.version))
    return violation(c, v5 ? reason_code::topic_name_invalid : reason_code::protocol_error, bad->spec_id,
                     "topic name: " + bad->what);

  if (p.qos == qos::exactly_once) {
    if (c.sess->has_flow() && c.sess->flow().qos2_in.count(p.packet_id)) {
      // MQTT-4.3.3-2 (3.1.1) / MQTT-4.3.3-10 (5.0): a resent PUBLISH before PUBREL is
      // acknowledged again, not delivered again.
      pubrec rec;
      rec.packet_id = p.packet_id;
      send(c, rec);
      return;
    }
    // 3.3.4: more QoS 2 in flight than the broker's Receive Maximum is 0x93.
    if (v5 && c.sess->has_flow() && c.sess->flow().qos2_in.size() >= cfg.receive_maximum)
      return violation(c, reason_code::receive_maximum_exceeded, "MQTT-3.3.4-7", "receive maximum exceeded");
  }

  auto m = std::make_shared<message>();
  m->topic = std::move(topic);
  m->payload = std::string(p.payload);
  m->qos = std::uint8_t(p.qos) > cfg.maximum_qos ? static_cast<mqtt::qos>(cfg.maximum_qos) : p.qos;
  m->retain = p.retain;
  m->dup = p.dup;
  m->received = now;
  m->publisher = *c.sess->client_id;
  if (v5)
    for (const auto& pr : p.props) {
      if (pr.id == property_id::topic_alias) continue;
      if (pr.id == property_id::message_expiry_interval) {
        m->expiry_s = pr.number;
        continue;
      }
      // MQTT-3.3.2-4, MQTT-3.3.2-15, MQTT-3.3.2-16, MQTT-3.3.2-17, MQTT-3.3.2-18, MQTT-3.3.2-20,
      // MQTT-3.1.3-10 (5.0): payload format, response topic,
      // correlation data, user properties (in order) and content type pass unaltered.
      m->props.push_back({pr.id, pr.number, std::string(pr.text), std::string(pr.value)});
    }
  message_ptr msg = std::move(m);

  // MQTT-3.3.1-5 (both), MQTT-3.3.1-12 (3.1.1) / MQTT-3.3.1-8 (5.0): only RETAIN 1 touches the store.
  if (p.retain && (v5 ? cfg.retain_available : true)) store_retained(msg);
  // MQTT-4.5.0-1: the message joins the session state of every matching subscriber.
  const std::size_t matched = route(msg);
  if (cfg.has(fault::qos2_twice) && p.qos == qos::exactly_once) route(msg);  // fault: breaks exactly once

  // Acknowledgements go out in the order the PUBLISHes came (the mirror of MQTT-4.6.0-2,
  // MQTT-4.6.0-3 for the broker), with the PUBLISH's id (MQTT-2.2.1-5, MQTT-2.3.1-6).
  // MQTT-4.3.2-5: after PUBACK the same id is a new message; nothing is remembered for QoS 1.
  // MQTT-4.3.3-9: the broker never sends a PUBREC of 0x80 or more, so ids are always held.
  // MQTT-4.3.3-13: expiry does not apply to the acknowledgement sequence.
  // The broker sends no Reason String or User Property on acknowledgements, so
  // MQTT-3.4.2-2, MQTT-3.4.2-3, MQTT-3.5.2-2, MQTT-3.5.2-3, MQTT-3.6.2-2, MQTT-3.6.2-3,
  // MQTT-3.7.2-2, MQTT-3.7.2-3 hold; codes come from each packet's table (MQTT-3.4.2-1,
  // MQTT-3.5.2-1, MQTT-3.6.2-1, MQTT-3.7.2-1).
  if (p.qos == qos::at_most_once && cfg.has(fault::ack_qos0)) {
    // fault: breaks MQTT-3.3.4-1: QoS 0 expects no response. QoS 0 has no packet identifier;
    // 1 keeps the PUBACK well formed, so only the one rule is broken.
    puback ack;
    ack.packet_id = 1;
    send(c, ack);
  } else if (p.qos == qos::at_least_once) {
    // MQTT-4.3.2-2 (3.1.1) / MQTT-4.3.2-4 (5.0): PUBACK with the PUBLISH's id.
    // MQTT-3.3.4-1: the response the QoS demands; MQTT-3.3.5-2: acknowledged normally.
    puback ack;
    ack.packet_id = p.packet_id;
    if (v5 && matched == 0) ack.code = reason_code::no_matching_subscribers;
    send(c, ack);
  } else if (p.qos == qos::exactly_once) {
    // MQTT-4.3.3-2 (3.1.1) / MQTT-4.3.3-8 (5.0): PUBREC, and the id stays taken until PUBREL.
    c.sess->flow().qos2_in.insert(p.packet_id);
    pubrec rec;
    rec.packet_id = p.packet_id;
    if (v5 && matched == 0) rec.code = reason_code::no_matching_subscribers;
    send(c, rec);
  }
}

void core::impl::store_retained(const message_ptr& m) {
  if (cfg.has(fault::drop_retained)) return;  // fault: breaks MQTT-3.3.1-5
  if (m->payload.empty()) {
    // MQTT-3.3.1-10 / MQTT-3.3.1-11 (3.1.1), MQTT-3.3.1-6 / MQTT-3.3.1-7 (5.0): an empty payload clears, never stored.
    retained.erase(m->topic);
    return;
  }
  // MQTT-3.3.1-5 (both), MQTT-3.3.1-7 (3.1.1): the new message replaces the old one,
  // whatever its QoS. MQTT-3.1.2-7 (3.1.1): retained messages outlive sessions.
  retained[m->topic] = m;
}

void core::impl::on_pubrel(connection& c, const pubrel& p) {
  // MQTT-4.3.3-2 (3.1.1) / MQTT-4.3.3-11 (5.0): PUBCOMP with the PUBREL's id; after it the
  // id names a new message (MQTT-4.3.3-12).
  pubcomp comp;
  comp.packet_id = p.packet_id;
  const bool held = c.sess->has_flow() && c.sess->flow().qos2_in.erase(p.packet_id) > 0;
  if (!held && c.version == protocol_version::v5)
    comp.code = reason_code::packet_identifier_not_found;
  send(c, comp);
}

namespace {

/// The in-flight entry with this id in the expected state, or the end.
std::list<inflight>::iterator find_out(session_flow& f, std::uint16_t id) {
  auto it = f.out_by_id.find(id);
  return it == f.out_by_id.end() ? f.out.end() : it->second;
}

void erase_out(session_flow& f, std::list<inflight>::iterator it) {
  f.out_by_id.erase(it->packet_id);
  f.out.erase(it);
}

}  // namespace

void core::impl::on_puback(connection& c, const puback& p) {
  session& s = *c.sess;
  session_flow& f = s.flow();  // an acknowledgement implies messages in flight
  auto it = find_out(f, p.packet_id);
  // MQTT-4.3.2-1 (3.1.1) / MQTT-4.3.2-3 (5.0): unacknowledged until this PUBACK; a code
  // of 0x80 or more also acknowledges (MQTT-4.4.0-2) and the message is not sent elsewhere (MQTT-4.8.2-6).
  if (it == f.out.end() || it->d.qos != qos::at_least_once) return;
  erase_out(f, it);
  pump(s);
}

// MQTT-4.3.3-3 (5.0): a QoS 2 PUBLISH stays unacknowledged until its PUBREC.
void core::impl::on_pubrec(connection& c, const pubrec& p) {
  session& s = *c.sess;
  session_flow& f = s.flow();  // an acknowledgement implies messages in flight
  auto it = find_out(f, p.packet_id);
  pubrel rel;
  rel.packet_id = p.packet_id;
  if (it == f.out.end() || it->d.qos != qos::exactly_once) {
    if (c.version == protocol_version::v5) {
      rel.code = reason_code::packet_identifier_not_found;
      send(c, rel);
    }
    return;
  }
  if (c.version == protocol_version::v5 && std::uint8_t(p.code) >= 0x80) {
    // MQTT-4.4.0-2: a failed PUBREC ends the exchange; nothing is resent.
    erase_out(f, it);
    pump(s);
    return;
  }
  // MQTT-4.3.3-1 (3.1.1) / MQTT-4.3.3-4 (5.0): PUBREL with the same id; from now on only
  // the PUBREL is resent, never the PUBLISH (MQTT-4.3.3-6).
  it->pubrel_sent = true;
  send(c, rel);  // MQTT-4.6.0-4 mirrored: PUBRELs in the order the PUBRECs came
}

void core::impl::on_pubcomp(connection& c, const pubcomp& p) {
  session& s = *c.sess;
  session_flow& f = s.flow();  // an acknowledgement implies messages in flight
  auto it = find_out(f, p.packet_id);
  // MQTT-4.3.3-5 (5.0): the PUBREL is unacknowledged until this PUBCOMP.
  if (it == f.out.end() || !it->pubrel_sent) return;
  erase_out(f, it);
  pump(s);
}

}  // namespace mqtt::broker

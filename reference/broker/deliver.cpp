// Building one outgoing PUBLISH: message expiry, subscription ids, topic aliases out,
// the client's maximum packet size, and packet identifiers.
#include "state.hpp"

namespace mqtt::broker {

namespace {

/// What the strip-request-properties fault drops (MQTT-3.3.2-4, -15, -16, -20).
bool stripped(property_id id) {
  return id == property_id::payload_format_indicator || id == property_id::content_type ||
         id == property_id::response_topic || id == property_id::correlation_data;
}

/// The reverse-user-properties fault: the User Properties in reverse order, in place.
void reverse_user_properties(properties& ps) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < ps.size(); ++i)
    if (ps[i].id == property_id::user_property) at.push_back(i);
  for (std::size_t i = 0, j = at.size(); i + 1 < j; ++i, --j) std::swap(ps[at[i]], ps[at[j - 1]]);
}

}  // namespace

bool core::impl::expired(const message& m) const {
  if (!m.expiry_s || cfg.has(fault::no_message_expiry)) return false;  // fault: breaks MQTT-3.3.2-5
  return now - m.received >= std::chrono::seconds(*m.expiry_s);
}

std::uint16_t core::impl::new_packet_id(session& s) {
  // Ids in flight are at most the client's Receive Maximum (< 65535), so one is free.
  for (;;) {
    const std::uint16_t id = s.next_id;
    s.next_id = s.next_id == 0xffff ? 1 : s.next_id + 1;
    if (!s.has_flow() || !s.flow().out_by_id.count(id)) return id;
  }
}

bool core::impl::send_publish(connection& c, const delivery& d, std::uint16_t id, bool dup) {
  const message& m = *d.msg;
  const bool v5 = c.version == protocol_version::v5;
  publish p;
  p.topic = m.topic;
  p.payload = m.payload;
  // MQTT-4.3.1-1, MQTT-3.3.1-2: QoS 0 goes out with DUP 0; MQTT-4.3.2-1 / MQTT-4.3.2-2 /
  // MQTT-4.3.3-2 (5.0): a first send has DUP 0; MQTT-3.3.1-3: DUP is never copied in.
  p.qos = d.qos;
  const bool copy_dup = m.dup && cfg.has(fault::propagate_dup);  // fault: breaks MQTT-3.3.1-3
  p.dup = d.qos != qos::at_most_once && (dup || copy_dup);
  p.retain = d.retain;
  p.packet_id = id;
  std::string alias_topic;
  if (v5) {
    if (m.expiry_s) {
      // MQTT-3.3.2-6: the interval minus the time the message waited in the broker.
      // MQTT-4.3.3-7: a resent PUBLISH is never expired, so it keeps at least 1 s.
      const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - m.received).count();
      std::int64_t left = std::int64_t(*m.expiry_s) - waited;
      if (cfg.has(fault::no_message_expiry)) left = *m.expiry_s;  // fault: breaks MQTT-3.3.2-6
      p.props.push_back({property_id::message_expiry_interval, std::uint32_t(left > 0 ? left : 1), {}, {}});
    }
    for (const auto& pr : m.props) {
      // MQTT-3.1.2-29: with Request Problem Information 0, no User Properties... only on
      // packets other than PUBLISH, CONNACK and DISCONNECT, so PUBLISH keeps them.
      if (cfg.has(fault::strip_request_properties) && stripped(pr.id)) continue;  // fault
      p.props.push_back({pr.id, pr.number, pr.text, pr.value});
    }
    if (cfg.has(fault::reverse_user_properties)) reverse_user_properties(p.props);  // fault
    for (std::uint32_t sid : d.sub_ids) p.props.push_back({property_id::subscription_identifier, sid, {}, {}});
  }
  bool new_alias = false;
  // Topic aliases out: MQTT-3.1.2-27 none when the client allows none; MQTT-3.1.2-26 /
  // MQTT-3.3.2-11 never above its maximum. The first use maps, later uses send an empty topic.
  // fault alias-ignores-client-maximum: the broker's own maximum instead of the client's.
  const std::uint16_t alias_max =
      cfg.has(fault::alias_ignores_client_maximum) ? cfg.topic_alias_maximum : c.topic_alias_maximum;
  if (v5 && alias_max > 0) {
    connection_extra& x = c.more();
    auto it = x.alias_out.find(m.topic);
    if (it != x.alias_out.end()) {
      p.props.push_back({property_id::topic_alias, it->second, {}, {}});
      p.topic = {};
    } else if (x.next_alias_out <= alias_max) {
      const std::uint16_t a = x.next_alias_out++;
      x.alias_out.emplace(m.topic, a);
      new_alias = true;
      p.props.push_back({property_id::topic_alias, a, {}, {}});
    }
  }
  // MQTT-3.1.2-24 / MQTT-3.1.2-25: too large for the client: dropped, as if delivered.
  if (!fits(c, p)) {
    if (new_alias) {  // the mapping was never sent
      c.extra->alias_out.erase(m.topic);
      --c.extra->next_alias_out;
    }
    note(c.id, "MQTT-3.1.2-25", "PUBLISH of " + std::to_string(encoded_size(p, c.version)) +
                                    " bytes exceeds the client's maximum packet size; dropped");
    return false;
  }
  send(c, p);
  return true;
}

}  // namespace mqtt::broker

// SUBSCRIBE / SUBACK and UNSUBSCRIBE / UNSUBACK, with retained messages sent on
// subscribe (Retain Handling 0/1/2).
#include "state.hpp"

namespace mqtt::broker {

void core::impl::on_subscribe(connection& c, const subscribe& p) {
  const bool v5 = c.version == protocol_version::v5;
  session& s = *c.sess;
  const std::uint32_t sub_id = v5 ? number_of(p.props, property_id::subscription_identifier).value_or(0) : 0;
  if (sub_id && !cfg.subscription_identifiers_available)
    // 3.2.2.3.12: Subscription Identifiers when they are not available: DISCONNECT 0xA1.
    return violation(c, reason_code::subscription_identifiers_not_supported, "MQTT-3.8.4-1",
                     "subscription identifiers are not supported");
  // MQTT-3.8.3-3 (3.1.1) / MQTT-3.8.3-2 (5.0): the codec refuses an empty payload.
  suback ack;
  ack.packet_id = p.packet_id;  // MQTT-3.8.4-2, MQTT-2.3.1-7 (3.1.1) / MQTT-2.2.1-6 (5.0)
  std::vector<std::pair<std::string, sub_entry>> send_retained;
  // MQTT-3.8.4-4 (3.1.1) / MQTT-3.8.4-5 (5.0): each filter as if in its own SUBSCRIBE,
  // one SUBACK with a code per filter in order (MQTT-3.8.4-5 / MQTT-3.9.3-1 (3.1.1),
  // MQTT-3.8.4-6 / MQTT-3.9.3-1 (5.0)), only defined codes (MQTT-3.9.3-2).
  for (const auto& t : p.topics) {
    const std::string filter(t.filter);
    const auto refuse = [&](reason_code v5_code, std::string_view id, std::string why) {
      note(c.id, id, "SUBSCRIBE " + filter + " refused: " + why);
      ack.codes.push_back(v5 ? v5_code : reason_code::unspecified_error);
    };
    // The topic module enforces MQTT-4.7.1-1, MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1,
    // MQTT-4.7.3-2, MQTT-4.7.3-3, and for $share filters MQTT-4.8.2-1, MQTT-4.8.2-2.
    if (auto bad = topic::check_filter(filter, c.version)) {
      refuse(reason_code::topic_filter_invalid, bad->spec_id, bad->what);
      continue;
    }
    // $share is a 5.0 feature: in 3.1.1 "$share/g/a" is an ordinary filter.
    const auto shared_part = v5 ? topic::parse_shared(filter) : std::nullopt;
    const std::string_view inner = shared_part ? shared_part->filter : std::string_view(filter);
    if (shared_part && t.no_local)
      // MQTT-3.8.3-4: No Local on a shared subscription is a protocol error.
      return violation(c, reason_code::protocol_error, "MQTT-3.8.3-4", "no local on a shared subscription");
    if (shared_part && !cfg.shared_subscription_available) {
      refuse(reason_code::shared_subscriptions_not_supported, "MQTT-3.8.4-7", "shared subscriptions are off");
      continue;
    }
    if (topic::has_wildcard(inner) && !cfg.wildcard_subscription_available) {
      // MQTT-3.8.3-2 (3.1.1): without wildcard support such filters are rejected.
      refuse(reason_code::wildcard_subscriptions_not_supported, "MQTT-3.8.3-2", "wildcards are off");
      continue;
    }
    if (cfg.refused_topics.count(filter)) {
      refuse(reason_code::not_authorized, "MQTT-3.8.4-5", "refused by configuration");
      continue;
    }
    sub_entry e;
    // MQTT-3.2.2-10: any requested QoS is accepted, granted at most the Maximum QoS.
    e.max_qos = std::min(t.max_qos, static_cast<mqtt::qos>(cfg.maximum_qos));
    e.no_local = t.no_local;
    e.retain_as_published = t.retain_as_published;
    e.retain_handling = t.retain_handling;
    e.sub_id = sub_id;
    if (shared_part) e.group = std::string(shared_part->group);
    // MQTT-3.8.4-3: an identical filter replaces the subscription (5.0: without losing
    // messages, MQTT-3.8.4-4, since the index entry is replaced in place).
    const bool existed = s.subs.count(filter) > 0;
    if (shared_part)
      subs.insert_shared(e.group, inner, s.key, e);
    else
      subs.insert(filter, s.key, e);
    s.subs[filter] = e;
    // MQTT-3.8.4-5 (3.1.1) / MQTT-3.8.4-7 (5.0): the code shows the granted QoS.
    std::uint8_t shown = std::uint8_t(e.max_qos);
    // fault: breaks MQTT-3.8.4-5 / MQTT-3.8.4-7: the code names a QoS other than the one
    // granted (0 -> 2, 1 -> 0, 2 -> 1), so every request gets a wrong answer.
    if (cfg.has(fault::wrong_suback_qos)) shown = std::uint8_t((shown + 2) % 3);
    ack.codes.push_back(static_cast<reason_code>(shown));
    // MQTT-3.3.1-9 (0: send), MQTT-3.3.1-10 (1: only for a new subscription),
    // MQTT-3.3.1-11 (2: never). Shared subscriptions get no retained messages.
    if (!shared_part && (e.retain_handling == 0 || (e.retain_handling == 1 && !existed)))
      send_retained.emplace_back(filter, e);
  }
  // MQTT-3.9.2-1, MQTT-3.9.2-2, MQTT-3.1.2-29: the SUBACK carries no Reason String or User Property.
  if (cfg.has(fault::reason_string_on_suback) && c.version == protocol_version::v5)  // fault
    ack.props.push_back({property_id::reason_string, 0, "subscribed", {}});
  send(c, ack);  // MQTT-3.8.4-1
  // MQTT-3.3.1-6 (3.1.1): the retained messages matching a new subscription follow the SUBACK.
  for (const auto& [filter, e] : send_retained) {
    for (auto it = retained.begin(); it != retained.end();) {
      const message_ptr m = it->second;
      ++it;
      if (!topic::matches(filter, m->topic)) continue;
      if (expired(*m)) {
        retained.erase(m->topic);
        continue;
      }
      delivery d{m, std::min(m->qos, e.max_qos), true, {}};
      // MQTT-3.3.1-8 (3.1.1): RETAIN 1 for messages sent because of a new subscription.
      if (cfg.has(fault::no_retain_flag_on_subscribe)) d.retain = false;  // fault
      if (e.sub_id) d.sub_ids.push_back(e.sub_id);
      enqueue(s, std::move(d));
    }
  }
}

void core::impl::remove_subscription(session& s, const std::string& filter) {
  auto it = s.subs.find(filter);
  if (it == s.subs.end()) return;
  if (it->second.group.empty()) {
    subs.erase(filter, s.key);
  } else if (auto sp = topic::parse_shared(filter)) {
    subs.erase_shared(sp->group, sp->filter, s.key);
  }
  s.subs.erase(it);
}

void core::impl::on_unsubscribe(connection& c, const unsubscribe& p) {
  session& s = *c.sess;
  unsuback ack;
  // MQTT-3.10.4-4 (3.1.1) / MQTT-3.10.4-5 (5.0): UNSUBACK with the same id, always.
  ack.packet_id = p.packet_id;
  // MQTT-3.10.4-6: one UNSUBACK for all filters, a code each in order (MQTT-3.11.3-1, MQTT-3.11.3-2).
  bool any_held = false;
  for (const auto& f : p.filters) {
    const std::string filter(f);
    // MQTT-3.10.4-1: exact, character-by-character comparison with the session's filters.
    const bool existed = s.subs.count(filter) > 0;
    any_held |= existed;
    // MQTT-3.10.4-2: no new messages for it; MQTT-3.10.4-3: in-flight ones complete.
    // fault unsubscribe-first-only: breaks MQTT-3.10.4-6.
    if (&f == &p.filters.front() || !cfg.has(fault::unsubscribe_first_only)) remove_subscription(s, filter);
    if (c.version == protocol_version::v5)
      ack.codes.push_back(existed ? reason_code::success : reason_code::no_subscription_existed);
  }
  if (!any_held && cfg.has(fault::no_unsuback_when_none_held)) return;  // fault: breaks MQTT-3.10.4-5
  // MQTT-3.11.2-1, MQTT-3.11.2-2: the UNSUBACK carries no Reason String or User Property.
  send(c, ack);
}

}  // namespace mqtt::broker

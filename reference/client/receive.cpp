// What the broker sends: CONNACK, PUBLISH and its QoS 2 release, SUBACK/UNSUBACK,
// PINGRESP, DISCONNECT and AUTH, each checked against the rules a server must keep.
#include <algorithm>

#include "state.hpp"

namespace mqtt::client {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

}  // namespace

void core::impl::on_packet(const packet& p, const frame_ptr& bytes, std::vector<action>& out) {
  const packet_type t = type_of(p);
  if (phase_ == phase::connecting && t != packet_type::connack && t != packet_type::auth) {
    if (t == packet_type::disconnect && v5()) {
      const auto& d = std::get<mqtt::disconnect>(p);
      violation("MQTT-3.14.0-1", "DISCONNECT before CONNACK", out);
      end_connection(d.code, origin::server, "DISCONNECT " + name(d.code) + " before CONNACK", true, out);
      return;
    }
    fatal("MQTT-3.2.0-1", std::string(to_string(t)) + " before CONNACK", reason_code::protocol_error, out);
    return;
  }
  std::visit(overloaded{
                 [&](const mqtt::connack& x) { on_connack(x, bytes, out); },
                 [&](const mqtt::publish& x) { on_publish(x, bytes, out); },
                 [&](const puback& x) { on_puback(x, out); },
                 [&](const pubrec& x) { on_pubrec(x, out); },
                 [&](const pubrel& x) { on_pubrel(x, out); },
                 [&](const pubcomp& x) { on_pubcomp(x, out); },
                 [&](const suback& x) {
                   on_sub_ack(t, x.packet_id, x.codes.size(), out);
                   out.push_back(subscribed{x, bytes});
                 },
                 [&](const unsuback& x) {
                   on_sub_ack(t, x.packet_id, x.codes.size(), out);
                   out.push_back(unsubscribed{x, bytes});
                 },
                 [&](const pingresp&) { ping_deadline_.reset(); },
                 [&](const mqtt::disconnect& x) {
                   if (!v5()) {
                     fatal("", "a 3.1.1 server never sends DISCONNECT", reason_code::protocol_error, out);
                     return;
                   }
                   std::string why = "DISCONNECT " + name(x.code);
                   if (auto rs = text_of(x.props, property_id::reason_string)) why += ": " + std::string(*rs);
                   end_connection(x.code, origin::server, std::move(why), true, out);
                 },
                 [&](const mqtt::auth& x) { on_auth(x, bytes, out); },
                 [&](const auto&) {
                   fatal("", std::string("a server never sends ") + std::string(to_string(t)), reason_code::protocol_error,
                         out);
                 },
             },
             p);
}

void core::impl::on_connack(const mqtt::connack& p, const frame_ptr& bytes, std::vector<action>& out) {
  if (phase_ == phase::connected) {
    fatal(sid("", "MQTT-3.2.0-2"), "a second CONNACK on one connection", reason_code::protocol_error, out);
    return;
  }
  connack_deadline_.reset();
  if (p.code != reason_code::success) {
    std::string why = "CONNACK refused: " + (v5() ? name(p.code) : "return code " + std::to_string(int(p.code)));
    if (auto rs = text_of(p.props, property_id::reason_string)) why += ": " + std::string(*rs);
    end_connection(p.code, origin::server, std::move(why), true, out);
    return;
  }
  // Session Present must match what the broker can have (5.0 section 3.2.2.1.1).
  if (p.session_present && opts_.clean_start) {
    fatal(sid("MQTT-3.2.2-1", "MQTT-3.2.2-4"), "Session Present 1 in answer to Clean Start 1",
          reason_code::protocol_error, out);
    return;
  }
  if (p.session_present && v5() && !had_session_) {
    fatal("MQTT-3.2.2-4", "Session Present 1 but the client has no session state", reason_code::protocol_error, out);
    return;
  }
  const auto method = text_of(p.props, property_id::authentication_method);
  if (v5() && opts_.authentication_method && method != std::string_view(*opts_.authentication_method)) {
    fatal("MQTT-4.12.0-5", "CONNACK does not carry the Authentication Method of CONNECT", reason_code::protocol_error,
          out);
    return;
  }
  if (v5() && !opts_.authentication_method && method) {
    fatal("MQTT-4.12.0-6", "CONNACK has an Authentication Method the client never sent", reason_code::protocol_error,
          out);
    return;
  }
  // The broker lost (or never had) the session: ours goes too (MQTT-3.2.2-5).
  if (!p.session_present) discard_session("the broker has no session (Session Present 0)", out);

  if (v5()) {
    auto num = [&](property_id id) { return number_of(p.props, id); };
    if (auto n = num(property_id::receive_maximum)) limits_.receive_maximum = std::uint16_t(*n);
    if (auto n = num(property_id::maximum_packet_size)) limits_.maximum_packet_size = *n;
    if (auto n = num(property_id::topic_alias_maximum)) limits_.topic_alias_maximum = std::uint16_t(*n);
    if (auto n = num(property_id::maximum_qos)) limits_.maximum_qos = static_cast<mqtt::qos>(*n);
    if (auto n = num(property_id::retain_available)) limits_.retain_available = *n != 0;
    if (auto n = num(property_id::server_keep_alive)) keep_alive_ = std::uint16_t(*n);  // MQTT-3.1.2-21
    if (auto n = num(property_id::session_expiry_interval)) session_expiry_ = *n;
    if (auto id = text_of(p.props, property_id::assigned_client_identifier)) assigned_id_ = std::string(*id);
  }
  phase_ = phase::connected;
  session_.exists = v5() ? session_expiry_ > 0 : !opts_.clean_start;
  out.push_back(connected{p, bytes});
  resend_inflight(out);
  flush(out);
}

void core::impl::on_publish(const mqtt::publish& in, const frame_ptr& bytes, std::vector<action>& out) {
  mqtt::publish p = in;
  frame_ptr storage = bytes;
  if (auto alias = number_of(p.props, property_id::topic_alias)) {
    const std::uint32_t max = opts_.topic_alias_maximum.value_or(0);
    if (*alias == 0) {
      fatal("MQTT-3.3.2-8", "Topic Alias 0", reason_code::topic_alias_invalid, out);
      return;
    }
    if (*alias > max) {
      fatal(max == 0 ? "MQTT-3.1.2-27" : "MQTT-3.3.2-11",
            "Topic Alias " + std::to_string(*alias) + " above our Topic Alias Maximum " + std::to_string(max),
            reason_code::topic_alias_invalid, out);
      return;
    }
    if (!p.topic.empty()) {
      aliases_in_[std::uint16_t(*alias)] = std::string(p.topic);
    } else {
      auto it = aliases_in_.find(std::uint16_t(*alias));
      if (it == aliases_in_.end()) {
        // 5.0 section 3.3.2.3.4 calls this a Protocol Error but numbers no statement.
        fatal("", "Topic Alias " + std::to_string(*alias) + " used before it was given a topic",
              reason_code::protocol_error, out);
        return;
      }
      // The resolved topic joins the frame's storage, so the event owns what it views.
      auto joined = std::make_shared<std::string>();
      joined->reserve(bytes->size() + it->second.size());
      *joined = *bytes;
      *joined += it->second;
      auto again = decode(bytes_view(*joined).substr(0, bytes->size()), v_);
      p = std::get<mqtt::publish>(*again);
      p.topic = bytes_view(*joined).substr(bytes->size());
      storage = std::move(joined);
    }
  }
  if (p.qos == qos::at_most_once) {
    out.push_back(message{p, storage});
    return;
  }
  if (p.qos == qos::exactly_once && session_.qos2_in.count(p.packet_id)) {
    // A resend before PUBREL: acknowledge again, never deliver twice (MQTT-4.3.3-10).
    if (!p.dup)
      violation("MQTT-3.3.1-1", "QoS 2 PUBLISH " + std::to_string(p.packet_id) + " resent with DUP 0", out);
    send(pubrec{p.packet_id, reason_code::success, {}}, out);
    return;
  }
  // Acknowledged at once, so only QoS 2 messages awaiting PUBREL count against our
  // Receive Maximum.
  const std::size_t limit = v5() ? opts_.receive_maximum.value_or(65535) : 65535;
  if (session_.qos2_in.size() >= limit) {
    fatal(sid("", "MQTT-3.3.4-9"),
          "QoS " + std::to_string(int(p.qos)) + " PUBLISH while " + std::to_string(session_.qos2_in.size()) +
              " are unacknowledged (Receive Maximum " + std::to_string(limit) + ")",
          reason_code::receive_maximum_exceeded, out);
    return;
  }
  out.push_back(message{p, storage});
  if (p.qos == qos::at_least_once) {
    send(puback{p.packet_id, reason_code::success, {}}, out);
  } else {
    session_.qos2_in.insert(p.packet_id);
    send(pubrec{p.packet_id, reason_code::success, {}}, out);
  }
}

void core::impl::on_pubrel(const pubrel& p, std::vector<action>& out) {
  // Unknown ids are normal after a lost PUBCOMP: answer, 5.0 with "not found".
  const bool known = session_.qos2_in.erase(p.packet_id) > 0;
  send(pubcomp{p.packet_id, known || !v5() ? reason_code::success : reason_code::packet_identifier_not_found, {}}, out);
}

void core::impl::on_sub_ack(packet_type t, std::uint16_t id, std::size_t codes, std::vector<action>& out) {
  const bool sub = t == packet_type::suback;
  auto it = pending_.find(id);
  if (it == pending_.end() || it->second.type != (sub ? packet_type::subscribe : packet_type::unsubscribe)) {
    violation(sid("MQTT-2.3.1-7", "MQTT-2.2.1-6"),
              std::string(to_string(t)) + " for packet identifier " + std::to_string(id) + " we did not use", out);
    return;
  }
  // 3.1.1 UNSUBACK carries no codes.
  if ((sub || v5()) && codes != it->second.filters)
    violation(sub ? sid("MQTT-3.9.3-1", "MQTT-3.9.3-2") : "MQTT-3.11.3-2",
              std::string(to_string(t)) + " has " + std::to_string(codes) + " reason codes for " +
                  std::to_string(it->second.filters) + " topic filters",
              out);
  session_.ids.release(id);
  pending_.erase(it);
}

void core::impl::on_auth(const mqtt::auth& p, const frame_ptr& bytes, std::vector<action>& out) {
  if (!opts_.authentication_method) {
    fatal("MQTT-4.12.0-6", "AUTH but the client sent no Authentication Method", reason_code::protocol_error, out);
    return;
  }
  if (text_of(p.props, property_id::authentication_method) != std::string_view(*opts_.authentication_method)) {
    fatal("MQTT-4.12.0-5", "AUTH does not carry the Authentication Method of CONNECT", reason_code::protocol_error, out);
    return;
  }
  if (p.code == reason_code::re_authenticate) {
    fatal("", "a server never sends AUTH with Re-authenticate (5.0 section 4.12.1)", reason_code::protocol_error, out);
    return;
  }
  out.push_back(auth_challenge{p, bytes});
}

}  // namespace mqtt::client

// CONNECT, CONNACK, enhanced authentication (AUTH) and DISCONNECT from the client.
//
// The built-in authentication method (named by config::auth_method, "SCRAM-TEST" by
// default) is a deterministic challenge/response for tests, not security:
//   client  CONNECT  Authentication Method = M (any Authentication Data)
//   server  AUTH 0x18  M, Authentication Data = challenge "chal-<connection id>"
//   client  AUTH 0x18  M, Authentication Data = the challenge reversed
//   server  CONNACK 0x00 with M   (a wrong answer: CONNACK 0x87 Not authorized)
// Re-authentication (AUTH 0x19 after CONNACK) runs the same exchange and ends with
// AUTH 0x00, or DISCONNECT 0x87 on a wrong answer (MQTT-4.12.1-2).
#include <algorithm>

#include "state.hpp"

namespace mqtt::broker {

namespace {

connect_params take(const connect& p) {
  connect_params cp;
  cp.version = p.version;
  cp.clean_start = p.clean_start;
  cp.keep_alive = p.keep_alive;
  cp.client_id = std::string(p.client_id);
  if (p.version == protocol_version::v5) {
    cp.session_expiry = number_of(p.props, property_id::session_expiry_interval).value_or(0);
    cp.receive_maximum = std::uint16_t(number_of(p.props, property_id::receive_maximum).value_or(65535));
    cp.maximum_packet_size = number_of(p.props, property_id::maximum_packet_size).value_or(0);
    cp.topic_alias_maximum = std::uint16_t(number_of(p.props, property_id::topic_alias_maximum).value_or(0));
    cp.request_problem_information = number_of(p.props, property_id::request_problem_information).value_or(1) != 0;
    cp.request_response_information =
        number_of(p.props, property_id::request_response_information).value_or(0) != 0;
    cp.auth_method = std::string(text_of(p.props, property_id::authentication_method).value_or(""));
  } else {
    // 3.1.1 CleanSession 0: the session lasts until a clean connect discards it.
    cp.session_expiry = p.clean_start ? 0 : never_expires;
  }
  return cp;
}

}  // namespace

void core::impl::on_connect(connection& c, const connect& p) {
  if (!cfg.protocol_versions.count(p.version)) {
    // MQTT-3.1.2-2 (3.1.1): an unsupported level gets CONNACK 0x01 and the close.
    note(c.id, "MQTT-3.1.2-2", "protocol version not served by this broker's configuration");
    out->push_back(send_bytes{c.id, std::string("\x20\x02\x00\x01", 4)});
    out->push_back(close_connection{c.id});
    end(c);
    return;
  }
  c.version = p.version;
  c.decoder.set_version(p.version);
  connect_params local = take(p);
  // Enhanced authentication keeps the CONNECT until the CONNACK, and its method for
  // re-authentication; every other connection keeps only a few of its fields.
  connect_params& cp = local.auth_method.empty() ? local : *(c.more().params = std::move(local));
  const bool v5 = cp.version == protocol_version::v5;
  c.maximum_packet_size = cp.maximum_packet_size;
  c.receive_maximum = cp.receive_maximum;
  c.topic_alias_maximum = cp.topic_alias_maximum;

  if (p.will) {
    auto m = std::make_shared<message>();
    m->topic = std::string(p.will->topic);
    m->payload = std::string(p.will->payload);
    m->qos = p.will->qos;
    m->retain = p.will->retain;
    m->received = now;
    m->publisher = cp.client_id;
    will_data w;
    for (const auto& pr : p.will->props) {
      if (pr.id == property_id::will_delay_interval) w.delay_s = pr.number;
      else if (pr.id == property_id::message_expiry_interval) m->expiry_s = pr.number;
      else m->props.push_back({pr.id, pr.number, std::string(pr.text), std::string(pr.value)});
    }
    if (auto bad = topic::check_name(m->topic, cp.version)) {
      note(c.id, bad->spec_id, "will topic: " + bad->what);
      return reject(c, reason_code::topic_name_invalid, 0, bad->spec_id, "will topic is invalid");
    }
    // MQTT-3.2.2-12: a Will QoS above the maximum is refused with 0x9B.
    if (v5 && std::uint8_t(m->qos) > cfg.maximum_qos)
      return reject(c, reason_code::qos_not_supported, 0, "MQTT-3.2.2-12", "will QoS exceeds Maximum QoS");
    // MQTT-3.2.2-13: a retained will without retain support is refused with 0x9A.
    if (v5 && m->retain && !cfg.retain_available)
      return reject(c, reason_code::retain_not_supported, 0, "MQTT-3.2.2-13", "will retain is not supported");
    w.msg = std::move(m);
    // MQTT-3.1.2-8 (3.1.1) / MQTT-3.1.2-7 (5.0): the will is stored with the connection.
    c.more().will = std::move(w);
  }

  if (cp.client_id.empty()) {
    // MQTT-3.1.3-8 (3.1.1): an empty ClientId needs CleanSession 1.
    // fault: breaks MQTT-3.1.3-8: accepted, with an assigned id, as if CleanSession were 1.
    if (!v5 && !cp.clean_start && !cfg.has(fault::accept_empty_client_id_persistent))
      return reject(c, reason_code::client_identifier_not_valid, 2, "MQTT-3.1.3-8",
                    "empty client id with clean session 0");
    if (!cfg.allow_empty_client_id)
      return reject(c, reason_code::client_identifier_not_valid, 2, "MQTT-3.1.3-9", "empty client id refused");
    // MQTT-3.1.3-6: assign a unique ClientId; MQTT-3.2.2-16: one not used by any session.
    do cp.client_id = "mqttspec-" + std::to_string(next_assigned++);
    while (sessions.count(cp.client_id));
    cp.assigned_id = true;
  }
  // MQTT-3.1.3-5: ids of 1-23 characters [0-9a-zA-Z] are always allowed; so is any other id.
  if (cp.client_id.size() > 16 && cfg.has(fault::client_id_max_16))  // fault: breaks MQTT-3.1.3-5
    return reject(c, reason_code::client_identifier_not_valid, 2, "MQTT-3.1.3-5", "client id over 16 bytes");

  if (!cfg.users.empty() || !cfg.allow_anonymous) {
    if (!p.user_name) {
      if (!cfg.allow_anonymous)
        return reject(c, reason_code::not_authorized, 5, "MQTT-3.1.4-2", "anonymous connections are refused");
    } else {
      auto it = cfg.users.find(std::string(*p.user_name));
      if (it == cfg.users.end() || !p.password || it->second != *p.password)
        return reject(c, reason_code::bad_user_name_or_password, 4, "MQTT-3.1.4-2", "bad user name or password");
    }
  }

  if (v5 && cfg.server_reference)
    return reject(c, reason_code::use_another_server, 3, "", "use another server");

  if (v5 && !cp.auth_method.empty()) {
    // MQTT-4.12.0-1: an unknown method is refused with 0x8C.
    if (cp.auth_method != cfg.auth_method && cfg.has(fault::accept_any_auth_method))
      return accept(c, cp);  // fault: breaks MQTT-4.12.0-1: connected without any exchange
    if (cp.auth_method != cfg.auth_method)
      return reject(c, reason_code::bad_authentication_method, 0, "MQTT-4.12.0-1",
                    "unsupported authentication method");
    c.state = phase::authenticating;
    c.more().auth_challenge = "chal-" + std::to_string(c.id);
    auth a;
    a.code = reason_code::continue_authentication;  // MQTT-4.12.0-2
    // MQTT-4.12.0-5: every AUTH carries the method of the CONNECT.
    a.props.push_back({property_id::authentication_method, 0, cp.auth_method, {}});
    a.props.push_back({property_id::authentication_data, 0, c.extra->auth_challenge, {}});
    send(c, a);
    return;
  }
  accept(c, cp);
}

void core::impl::on_auth(connection& c, const auth& p) {
  const auto method = text_of(p.props, property_id::authentication_method);
  // MQTT-4.12.0-7 is the client's rule; an AUTH without a method in CONNECT is a protocol error.
  // (A CONNECT with a method keeps its params in `extra`.)
  if (!c.extra || !c.extra->params || !method || *method != c.extra->params->auth_method) {
    if (c.state == phase::authenticating)
      return reject(c, reason_code::protocol_error, 0, "MQTT-4.12.0-5", "AUTH with a different method");
    return violation(c, reason_code::protocol_error, "MQTT-4.12.0-7", "AUTH without an authentication method");
  }
  connection_extra& x = *c.extra;
  const auto data = text_of(p.props, property_id::authentication_data).value_or("");
  // MQTT-4.12.1-1: re-authentication once connected, with the CONNECT's method.
  // MQTT-3.15.2-1: the broker's AUTH codes are 0x00 and 0x18; MQTT-3.15.2-2, MQTT-3.15.2-3:
  // it sends no Reason String or User Property on AUTH.
  if (p.code == reason_code::re_authenticate && c.state == phase::connected) {
    x.auth_challenge = "chal-" + std::to_string(c.id) + "-re";
    auth a;
    a.code = reason_code::continue_authentication;
    a.props.push_back({property_id::authentication_method, 0, x.params->auth_method, {}});
    a.props.push_back({property_id::authentication_data, 0, x.auth_challenge, {}});
    send(c, a);
    return;
  }
  if (p.code != reason_code::continue_authentication || x.auth_challenge.empty())
    return c.state == phase::authenticating
               ? reject(c, reason_code::protocol_error, 0, "MQTT-4.12.0-3", "unexpected AUTH reason code")
               : violation(c, reason_code::protocol_error, "MQTT-4.12.0-3", "unexpected AUTH");
  std::string expected(x.auth_challenge.rbegin(), x.auth_challenge.rend());
  x.auth_challenge.clear();
  if (data != expected) {
    if (c.state == phase::authenticating)
      return reject(c, reason_code::not_authorized, 5, "MQTT-4.12.0-4", "wrong authentication response");
    note(c.id, "MQTT-4.12.1-2", "re-authentication failed");
    return close(c, reason_code::not_authorized, true, "re-authentication failed");
  }
  if (c.state == phase::authenticating) return accept(c, *x.params);
  auth ok;
  ok.code = reason_code::success;
  ok.props.push_back({property_id::authentication_method, 0, x.params->auth_method, {}});
  send(c, ok);
}

void core::impl::reject(connection& c, reason_code v5_code, std::uint8_t v311_code, std::string_view spec_id,
                        std::string why) {
  note(c.id, spec_id, "CONNECT refused: " + why);
  connack ack;
  ack.session_present = false;  // MQTT-3.2.2-4 (3.1.1) / MQTT-3.2.2-6 (5.0)
  if (c.version == protocol_version::v5) {
    ack.code = v5_code;  // MQTT-3.2.2-8: one of the Connect Reason Codes
    if (v5_code == reason_code::use_another_server && cfg.server_reference)
      ack.props.push_back({property_id::server_reference, 0, *cfg.server_reference, {}});
    {  // MQTT-3.1.2-29 allows a Reason String on CONNACK whatever the client asked.
      ack.props.push_back({property_id::reason_string, 0, why, {}});
      // MQTT-3.2.2-19, MQTT-3.2.2-20: no Reason String (no User Property either) that would
      // exceed the client's maximum.
      if (!fits(c, ack)) ack.props.pop_back();
    }
    send(c, ack);
  } else if (v311_code != 0) {
    ack.code = static_cast<reason_code>(v311_code);
    send(c, ack);
  }
  // MQTT-3.2.2-5 (3.1.1) / MQTT-3.2.2-7 (5.0): a refusing CONNACK closes the connection.
  // MQTT-3.1.4-5 / MQTT-3.1.4-6: nothing after the refused CONNECT is processed.
  out->push_back(close_connection{c.id});
  if (c.extra) c.extra->will.reset();
  end(c);
}

void core::impl::accept(connection& c, connect_params& cp) {
  const bool v5 = cp.version == protocol_version::v5;
  const bool clamped = cp.session_expiry > cfg.max_session_expiry;
  if (clamped) cp.session_expiry = cfg.max_session_expiry;
  c.expiry_at_connect = cp.session_expiry;
  c.keep_alive = cp.keep_alive;
  if (v5 && cfg.server_keep_alive) c.keep_alive = *cfg.server_keep_alive;  // MQTT-3.2.2-21

  // MQTT-3.1.4-2 (3.1.1) / MQTT-3.1.4-3 (5.0): an existing connection of the same client
  // is taken over: DISCONNECT 0x8E in 5.0, then closed; its will follows the usual rules.
  if (auto it = sessions.find(cp.client_id); it != sessions.end() && it->second.conn != 0)
    if (connection* old = find_conn(it->second.conn)) {
      note(old->id, "MQTT-3.1.4-3", "session taken over by connection " + std::to_string(c.id));
      close(*old, reason_code::session_taken_over, true, "session taken over");
    }

  bool present = false;
  // MQTT-3.1.4-3 (3.1.1) / MQTT-3.1.4-4 (5.0): process Clean Session / Clean Start.
  session& s = open_session(c, cp, present);
  if (cfg.has(fault::session_present_always_0)) present = false;  // fault: breaks MQTT-3.2.2-2

  connack ack;
  std::string response_info = "response/" + cp.client_id;  // outlives the encode below
  // MQTT-3.2.2-1 (3.1.1), MQTT-3.2.2-2 / MQTT-3.2.2-3 (5.0): Session Present.
  ack.session_present = present;
  // fault: breaks MQTT-3.2.2-1 (3.1.1) / MQTT-3.2.2-2 (5.0): 1 even for a new or clean session.
  if (cfg.has(fault::session_present_always_1)) ack.session_present = true;
  ack.code = reason_code::success;  // MQTT-3.1.4-4 (3.1.1) / MQTT-3.1.4-5 (5.0)
  if (v5) {
    auto add = [&](property_id id, std::uint32_t n) { ack.props.push_back({id, n, {}, {}}); };
    // The broker's own expiry when it shortened the client's (3.2.2.3.2).
    if (clamped) add(property_id::session_expiry_interval, cp.session_expiry);
    if (cfg.receive_maximum != 65535) add(property_id::receive_maximum, cfg.receive_maximum);
    // MQTT-3.2.2-9: a broker without QoS 1 or 2 says so with Maximum QoS.
    if (cfg.maximum_qos < 2) add(property_id::maximum_qos, cfg.maximum_qos);
    if (!cfg.retain_available) add(property_id::retain_available, 0);
    if (cfg.maximum_packet_size) add(property_id::maximum_packet_size, cfg.maximum_packet_size);
    // MQTT-3.1.3-7, MQTT-3.2.2-16: the Assigned Client Identifier.
    // fault: breaks MQTT-3.2.2-16 / MQTT-3.1.3-7: no-assigned-client-id leaves the id out.
    if (cp.assigned_id && !cfg.has(fault::no_assigned_client_id))
      ack.props.push_back({property_id::assigned_client_identifier, 0, cp.client_id, {}});
    if (cfg.topic_alias_maximum) add(property_id::topic_alias_maximum, cfg.topic_alias_maximum);
    if (!cfg.wildcard_subscription_available) add(property_id::wildcard_subscription_available, 0);
    if (!cfg.subscription_identifiers_available) add(property_id::subscription_identifier_available, 0);
    if (!cfg.shared_subscription_available) add(property_id::shared_subscription_available, 0);
    if (cfg.server_keep_alive) add(property_id::server_keep_alive, *cfg.server_keep_alive);
    // MQTT-3.1.2-28: Response Information only when the client asked for it.
    if (cp.request_response_information || cfg.has(fault::response_information_unasked)) {
      ack.props.push_back({property_id::response_information, 0, response_info, {}});
      if (!fits(c, ack)) ack.props.pop_back();  // MQTT-3.2.2-19
    }
    // MQTT-4.12.0-5 / MQTT-4.12.0-6: the method is echoed only when the client used one.
    if (!cp.auth_method.empty()) ack.props.push_back({property_id::authentication_method, 0, cp.auth_method, {}});
  }
  c.state = phase::connected;
  send(c, ack);  // MQTT-3.2.0-1: the first packet the server sends; MQTT-3.2.0-2: only one
  // fault: breaks MQTT-3.2.2-22 (5.0; 3.1.2.10 in 3.1.1): Keep Alive 0 does not turn the
  // mechanism off but becomes 60 s, without telling the client (no Server Keep Alive).
  if (c.keep_alive == 0 && cfg.has(fault::keepalive_zero_expires)) c.keep_alive = 60;
  if (c.keep_alive) schedule(now + std::chrono::microseconds(std::int64_t(c.keep_alive) * 1'500'000),
                             {timer_entry::kind::keepalive, c.id, {}});
  if (present) resume(s);
  pump(s);
}

void core::impl::on_disconnect(connection& c, const disconnect& p) {
  if (c.version == protocol_version::v5) {
    if (auto e = number_of(p.props, property_id::session_expiry_interval)) {
      // 3.14.2.2.2: a non-zero expiry on DISCONNECT after 0 on CONNECT is a protocol error.
      if (c.expiry_at_connect == 0 && *e != 0)
        return violation(c, reason_code::protocol_error, "MQTT-3.1.2-23",
                         "session expiry set on DISCONNECT after 0 on CONNECT");
      if (c.sess) c.sess->expiry_s = std::min(*e, cfg.max_session_expiry);
    }
  }
  // MQTT-3.14.4-3: DISCONNECT 0x00 discards the will (MQTT-3.1.2-10); 0x04 and the
  // other codes keep it, so it is published.
  const bool normal = p.code == reason_code::success || c.version == protocol_version::v311;
  const bool with_will = !normal || cfg.has(fault::will_on_disconnect);  // fault: breaks MQTT-3.1.2-10
  out->push_back(close_connection{c.id});
  if (with_will)
    schedule_will(c);
  else
    lose_will(c);
  detach(c);
  end(c);
}

}  // namespace mqtt::broker

// The session store: Clean Session / Clean Start, resumption, detaching a session from
// its connection, session expiry and discarding a session with its subscriptions.
#include "state.hpp"

namespace mqtt::broker {

session& core::impl::open_session(connection& c, const connect_params& cp, bool& present) {
  auto it = sessions.find(cp.client_id);
  present = false;
  if (it != sessions.end() && cp.clean_start) {
    // MQTT-3.1.2-6 (3.1.1) / MQTT-3.1.2-4 (5.0): Clean Start discards the old session;
    // a will waiting for its delay is published now that its session ends (MQTT-3.1.2-8).
    if (auto w = wills.find(cp.client_id); w != wills.end()) {
      auto will = std::move(w->second.will);
      wills.erase(w);
      publish_will(will);
    }
    end_session(it->second);
    it = sessions.end();
  }
  if (it == sessions.end()) {
    // MQTT-3.1.2-4 (3.1.1) / MQTT-3.1.2-6 (5.0): a new session when there is none.
    it = sessions.try_emplace(cp.client_id).first;
    session& s = it->second;
    s.client_id = &it->first;
    s.key = next_key++;
    by_key[s.key] = &s;
  } else {
    // MQTT-3.1.2-4 (3.1.1) / MQTT-3.1.2-5 (5.0): resume the existing session.
    present = true;
    // MQTT-3.1.3-9: a new connection before the will delay passed cancels the will.
    cancel_will(cp.client_id);
  }
  // MQTT-3.1.3-2: the ClientId names the session; MQTT-4.1.0-1: its state is kept
  // for as long as it lasts (never discarded while connected, MQTT-4.1.0-2 (3.1.1)).
  session& s = it->second;
  s.version = cp.version;
  s.conn = c.id;
  s.expires_at.reset();
  s.expiry_s = cp.session_expiry;
  c.sess = &s;
  return s;
}

void core::impl::detach(connection& c) {
  session* s = c.sess;
  c.sess = nullptr;
  if (!s || s->conn != c.id) return;
  s->conn = 0;
  // Messages held by flow control stay queued; the in-flight ones are resent on resume.
  if (s->expiry_s == 0) {
    // MQTT-3.1.2-6 (3.1.1): a clean session lasts as long as the connection.
    // MQTT-4.1.0-2 (5.0): an expiry of 0 ends the session with the connection.
    end_session(*s);
    return;
  }
  // MQTT-3.1.2-5 (3.1.1), MQTT-3.1.2-23 (5.0): the session outlives the connection.
  if (s->expiry_s != never_expires) {
    s->expires_at = now + std::chrono::seconds(s->expiry_s);
    schedule(*s->expires_at, {timer_entry::kind::session_expiry, 0, *s->client_id});
  }
}

void core::impl::end_session(session& s) {
  const std::string id = *s.client_id;  // s and its key go below
  subs.erase_all(s.key);
  by_key.erase(s.key);
  // A will delayed past the session's end is published now (MQTT-3.1.2-8, 5.0).
  if (auto w = wills.find(id); w != wills.end()) {
    auto will = std::move(w->second.will);
    wills.erase(w);
    sessions.erase(id);
    publish_will(will);
    return;
  }
  sessions.erase(id);
}

}  // namespace mqtt::broker

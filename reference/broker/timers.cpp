// Time: keepalive lapses, delayed wills and session expiry, from one timer queue whose
// entries are checked against the current state when they fire (no cancellation needed).
#include "state.hpp"

namespace mqtt::broker {

void core::impl::on_time(timestamp t) {
  while (!timers.empty() && timers.begin()->first <= t) {
    timer_entry e = std::move(timers.begin()->second);
    timers.erase(timers.begin());
    switch (e.what) {
      case timer_entry::kind::keepalive: {
        connection* c = find_conn(e.conn);
        if (!c || c->state != phase::connected || c->keep_alive == 0) break;
        // fault: a coarse timer closes 0.5 x Keep Alive late (MQTT-3.1.2-24 / -22 met late).
        const std::int64_t factor = cfg.has(fault::late_keepalive) ? 2'000'000 : 1'500'000;
        const auto limit = std::chrono::microseconds(std::int64_t(c->keep_alive) * factor);
        if (c->last_seen + limit > t) {
          schedule(c->last_seen + limit, std::move(e));  // a packet came since: look again later
          break;
        }
        if (cfg.has(fault::ignore_keepalive)) break;  // fault: breaks MQTT-3.1.2-24 / MQTT-3.1.2-22
        // MQTT-3.1.2-24 (3.1.1) / MQTT-3.1.2-22 (5.0): no packet for 1.5 x Keep Alive:
        // close as if the network failed (the will is published), with DISCONNECT 0x8D in 5.0.
        // MQTT-3.2.2-22: the client's Keep Alive unless the broker sent a Server Keep Alive.
        note(c->id, c->version == protocol_version::v5 ? "MQTT-3.1.2-22" : "MQTT-3.1.2-24", "keep alive lapsed");
        close(*c, reason_code::keep_alive_timeout, true, "keep alive timeout");
        break;
      }
      case timer_entry::kind::will: fire_wills(t); break;
      case timer_entry::kind::session_expiry: {
        auto it = sessions.find(e.client_id);
        if (it == sessions.end()) break;
        session& s = it->second;
        // MQTT-4.1.0-2 (5.0): discard the session once it has been closed for its expiry.
        if (s.conn == 0 && s.expires_at && *s.expires_at <= t) end_session(s);
        break;
      }
    }
  }
}

}  // namespace mqtt::broker

// The public face of the core and its plumbing: connections, the decode loop,
// packet dispatch, sending, closing with a reason code, and timer arming.
#include "core.hpp"

#include "state.hpp"

namespace mqtt::broker {

namespace detail {

owned_properties own(const properties& ps) {
  owned_properties out;
  out.reserve(ps.size());
  for (const auto& p : ps) out.push_back({p.id, p.number, std::string(p.text), std::string(p.value)});
  return out;
}

properties view(const owned_properties& ps) {
  properties out;
  out.reserve(ps.size());
  for (const auto& p : ps) out.push_back({p.id, p.number, p.text, p.value});
  return out;
}

}  // namespace detail

core::core(config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}
core::~core() = default;

const config& core::settings() const { return impl_->cfg; }
std::size_t core::connection_count() const { return impl_->conns.size(); }
std::size_t core::session_count() const { return impl_->sessions.size(); }

namespace {

/// Sets the event's context and removes connections closed while handling it.
template <class Impl>  // a template: core::impl is private, and deduced here
struct event_scope {
  Impl& b;
  event_scope(Impl& i, timestamp now, std::vector<action>& out) : b(i) {
    b.out = &out;
    b.now = now;
  }
  ~event_scope() {
    for (conn_id id : b.ended) b.conns.erase(id);
    b.ended.clear();
    b.arm();
    b.out = nullptr;
  }
};

}  // namespace

void core::on_open(conn_id c, timestamp now, std::vector<action>& out) {
  event_scope scope(*impl_, now, out);
  connection& conn = impl_->conns[c];
  conn.id = c;
  conn.last_seen = now;
  if (impl_->cfg.maximum_packet_size) conn.decoder.set_max_packet_size(impl_->cfg.maximum_packet_size);
}

void core::on_bytes(conn_id c, bytes_view bytes, timestamp now, std::vector<action>& out) {
  event_scope scope(*impl_, now, out);
  connection* conn = impl_->find_conn(c);
  if (!conn) return;
  // MQTT-6.0.0-2, MQTT-4.2.0-1 / MQTT-7.1.1-1: an ordered byte stream in any chunking;
  // packets are never assumed to align with the chunks. Whole packets are read in
  // place; only a partial one is kept, so an idle connection holds no buffer.
  bytes_view in = bytes;
  while (conn->state != phase::closed) {
    auto frame = conn->decoder.next_frame(in);
    if (!frame) {
      const auto& e = frame.error();
      impl_->violation(*conn, e.code, e.spec_id, e.what);
      return;
    }
    if (!*frame) {
      conn->decoder.feed(in);
      return;
    }
    conn->last_seen = now;
    impl_->handle(*conn, **frame);
  }
}

void core::on_closed(conn_id c, timestamp now, std::vector<action>& out) {
  event_scope scope(*impl_, now, out);
  connection* conn = impl_->find_conn(c);
  if (!conn) return;
  // Network loss: the will is published (MQTT-3.1.2-8), but nothing can be sent.
  impl_->schedule_will(*conn);
  impl_->detach(*conn);
  impl_->end(*conn);
}

void core::on_time(timestamp now, std::vector<action>& out) {
  event_scope scope(*impl_, now, out);
  if (impl_->armed && *impl_->armed <= now) impl_->armed.reset();
  impl_->on_time(now);
}

connection* core::impl::find_conn(conn_id id) {
  auto it = conns.find(id);
  return it == conns.end() || it->second.state == phase::closed ? nullptr : &it->second;
}

void core::impl::end(connection& c) {
  c.state = phase::closed;
  ended.push_back(c.id);
}

void core::impl::send(connection& c, const packet& p) {
  // fault silent-at-zero-quota: breaks MQTT-4.9.0-3, MQTT-3.3.4-10.
  if (cfg.has(fault::silent_at_zero_quota) && !std::holds_alternative<publish>(p) && c.sess &&
      c.sess->has_flow() && c.sess->flow().out.size() >= c.receive_maximum)
    return;
  std::string bytes = encode(p, c.version);
  if (!out->empty())
    if (auto* last = std::get_if<send_bytes>(&out->back()); last && last->conn == c.id) {
      last->bytes += bytes;  // coalesce: fewer writes for the driver
      return;
    }
  out->push_back(send_bytes{c.id, std::move(bytes)});
}

bool core::impl::fits(const connection& c, const packet& p) const {
  // MQTT-3.1.2-24: never send a packet larger than the client's Maximum Packet Size.
  return c.maximum_packet_size == 0 || encoded_size(p, c.version) <= c.maximum_packet_size;
}

void core::impl::note(conn_id c, std::string_view spec_id, std::string text) {
  out->push_back(broker::note{c, std::string(spec_id), std::move(text)});
}

void core::impl::close(connection& c, std::optional<reason_code> rc, bool publish_will, std::string_view why) {
  if (c.state == phase::closed) return;
  // MQTT-3.14.0-1: no DISCONNECT before a successful CONNACK; 3.1.1 has no server DISCONNECT.
  if (rc && c.state == phase::connected && c.version == protocol_version::v5) {
    disconnect d;
    d.code = *rc;  // MQTT-3.14.2-1: one of the DISCONNECT reason codes
    // MQTT-3.14.2-2: the server never sends a Session Expiry Interval on DISCONNECT.
    if (!why.empty()) {
      d.props.push_back({property_id::reason_string, 0, why, {}});
      // MQTT-3.14.2-3, MQTT-3.14.2-4: no Reason String (and never a User Property) that
      // would exceed the client's maximum.
      if (!fits(c, d)) d.props.clear();
    }
    send(c, d);
  }
  // MQTT-3.14.4-1, MQTT-3.14.4-2: nothing after DISCONNECT, and the connection closes.
  // MQTT-4.13.2-1: a reason code of 0x80 or more always closes.
  out->push_back(close_connection{c.id});
  if (publish_will)
    schedule_will(c);
  else
    lose_will(c);
  detach(c);
  end(c);
}

void core::impl::violation(connection& c, reason_code rc, std::string_view spec_id, std::string what) {
  note(c.id, spec_id, std::move(what));
  // fault: breaks MQTT-4.8.0-1 / MQTT-4.13.1-1: the packet is dropped (every caller returns
  // after this) and the connection stays open. After a framing error the stream decoder
  // stays failed, so the rest of the stream is ignored too.
  if (cfg.has(fault::ignore_malformed)) return;
  // MQTT-4.8.0-1, MQTT-4.13.1-1: a protocol violation closes the connection, with the
  // DISCONNECT reason code the decoder named (0x81 malformed, 0x82 protocol error, ...).
  close(c, rc, true, name(rc));
}

namespace {

/// The reserved flag values of each packet type (PUBLISH has none).
std::uint8_t expected_flags(packet_type t) {
  return t == packet_type::pubrel || t == packet_type::subscribe || t == packet_type::unsubscribe ? 0x2 : 0x0;
}

bool is_flag_error(std::string_view id) {
  return id == "MQTT-2.2.2-1" || id == "MQTT-2.2.2-2" || id == "MQTT-2.1.3-1" || id == "MQTT-3.6.1-1" ||
         id == "MQTT-3.8.1-1" || id == "MQTT-3.10.1-1" || id == "MQTT-3.14.1-1" || id == "MQTT-3.15.1-1";
}

}  // namespace

// Every received packet goes through the codec's two phases, which enforce (and name,
// in the note) these statements for the broker: UTF-8 rules MQTT-1.5.3-1, MQTT-1.5.3-2,
// MQTT-1.5.3-3, MQTT-1.5.4-1, MQTT-1.5.4-2, MQTT-1.5.4-3, MQTT-1.5.7-1; minimal Variable Byte
// Integers MQTT-1.5.5-1; packet identifiers MQTT-2.3.1-1, MQTT-2.3.1-5, MQTT-2.2.1-2,
// MQTT-2.2.1-3; CONNECT structure MQTT-3.1.2-1, MQTT-3.1.2-3, MQTT-3.1.2-9, MQTT-3.1.2-11,
// MQTT-3.1.2-13, MQTT-3.1.2-15, MQTT-3.1.2-17, MQTT-3.1.2-18, MQTT-3.1.2-19, MQTT-3.1.2-22,
// MQTT-3.1.3-1, MQTT-3.1.3-3, MQTT-3.1.3-4, MQTT-3.1.3-10, MQTT-3.1.3-11, MQTT-3.1.3-12;
// PUBLISH MQTT-3.3.1-4, MQTT-3.3.2-1, MQTT-3.3.2-13, MQTT-3.3.2-14, MQTT-3.3.2-19;
// SUBSCRIBE / UNSUBSCRIBE payloads MQTT-3.8.3-1, MQTT-3.8.3-4, MQTT-3.8.3-5, MQTT-3.10.3-1,
// MQTT-3.10.3-2; reserved flags MQTT-2.2.2-1, MQTT-2.2.2-2, MQTT-2.1.3-1, MQTT-3.6.1-1,
// MQTT-3.8.1-1, MQTT-3.10.1-1, MQTT-3.14.1-1, MQTT-3.15.1-1. A client that breaks its own
// sending rules is caught the same way: MQTT-3.2.2-15 (maximum packet size, via the
// stream decoder's limit), MQTT-2.3.1-2, MQTT-2.3.1-3, MQTT-2.3.1-6 (ids, handled in publish_in.cpp).
void core::impl::handle(connection& c, bytes_view frame) {
  const auto version = c.state == phase::awaiting_connect ? protocol_version::v5 : c.version;
  auto p = decode(frame, version);
  std::string fixed;
  if (!p && cfg.has(fault::accept_reserved_flags) && is_flag_error(p.error().spec_id)) {
    // Fault: repair the reserved flags and carry on (breaks MQTT-2.2.2-2 / MQTT-2.1.3-1).
    fixed.assign(frame);
    const auto t = static_cast<packet_type>(std::uint8_t(fixed[0]) >> 4);
    if (t != packet_type::publish) {
      fixed[0] = char((std::uint8_t(fixed[0]) & 0xf0) | expected_flags(t));
      p = decode(fixed, version);
    }
  }
  if (!p) {
    const auto& e = p.error();
    if (c.state == phase::awaiting_connect) {
      // MQTT-3.1.4-1: a CONNECT that does not conform closes without a CONNACK,
      // except an unsupported protocol level, which gets one (MQTT-3.1.2-2).
      note(c.id, e.spec_id, e.what);
      // fault: breaks MQTT-3.1.4-1, MQTT-3.1.2-1, MQTT-3.1.2-2, MQTT-3.1.2-3: no CONNACK, no
      // close; the connection waits for another CONNECT.
      if (cfg.has(fault::ignore_malformed)) return;
      const bool is_connect = (std::uint8_t(frame[0]) >> 4) == 1;
      if (is_connect && e.code == reason_code::unsupported_protocol_version && e.spec_id == "MQTT-3.1.2-2") {
        // Level byte: fixed header, 2-byte name length, "MQTT".
        std::size_t at = 1;
        while (at < frame.size() && (std::uint8_t(frame[at]) & 0x80)) ++at;
        at += 1 + 2 + 4;
        const std::uint8_t level = at < frame.size() ? std::uint8_t(frame[at]) : 0;
        // MQTT-3.1.2-2 (3.1.1): CONNACK 0x01 to older levels; 5.0 format 0x84 to newer ones.
        std::string bytes = level < 5 ? std::string("\x20\x02\x00\x01", 4) : std::string("\x20\x03\x00\x84\x00", 5);
        out->push_back(send_bytes{c.id, std::move(bytes)});
      }
      out->push_back(close_connection{c.id});
      end(c);
      return;
    }
    violation(c, e.code, e.spec_id, e.what);
    return;
  }
  dispatch(c, *p);
}

void core::impl::dispatch(connection& c, packet& p) {
  const packet_type t = type_of(p);
  if (c.state == phase::awaiting_connect) {
    if (t != packet_type::connect && cfg.has(fault::accept_any_first_packet)) {
      // fault: breaks MQTT-3.1.0-1: stay open; there is no session yet, so only a PINGREQ
      // can be served, and anything else is ignored.
      if (t == packet_type::pingreq) send(c, pingresp{});
      return;
    }
    if (t != packet_type::connect) {
      // MQTT-3.1.0-1: the first packet must be CONNECT; close without a CONNACK.
      note(c.id, "MQTT-3.1.0-1", std::string("first packet is ") + std::string(to_string(t)) + ", not CONNECT");
      out->push_back(close_connection{c.id});
      end(c);
      return;
    }
    on_connect(c, std::get<connect>(p));
    return;
  }
  if (c.state == phase::authenticating) {
    // MQTT-3.1.2-30: only AUTH or DISCONNECT until the CONNACK.
    if (t == packet_type::auth) return on_auth(c, std::get<auth>(p));
    if (t == packet_type::disconnect) {
      lose_will(c);
      out->push_back(close_connection{c.id});
      end(c);
      return;
    }
    note(c.id, "MQTT-3.1.2-30", std::string(to_string(t)) + " during enhanced authentication");
    reject(c, reason_code::protocol_error, 0, "MQTT-3.1.2-30", "packet other than AUTH before CONNACK");
    return;
  }
  switch (t) {
    case packet_type::connect:
      if (cfg.has(fault::accept_second_connect)) return;  // fault: breaks MQTT-3.1.0-2
      // MQTT-3.1.0-2: a second CONNECT is a protocol error.
      return violation(c, reason_code::protocol_error, "MQTT-3.1.0-2", "second CONNECT");
    case packet_type::publish: return on_publish(c, std::get<publish>(p));
    case packet_type::puback: return on_puback(c, std::get<puback>(p));
    case packet_type::pubrec: return on_pubrec(c, std::get<pubrec>(p));
    case packet_type::pubrel: return on_pubrel(c, std::get<pubrel>(p));
    case packet_type::pubcomp: return on_pubcomp(c, std::get<pubcomp>(p));
    case packet_type::subscribe: return on_subscribe(c, std::get<subscribe>(p));
    case packet_type::unsubscribe: return on_unsubscribe(c, std::get<unsubscribe>(p));
    case packet_type::pingreq:
      if (cfg.has(fault::no_pingresp)) return;  // fault: breaks MQTT-3.12.4-1
      send(c, pingresp{});  // MQTT-3.12.4-1
      return;
    case packet_type::disconnect: return on_disconnect(c, std::get<disconnect>(p));
    case packet_type::auth: return on_auth(c, std::get<auth>(p));
    default:
      // CONNACK, SUBACK, UNSUBACK, PINGRESP only flow from server to client.
      return violation(c, reason_code::protocol_error, "MQTT-4.8.0-1",
                       std::string(to_string(t)) + " sent by a client");
  }
}

void core::impl::schedule(timestamp at, timer_entry e) { timers.emplace(at, std::move(e)); }

void core::impl::arm() {
  if (timers.empty() || !out) return;
  const timestamp next = timers.begin()->first;
  if (!armed || next < *armed) {
    armed = next;
    out->push_back(arm_timer{next});
  }
}

}  // namespace mqtt::broker

// The core's events from the network and the clock, and how a connection ends.
#include "state.hpp"

namespace mqtt::client {

owned_properties own(const properties& ps) {
  owned_properties r;
  r.reserve(ps.size());
  for (const auto& p : ps) r.push_back({p.id, p.number, std::string(p.text), std::string(p.value)});
  return r;
}

properties view(const owned_properties& ps) {
  properties r;
  r.reserve(ps.size());
  for (const auto& p : ps) r.push_back({p.id, p.number, p.text, p.value});
  return r;
}

std::optional<std::uint16_t> id_pool::acquire() {
  if (count_ == 65535) return std::nullopt;
  std::uint16_t id = last_;
  do {
    id = id == 65535 ? 1 : std::uint16_t(id + 1);
  } while (used_[id]);
  used_[id] = true;
  last_ = id;
  ++count_;
  return id;
}

void id_pool::release(std::uint16_t id) {
  if (id == 0 || !used_[id]) return;
  used_[id] = false;
  --count_;
}

core::impl::impl(options o) : opts_(std::move(o)), v_(opts_.version), decoder_(opts_.version) {}

core::core(options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}
core::~core() = default;

std::string core::connect(timestamp now, std::vector<action>& out) {
  auto& s = *impl_;
  const auto& o = s.opts_;
  s.now_ = now;
  if (s.phase_ == phase::connecting || s.phase_ == phase::connected)
    s.end_connection(reason_code::unspecified_error, origin::local, "connect() on a live connection", true, out);
  s.v_ = o.version;
  // A fresh connection: nothing of the last one's framing, aliases or limits carries over (MQTT-3.3.2-7).
  s.decoder_ = stream_decoder(s.v_, s.v5() && o.maximum_packet_size ? *o.maximum_packet_size
                                                                    : stream_decoder::varint_max_packet_size);
  s.limits_ = {};
  s.pending_.clear();
  s.aliases_in_.clear();
  s.aliases_out_.clear();
  s.next_alias_out_ = 1;
  s.ping_deadline_.reset();
  s.armed_.reset();
  if (o.clean_start) s.discard_session("clean start", out);
  s.had_session_ = s.session_.exists;
  s.session_expiry_ = o.session_expiry.value_or(0);
  s.keep_alive_ = o.keep_alive;

  mqtt::connect c;
  c.version = s.v_;
  c.clean_start = o.clean_start;
  c.keep_alive = o.keep_alive;
  c.client_id = o.client_id.empty() ? std::string_view(s.assigned_id_) : std::string_view(o.client_id);
  if (o.will) {
    c.will = will_message{o.will->topic, o.will->payload, o.will->qos, o.will->retain, view(o.will->props)};
  }
  if (o.user_name) c.user_name = *o.user_name;
  if (o.password) c.password = *o.password;
  if (s.v5()) {
    auto num = [&](property_id id, auto value) { c.props.push_back({id, std::uint32_t(value), {}, {}}); };
    if (o.session_expiry) num(property_id::session_expiry_interval, *o.session_expiry);
    if (o.receive_maximum) num(property_id::receive_maximum, *o.receive_maximum);
    if (o.maximum_packet_size) num(property_id::maximum_packet_size, *o.maximum_packet_size);
    if (o.topic_alias_maximum) num(property_id::topic_alias_maximum, *o.topic_alias_maximum);
    if (o.request_response_information) num(property_id::request_response_information, *o.request_response_information);
    if (o.request_problem_information) num(property_id::request_problem_information, *o.request_problem_information);
    for (const auto& [k, val] : o.user_properties) c.props.push_back({property_id::user_property, 0, k, val});
    if (o.authentication_method) c.props.push_back({property_id::authentication_method, 0, *o.authentication_method, {}});
    if (o.authentication_data) c.props.push_back({property_id::authentication_data, 0, *o.authentication_data, {}});
  }
  s.phase_ = phase::connecting;
  s.last_sent_ = now;
  if (o.connack_timeout.count() > 0) s.connack_deadline_ = now + o.connack_timeout;
  else s.connack_deadline_.reset();
  s.rearm(false, out);
  return encode(c, s.v_);
}

void core::on_bytes(bytes_view bytes, timestamp now, std::vector<action>& out) {
  auto& s = *impl_;
  s.now_ = now;
  if (s.phase_ != phase::connecting && s.phase_ != phase::connected) return;
  s.decoder_.feed(bytes);
  while (s.phase_ == phase::connecting || s.phase_ == phase::connected) {
    auto f = s.decoder_.next_frame();
    if (!f) {
      const auto& e = f.error();
      const bool too_large = e.code == reason_code::packet_too_large;
      s.fatal(too_large ? "MQTT-3.1.2-24" : e.spec_id, to_string(e), e.code, out);
      break;
    }
    if (!*f) break;
    // Copied once into shared storage: the packet views it, and so may the user's events.
    auto frame = std::make_shared<const std::string>(**f);
    auto p = decode(*frame, s.v_);
    if (!p) {
      s.fatal(p.error().spec_id, to_string(p.error()), p.error().code, out);
      break;
    }
    s.on_packet(*p, frame, out);
  }
  s.rearm(false, out);
}

void core::on_closed(timestamp now, std::vector<action>& out) {
  auto& s = *impl_;
  s.now_ = now;
  if (s.phase_ != phase::connecting && s.phase_ != phase::connected) return;
  s.end_connection(reason_code::unspecified_error, origin::network, "the network connection closed", false, out);
}

void core::on_time(timestamp now, std::vector<action>& out) {
  auto& s = *impl_;
  s.now_ = now;
  s.check_timers(out);
  s.rearm(true, out);
}

void core::impl::send(const packet& p, std::vector<action>& out) {
  // Consecutive packets of one call leave in one write.
  if (!out.empty())
    if (auto* b = std::get_if<send_bytes>(&out.back())) {
      encode(p, v_, b->bytes);
      last_sent_ = now_;
      return;
    }
  out.push_back(send_bytes{encode(p, v_)});
  last_sent_ = now_;
}

void core::impl::violation(std::string_view spec_id, std::string text, std::vector<action>& out) {
  out.push_back(protocol_violation{std::string(spec_id), std::move(text)});
}

void core::impl::fatal(std::string_view spec_id, std::string text, reason_code reason, std::vector<action>& out) {
  violation(spec_id, text, out);
  // 5.0 lets either side say why before closing (section 4.13); 3.1.1 just closes.
  if (v5()) send(mqtt::disconnect{reason, {}}, out);
  end_connection(reason, origin::local, std::move(text), true, out);
}

void core::impl::end_connection(reason_code reason, origin by, std::string why, bool send_close,
                                std::vector<action>& out) {
  const bool established = phase_ == phase::connected;
  phase_ = phase::closed;
  if (send_close) out.push_back(close{});
  for (const auto& [id, pa] : pending_) session_.ids.release(id);
  pending_.clear();
  connack_deadline_.reset();
  ping_deadline_.reset();
  // The session outlives the connection when its expiry is non-zero (MQTT-3.1.2-23),
  // or in 3.1.1 when CleanSession was 0.
  const bool persistent = v5() ? session_expiry_ > 0 : !opts_.clean_start;
  if (established) session_.exists = persistent;
  const bool kept = session_.exists;
  if (!kept) discard_session("the session ended with the connection", out);
  out.push_back(disconnected{reason, by, std::move(why), kept});
}

void core::impl::discard_session(std::string_view why, std::vector<action>& out) {
  for (auto& m : session_.inflight) {
    session_.ids.release(m.packet_id);
    out.push_back(publish_dropped{m.packet_id, std::string(why)});
  }
  session_.inflight.clear();
  session_.qos2_in.clear();
  session_.exists = false;
}

bool core::is_connected() const { return impl_->phase_ == phase::connected; }
protocol_version core::version() const { return impl_->v_; }
const options& core::settings() const { return impl_->opts_; }
options& core::settings() { return impl_->opts_; }
std::size_t core::inflight_count() const { return impl_->session_.inflight.size(); }
std::size_t core::queued_count() const { return impl_->session_.queue.size(); }
std::size_t core::ids_in_use() const { return impl_->session_.ids.count(); }
std::uint16_t core::keep_alive() const { return impl_->keep_alive_; }

}  // namespace mqtt::client

#include "case_client.hpp"

#include "properties.hpp"

namespace mqttspec::run {

std::string wire_packet::text() const {
  if (packet) return mqtt::to_string(*packet, version);
  return error ? "undecodable: " + to_string(*error) : "?";
}

namespace {

mqtt::client::options options_of(const scenario::client_spec& s, mqtt::protocol_version v, const std::string& id) {
  mqtt::client::options o;
  o.version = v;
  o.client_id = id;
  o.clean_start = s.clean_start;
  o.keep_alive = s.keepalive_s;
  o.user_name = s.user;
  o.password = s.password;
  // Liveness is the broker's to prove: the harness reports, it does not give up early.
  o.connack_timeout = std::chrono::hours(24);
  o.pingresp_timeout = std::chrono::hours(24);
  if (s.will) {
    mqtt::client::will w;
    w.topic = s.will->topic;
    w.payload = s.will->payload;
    w.qos = static_cast<mqtt::qos>(s.will->qos);
    w.retain = s.will->retain;
    o.will = w;
  }
  o.user_properties = s.user_properties;
  return o;
}

}  // namespace

case_client::case_client(const scenario::client_spec& spec, mqtt::protocol_version v, driver& d, std::string client_id,
                         std::string topic_prefix, std::vector<netem::impairment_spec> link,
                         std::uint64_t& sequence)
    : spec_(spec), version_(v), driver_(d), client_id_(std::move(client_id)), prefix_(std::move(topic_prefix)),
      link_(std::move(link)), sequence_(sequence) {
  if (!spec_.raw) {
    auto o = options_of(spec_, v, client_id_);
    if (o.will) o.will->topic = topic(o.will->topic);
    // CONNECT properties by name, owned by the options.
    mqtt::properties ps;
    const auto err = build_properties(spec_.properties, {}, [this](std::string s) { return keep(std::move(s)); }, ps);
    if (err.empty())
      for (const auto& p : ps) {
        using mqtt::property_id;
        switch (p.id) {
          case property_id::session_expiry_interval: o.session_expiry = p.number; break;
          case property_id::receive_maximum: o.receive_maximum = std::uint16_t(p.number); break;
          case property_id::maximum_packet_size: o.maximum_packet_size = p.number; break;
          case property_id::topic_alias_maximum: o.topic_alias_maximum = std::uint16_t(p.number); break;
          case property_id::request_response_information: o.request_response_information = p.number; break;
          case property_id::request_problem_information: o.request_problem_information = p.number; break;
          case property_id::authentication_method: o.authentication_method = std::string(p.text); break;
          case property_id::authentication_data: o.authentication_data = std::string(p.text); break;
          default: break;
        }
      }
    if (o.will && spec_.will) {
      mqtt::properties wp;
      build_properties(spec_.will->properties, spec_.will->user_properties,
                       [this](std::string s) { return keep(std::move(s)); }, wp);
      o.will->props = mqtt::client::own(wp);
    }
    ref_ = std::make_unique<mqtt::client::core>(std::move(o));
  }
}

std::string case_client::open() {
  std::string err;
  conn_ = driver_.open(*this, link_, err);
  if (conn_ == 0) return err.empty() ? "cannot connect" : err;
  ++connection_no_;
  driver_ids_.push_back(conn_);
  closed_ = reset_ = false;
  closed_at_.reset();
  aliases_.clear();
  decoder_ = std::make_unique<exchange::connection_decoder>(version_);
  return {};
}

std::string_view case_client::keep(std::string s) {
  kept_.push_back(std::move(s));
  return kept_.back();
}

std::string case_client::topic(std::string_view t) const {
  if (prefix_.empty()) return std::string(t);
  if (t.starts_with("$share/")) {
    auto slash = t.find('/', 7);
    if (slash != std::string_view::npos)
      return std::string(t.substr(0, slash + 1)) + prefix_ + std::string(t.substr(slash + 1));
  }
  return prefix_ + std::string(t);
}

std::string_view case_client::strip(std::string_view t) const {
  if (!prefix_.empty() && t.starts_with(prefix_)) t.remove_prefix(prefix_.size());
  return t;
}

std::uint16_t case_client::next_id() {
  last_id_ = static_cast<std::uint16_t>(last_id_ == 65535 ? 1 : last_id_ + 1);
  return last_id_;
}

mqtt::connect case_client::make_connect(std::optional<bool> clean_start) {
  const auto keeper = [this](std::string s) { return keep(std::move(s)); };
  mqtt::connect c;
  c.version = version_;
  c.client_id = client_id_;
  c.clean_start = clean_start.value_or(spec_.clean_start);
  c.keep_alive = spec_.keepalive_s;
  c.user_name = spec_.user ? std::optional<std::string_view>(*spec_.user) : std::nullopt;
  c.password = spec_.password ? std::optional<std::string_view>(*spec_.password) : std::nullopt;
  if (spec_.will) {
    mqtt::will_message w;
    w.topic = keep(topic(spec_.will->topic));
    w.payload = keep(spec_.will->payload);
    w.qos = static_cast<mqtt::qos>(spec_.will->qos);
    w.retain = spec_.will->retain;
    if (version_ == mqtt::protocol_version::v5)
      build_properties(spec_.will->properties, spec_.will->user_properties, keeper, w.props);
    c.will = w;
  }
  if (version_ == mqtt::protocol_version::v5) build_properties(spec_.properties, spec_.user_properties, keeper, c.props);
  return c;
}

void case_client::record(timestamp at, bool from_broker, std::string bytes) {
  decoder_->feed(from_broker, bytes, [&](const exchange::decoded& d) {
    wire_packet w{at, from_broker, connection_no_, d.version, sequence_++, std::make_shared<const std::string>(d.bytes),
                  std::nullopt, std::nullopt};
    if (d.packet) {
      // The packet's views must point into the bytes the trace keeps.
      w.packet = mqtt::decode(*w.bytes, d.version).value();
    } else {
      w.error = *d.error;
    }
    trace_.push_back(w);
    if (!from_broker) return;
    // Steps match what the broker meant: a PUBLISH that names its topic by an alias
    // gets the topic back (the trace keeps the packet as it came).
    if (auto* p = w.packet ? std::get_if<mqtt::publish>(&*w.packet) : nullptr)
      if (const auto alias = mqtt::number_of(p->props, mqtt::property_id::topic_alias)) {
        if (!p->topic.empty()) aliases_[*alias] = keep(std::string(p->topic));
        else if (auto it = aliases_.find(*alias); it != aliases_.end()) p->topic = it->second;
      }
    inbox_.push_back(std::move(w));
  });
}

void case_client::send_raw(std::string bytes) {
  if (!connected()) return;
  record(driver_.now(), false, bytes);
  driver_.send(conn_, std::move(bytes));
}

void case_client::send(const mqtt::packet& p) { send_raw(mqtt::encode(p, version_)); }

void case_client::connect(std::optional<bool> clean_start) {
  if (!ref_) {
    send(make_connect(clean_start));
    return;
  }
  if (clean_start) ref_->settings().clean_start = *clean_start;
  std::vector<mqtt::client::action> out;
  auto bytes = ref_->connect(driver_.now(), out);
  send_raw(std::move(bytes));
  apply(out);
}

void case_client::apply(std::vector<mqtt::client::action>& actions) {
  for (auto& a : actions) {
    if (auto* s = std::get_if<mqtt::client::send_bytes>(&a)) {
      send_raw(std::move(s->bytes));
    } else if (std::holds_alternative<mqtt::client::close>(a)) {
      close(false);
    } else if (auto* t = std::get_if<mqtt::client::arm_timer>(&a)) {
      driver_.schedule(t->at, [this] {
        if (!ref_) return;
        std::vector<mqtt::client::action> out;
        ref_->on_time(driver_.now(), out);
        apply(out);
      });
    } else if (auto* v = std::get_if<mqtt::client::protocol_violation>(&a)) {
      violations_.push_back(*v);
    } else {
      events_.push_back(std::move(a));
    }
  }
  actions.clear();
}

void case_client::close(bool reset) {
  if (!connected()) return;
  closed_ = true;
  reset_ = reset;
  closed_at_ = driver_.now();
  endings_.push_back({connection_no_, driver_.now(), false, sequence_++});
  driver_.close(conn_, reset);
  if (ref_) {
    std::vector<mqtt::client::action> out;
    ref_->on_closed(driver_.now(), out);
    apply(out);
  }
}

void case_client::on_bytes(std::string_view bytes, timestamp now) {
  if (flooded_) return;
  record(now, true, std::string(bytes));
  if (trace_.size() > max_packets) {
    // A flooding broker must end the case, not the harness's memory.
    flooded_ = true;
    close(true);
    return;
  }
  if (ref_) {
    std::vector<mqtt::client::action> out;
    ref_->on_bytes(bytes, now, out);
    apply(out);
  }
}

void case_client::on_closed(timestamp now, bool reset) {
  if (closed_) return;
  closed_ = true;
  reset_ = reset;
  closed_at_ = now;
  endings_.push_back({connection_no_, now, true, sequence_++});
  if (ref_) {
    std::vector<mqtt::client::action> out;
    ref_->on_closed(now, out);
    apply(out);
  }
}

}  // namespace mqttspec::run

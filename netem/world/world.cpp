#include "world.hpp"

namespace netem {

struct world::connection {
  conn_id id;
  peer* client;
  link wire;
  tcp_flow* flow = nullptr;
  bool broker_closed = false;  // the broker asked to close, or heard the client's end
  bool client_closed = false;  // the client closed, or heard the broker's end
};

world::world(std::uint64_t seed, mqtt::broker::config cfg) : seed_(seed), broker_(std::move(cfg)) {}

world::~world() = default;

std::string world::capture_to(const std::string& path, tap_side side, timestamp epoch,
                              std::vector<std::string> secrets) {
  auto c = std::make_unique<capture>(path, epoch);
  if (!c->ok()) return c->error();
  c->redact(std::move(secrets));
  capture_ = std::move(c);
  tap_ = side;
  return {};
}

void world::log(conn_id c, std::string what) { events_.push_back({now_, c, std::move(what)}); }

world::conn_id world::connect(peer& p, const std::vector<impairment_spec>& link_specs) {
  const conn_id id = next_conn_++;
  auto c = std::make_unique<connection>(connection{id, &p, link(rng::derive(seed_, id), link_specs, now_)});
  if (capture_) {
    c->flow = &capture_->new_flow();
    c->flow->open(now_);
  }
  conns_.emplace(id, std::move(c));
  log(id, "open");
  std::vector<mqtt::broker::action> out;
  broker_.on_open(id, now_, out);
  apply(out);
  return id;
}

const link* world::link_of(conn_id c) const {
  auto it = conns_.find(c);
  return it == conns_.end() ? nullptr : &it->second->wire;
}

std::size_t world::open_connections() const {
  std::size_t n = 0;
  for (const auto& [id, c] : conns_) n += !(c->broker_closed && c->client_closed);
  return n;
}

void world::send(conn_id id, std::string bytes) {
  auto it = conns_.find(id);
  if (it == conns_.end() || it->second->client_closed) return;
  auto& c = *it->second;
  log(id, "client sent " + std::to_string(bytes.size()) + " bytes");
  if (c.flow && tap_ == tap_side::client) c.flow->data(now_, true, bytes);
  c.wire.send(direction::upstream, now_, std::move(bytes));
}

void world::close(conn_id id, bool reset) {
  auto it = conns_.find(id);
  if (it == conns_.end() || it->second->client_closed) return;
  auto& c = *it->second;
  c.client_closed = true;
  log(id, reset ? "client reset" : "client closed");
  if (c.flow && tap_ == tap_side::client) reset ? c.flow->rst(now_, true) : c.flow->fin(now_, true);
  c.wire.close(direction::upstream, now_, reset);
  if (reset) c.wire.close(direction::downstream, now_, true);
}

std::string world::add_impairment(conn_id id, const impairment_spec& spec) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return "no connection " + std::to_string(id);
  log(id, "link: + " + spec.type);
  return it->second->wire.add(spec, now_);
}

void world::remove_impairment(conn_id id, const std::string& type, direction d) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  log(id, "link: - " + type);
  it->second->wire.remove(type, d, now_);
}

void world::at(timestamp when, std::function<void()> f) { timers_.push({when, timer_seq_++, std::move(f)}); }

void world::apply(std::vector<mqtt::broker::action>& actions) {
  // Actions may lead to more actions (none do today), so walk by index.
  for (std::size_t i = 0; i < actions.size(); ++i) {
    auto& a = actions[i];
    if (auto* s = std::get_if<mqtt::broker::send_bytes>(&a)) {
      auto it = conns_.find(s->conn);
      if (it == conns_.end() || it->second->broker_closed) continue;
      auto& c = *it->second;
      log(c.id, "broker sent " + std::to_string(s->bytes.size()) + " bytes");
      if (c.flow && tap_ == tap_side::broker) c.flow->data(now_, false, s->bytes);
      c.wire.send(direction::downstream, now_, std::move(s->bytes));
    } else if (auto* cl = std::get_if<mqtt::broker::close_connection>(&a)) {
      auto it = conns_.find(cl->conn);
      if (it == conns_.end() || it->second->broker_closed) continue;
      auto& c = *it->second;
      c.broker_closed = true;
      log(c.id, "broker closed");
      if (c.flow && tap_ == tap_side::broker) c.flow->fin(now_, false);
      c.wire.close(direction::downstream, now_, false);
    } else if (auto* t = std::get_if<mqtt::broker::arm_timer>(&a)) {
      broker_timers_.insert(t->at);
    } else if (auto* n = std::get_if<mqtt::broker::note>(&a)) {
      notes_.emplace_back(now_, *n);
    }
  }
  actions.clear();
}

void world::deliver(connection& c, const delivery& d) {
  std::vector<mqtt::broker::action> out;
  if (d.dir == direction::upstream) {
    if (c.broker_closed) return;  // the broker's socket is gone: bytes fall on the floor
    if (d.what == delivery::kind::data) {
      if (c.flow && tap_ == tap_side::broker) c.flow->data(d.at, true, d.bytes);
      broker_.on_bytes(c.id, d.bytes, now_, out);
    } else {
      c.broker_closed = true;
      if (c.flow && tap_ == tap_side::broker) d.what == delivery::kind::rst ? c.flow->rst(d.at, true) : c.flow->fin(d.at, true);
      log(c.id, d.what == delivery::kind::rst ? "broker saw reset" : "broker saw close");
      broker_.on_closed(c.id, now_, out);
    }
    apply(out);
    return;
  }
  if (c.client_closed) return;
  if (d.what == delivery::kind::data) {
    if (c.flow && tap_ == tap_side::client) c.flow->data(d.at, false, d.bytes);
    c.client->on_bytes(d.bytes, now_);
    return;
  }
  const bool reset = d.what == delivery::kind::rst;
  c.client_closed = true;
  if (c.flow && tap_ == tap_side::client) reset ? c.flow->rst(d.at, false) : c.flow->fin(d.at, false);
  log(c.id, reset ? "client saw reset" : "client saw close");
  // The client's socket closes in answer to the broker's FIN.
  if (!reset) c.wire.close(direction::upstream, now_, false);
  c.client->on_closed(now_, reset);
}

std::optional<timestamp> world::next_time() const {
  std::optional<timestamp> t;
  const auto consider = [&](std::optional<timestamp> x) {
    if (x && (!t || *x < *t)) t = x;
  };
  if (!timers_.empty()) consider(timers_.top().at);
  if (!broker_timers_.empty()) consider(*broker_timers_.begin());
  for (const auto& [id, c] : conns_) consider(c->wire.next_event());
  return t;
}

void world::step(timestamp t) {
  now_ = std::max(now_, t);
  // Links first, in connection order, so equal times resolve the same way every run.
  for (auto& [id, c] : conns_)
    for (const auto& d : c->wire.deliver(now_)) deliver(*c, d);
  while (!broker_timers_.empty() && *broker_timers_.begin() <= now_) {
    broker_timers_.erase(broker_timers_.begin());
    std::vector<mqtt::broker::action> out;
    broker_.on_time(now_, out);
    apply(out);
  }
  while (!timers_.empty() && timers_.top().at <= now_) {
    auto f = timers_.top().f;
    timers_.pop();
    f();
  }
}

void world::run_until(timestamp until) {
  while (auto t = next_time()) {
    if (*t > until) break;
    step(*t);
  }
  now_ = std::max(now_, until);
}

bool world::advance(timestamp limit) {
  auto t = next_time();
  if (!t || *t > limit) {
    now_ = std::max(now_, limit);
    return false;
  }
  step(*t);
  return true;
}

bool world::run_until_idle(timestamp limit) {
  while (auto t = next_time()) {
    if (*t > limit) {
      now_ = limit;
      return false;
    }
    step(*t);
  }
  return true;
}

}  // namespace netem

// The harness itself (its definitions live here so every test file can use them).
#include "harness.hpp"

namespace mqtt::broker::test {

void client::send(const packet& p) { sim_->bytes(id_, encode(p, v_)); }

void client::raw(std::string_view bytes, bool is_hex) { sim_->bytes(id_, is_hex ? hex(bytes) : std::string(bytes)); }

void client::drop() {
  closed_ = true;
  sim_->closed(id_);
}

packet client::next() {
  if (inbox_.empty()) {
    ADD_FAILURE() << "client " << id_ << " received nothing";
    return pingresp{};
  }
  packet p = inbox_.front();
  inbox_.pop_front();
  return p;
}

void client::received(std::string_view bytes) {
  dec_.feed(bytes);
  for (;;) {
    auto f = dec_.next_frame();
    if (!f) {
      ADD_FAILURE() << "broker sent bytes the codec rejects: " << to_string(f.error());
      return;
    }
    if (!*f) return;
    frames_.emplace_back(**f);
    auto p = decode(frames_.back(), v_);
    if (!p) {
      ADD_FAILURE() << "broker sent an invalid packet: " << to_string(p.error()) << " " << to_hex(frames_.back());
      continue;
    }
    inbox_.push_back(*p);
  }
}

connack client::connect(mqtt::connect p) {
  send(p);
  return expect<connack>();
}

suback client::subscribe(std::string_view filter, mqtt::qos q, std::uint16_t id, properties props) {
  mqtt::subscribe s;
  s.packet_id = id;
  s.props = std::move(props);
  s.topics.push_back({filter, q});
  send(s);
  return expect<suback>();
}

void client::publish(std::string_view topic, std::string_view payload, mqtt::qos q, std::uint16_t id, bool retain,
                     properties props) {
  mqtt::publish p;
  p.topic = topic;
  p.payload = payload;
  p.qos = q;
  p.packet_id = id;
  p.retain = retain;
  p.props = std::move(props);
  send(p);
}

client& sim::open(protocol_version v) {
  const conn_id id = next_id_++;
  auto& c = clients_[id] = std::make_unique<client>(*this, id, v);
  run([&](auto& out) { broker_.on_open(id, now_, out); });
  return *c;
}

client& sim::connected(protocol_version v, std::string_view id, bool clean, std::uint16_t keep_alive,
                       properties props) {
  client& c = open(v);
  auto p = make_connect(v, id, clean, keep_alive);
  p.props = std::move(props);
  auto ack = c.connect(p);
  EXPECT_EQ(ack.code, reason_code::success);
  return c;
}

void sim::advance(std::chrono::microseconds d) {
  const timestamp end = now_ + d;
  for (;;) {
    auto it = std::min_element(timers_.begin(), timers_.end());
    if (it == timers_.end() || *it > end) break;
    now_ = std::max(now_, *it);
    timers_.erase(it);
    run([&](auto& out) { broker_.on_time(now_, out); });
  }
  now_ = end;
}

void sim::apply(const std::vector<action>& out) {
  for (const auto& a : out) {
    if (auto* s = std::get_if<send_bytes>(&a)) {
      auto& c = *clients_.at(s->conn);
      EXPECT_FALSE(c.closed()) << "bytes sent after close on " << s->conn;
      c.received(s->bytes);
    } else if (auto* c = std::get_if<close_connection>(&a)) {
      clients_.at(c->conn)->mark_closed();
    } else if (auto* t = std::get_if<arm_timer>(&a)) {
      timers_.push_back(t->at);
    } else if (auto* n = std::get_if<note>(&a)) {
      notes_.push_back(*n);
    }
  }
}

mqtt::connect make_connect(protocol_version v, std::string_view id, bool clean, std::uint16_t keep_alive) {
  mqtt::connect p;
  p.version = v;
  p.client_id = id;
  p.clean_start = clean;
  p.keep_alive = keep_alive;
  return p;
}

std::string hex(std::string_view text) {
  auto h = parse_hex(text);
  EXPECT_TRUE(h.ok) << h.error;
  return h.bytes;
}

TEST(broker_harness, connects_and_pings) {
  sim s;
  auto& c = s.connected(v5, "a");
  c.send(pingreq{});
  c.expect<pingresp>();
  EXPECT_EQ(s.broker().connection_count(), 1u);
}

}  // namespace mqtt::broker::test

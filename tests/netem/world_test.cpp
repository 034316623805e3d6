// The virtual-time world: the broker core and clients through links, on a virtual
// clock. Clients here are raw: they send encoded packets and decode what arrives.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "netem/profile.hpp"
#include "netem/world/world.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;
using mqtt::protocol_version;

// Remembers every packet the broker sent it, decoded, with its arrival time.
class raw_client final : public peer {
 public:
  explicit raw_client(protocol_version v) : decoder_(v), version_(v) {}

  void on_bytes(std::string_view bytes, timestamp now) override {
    decoder_.feed(bytes);
    for (;;) {
      auto f = decoder_.next_frame();
      ASSERT_TRUE(f) << to_string(f.error());
      if (!*f) break;
      auto p = mqtt::decode(**f, version_);
      ASSERT_TRUE(p) << to_string(p.error());
      received.push_back({now, mqtt::to_string(*p, version_)});
    }
  }
  void on_closed(timestamp now, bool reset) override { closed_at = now, was_reset = reset; }

  std::string sent_connect(world& w, world::conn_id c, std::string_view id, std::uint16_t keep_alive,
                           std::optional<mqtt::will_message> will = {}) {
    mqtt::connect p;
    p.version = version_;
    p.client_id = id;
    p.keep_alive = keep_alive;
    p.will = will;
    auto bytes = mqtt::encode(p, version_);
    w.send(c, bytes);
    return bytes;
  }
  void send(world& w, world::conn_id c, const mqtt::packet& p) { w.send(c, mqtt::encode(p, version_)); }

  std::vector<std::pair<timestamp, std::string>> received;
  std::optional<timestamp> closed_at;
  bool was_reset = false;

 private:
  mqtt::stream_decoder decoder_;
  protocol_version version_;
};

impairment_spec latency(double ms, direction d = direction::both) {
  return {"latency", d, {{"latency_ms", std::to_string(ms)}}, {}};
}

TEST(world, connect_goes_through_the_link_both_ways) {
  world w(1);
  raw_client c(protocol_version::v311);
  auto id = w.connect(c, {latency(100)});
  c.sent_connect(w, id, "a", 60);
  w.run_until(199ms);
  EXPECT_TRUE(c.received.empty());
  w.run_until(200ms);
  ASSERT_EQ(c.received.size(), 1u);
  EXPECT_EQ(c.received[0].first, 200ms);
  EXPECT_EQ(c.received[0].second, "CONNACK session_present=0 rc=0");
}

TEST(world, keepalive_lapse_closes_a_half_open_client_at_one_and_a_half_times) {
  world w(1);
  raw_client victim(protocol_version::v311), watcher(protocol_version::v311);
  auto v = w.connect(victim, {latency(50)});
  auto o = w.connect(watcher);
  victim.sent_connect(w, v, "victim", 10, mqtt::will_message{"status/victim", "offline", mqtt::qos::at_least_once, false, {}});
  watcher.sent_connect(w, o, "watcher", 0);
  watcher.send(w, o, mqtt::subscribe{1, {}, {{"status/#", mqtt::qos::at_least_once}}});
  w.run_until(1s);
  // Half-open: from now on nothing passes either way, not even the broker's FIN.
  ASSERT_EQ(w.add_impairment(v, {"blackhole", direction::both, {}, {}}), "");
  w.run_until(60s);
  // The CONNECT reached the broker at 50 ms: the will goes out at 50 ms + 15 s.
  ASSERT_EQ(watcher.received.size(), 3u);
  EXPECT_EQ(watcher.received[2].first, 15s + 50ms);
  EXPECT_EQ(watcher.received[2].second.substr(0, 48), "PUBLISH qos=1 dup=0 retain=0 id=1 topic=\"status/");
  EXPECT_FALSE(victim.closed_at);  // the victim never hears of it
}

TEST(world, same_seed_same_run_byte_for_byte) {
  const auto run = [](std::uint64_t seed, const std::string& pcap) {
    world w(seed);
    EXPECT_EQ(w.capture_to(pcap), "");
    std::vector<std::unique_ptr<raw_client>> clients;
    auto link = parse_link("flaky-wifi,slice_bytes=3,slice_random=1");
    for (int i = 0; i < 4; ++i) {
      clients.push_back(std::make_unique<raw_client>(protocol_version::v5));
      auto id = w.connect(*clients.back(), link.specs);
      clients.back()->sent_connect(w, id, "c" + std::to_string(i), 30);
      clients.back()->send(w, id, mqtt::subscribe{1, {}, {{"t/#", mqtt::qos::exactly_once}}});
      for (std::uint16_t m = 1; m <= 20; ++m)
        clients.back()->send(w, id, mqtt::publish{false, mqtt::qos::at_least_once, false, "t/x", m, {}, "payload"});
    }
    w.run_until(120s);
    std::stringstream log;
    for (const auto& e : w.events()) log << e.at.count() << " " << e.conn << " " << e.what << "\n";
    for (const auto& c : clients)
      for (const auto& [t, p] : c->received) log << t.count() << " " << p << "\n";
    return log.str();
  };
  const auto dir = std::filesystem::temp_directory_path();
  const auto a = (dir / "mqttspec-world-a.pcap").string(), b = (dir / "mqttspec-world-b.pcap").string(),
             c = (dir / "mqttspec-world-c.pcap").string();
  const auto first = run(9, a), second = run(9, b), other = run(10, c);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, other);
  const auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(bytes(a), bytes(b));
  EXPECT_GT(bytes(a).size(), 10'000u);
  for (const auto& p : {a, b, c}) std::filesystem::remove(p);
}

}  // namespace
}  // namespace netem

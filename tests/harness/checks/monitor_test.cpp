#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class recorder final : public checker {
 public:
  explicit recorder(std::vector<std::string>& topics) : topics_(topics) {}
  std::string_view name() const override { return "recorder"; }
  void on_packet(const observed& o) override {
    if (std::holds_alternative<mqtt::publish>(o.packet)) topics_.push_back(o.topic);
    if (std::holds_alternative<mqtt::pingreq>(o.packet)) report(o.at, o.client, "MQTT-x", "ping");
  }

 private:
  std::vector<std::string>& topics_;
};

observed packet(double seconds, std::string_view client, std::uint64_t connection, bool from_broker, mqtt::packet p) {
  return {timestamp(static_cast<std::int64_t>(seconds * 1e6)), client, connection, from_broker,
          protocol_version::v5, std::move(p), {}, {}};
}

mqtt::publish aliased(std::string_view topic, std::uint32_t alias) {
  auto p = publish(topic, "x");
  p.props.push_back({mqtt::property_id::topic_alias, alias});
  return p;
}

TEST(monitor, resolves_topic_aliases_per_connection_and_direction) {
  std::vector<std::string> topics;
  std::vector<std::unique_ptr<checker>> list;
  list.push_back(std::make_unique<recorder>(topics));
  monitor m(std::move(list));
  m.on_packet(packet(0, "c", 1, true, aliased("a/b", 1)));
  m.on_packet(packet(0, "c", 1, true, aliased("", 1)));
  m.on_packet(packet(0, "c", 1, false, aliased("", 1)));  // the client's aliases are its own
  m.on_packet(packet(0, "c", 2, true, aliased("", 1)));   // and do not outlive the connection
  m.on_packet(packet(0, "c", 2, true, publish("plain", "x")));
  EXPECT_THAT(topics, ElementsAre("a/b", "a/b", "", "", "plain"));
}

TEST(monitor, finish_sorts_by_time) {
  std::vector<std::string> topics;
  std::vector<std::unique_ptr<checker>> list;
  list.push_back(std::make_unique<recorder>(topics));
  list.push_back(std::make_unique<recorder>(topics));
  monitor m(std::move(list));
  m.on_packet(packet(2, "late", 1, false, mqtt::pingreq{}));
  m.on_packet(packet(1, "early", 1, false, mqtt::pingreq{}));
  auto found = m.finish(timestamp(10'000'000));
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].client, "early");
  EXPECT_EQ(found[1].client, "early");
  EXPECT_EQ(found[3].client, "late");
}

TEST(monitor, all_checkers_have_distinct_names) {
  auto all = all_checkers({});
  std::set<std::string_view> names;
  for (const auto& c : all) names.insert(c->name());
  EXPECT_EQ(all.size(), 12u);
  EXPECT_EQ(names.size(), 12u);
}

// A whole correct case through every checker: QoS 0, 1 and 2 both ways, a retained
// message, an unsubscribe, a reconnect with a resend, and a keepalive lapse.
TEST(monitor, a_correct_case_passes_every_checker) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    monitor m;
    std::map<std::string, std::uint64_t> conn;
    double now = 0;
    auto send = [&](const std::string& c, bool from_broker, mqtt::packet p) {
      auto o = packet(now, c, conn[c], from_broker, std::move(p));
      o.version = v;
      m.on_packet(std::move(o));
      now += 0.01;
    };
    auto connect = [&](const std::string& c, bool clean, bool present, std::uint16_t keepalive = 60) {
      ++conn[c];
      send(c, false, mqtt::connect{.version = v, .clean_start = clean, .keep_alive = keepalive});
      send(c, true, mqtt::connack{.session_present = present});
    };
    connect("sub", false, false);
    connect("pub", true, false, 5);
    send("pub", false, publish("r/1", "kept", qos::at_least_once, 1, false, true));
    send("pub", true, ack<mqtt::puback>(1));
    send("sub", false, subscribe(1, {filter("r/#", qos::exactly_once), filter("t", qos::exactly_once)}));
    send("sub", true, suback(1, {granted(2), granted(2)}));
    send("sub", true, publish("r/1", "kept", qos::at_least_once, 1, false, true));
    send("sub", false, ack<mqtt::puback>(1));
    send("pub", false, publish("t", "one", qos::exactly_once, 2));
    send("pub", true, ack<mqtt::pubrec>(2));
    send("pub", false, ack<mqtt::pubrel>(2));
    send("pub", true, ack<mqtt::pubcomp>(2));
    send("sub", true, publish("t", "one", qos::exactly_once, 2));
    send("pub", false, publish("t", "two", qos::at_least_once, 3));
    send("pub", true, ack<mqtt::puback>(3));
    m.on_connection_end(timestamp(static_cast<std::int64_t>(now * 1e6)), "sub", conn["sub"], false);
    connect("sub", false, true);
    send("sub", true, publish("t", "one", qos::exactly_once, 2, /*dup=*/true));
    send("sub", false, ack<mqtt::pubrec>(2));
    send("sub", true, ack<mqtt::pubrel>(2));
    send("sub", false, ack<mqtt::pubcomp>(2));
    send("sub", true, publish("t", "two", qos::at_least_once, 3));
    send("sub", false, ack<mqtt::puback>(3));
    send("sub", false, unsubscribe(2, {"t"}));
    mqtt::unsuback u{.packet_id = 2};
    if (v == protocol_version::v5) u.codes = {mqtt::reason_code::success};
    send("sub", true, u);
    send("pub", false, publish("t", "three", qos::at_least_once, 4));
    send("pub", true, ack<mqtt::puback>(4));
    send("sub", false, mqtt::pingreq{});
    send("sub", true, mqtt::pingresp{});
    m.on_link_event(timestamp(1'000'000), "pub", link_event::blackhole);
    m.on_connection_end(timestamp(8'000'000), "pub", conn["pub"], true);  // 1.5 x 5 s after its last packet
    auto found = m.finish(timestamp(30'000'000));
    for (const auto& f : found) ADD_FAILURE() << f.spec_id << " " << f.client << ": " << f.message;
  }
}

}  // namespace
}  // namespace mqttspec::checks::testing

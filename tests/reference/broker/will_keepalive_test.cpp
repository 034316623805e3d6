// Keep alive (1.5 x, server keep alive) and the last will: when it is published and when not.
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

class will_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v() const { return GetParam(); }
  client& victim(sim& s, std::uint16_t keep_alive = 0, bool retain = false, properties will_props = {},
                 properties props = {}) {
    auto& c = s.open(v());
    auto p = make_connect(v(), "victim", true, keep_alive);
    p.will = will_message{"status/victim", "offline", qos::at_least_once, retain, std::move(will_props)};
    p.props = std::move(props);
    EXPECT_EQ(c.connect(p).code, reason_code::success);
    return c;
  }
};
INSTANTIATE_TEST_SUITE_P(versions, will_both, ::testing::Values(v311, v5),
                         [](const auto& i) { return i.param == v5 ? "v5" : "v311"; });

TEST_P(will_both, keepalive_closes_after_one_and_a_half_times) {
  sim s;
  auto& w = s.connected(v(), "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto& c = victim(s, 60);
  s.advance(89s);
  EXPECT_FALSE(c.closed());
  c.send(pingreq{});
  c.expect<pingresp>();
  s.advance(89s);  // 89 s after the PINGREQ: still within 90 s
  EXPECT_FALSE(c.closed());
  s.advance(2s);
  EXPECT_TRUE(c.closed());
  if (v() == v5) {
    EXPECT_EQ(c.expect<disconnect>().code, reason_code::keep_alive_timeout);
  }
  auto p = w.expect<publish>();  // MQTT-3.1.2-8: the will follows the lapse
  EXPECT_EQ(p.topic, "status/victim");
  EXPECT_EQ(p.qos, qos::at_least_once);
  EXPECT_FALSE(p.retain);
}

TEST_P(will_both, will_on_network_loss_not_after_disconnect) {
  sim s;
  auto& w = s.connected(v(), "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto& a = victim(s);
  a.send(disconnect{});
  EXPECT_TRUE(w.nothing());
  auto& b = victim(s);
  b.drop();
  EXPECT_EQ(w.expect<publish>().payload, "offline");
}

TEST_P(will_both, will_on_protocol_error) {
  sim s;
  auto& w = s.connected(v(), "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto& a = victim(s);
  a.raw("c1 00", true);  // PINGREQ with a reserved flag set
  EXPECT_TRUE(a.closed());
  EXPECT_EQ(w.expect<publish>().payload, "offline");
}

TEST_P(will_both, retained_will) {
  sim s;
  auto& a = victim(s, 0, true);
  a.drop();
  auto& w = s.connected(v(), "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto p = w.expect<publish>();
  EXPECT_TRUE(p.retain);
  EXPECT_EQ(p.payload, "offline");
}

TEST(broker_will, disconnect_0x04_publishes_the_will) {
  sim s;
  auto& w = s.connected(v5, "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto& c = s.open(v5);
  auto p = make_connect(v5, "victim");
  p.will = will_message{"status/victim", "offline", qos::at_most_once, false, {}};
  c.connect(p);
  c.send(disconnect{reason_code::disconnect_with_will_message, {}});
  EXPECT_EQ(w.expect<publish>().payload, "offline");
}

TEST(broker_will, will_delay_is_cancelled_by_reconnect_and_fires_otherwise) {
  sim s;
  auto& w = s.connected(v5, "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto p = make_connect(v5, "victim", false);
  p.props = {{property_id::session_expiry_interval, 100, {}, {}}};
  p.will = will_message{"status/victim", "offline", qos::at_most_once, false,
                        {{property_id::will_delay_interval, 10, {}, {}}}};
  auto& a = s.open(v5);
  a.connect(p);
  a.drop();
  s.advance(5s);
  EXPECT_TRUE(w.nothing());
  auto& b = s.open(v5);
  EXPECT_TRUE(b.connect(p).session_present);  // MQTT-3.1.3-9: no will
  s.advance(20s);
  EXPECT_TRUE(w.nothing());
  b.drop();
  s.advance(9s);
  EXPECT_TRUE(w.nothing());
  s.advance(2s);
  EXPECT_EQ(w.expect<publish>().payload, "offline");
}

TEST(broker_will, session_end_before_delay_publishes_the_will) {
  sim s;
  auto& w = s.connected(v5, "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto p = make_connect(v5, "victim");
  p.props = {{property_id::session_expiry_interval, 3, {}, {}}};
  p.will = will_message{"status/victim", "offline", qos::at_most_once, false,
                        {{property_id::will_delay_interval, 60, {}, {}}}};
  auto& a = s.open(v5);
  a.connect(p);
  a.drop();
  s.advance(2s);
  EXPECT_TRUE(w.nothing());
  s.advance(2s);
  EXPECT_EQ(w.expect<publish>().payload, "offline");
  EXPECT_EQ(s.broker().session_count(), 1u);
}

TEST(broker_will, takeover_publishes_the_will_of_the_old_connection) {
  sim s;
  auto& w = s.connected(v311, "watcher");
  w.subscribe("status/#", qos::at_least_once);
  auto p = make_connect(v311, "victim");
  p.will = will_message{"status/victim", "offline", qos::at_most_once, false, {}};
  auto& a = s.open(v311);
  a.connect(p);
  s.connected(v311, "victim");
  EXPECT_TRUE(a.closed());
  EXPECT_EQ(w.expect<publish>().payload, "offline");
}

TEST(broker_keepalive, server_keep_alive_overrides_the_client) {
  config cfg;
  cfg.server_keep_alive = 10;
  sim s(cfg);
  auto& c = s.open(v5);
  auto ack = c.connect(make_connect(v5, "a", true, 0));
  EXPECT_EQ(number_of(ack.props, property_id::server_keep_alive), 10u);
  s.advance(14s);
  EXPECT_FALSE(c.closed());
  s.advance(2s);
  EXPECT_TRUE(c.closed());
}

TEST(broker_keepalive, zero_keep_alive_never_times_out) {
  sim s;
  auto& c = s.connected(v311, "a");
  s.advance(std::chrono::hours(10));
  EXPECT_FALSE(c.closed());
}

TEST(broker_session, session_expiry_discards_the_session) {
  sim s;
  auto& a = s.connected(v5, "a", false, 0, {{property_id::session_expiry_interval, 30, {}, {}}});
  a.send(disconnect{});
  EXPECT_EQ(s.broker().session_count(), 1u);
  s.advance(29s);
  EXPECT_EQ(s.broker().session_count(), 1u);
  s.advance(2s);
  EXPECT_EQ(s.broker().session_count(), 0u);
}

TEST(broker_session, disconnect_cannot_set_expiry_after_zero) {
  sim s;
  auto& a = s.connected(v5, "a");
  a.send(disconnect{reason_code::success, {{property_id::session_expiry_interval, 30, {}, {}}}});
  EXPECT_EQ(a.expect<disconnect>().code, reason_code::protocol_error);
  EXPECT_TRUE(a.closed());
}

TEST(broker_session, disconnect_changes_the_expiry) {
  sim s;
  auto& a = s.connected(v5, "a", false, 0, {{property_id::session_expiry_interval, 30, {}, {}}});
  a.send(disconnect{reason_code::success, {{property_id::session_expiry_interval, 0, {}, {}}}});
  EXPECT_EQ(s.broker().session_count(), 0u);
}

}  // namespace
}  // namespace mqtt::broker::test

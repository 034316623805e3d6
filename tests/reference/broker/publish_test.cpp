// PUBLISH routing and the QoS 0/1/2 flows in both directions, redelivery with DUP on
// resume, offline queueing and its bound, overlapping subscriptions.
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

class publish_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v() const { return GetParam(); }
  properties persistent() const {
    return v() == v5 ? properties{{property_id::session_expiry_interval, 600, {}, {}}} : properties{};
  }
};
INSTANTIATE_TEST_SUITE_P(versions, publish_both, ::testing::Values(v311, v5),
                         [](const auto& i) { return i.param == v5 ? "v5" : "v311"; });

TEST_P(publish_both, qos0_is_routed) {
  sim s;
  auto& sub = s.connected(v(), "sub");
  sub.subscribe("a/+", qos::exactly_once);
  auto& pub = s.connected(v(), "pub");
  pub.publish("a/b", "hi");
  auto p = sub.expect<publish>();
  EXPECT_EQ(p.topic, "a/b");
  EXPECT_EQ(p.payload, "hi");
  EXPECT_EQ(p.qos, qos::at_most_once);
  EXPECT_FALSE(p.dup);
  EXPECT_TRUE(pub.nothing());
}

TEST_P(publish_both, qos1_both_directions) {
  sim s;
  auto& sub = s.connected(v(), "sub");
  sub.subscribe("t", qos::at_least_once);
  auto& pub = s.connected(v(), "pub");
  pub.publish("t", "m", qos::at_least_once, 7);
  EXPECT_EQ(pub.expect<puback>().packet_id, 7);
  auto p = sub.expect<publish>();
  EXPECT_EQ(p.qos, qos::at_least_once);
  EXPECT_NE(p.packet_id, 0);
  EXPECT_FALSE(p.dup);
  sub.send(puback{p.packet_id, reason_code::success, {}});
  EXPECT_TRUE(sub.nothing());
}

TEST_P(publish_both, qos2_exactly_once_both_directions) {
  sim s;
  auto& sub = s.connected(v(), "sub");
  sub.subscribe("t", qos::exactly_once);
  auto& pub = s.connected(v(), "pub");
  pub.publish("t", "m", qos::exactly_once, 9);
  EXPECT_EQ(pub.expect<pubrec>().packet_id, 9);
  // A resent PUBLISH before PUBREL is acknowledged, not delivered again.
  mqtt::publish again;
  again.topic = "t";
  again.payload = "m";
  again.qos = qos::exactly_once;
  again.packet_id = 9;
  again.dup = true;
  pub.send(again);
  EXPECT_EQ(pub.expect<pubrec>().packet_id, 9);
  pub.send(pubrel{9, reason_code::success, {}});
  EXPECT_EQ(pub.expect<pubcomp>().packet_id, 9);

  auto p = sub.expect<publish>();
  EXPECT_EQ(p.qos, qos::exactly_once);
  EXPECT_TRUE(sub.nothing());
  sub.send(pubrec{p.packet_id, reason_code::success, {}});
  EXPECT_EQ(sub.expect<pubrel>().packet_id, p.packet_id);
  sub.send(pubcomp{p.packet_id, reason_code::success, {}});
  EXPECT_TRUE(sub.nothing());
}

TEST_P(publish_both, granted_qos_caps_delivery) {
  sim s;
  auto& sub = s.connected(v(), "sub");
  EXPECT_EQ(sub.subscribe("t", qos::at_least_once).codes.at(0), reason_code::granted_qos_1);
  auto& pub = s.connected(v(), "pub");
  pub.publish("t", "m", qos::exactly_once, 1);
  pub.expect<pubrec>();
  EXPECT_EQ(sub.expect<publish>().qos, qos::at_least_once);
}

TEST_P(publish_both, unacknowledged_messages_are_resent_with_dup_on_resume) {
  sim s;
  auto& sub = s.connected(v(), "sub", false, 0, persistent());
  sub.subscribe("t", qos::exactly_once);
  auto& pub = s.connected(v(), "pub");
  pub.publish("t", "one", qos::at_least_once, 1);
  pub.publish("t", "two", qos::exactly_once, 2);
  auto first = sub.expect<publish>();
  auto second = sub.expect<publish>();
  sub.send(pubrec{second.packet_id, reason_code::success, {}});
  sub.expect<pubrel>();
  sub.drop();

  auto& again = s.open(v());
  auto p = make_connect(v(), "sub", false);
  p.props = persistent();
  EXPECT_TRUE(again.connect(p).session_present);
  auto re = again.expect<publish>();
  EXPECT_TRUE(re.dup);  // MQTT-3.3.1-1
  EXPECT_EQ(re.packet_id, first.packet_id);
  EXPECT_EQ(re.payload, "one");
  EXPECT_EQ(again.expect<pubrel>().packet_id, second.packet_id);  // MQTT-4.4.0-1
  EXPECT_TRUE(again.nothing());
}

TEST_P(publish_both, offline_session_queues_in_order) {
  sim s;
  auto& sub = s.connected(v(), "sub", false, 0, persistent());
  sub.subscribe("t/#", qos::at_least_once);
  sub.send(disconnect{});
  auto& pub = s.connected(v(), "pub");
  for (int i = 0; i < 3; ++i) pub.publish("t/x", std::to_string(i), qos::at_least_once, std::uint16_t(i + 1));
  auto& again = s.open(v());
  auto p = make_connect(v(), "sub", false);
  p.props = persistent();
  EXPECT_TRUE(again.connect(p).session_present);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(again.expect<publish>().payload, std::to_string(i));
}

TEST_P(publish_both, offline_queue_is_bounded) {
  config cfg;
  cfg.max_queued_messages = 2;
  sim s(cfg);
  auto& sub = s.connected(v(), "sub", false, 0, persistent());
  sub.subscribe("t", qos::at_least_once);
  sub.send(disconnect{});
  auto& pub = s.connected(v(), "pub");
  pub.publish("t", "q0");
  for (int i = 0; i < 3; ++i) pub.publish("t", std::to_string(i), qos::at_least_once, std::uint16_t(i + 1));
  auto& again = s.open(v());
  auto p = make_connect(v(), "sub", false);
  p.props = persistent();
  again.connect(p);
  // QoS 0 dropped first, then the oldest.
  EXPECT_EQ(again.expect<publish>().payload, "1");
  EXPECT_EQ(again.expect<publish>().payload, "2");
  EXPECT_TRUE(again.nothing());
}

TEST_P(publish_both, clean_session_discards_state) {
  sim s;
  auto& sub = s.connected(v(), "sub", false, 0, persistent());
  sub.subscribe("t", qos::at_least_once);
  sub.send(disconnect{});
  auto& again = s.connected(v(), "sub", true);
  auto& pub = s.connected(v(), "pub");
  pub.publish("t", "m", qos::at_least_once, 1);
  EXPECT_TRUE(again.nothing());
}

TEST(broker_publish, overlapping_subscriptions_single_copy_with_all_ids) {
  sim s;
  auto& sub = s.connected(v5, "sub");
  sub.subscribe("a/+", qos::at_least_once, 1, {{property_id::subscription_identifier, 1, {}, {}}});
  sub.subscribe("a/#", qos::exactly_once, 2, {{property_id::subscription_identifier, 2, {}, {}}});
  auto& pub = s.connected(v5, "pub");
  pub.publish("a/b", "m", qos::exactly_once, 1);
  auto p = sub.expect<publish>();
  EXPECT_EQ(p.qos, qos::exactly_once);
  int ids = 0;
  for (const auto& pr : p.props) ids += pr.id == property_id::subscription_identifier;
  EXPECT_EQ(ids, 2);
  EXPECT_TRUE(sub.nothing());
}

TEST(broker_publish, overlapping_subscriptions_copy_per_subscription) {
  config cfg;
  cfg.overlap = overlap_mode::copy_per_subscription;
  sim s(cfg);
  auto& sub = s.connected(v5, "sub");
  sub.subscribe("a/+", qos::at_most_once, 1, {{property_id::subscription_identifier, 1, {}, {}}});
  sub.subscribe("a/#", qos::at_least_once, 2, {{property_id::subscription_identifier, 2, {}, {}}});
  auto& pub = s.connected(v5, "pub");
  pub.publish("a/b", "m", qos::at_least_once, 1);
  auto x = sub.expect<publish>();
  auto y = sub.expect<publish>();
  EXPECT_NE(x.qos, y.qos);
  EXPECT_EQ(number_of(x.props, property_id::subscription_identifier).value_or(0) +
                number_of(y.props, property_id::subscription_identifier).value_or(0),
            3u);
}

TEST_P(publish_both, per_topic_order_is_kept) {
  sim s;
  auto& sub = s.connected(v(), "sub");
  sub.subscribe("t", qos::exactly_once);
  auto& pub = s.connected(v(), "pub");
  for (int i = 0; i < 5; ++i) pub.publish("t", std::to_string(i), qos::at_least_once, std::uint16_t(i + 1));
  for (int i = 0; i < 5; ++i) {
    pub.expect<puback>();
    EXPECT_EQ(sub.expect<publish>().payload, std::to_string(i));
  }
}

}  // namespace
}  // namespace mqtt::broker::test

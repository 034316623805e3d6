// SUBSCRIBE / UNSUBSCRIBE reason codes and retained messages (set, replace, clear,
// Retain Handling, Retain As Published).
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

class sub_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v() const { return GetParam(); }
  reason_code failed(reason_code v5_code) const { return v() == v5 ? v5_code : reason_code::unspecified_error; }
};
INSTANTIATE_TEST_SUITE_P(versions, sub_both, ::testing::Values(v311, v5),
                         [](const auto& i) { return i.param == v5 ? "v5" : "v311"; });

TEST_P(sub_both, refused_and_invalid_filters) {
  config cfg;
  cfg.refused_topics = {"secret/#"};
  cfg.maximum_qos = 1;
  sim s(cfg);
  auto& c = s.connected(v(), "a");
  mqtt::subscribe p;
  p.packet_id = 5;
  p.topics = {{"ok", qos::exactly_once}, {"a/#/b", qos::at_most_once}, {"secret/#", qos::at_most_once}};
  c.send(p);
  auto ack = c.expect<suback>();
  EXPECT_EQ(ack.packet_id, 5);
  ASSERT_EQ(ack.codes.size(), 3u);
  EXPECT_EQ(ack.codes[0], reason_code::granted_qos_1);  // min(requested, maximum)
  EXPECT_EQ(ack.codes[1], failed(reason_code::topic_filter_invalid));
  EXPECT_EQ(ack.codes[2], failed(reason_code::not_authorized));
}

TEST_P(sub_both, wildcards_disabled) {
  config cfg;
  cfg.wildcard_subscription_available = false;
  sim s(cfg);
  auto& c = s.connected(v(), "a");
  EXPECT_EQ(c.subscribe("a/+", qos::at_most_once).codes.at(0), failed(reason_code::wildcard_subscriptions_not_supported));
  EXPECT_EQ(c.subscribe("a/b", qos::at_most_once).codes.at(0), reason_code::success);
}

TEST(broker_subscribe, shared_disabled) {
  config cfg;
  cfg.shared_subscription_available = false;
  sim s(cfg);
  auto& c = s.connected(v5, "a");
  EXPECT_EQ(c.subscribe("$share/g/a", qos::at_most_once).codes.at(0), reason_code::shared_subscriptions_not_supported);
}

TEST_P(sub_both, unsubscribe) {
  sim s;
  auto& c = s.connected(v(), "a");
  c.subscribe("t", qos::at_most_once);
  mqtt::unsubscribe u;
  u.packet_id = 3;
  u.filters = {"t", "never"};
  c.send(u);
  auto ack = c.expect<unsuback>();
  EXPECT_EQ(ack.packet_id, 3);
  if (v() == v5) {
    ASSERT_EQ(ack.codes.size(), 2u);
    EXPECT_EQ(ack.codes[0], reason_code::success);
    EXPECT_EQ(ack.codes[1], reason_code::no_subscription_existed);
  }
  auto& pub = s.connected(v(), "p");
  pub.publish("t", "m");
  EXPECT_TRUE(c.nothing());
}

TEST_P(sub_both, retained_set_replace_clear) {
  sim s;
  auto& pub = s.connected(v(), "p");
  pub.publish("r/1", "first", qos::at_least_once, 1, true);
  pub.publish("r/1", "second", qos::at_least_once, 2, true);
  pub.publish("r/2", "other", qos::at_most_once, 0, true);
  pub.publish("r/2", "", qos::at_most_once, 0, true);  // clears
  pub.publish("r/3", "not retained");
  auto& sub = s.connected(v(), "s");
  sub.subscribe("r/+", qos::at_least_once);
  auto p = sub.expect<publish>();
  EXPECT_EQ(p.payload, "second");
  EXPECT_TRUE(p.retain);  // MQTT-3.3.1-8
  EXPECT_EQ(p.qos, qos::at_least_once);
  EXPECT_TRUE(sub.nothing());
  // Live messages go out with RETAIN 0.
  pub.publish("r/1", "live", qos::at_most_once, 0, true);
  EXPECT_FALSE(sub.expect<publish>().retain);
}

TEST(broker_retained, retain_handling_and_retain_as_published) {
  sim s;
  auto& pub = s.connected(v5, "p");
  pub.publish("r", "kept", qos::at_most_once, 0, true);
  auto& sub = s.connected(v5, "s");
  auto with = [](std::uint8_t rh, bool rap) {
    mqtt::subscribe p;
    p.packet_id = 1;
    p.topics.push_back({"r", qos::at_most_once, false, rap, rh});
    return p;
  };
  sub.send(with(2, false));  // never
  sub.expect<suback>();
  EXPECT_TRUE(sub.nothing());
  sub.send(with(1, false));  // only a new subscription: this one existed
  sub.expect<suback>();
  EXPECT_TRUE(sub.nothing());
  sub.send(with(0, true));  // always
  sub.expect<suback>();
  EXPECT_TRUE(sub.expect<publish>().retain);
  pub.publish("r", "live", qos::at_most_once, 0, true);
  EXPECT_TRUE(sub.expect<publish>().retain);  // Retain As Published
}

TEST(broker_subscribe, no_local) {
  sim s;
  auto& c = s.connected(v5, "a");
  mqtt::subscribe p;
  p.packet_id = 1;
  p.topics.push_back({"t", qos::at_most_once, true});
  c.send(p);
  c.expect<suback>();
  c.publish("t", "mine");
  EXPECT_TRUE(c.nothing());
}

TEST(broker_subscribe, shared_subscriptions_take_turns) {
  sim s;
  auto& a = s.connected(v5, "a");
  auto& b = s.connected(v5, "b");
  a.subscribe("$share/g/t/+", qos::at_most_once);
  b.subscribe("$share/g/t/+", qos::at_most_once);
  auto& pub = s.connected(v5, "p");
  for (int i = 0; i < 4; ++i) pub.publish("t/x", std::to_string(i));
  EXPECT_EQ(a.pending(), 2u);
  EXPECT_EQ(b.pending(), 2u);
}

TEST(broker_subscribe, no_local_on_shared_is_a_protocol_error) {
  sim s;
  auto& c = s.connected(v5, "a");
  mqtt::subscribe p;
  p.packet_id = 1;
  p.topics.push_back({"$share/g/t", qos::at_most_once, true});
  c.send(p);
  EXPECT_EQ(c.expect<disconnect>().code, reason_code::protocol_error);
  EXPECT_TRUE(s.noted("MQTT-3.8.3-4"));
}

TEST_P(sub_both, dollar_topics_are_not_matched_by_leading_wildcards) {
  sim s;
  auto& c = s.connected(v(), "a");
  c.subscribe("#", qos::at_most_once);
  auto& pub = s.connected(v(), "p");
  pub.publish("$SYS/x", "m");
  EXPECT_TRUE(c.nothing());
}

}  // namespace
}  // namespace mqtt::broker::test

// What the broker publishes to us: automatic acknowledgements, QoS 2 exactly once
// under resends, our Receive Maximum, Topic Aliases, SUBSCRIBE/UNSUBSCRIBE.
#include "peer.hpp"

namespace mqtt::client::test {
namespace {

mqtt::publish pub(std::string_view topic, std::string_view payload, mqtt::qos q, std::uint16_t id, bool dup = false,
                  properties props = {}) {
  mqtt::publish p;
  p.topic = topic;
  p.payload = payload;
  p.qos = q;
  p.packet_id = id;
  p.dup = dup;
  p.props = std::move(props);
  return p;
}

class receive_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  options opts() const {
    options o;
    o.version = GetParam();
    o.client_id = "r";
    o.keep_alive = 0;
    return o;
  }
  void connect(peer& b) {
    b.start().take<mqtt::connect>();
    b.reply_with(connack{}).event<connected>();
  }
};
INSTANTIATE_TEST_SUITE_P(versions, receive_both, ::testing::Values(v311, v5), version_name);

TEST_P(receive_both, qos0_is_delivered_without_ack) {
  peer b(opts());
  connect(b);
  b.reply_with(pub("a", "x", qos::at_most_once, 0)).expect_nothing();
  auto m = b.event<message>();
  EXPECT_EQ(m.publish.topic, "a");
  EXPECT_EQ(m.publish.payload, "x");
}

TEST_P(receive_both, qos1_is_delivered_and_acknowledged) {
  peer b(opts());
  connect(b);
  b.reply_with(pub("a", "x", qos::at_least_once, 5)).expect(puback{5, reason_code::success, {}}).expect_nothing();
  EXPECT_EQ(b.event<message>().publish.packet_id, 5);
}

TEST_P(receive_both, qos2_is_delivered_exactly_once_under_resends) {
  peer b(opts());
  connect(b);
  b.reply_with(pub("a", "x", qos::exactly_once, 7)).expect(pubrec{7, reason_code::success, {}});
  b.reply_with(pub("a", "x", qos::exactly_once, 7, true)).expect(pubrec{7, reason_code::success, {}});
  b.reply_with(pub("a", "x", qos::exactly_once, 7, true)).expect(pubrec{7, reason_code::success, {}});
  b.reply_with(pubrel{7, reason_code::success, {}}).expect(pubcomp{7, reason_code::success, {}}).expect_nothing();
  EXPECT_EQ(b.all<message>().size(), 1u);
  EXPECT_TRUE(b.no_events());
  // After PUBCOMP the id is free: the same id is a new message (MQTT-4.3.3-12).
  b.reply_with(pub("a", "y", qos::exactly_once, 7)).expect(pubrec{7, reason_code::success, {}});
  EXPECT_EQ(b.event<message>().publish.payload, "y");
}

TEST_P(receive_both, qos2_resend_without_dup_is_reported_and_not_delivered) {
  peer b(opts());
  connect(b);
  b.reply_with(pub("a", "x", qos::exactly_once, 7)).expect(pubrec{7, reason_code::success, {}});
  b.event<message>();
  b.reply_with(pub("a", "x", qos::exactly_once, 7)).expect(pubrec{7, reason_code::success, {}});
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.3.1-1");
  EXPECT_TRUE(b.no_events());
}

TEST_P(receive_both, pubrel_for_an_unknown_id_still_gets_pubcomp) {
  peer b(opts());
  connect(b);
  const auto rc = GetParam() == v5 ? reason_code::packet_identifier_not_found : reason_code::success;
  b.reply_with(pubrel{3, reason_code::success, {}}).expect(pubcomp{3, rc, {}});
  EXPECT_TRUE(b.no_events());
}

TEST(receive, v5_receive_maximum_exceeded_is_a_violation) {
  options o;
  o.client_id = "r";
  o.receive_maximum = 2;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.reply_with(pub("a", "1", qos::exactly_once, 1)).expect(pubrec{1, reason_code::success, {}});
  b.reply_with(pub("a", "2", qos::exactly_once, 2)).expect(pubrec{2, reason_code::success, {}});
  b.reply_with(pub("a", "3", qos::at_least_once, 3));
  b.expect(mqtt::disconnect{reason_code::receive_maximum_exceeded, {}}).expect_close();
  EXPECT_EQ(b.all<message>().size(), 2u);
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.3.4-9");
}

TEST(receive, v5_topic_aliases_resolve_and_are_checked) {
  options o;
  o.client_id = "r";
  o.topic_alias_maximum = 2;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  const properties alias1{{property_id::topic_alias, 1, {}, {}}};
  b.reply_with(pub("long/topic", "a", qos::at_most_once, 0, false, alias1));
  b.reply_with(pub("", "b", qos::at_most_once, 0, false, alias1));
  auto m1 = b.event<message>();
  auto m2 = b.event<message>();
  EXPECT_EQ(m1.publish.topic, "long/topic");
  EXPECT_EQ(m2.publish.topic, "long/topic");
  EXPECT_EQ(m2.publish.payload, "b");
  b.expect_nothing();
  // An alias that was never given a topic ends the connection.
  b.reply_with(pub("", "c", qos::at_most_once, 0, false, {{property_id::topic_alias, 2, {}, {}}}));
  b.expect(mqtt::disconnect{reason_code::protocol_error, {}}).expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "");
}

TEST(receive, v5_topic_alias_above_our_maximum_is_a_violation) {
  options o;
  o.client_id = "r";
  o.topic_alias_maximum = 2;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.reply_with(pub("t", "a", qos::at_most_once, 0, false, {{property_id::topic_alias, 3, {}, {}}}));
  b.expect(mqtt::disconnect{reason_code::topic_alias_invalid, {}}).expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.3.2-11");
}

TEST(receive, v5_topic_alias_when_we_allowed_none_is_a_violation) {
  options o;
  o.client_id = "r";
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.reply_with(pub("t", "a", qos::at_most_once, 0, false, {{property_id::topic_alias, 1, {}, {}}}));
  b.expect(mqtt::disconnect{reason_code::topic_alias_invalid, {}}).expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.1.2-27");
}

TEST_P(receive_both, subscribe_and_unsubscribe) {
  peer b(opts());
  connect(b);
  subscription s1{"a/#", qos::exactly_once, false, false, 0};
  subscription s2{"b", qos::at_most_once, false, false, 0};
  const auto id = b.subscribe({s1, s2}).packet_id;
  b.expect(mqtt::subscribe{id, {}, {s1, s2}});
  b.reply_with(suback{id, {}, {reason_code::granted_qos_2, reason_code::success}});
  auto s = b.event<subscribed>();
  EXPECT_EQ(s.suback.codes, (std::vector<reason_code>{reason_code::granted_qos_2, reason_code::success}));
  const auto uid = b.unsubscribe({"a/#"}).packet_id;
  b.expect(mqtt::unsubscribe{uid, {}, {"a/#"}});
  b.reply_with(unsuback{uid, {}, GetParam() == v5 ? std::vector<reason_code>{reason_code::success} : std::vector<reason_code>{}});
  EXPECT_EQ(b.event<unsubscribed>().unsuback.packet_id, uid);
  EXPECT_EQ(b.core().ids_in_use(), 0u);
  EXPECT_TRUE(b.no_events());
}

TEST_P(receive_both, suback_with_wrong_id_or_count_is_reported) {
  peer b(opts());
  connect(b);
  const auto id = b.subscribe({subscription{"a", qos::at_least_once, false, false, 0}}).packet_id;
  b.take<mqtt::subscribe>();
  b.reply_with(suback{std::uint16_t(id + 1), {}, {reason_code::granted_qos_1}});
  EXPECT_EQ(b.event<protocol_violation>().spec_id, GetParam() == v5 ? "MQTT-2.2.1-6" : "MQTT-2.3.1-7");
  b.event<subscribed>();
  b.reply_with(suback{id, {}, {reason_code::granted_qos_1, reason_code::granted_qos_1}});
  EXPECT_EQ(b.event<protocol_violation>().spec_id, GetParam() == v5 ? "MQTT-3.9.3-2" : "MQTT-3.9.3-1");
}

TEST_P(receive_both, subscribe_while_disconnected_is_refused) {
  peer b(opts());
  EXPECT_EQ(b.subscribe({subscription{"a", qos::at_least_once, false, false, 0}}).error, "not connected");
}

}  // namespace
}  // namespace mqtt::client::test

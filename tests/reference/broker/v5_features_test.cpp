// MQTT 5.0 only: topic aliases both ways, receive maximum both ways, maximum packet
// size both ways, message expiry, properties passed through.
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

properties alias(std::uint32_t a) { return {{property_id::topic_alias, a, {}, {}}}; }

TEST(broker_v5, inbound_topic_alias) {
  sim s;
  auto& sub = s.connected(v5, "s");
  sub.subscribe("t/a", qos::at_most_once);
  auto& pub = s.connected(v5, "p");
  pub.publish("t/a", "1", qos::at_most_once, 0, false, alias(3));
  pub.publish("", "2", qos::at_most_once, 0, false, alias(3));
  EXPECT_EQ(sub.expect<publish>().payload, "1");
  auto p = sub.expect<publish>();
  EXPECT_EQ(p.topic, "t/a");
  EXPECT_EQ(p.payload, "2");
  pub.publish("t/a", "3", qos::at_most_once, 0, false, alias(11));  // above the maximum of 10
  EXPECT_EQ(pub.expect<disconnect>().code, reason_code::topic_alias_invalid);
  EXPECT_TRUE(pub.closed());
}

TEST(broker_v5, outbound_topic_alias) {
  sim s;
  auto& sub = s.connected(v5, "s", true, 0, {{property_id::topic_alias_maximum, 1, {}, {}}});
  sub.subscribe("t/+", qos::at_most_once);
  auto& pub = s.connected(v5, "p");
  pub.publish("t/a", "1");
  pub.publish("t/a", "2");
  pub.publish("t/b", "3");
  auto a = sub.expect<publish>();
  EXPECT_EQ(a.topic, "t/a");
  EXPECT_EQ(number_of(a.props, property_id::topic_alias), 1u);
  auto b = sub.expect<publish>();
  EXPECT_EQ(b.topic, "");
  EXPECT_EQ(number_of(b.props, property_id::topic_alias), 1u);
  auto c = sub.expect<publish>();
  EXPECT_EQ(c.topic, "t/b");  // aliases exhausted: none above the maximum
  EXPECT_FALSE(find(c.props, property_id::topic_alias));
}

TEST(broker_v5, receive_maximum_exceeded_by_client) {
  config cfg;
  cfg.receive_maximum = 2;
  sim s(cfg);
  auto& pub = s.connected(v5, "p");
  for (std::uint16_t i = 1; i <= 2; ++i) {
    pub.publish("t", "m", qos::exactly_once, i);
    pub.expect<pubrec>();
  }
  pub.publish("t", "m", qos::exactly_once, 3);
  EXPECT_EQ(pub.expect<disconnect>().code, reason_code::receive_maximum_exceeded);
}

TEST(broker_v5, send_quota_respects_client_receive_maximum) {
  sim s;
  auto& sub = s.connected(v5, "s", true, 0, {{property_id::receive_maximum, 1, {}, {}}});
  sub.subscribe("t", qos::at_least_once);
  auto& pub = s.connected(v5, "p");
  pub.publish("t", "1", qos::at_least_once, 1);
  pub.publish("t", "2", qos::at_least_once, 2);
  auto first = sub.expect<publish>();
  EXPECT_TRUE(sub.nothing());
  sub.send(pingreq{});
  sub.expect<pingresp>();  // MQTT-3.3.4-10: other packets are not held back
  sub.send(puback{first.packet_id, reason_code::success, {}});
  EXPECT_EQ(sub.expect<publish>().payload, "2");
}

TEST(broker_v5, packets_larger_than_the_client_maximum_are_dropped) {
  sim s;
  auto& sub = s.connected(v5, "s", true, 0, {{property_id::maximum_packet_size, 40, {}, {}}});
  sub.subscribe("t", qos::at_least_once);
  auto& pub = s.connected(v5, "p");
  pub.publish("t", std::string(100, 'x'), qos::at_least_once, 1);
  pub.publish("t", "small", qos::at_least_once, 2);
  EXPECT_EQ(sub.expect<publish>().payload, "small");
  EXPECT_TRUE(s.noted("MQTT-3.1.2-25"));
}

TEST(broker_v5, packets_larger_than_the_broker_maximum_close) {
  config cfg;
  cfg.maximum_packet_size = 64;
  sim s(cfg);
  auto& pub = s.connected(v5, "p");
  pub.publish("t", std::string(100, 'x'));
  EXPECT_EQ(pub.expect<disconnect>().code, reason_code::packet_too_large);
  EXPECT_TRUE(pub.closed());
}

TEST(broker_v5, message_expiry_counts_down_and_drops) {
  sim s;
  properties persistent = {{property_id::session_expiry_interval, 600, {}, {}}};
  auto& sub = s.connected(v5, "s", false, 0, persistent);
  sub.subscribe("t", qos::at_least_once);
  sub.send(disconnect{});
  auto& pub = s.connected(v5, "p");
  pub.publish("t", "short", qos::at_least_once, 1, false, {{property_id::message_expiry_interval, 5, {}, {}}});
  pub.publish("t", "long", qos::at_least_once, 2, false, {{property_id::message_expiry_interval, 60, {}, {}}});
  s.advance(10s);
  auto& again = s.open(v5);
  auto p = make_connect(v5, "s", false);
  p.props = persistent;
  again.connect(p);
  auto m = again.expect<publish>();
  EXPECT_EQ(m.payload, "long");
  EXPECT_EQ(number_of(m.props, property_id::message_expiry_interval), 50u);
  EXPECT_TRUE(again.nothing());
}

TEST(broker_v5, properties_pass_through_in_order) {
  sim s;
  auto& sub = s.connected(v5, "s");
  sub.subscribe("t", qos::at_most_once);
  auto& pub = s.connected(v5, "p");
  properties props = {{property_id::user_property, 0, "k", "2"},
                      {property_id::payload_format_indicator, 1, {}, {}},
                      {property_id::content_type, 0, "text/plain", {}},
                      {property_id::response_topic, 0, "reply/here", {}},
                      {property_id::correlation_data, 0, "\x01\x02", {}},
                      {property_id::user_property, 0, "k", "1"}};
  pub.publish("t", "m", qos::at_most_once, 0, false, props);
  auto m = sub.expect<publish>();
  EXPECT_EQ(m.props, props);
}

TEST(broker_v5, subscription_identifier_in_client_publish_is_an_error) {
  sim s;
  auto& pub = s.connected(v5, "p");
  pub.publish("t", "m", qos::at_most_once, 0, false, {{property_id::subscription_identifier, 4, {}, {}}});
  EXPECT_EQ(pub.expect<disconnect>().code, reason_code::protocol_error);
  EXPECT_TRUE(s.noted("MQTT-3.3.4-6"));
}

TEST(broker_v5, qos_above_maximum_is_refused) {
  config cfg;
  cfg.maximum_qos = 1;
  sim s(cfg);
  auto& pub = s.connected(v5, "p");
  pub.publish("t", "m", qos::exactly_once, 1);
  EXPECT_EQ(pub.expect<disconnect>().code, reason_code::qos_not_supported);
}

TEST(broker_v5, request_response_information) {
  sim s;
  auto& c = s.open(v5);
  auto p = make_connect(v5, "a");
  p.props = {{property_id::request_response_information, 1, {}, {}}};
  EXPECT_TRUE(text_of(c.connect(p).props, property_id::response_information));
  auto& d = s.open(v5);
  EXPECT_FALSE(text_of(d.connect(make_connect(v5, "b")).props, property_id::response_information));
}

TEST(broker_v5, re_authentication) {
  sim s;
  auto& c = s.open(v5);
  auto p = make_connect(v5, "a");
  p.props = {{property_id::authentication_method, 0, "SCRAM-TEST", {}}};
  auto answer = [&](reason_code code) {
    auto challenge = c.expect<auth>();
    std::string data(*text_of(challenge.props, property_id::authentication_data));
    std::string reversed(data.rbegin(), data.rend());
    c.send(auth{code, {{property_id::authentication_method, 0, "SCRAM-TEST", {}},
                       {property_id::authentication_data, 0, reversed, {}}}});
  };
  c.send(p);
  answer(reason_code::continue_authentication);
  EXPECT_EQ(c.expect<connack>().code, reason_code::success);
  c.send(auth{reason_code::re_authenticate, {{property_id::authentication_method, 0, "SCRAM-TEST", {}}}});
  answer(reason_code::continue_authentication);
  EXPECT_EQ(c.expect<auth>().code, reason_code::success);
}

}  // namespace
}  // namespace mqtt::broker::test

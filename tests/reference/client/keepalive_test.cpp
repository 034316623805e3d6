// Keepalive in virtual time: PINGREQ after keep_alive seconds of silence, Server Keep
// Alive, a broker that never answers; outgoing Topic Aliases; the AUTH exchange.
#include "peer.hpp"

namespace mqtt::client::test {
namespace {

class keepalive_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  options opts(std::uint16_t ka) const {
    options o;
    o.version = GetParam();
    o.client_id = "k";
    o.keep_alive = ka;
    o.pingresp_timeout = 5s;
    return o;
  }
  void connect(peer& b, properties props = {}) {
    b.start().take<mqtt::connect>();
    b.reply_with(connack{false, reason_code::success, props}).event<connected>();
  }
};
INSTANTIATE_TEST_SUITE_P(versions, keepalive_both, ::testing::Values(v311, v5), version_name);

TEST_P(keepalive_both, pingreq_after_keep_alive_of_silence) {
  peer b(opts(60));
  connect(b);
  b.after(59'999ms).expect_nothing();
  b.after(1ms).expect(pingreq{}).expect_nothing();
  b.after(1s).reply_with(pingresp{});
  b.after(58s).expect_nothing();
  b.after(1s).expect(pingreq{}).reply_with(pingresp{});  // 60 s after the last one
  EXPECT_EQ(b.now(), 120s);
  EXPECT_TRUE(b.no_events());
}

TEST_P(keepalive_both, sending_anything_postpones_the_ping) {
  peer b(opts(10));
  connect(b);
  b.after(8s);
  b.publish("t", "m", qos::at_most_once);
  b.take<mqtt::publish>();
  b.after(9s).expect_nothing();
  b.after(1s).expect(pingreq{});
}

TEST_P(keepalive_both, keep_alive_0_never_pings) {
  peer b(opts(0));
  connect(b);
  b.after(24h).expect_nothing();
  EXPECT_FALSE(b.timer().has_value());
}

TEST_P(keepalive_both, dead_broker_is_detected) {
  peer b(opts(60));
  connect(b);
  b.after(60s).expect(pingreq{});
  b.after(4999ms);
  EXPECT_FALSE(b.closed());
  b.after(1ms).expect_nothing().expect_close();
  auto d = b.event<disconnected>();
  EXPECT_EQ(d.reason, reason_code::keep_alive_timeout);
  EXPECT_EQ(d.by, origin::local);
  EXPECT_EQ(b.now(), 65s);
}

TEST(keepalive, v5_server_keep_alive_overrides_ours) {
  options o;
  o.client_id = "k";
  o.keep_alive = 60;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{false, reason_code::success, {{property_id::server_keep_alive, 5, {}, {}}}});
  b.event<connected>();
  EXPECT_EQ(b.core().keep_alive(), 5);
  b.after(5s).expect(pingreq{});
}

TEST(topic_alias_out, v5_aliases_up_to_the_brokers_maximum) {
  options o;
  o.client_id = "a";
  o.use_topic_aliases = true;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{false, reason_code::success, {{property_id::topic_alias_maximum, 2, {}, {}}}});
  b.event<connected>();
  for (auto topic : {"x/1", "x/1", "x/2", "x/3"}) b.publish(topic, "m", qos::at_most_once);
  auto p1 = b.take<mqtt::publish>();
  auto p2 = b.take<mqtt::publish>();
  auto p3 = b.take<mqtt::publish>();
  auto p4 = b.take<mqtt::publish>();
  EXPECT_EQ(p1.topic, "x/1");
  EXPECT_EQ(number_of(p1.props, property_id::topic_alias), 1u);
  EXPECT_EQ(p2.topic, "");
  EXPECT_EQ(number_of(p2.props, property_id::topic_alias), 1u);
  EXPECT_EQ(p3.topic, "x/2");
  EXPECT_EQ(number_of(p3.props, property_id::topic_alias), 2u);
  EXPECT_EQ(p4.topic, "x/3");  // no alias left (MQTT-3.3.2-9)
  EXPECT_FALSE(find(p4.props, property_id::topic_alias));
  // A new connection starts without aliases (MQTT-3.3.2-7).
  b.drop().event<disconnected>();
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.publish("x/1", "m", qos::at_most_once);
  EXPECT_TRUE(b.take<mqtt::publish>().props.empty());
}

class auth_exchange : public ::testing::Test {
 protected:
  options opts() const {
    options o;
    o.client_id = "a";
    o.keep_alive = 0;
    o.authentication_method = "demo";
    o.authentication_data = "hello";
    return o;
  }
};

TEST_F(auth_exchange, challenge_answer_then_connack) {
  peer b(opts());
  b.start().take<mqtt::connect>();
  const properties method{{property_id::authentication_method, 0, "demo", {}}};
  properties challenge = method;
  challenge.push_back({property_id::authentication_data, 0, "nonce", {}});
  b.reply_with(mqtt::auth{reason_code::continue_authentication, challenge});
  auto c = b.event<auth_challenge>();
  EXPECT_EQ(c.auth.code, reason_code::continue_authentication);
  EXPECT_EQ(text_of(c.auth.props, property_id::authentication_data), "nonce");
  EXPECT_TRUE(b.auth(reason_code::continue_authentication, "proof").ok());
  properties answer = method;
  answer.push_back({property_id::authentication_data, 0, "proof", {}});
  b.expect(mqtt::auth{reason_code::continue_authentication, answer});
  b.reply_with(connack{false, reason_code::success, method}).event<connected>();
  // Re-authentication, started by us.
  b.auth(reason_code::re_authenticate, "again");
  EXPECT_EQ(b.take<mqtt::auth>().code, reason_code::re_authenticate);
  b.reply_with(mqtt::auth{reason_code::success, method});
  EXPECT_EQ(b.event<auth_challenge>().auth.code, reason_code::success);
  EXPECT_TRUE(b.core().is_connected());
}

TEST_F(auth_exchange, connack_without_the_method_is_a_violation) {
  peer b(opts());
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).expect(mqtt::disconnect{reason_code::protocol_error, {}}).expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-4.12.0-5");
}

TEST(auth, auth_without_a_method_is_a_violation_and_never_sent) {
  options o;
  o.client_id = "a";
  peer b(o);
  b.start().take<mqtt::connect>();
  EXPECT_FALSE(b.auth(reason_code::continue_authentication, "x").ok());
  b.expect_nothing();
  b.reply_with(mqtt::auth{reason_code::continue_authentication, {{property_id::authentication_method, 0, "m", {}}}});
  b.expect(mqtt::disconnect{reason_code::protocol_error, {}}).expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-4.12.0-6");
}

}  // namespace
}  // namespace mqtt::client::test

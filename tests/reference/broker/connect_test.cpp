// CONNECT handling in both versions: first packet, second CONNECT, protocol level,
// client ids, users, Clean Session / Clean Start, Session Present, takeover, CONNACK properties.
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

class connect_both : public ::testing::TestWithParam<protocol_version> {};
INSTANTIATE_TEST_SUITE_P(versions, connect_both, ::testing::Values(v311, v5),
                         [](const auto& i) { return i.param == v5 ? "v5" : "v311"; });

TEST_P(connect_both, first_packet_must_be_connect) {
  sim s;
  auto& c = s.open(GetParam());
  c.send(pingreq{});
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.nothing());
  EXPECT_TRUE(s.noted("MQTT-3.1.0-1"));
}

TEST_P(connect_both, second_connect_is_a_protocol_error) {
  sim s;
  auto& c = s.connected(GetParam(), "a");
  c.send(make_connect(GetParam(), "a"));
  EXPECT_TRUE(c.closed());
  if (GetParam() == v5) {
    EXPECT_EQ(c.expect<disconnect>().code, reason_code::protocol_error);
  }
  EXPECT_TRUE(c.nothing());
  EXPECT_TRUE(s.noted("MQTT-3.1.0-2"));
}

TEST(broker_connect, unsupported_protocol_level_gets_connack_0x01) {
  sim s;
  auto& d = s.open(v311);
  //                     name         level  flags     keep alive  id
  d.raw(raw_builder().str("MQTT").u8(3).u8(0x02).u16(60).str("a").finish(0x10));
  EXPECT_EQ(d.expect<connack>().code, static_cast<reason_code>(1));
  EXPECT_TRUE(d.closed());
}

TEST(broker_connect, empty_client_id_with_clean_session_0_is_rejected_in_311) {
  sim s;
  auto& c = s.open(v311);
  auto ack = c.connect(make_connect(v311, "", false));
  EXPECT_EQ(ack.code, static_cast<reason_code>(2));
  EXPECT_FALSE(ack.session_present);
  EXPECT_TRUE(c.closed());
}

TEST(broker_connect, empty_client_id_is_assigned_in_v5) {
  sim s;
  auto& c = s.open(v5);
  auto ack = c.connect(make_connect(v5, ""));
  EXPECT_EQ(ack.code, reason_code::success);
  auto id = text_of(ack.props, property_id::assigned_client_identifier);
  ASSERT_TRUE(id);
  EXPECT_FALSE(id->empty());
}

TEST_P(connect_both, user_name_and_password) {
  config cfg;
  cfg.users = {{"alice", "secret"}};
  cfg.allow_anonymous = false;
  sim s(cfg);
  auto& bad = s.open(GetParam());
  auto p = make_connect(GetParam(), "a");
  p.user_name = "alice";
  p.password = "wrong";
  EXPECT_EQ(bad.connect(p).code, GetParam() == v5 ? reason_code::bad_user_name_or_password : reason_code{4});
  EXPECT_TRUE(bad.closed());
  auto& good = s.open(GetParam());
  p.password = "secret";
  EXPECT_EQ(good.connect(p).code, reason_code::success);
  auto& anon = s.open(GetParam());
  EXPECT_EQ(anon.connect(make_connect(GetParam(), "b")).code,
            GetParam() == v5 ? reason_code::not_authorized : reason_code{5});
}

properties expiry(std::uint32_t s) { return {{property_id::session_expiry_interval, s, {}, {}}}; }

TEST_P(connect_both, session_present_follows_the_stored_session) {
  sim s;
  const auto v = GetParam();
  const auto props = v == v5 ? expiry(100) : properties{};
  auto& a = s.connected(v, "a", false, 0, props);
  a.send(disconnect{});
  auto& b = s.open(v);
  auto p = make_connect(v, "a", false);
  p.props = props;
  EXPECT_TRUE(b.connect(p).session_present);  // MQTT-3.2.2-2
  b.send(disconnect{});
  auto& c = s.open(v);
  p.clean_start = true;
  EXPECT_FALSE(c.connect(p).session_present);  // MQTT-3.2.2-1
}

TEST_P(connect_both, takeover_closes_the_old_connection) {
  sim s;
  auto& old = s.connected(GetParam(), "a");
  auto& neu = s.connected(GetParam(), "a");
  EXPECT_TRUE(old.closed());
  EXPECT_FALSE(neu.closed());
  if (GetParam() == v5) {
    EXPECT_EQ(old.expect<disconnect>().code, reason_code::session_taken_over);
  }
  EXPECT_EQ(s.broker().session_count(), 1u);
}

TEST(broker_connect, connack_properties_describe_the_configuration) {
  config cfg;
  cfg.maximum_qos = 1;
  cfg.retain_available = false;
  cfg.maximum_packet_size = 1000;
  cfg.topic_alias_maximum = 7;
  cfg.receive_maximum = 20;
  cfg.wildcard_subscription_available = false;
  cfg.subscription_identifiers_available = false;
  cfg.shared_subscription_available = false;
  cfg.server_keep_alive = 30;
  sim s(cfg);
  auto& c = s.open(v5);
  auto ack = c.connect(make_connect(v5, "a"));
  EXPECT_EQ(number_of(ack.props, property_id::maximum_qos), 1u);
  EXPECT_EQ(number_of(ack.props, property_id::retain_available), 0u);
  EXPECT_EQ(number_of(ack.props, property_id::maximum_packet_size), 1000u);
  EXPECT_EQ(number_of(ack.props, property_id::topic_alias_maximum), 7u);
  EXPECT_EQ(number_of(ack.props, property_id::receive_maximum), 20u);
  EXPECT_EQ(number_of(ack.props, property_id::wildcard_subscription_available), 0u);
  EXPECT_EQ(number_of(ack.props, property_id::subscription_identifier_available), 0u);
  EXPECT_EQ(number_of(ack.props, property_id::shared_subscription_available), 0u);
  EXPECT_EQ(number_of(ack.props, property_id::server_keep_alive), 30u);
}

TEST(broker_connect, server_reference_answers_0x9c) {
  config cfg;
  cfg.server_reference = "other:1883";
  sim s(cfg);
  auto& c = s.open(v5);
  auto ack = c.connect(make_connect(v5, "a"));
  EXPECT_EQ(ack.code, reason_code::use_another_server);
  EXPECT_EQ(text_of(ack.props, property_id::server_reference), "other:1883");
  EXPECT_TRUE(c.closed());
}

TEST(broker_connect, will_qos_above_maximum_is_refused_in_v5) {
  config cfg;
  cfg.maximum_qos = 0;
  sim s(cfg);
  auto& c = s.open(v5);
  auto p = make_connect(v5, "a");
  p.will = will_message{"w", "x", qos::at_least_once, false, {}};
  EXPECT_EQ(c.connect(p).code, reason_code::qos_not_supported);
}

TEST(broker_connect, enhanced_authentication_challenge_response) {
  sim s;
  auto& c = s.open(v5);
  auto p = make_connect(v5, "a");
  p.props = {{property_id::authentication_method, 0, "SCRAM-TEST", {}}};
  c.send(p);
  auto challenge = c.expect<auth>();
  EXPECT_EQ(challenge.code, reason_code::continue_authentication);
  std::string data(*text_of(challenge.props, property_id::authentication_data));
  std::string answer(data.rbegin(), data.rend());
  auth reply;
  reply.code = reason_code::continue_authentication;
  reply.props = {{property_id::authentication_method, 0, "SCRAM-TEST", {}},
                 {property_id::authentication_data, 0, answer, {}}};
  c.send(reply);
  auto ack = c.expect<connack>();
  EXPECT_EQ(ack.code, reason_code::success);
  EXPECT_EQ(text_of(ack.props, property_id::authentication_method), "SCRAM-TEST");

  auto& bad = s.open(v5);
  bad.send(p);
  bad.expect<auth>();
  reply.props[1].text = "nope";
  bad.send(reply);
  EXPECT_EQ(bad.expect<connack>().code, reason_code::not_authorized);
  EXPECT_TRUE(bad.closed());

  auto& other = s.open(v5);
  p.props[0].text = "OTHER";
  EXPECT_EQ(other.connect(p).code, reason_code::bad_authentication_method);
}

}  // namespace
}  // namespace mqtt::broker::test

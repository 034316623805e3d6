// CONNECT with every option, CONNACK handling and what the client rejects in it,
// packets before CONNACK, the CONNACK timeout, DISCONNECT from the server.
#include "peer.hpp"

namespace mqtt::client::test {
namespace {

class connect_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  options opts() const {
    options o;
    o.version = GetParam();
    o.client_id = "c1";
    o.keep_alive = 0;
    return o;
  }
};
INSTANTIATE_TEST_SUITE_P(versions, connect_both, ::testing::Values(v311, v5), version_name);

TEST_P(connect_both, sends_connect_and_reports_connected) {
  peer b(opts());
  b.start().expect(connect_of(opts())).reply_with(connack{}).expect_nothing();
  auto c = b.event<connected>();
  EXPECT_FALSE(c.connack.session_present);
  EXPECT_TRUE(b.core().is_connected());
  EXPECT_TRUE(b.no_events());
}

TEST(connect, v5_sends_every_field_and_property) {
  options o;
  o.client_id = "full";
  o.clean_start = false;
  o.keep_alive = 30;
  o.will = client::will{"w/t", "gone", qos::at_least_once, true, {{property_id::will_delay_interval, 5, {}, {}}}};
  o.user_name = "u";
  o.password = "p";
  o.session_expiry = 600;
  o.receive_maximum = 10;
  o.maximum_packet_size = 4096;
  o.topic_alias_maximum = 4;
  o.request_response_information = true;
  o.request_problem_information = false;
  o.user_properties = {{"k", "v"}};
  o.authentication_method = "SCRAM";
  o.authentication_data = "abc";
  peer b(o);
  mqtt::connect c = connect_of(o);
  c.will = will_message{"w/t", "gone", qos::at_least_once, true, {{property_id::will_delay_interval, 5, {}, {}}}};
  c.user_name = "u";
  c.password = "p";
  c.props = {{property_id::session_expiry_interval, 600, {}, {}},
             {property_id::receive_maximum, 10, {}, {}},
             {property_id::maximum_packet_size, 4096, {}, {}},
             {property_id::topic_alias_maximum, 4, {}, {}},
             {property_id::request_response_information, 1, {}, {}},
             {property_id::request_problem_information, 0, {}, {}},
             {property_id::user_property, 0, "k", "v"},
             {property_id::authentication_method, 0, "SCRAM", {}},
             {property_id::authentication_data, 0, "abc", {}}};
  b.start().expect(c).expect_nothing();
}

TEST(connect, v311_sends_will_user_and_password_but_no_properties) {
  options o;
  o.version = v311;
  o.client_id = "old";
  o.will = client::will{"w", "x", qos::exactly_once, false, {}};
  o.user_name = "u";
  o.password = "p";
  o.session_expiry = 600;  // 5.0 only: not sent
  peer b(o);
  mqtt::connect c = connect_of(o);
  c.will = will_message{"w", "x", qos::exactly_once, false, {}};
  c.user_name = "u";
  c.password = "p";
  b.start().expect(c);
}

TEST_P(connect_both, refused_connack_ends_the_connection) {
  peer b(opts());
  const auto rc = GetParam() == v5 ? reason_code::not_authorized : static_cast<reason_code>(5);
  b.start().expect(connect_of(opts())).reply_with(connack{false, rc, {}}).expect_nothing().expect_close();
  auto d = b.event<disconnected>();
  EXPECT_EQ(d.reason, rc);
  EXPECT_EQ(d.by, origin::server);
  EXPECT_FALSE(b.core().is_connected());
}

TEST_P(connect_both, packet_before_connack_is_a_violation) {
  peer b(opts());
  b.start().expect(connect_of(opts())).reply_with(pingresp{});
  if (GetParam() == v5) b.expect(mqtt::disconnect{reason_code::protocol_error, {}});
  b.expect_nothing().expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.2.0-1");
  EXPECT_EQ(b.event<disconnected>().reason, reason_code::protocol_error);
}

TEST_P(connect_both, session_present_after_clean_start_is_a_violation) {
  peer b(opts());
  b.start().expect(connect_of(opts())).reply_with(connack{true, reason_code::success, {}});
  if (GetParam() == v5) b.expect(mqtt::disconnect{reason_code::protocol_error, {}});
  b.expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, GetParam() == v5 ? "MQTT-3.2.2-4" : "MQTT-3.2.2-1");
  EXPECT_EQ(b.event<disconnected>().by, origin::local);
}

TEST(connect, v5_session_present_without_session_state_is_a_violation) {
  options o;
  o.client_id = "c";
  o.clean_start = false;
  o.session_expiry = 60;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{true, reason_code::success, {}}).expect(mqtt::disconnect{reason_code::protocol_error, {}});
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.2.2-4");
}

TEST(connect, v311_session_present_with_clean_session_0_is_accepted) {
  options o;
  o.version = v311;
  o.client_id = "c";
  o.clean_start = false;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{true, reason_code::success, {}}).expect_nothing();
  EXPECT_TRUE(b.event<connected>().connack.session_present);
}

TEST(connect, v5_second_connack_is_a_violation) {
  options o;
  o.client_id = "c";
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).reply_with(connack{});
  b.expect(mqtt::disconnect{reason_code::protocol_error, {}}).expect_close();
  b.event<connected>();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.2.0-2");
}

TEST_P(connect_both, no_connack_in_time_closes) {
  auto o = opts();
  o.connack_timeout = 5s;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.after(4999ms);
  EXPECT_FALSE(b.closed());
  b.after(1ms).expect_nothing().expect_close();
  EXPECT_EQ(b.event<disconnected>().by, origin::local);
}

TEST_P(connect_both, malformed_bytes_close_with_the_rule_broken) {
  peer b(opts());
  b.start().take<mqtt::connect>();
  b.reply_with(connack{});
  b.event<connected>();
  //          CP  RL  TOPIC-LEN
  b.reply_hex("36 05 00 01");  // PUBLISH with both QoS bits set
  b.reply_hex("61 00 01");
  if (GetParam() == v5) b.expect(mqtt::disconnect{reason_code::malformed_packet, {}});
  b.expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.3.1-4");
  EXPECT_EQ(b.event<disconnected>().reason, reason_code::malformed_packet);
}

TEST(connect, v5_server_disconnect_is_reported_with_its_reason) {
  options o;
  o.client_id = "c";
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.reply_with(mqtt::disconnect{reason_code::server_shutting_down, {{property_id::reason_string, 0, "bye", {}}}});
  b.expect_nothing().expect_close();
  auto d = b.event<disconnected>();
  EXPECT_EQ(d.reason, reason_code::server_shutting_down);
  EXPECT_EQ(d.by, origin::server);
  EXPECT_EQ(d.why, "DISCONNECT server_shutting_down: bye");
  EXPECT_TRUE(b.no_events());
}

TEST(connect, v311_server_disconnect_is_a_violation) {
  options o;
  o.version = v311;
  o.client_id = "c";
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.reply_hex("e0 00").expect_nothing().expect_close();
  EXPECT_EQ(b.event<protocol_violation>().text, "a 3.1.1 server never sends DISCONNECT");
}

TEST(connect, v5_incoming_packet_above_our_maximum_packet_size) {
  options o;
  o.client_id = "c";
  o.maximum_packet_size = 16;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  const std::string payload(20, 'x');  // the packet only views it
  publish p;
  p.topic = "t";
  p.payload = payload;
  b.reply_with(p).expect(mqtt::disconnect{reason_code::packet_too_large, {}}).expect_close();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, "MQTT-3.1.2-24");
  EXPECT_TRUE(b.all<message>().empty());
}

TEST(connect, v5_assigned_client_identifier_is_used_on_reconnect) {
  options o;
  o.clean_start = false;
  o.session_expiry = 60;
  peer b(o);
  EXPECT_EQ(b.start().take<mqtt::connect>().client_id, "");
  b.reply_with(connack{false, reason_code::success, {{property_id::assigned_client_identifier, 0, "auto-1", {}}}});
  b.event<connected>();
  b.drop();
  EXPECT_TRUE(b.event<disconnected>().session_kept);
  EXPECT_EQ(b.start().take<mqtt::connect>().client_id, "auto-1");
}

TEST_P(connect_both, disconnect_sends_disconnect_and_closes) {
  peer b(opts());
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.disconnect().expect(mqtt::disconnect{}).expect_nothing().expect_close();
  auto d = b.event<disconnected>();
  EXPECT_EQ(d.by, origin::local);
  EXPECT_FALSE(d.session_kept);
  EXPECT_FALSE(b.core().is_connected());
}

}  // namespace
}  // namespace mqtt::client::test

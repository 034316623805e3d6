// Persistent sessions: resend of unacknowledged PUBLISH (DUP 1) and PUBREL in the
// original order after reconnect, QoS 2 receive state kept, discard on Session Present 0.
#include "peer.hpp"

namespace mqtt::client::test {
namespace {

mqtt::publish pub(std::string_view payload, mqtt::qos q, std::uint16_t id, bool dup = false) {
  mqtt::publish p;
  p.topic = "t";
  p.payload = payload;
  p.qos = q;
  p.packet_id = id;
  p.dup = dup;
  return p;
}

class session_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  options opts() const {
    options o;
    o.version = GetParam();
    o.client_id = "s";
    o.keep_alive = 0;
    o.clean_start = false;
    if (GetParam() == v5) o.session_expiry = 300;
    return o;
  }
  void connect(peer& b, bool session_present) {
    b.start().take<mqtt::connect>();
    b.reply_with(connack{session_present, reason_code::success, {}});
    EXPECT_EQ(b.event<connected>().connack.session_present, session_present);
  }
};
INSTANTIATE_TEST_SUITE_P(versions, session_both, ::testing::Values(v311, v5), version_name);

TEST_P(session_both, unacknowledged_publish_and_pubrel_are_resent_in_order_with_dup) {
  peer b(opts());
  connect(b, false);
  b.publish("t", "1", qos::at_least_once);
  b.publish("t", "2", qos::exactly_once);
  b.publish("t", "3", qos::exactly_once);
  b.expect(pub("1", qos::at_least_once, 1)).expect(pub("2", qos::exactly_once, 2)).expect(pub("3", qos::exactly_once, 3));
  b.reply_with(pubrec{2, reason_code::success, {}}).expect(pubrel{2, reason_code::success, {}});
  b.drop();
  auto d = b.event<disconnected>();
  EXPECT_EQ(d.by, origin::network);
  EXPECT_TRUE(d.session_kept);

  connect(b, true);
  b.expect(pub("1", qos::at_least_once, 1, true))
      .expect(pubrel{2, reason_code::success, {}})
      .expect(pub("3", qos::exactly_once, 3, true))
      .expect_nothing();
  b.reply_with(puback{1, reason_code::success, {}}).reply_with(pubcomp{2, reason_code::success, {}});
  b.reply_with(pubrec{3, reason_code::success, {}}).expect(pubrel{3, reason_code::success, {}});
  b.reply_with(pubcomp{3, reason_code::success, {}});
  EXPECT_EQ(b.all<published>().size(), 3u);
  EXPECT_TRUE(b.no_events());
}

TEST_P(session_both, qos2_receive_state_survives_reconnect) {
  peer b(opts());
  connect(b, false);
  b.reply_with(pub("x", qos::exactly_once, 4)).expect(pubrec{4, reason_code::success, {}});
  EXPECT_EQ(b.all<message>().size(), 1u);
  b.drop().event<disconnected>();
  connect(b, true);
  b.reply_with(pub("x", qos::exactly_once, 4, true)).expect(pubrec{4, reason_code::success, {}});
  b.reply_with(pubrel{4, reason_code::success, {}}).expect(pubcomp{4, reason_code::success, {}});
  EXPECT_TRUE(b.all<message>().empty());
}

TEST_P(session_both, session_present_0_discards_the_session) {
  peer b(opts());
  connect(b, false);
  b.publish("t", "1", qos::at_least_once);
  b.take<mqtt::publish>();
  b.publish("t", "q", qos::at_least_once);  // sent too: the window is open
  b.take<mqtt::publish>();
  b.drop().event<disconnected>();
  b.publish("t", "later", qos::at_least_once);  // queued while offline: kept
  b.start().take<mqtt::connect>();
  b.reply_with(connack{});
  auto dropped = b.all<publish_dropped>();
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].packet_id, 1);
  EXPECT_EQ(dropped[1].packet_id, 2);
  b.event<connected>();
  b.expect(pub("later", qos::at_least_once, 3)).expect_nothing();
}

TEST_P(session_both, clean_start_discards_the_session) {
  peer b(opts());
  connect(b, false);
  b.publish("t", "1", qos::at_least_once);
  b.take<mqtt::publish>();
  b.drop().event<disconnected>();
  // Same core, clean start: what was in flight goes before the CONNECT does.
  b.core().settings().clean_start = true;
  EXPECT_TRUE(b.start().take<mqtt::connect>().clean_start);
  EXPECT_EQ(b.event<publish_dropped>().packet_id, 1);
  b.reply_with(connack{}).event<connected>();
  b.expect_nothing();
}

TEST(session, v5_session_expiry_0_keeps_nothing) {
  options o;
  o.client_id = "s";
  o.clean_start = false;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  b.drop();
  EXPECT_FALSE(b.event<disconnected>().session_kept);
}

TEST(session, v5_disconnect_can_set_session_expiry) {
  options o;
  o.client_id = "s";
  o.clean_start = false;
  o.session_expiry = 60;
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  const properties none{{property_id::session_expiry_interval, 0, {}, {}}};
  b.disconnect(reason_code::success, none).expect(mqtt::disconnect{reason_code::success, none}).expect_close();
  EXPECT_FALSE(b.event<disconnected>().session_kept);
}

}  // namespace
}  // namespace mqtt::client::test

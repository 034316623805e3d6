// Our messages: QoS 0/1/2 flows, the in-flight window and its queue, packet
// identifiers, the broker's limits, acknowledgements that match nothing.
#include "peer.hpp"

namespace mqtt::client::test {
namespace {

mqtt::publish pub(std::string_view topic, std::string_view payload, mqtt::qos q, std::uint16_t id, bool dup = false) {
  mqtt::publish p;
  p.topic = topic;
  p.payload = payload;
  p.qos = q;
  p.packet_id = id;
  p.dup = dup;
  return p;
}

class publish_both : public ::testing::TestWithParam<protocol_version> {
 protected:
  options opts() const {
    options o;
    o.version = GetParam();
    o.client_id = "p";
    o.keep_alive = 0;
    return o;
  }
  /// A peer past CONNACK (with `props` in 5.0).
  peer& connected(peer& b, properties props = {}) {
    b.start().take<mqtt::connect>();
    b.reply_with(connack{false, reason_code::success, GetParam() == v5 ? props : properties{}});
    b.event<client::connected>();
    return b;
  }
};
INSTANTIATE_TEST_SUITE_P(versions, publish_both, ::testing::Values(v311, v5), version_name);

TEST_P(publish_both, qos0_is_sent_at_once) {
  peer b(opts());
  connected(b);
  EXPECT_EQ(b.publish("a/b", "hi", qos::at_most_once).packet_id, 0);
  b.expect(pub("a/b", "hi", qos::at_most_once, 0)).expect_nothing();
  EXPECT_TRUE(b.no_events());
}

TEST_P(publish_both, qos1_completes_on_puback) {
  peer b(opts());
  connected(b);
  const auto id = b.publish("t", "m", qos::at_least_once).packet_id;
  EXPECT_EQ(id, 1);
  b.expect(pub("t", "m", qos::at_least_once, id)).reply_with(puback{id, reason_code::success, {}}).expect_nothing();
  auto done = b.event<published>();
  EXPECT_EQ(done.packet_id, id);
  EXPECT_EQ(done.reason, reason_code::success);
  EXPECT_EQ(b.core().ids_in_use(), 0u);
}

TEST_P(publish_both, qos2_releases_on_pubrec_and_completes_on_pubcomp) {
  peer b(opts());
  connected(b);
  const auto id = b.publish("t", "m", qos::exactly_once).packet_id;
  b.expect(pub("t", "m", qos::exactly_once, id));
  b.reply_with(pubrec{id, reason_code::success, {}}).expect(pubrel{id, reason_code::success, {}});
  EXPECT_EQ(b.events(), 0u);
  b.reply_with(pubrec{id, reason_code::success, {}}).expect(pubrel{id, reason_code::success, {}});  // repeated PUBREC
  b.reply_with(pubcomp{id, reason_code::success, {}}).expect_nothing();
  EXPECT_EQ(b.event<published>().packet_id, id);
  EXPECT_EQ(b.core().inflight_count(), 0u);
}

TEST_P(publish_both, window_holds_messages_beyond_it_in_order) {
  auto o = opts();
  if (GetParam() == v311) o.inflight_window = 2;
  peer b(o);
  connected(b, {{property_id::receive_maximum, 2, {}, {}}});
  b.publish("t", "1", qos::at_least_once);
  b.publish("t", "2", qos::exactly_once);
  b.publish("t", "3", qos::at_least_once);
  b.publish("t", "4", qos::at_most_once);  // behind 3: order is kept
  b.expect(pub("t", "1", qos::at_least_once, 1)).expect(pub("t", "2", qos::exactly_once, 2)).expect_nothing();
  EXPECT_EQ(b.core().inflight_count(), 2u);
  EXPECT_EQ(b.core().queued_count(), 2u);
  b.reply_with(pubrec{2, reason_code::success, {}}).expect(pubrel{2, reason_code::success, {}}).expect_nothing();
  b.reply_with(puback{1, reason_code::success, {}});
  b.expect(pub("t", "3", qos::at_least_once, 3)).expect(pub("t", "4", qos::at_most_once, 0)).expect_nothing();
  b.reply_with(pubcomp{2, reason_code::success, {}}).reply_with(puback{3, reason_code::success, {}});
  EXPECT_EQ(b.all<published>().size(), 3u);
  EXPECT_EQ(b.core().inflight_count(), 0u);
}

TEST_P(publish_both, packet_ids_in_use_are_never_reused) {
  peer b(opts());
  connected(b);
  const auto a = b.publish("t", "a", qos::at_least_once).packet_id;
  const auto c = b.publish("t", "c", qos::exactly_once).packet_id;
  EXPECT_NE(a, c);
  b.reply_with(puback{a, reason_code::success, {}});
  // `a` is free again, but the pool moves on; `c` stays taken.
  const auto d = b.publish("t", "d", qos::at_least_once).packet_id;
  EXPECT_NE(d, c);
  EXPECT_NE(d, a);
  EXPECT_EQ(b.core().ids_in_use(), 2u);
}

TEST_P(publish_both, ack_for_an_unknown_id_is_reported_not_fatal) {
  peer b(opts());
  connected(b);
  b.reply_with(puback{9, reason_code::success, {}}).expect_nothing();
  EXPECT_EQ(b.event<protocol_violation>().spec_id, GetParam() == v5 ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6");
  EXPECT_FALSE(b.closed());
  EXPECT_TRUE(b.core().is_connected());
}

TEST_P(publish_both, publish_while_disconnected_is_queued_until_connack) {
  peer b(opts());
  const auto id = b.publish("t", "early", qos::at_least_once).packet_id;
  EXPECT_EQ(b.core().queued_count(), 1u);
  b.start().take<mqtt::connect>();
  b.expect_nothing().reply_with(connack{});
  b.expect(pub("t", "early", qos::at_least_once, id));
}

TEST(publish, v5_failing_pubrec_completes_without_pubrel) {
  options o;
  o.client_id = "p";
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{}).event<connected>();
  const auto id = b.publish("t", "m", qos::exactly_once).packet_id;
  b.take<mqtt::publish>();
  b.reply_with(pubrec{id, reason_code::quota_exceeded, {}}).expect_nothing();
  EXPECT_EQ(b.event<published>().reason, reason_code::quota_exceeded);
}

TEST(publish, v5_broker_limits_refuse_what_it_cannot_take) {
  options o;
  o.client_id = "p";
  peer b(o);
  b.start().take<mqtt::connect>();
  b.reply_with(connack{false, reason_code::success,
                       {{property_id::maximum_qos, 1, {}, {}},
                        {property_id::retain_available, 0, {}, {}},
                        {property_id::maximum_packet_size, 30, {}, {}}}});
  b.event<connected>();
  EXPECT_EQ(b.publish("t", "m", qos::exactly_once).error, "QoS above the broker's Maximum QoS (MQTT-3.2.2-11)");
  EXPECT_EQ(b.publish("t", "m", qos::at_most_once, true).error, "the broker has Retain Available 0 (MQTT-3.2.2-14)");
  EXPECT_EQ(b.publish("t", std::string(40, 'x'), qos::at_most_once).error,
            "larger than the broker's Maximum Packet Size (MQTT-3.2.2-15)");
  EXPECT_TRUE(b.publish("t", "fits", qos::at_least_once).ok());
  b.take<mqtt::publish>();
  b.expect_nothing();
  EXPECT_EQ(b.core().ids_in_use(), 1u);
}

TEST(publish, invalid_topic_is_refused_with_the_rule) {
  options o;
  o.client_id = "p";
  peer b(o);
  auto r = b.publish("a/+", "m", qos::at_most_once);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("MQTT-3.3.2-2"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace mqtt::client::test

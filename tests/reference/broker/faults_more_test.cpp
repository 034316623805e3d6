// The faults that make the remaining checks fail: each test shows, at the byte level,
// the one rule its fault breaks (see faults_test.cpp for the first set).
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

sim with(fault f) {
  config cfg;
  cfg.faults = {f};
  return sim(cfg);
}

class fault_both : public ::testing::TestWithParam<protocol_version> {};
INSTANTIATE_TEST_SUITE_P(versions, fault_both, ::testing::Values(v311, v5),
                         [](const auto& i) { return i.param == v5 ? "v5" : "v311"; });

TEST_P(fault_both, ignore_malformed_drops_bad_packets_and_stays_open) {
  sim s = with(fault::ignore_malformed);
  const bool v = GetParam() == v5;
  auto& c = s.connected(GetParam(), "a");
  // Found by the codec: PUBLISH QoS 1 with packet identifier 0.
  c.raw(v ? "32 09 00 03 61 2f 62 00 00 00 78" : "32 08 00 03 61 2f 62 00 00 78", true);
  // Found by the broker: a wildcard in a topic name.
  c.raw(v ? "30 07 00 03 61 2f 23 00 78" : "30 06 00 03 61 2f 23 78", true);
  c.raw("00 00", true);  // reserved packet type 0
  EXPECT_FALSE(c.closed());
  EXPECT_TRUE(c.nothing());  // no DISCONNECT either
  c.raw("c0 00", true);      // the stream is still in step
  c.expect<pingresp>();
  // A remaining length of five bytes: the packets cannot be framed any more, so the
  // rest of the stream is ignored, and still nothing is closed.
  c.raw("30 ff ff ff ff 7f | c0 00", true);
  EXPECT_FALSE(c.closed());
  EXPECT_TRUE(c.nothing());
  EXPECT_TRUE(s.noted(v ? "MQTT-2.2.1-3" : "MQTT-2.3.1-1"));
}

TEST_P(fault_both, ignore_malformed_keeps_the_stream_after_a_bad_packet) {
  sim s = with(fault::ignore_malformed);
  auto& c = s.connected(GetParam(), "a");
  // SUBSCRIBE with no filters, then a PINGREQ: the bad packet is skipped, the next answered.
  c.raw(GetParam() == v5 ? "82 03 00 01 00 | c0 00" : "82 02 00 01 | c0 00", true);
  EXPECT_FALSE(c.closed());
  c.expect<pingresp>();
  EXPECT_TRUE(c.nothing());
}

TEST(broker_faults_more, ignore_malformed_connect_gets_no_connack_and_no_close) {
  sim s = with(fault::ignore_malformed);
  auto& a = s.open(v311);
  //                    name    level flags (reserved 1) keep alive  id "A"
  a.raw("10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 41", true);
  a.raw("10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 41", true);  // level 3: no CONNACK 0x01
  EXPECT_FALSE(a.closed());
  EXPECT_TRUE(a.nothing());
  EXPECT_EQ(a.connect(make_connect(v311, "A")).code, reason_code::success);  // still waiting for one

  auto& b = s.open(v5);
  b.raw("10 0e 00 04 4d 51 54 58 05 02 00 3c 00 00 01 41", true);  // protocol name "MQTX"
  b.raw("10 0e 00 04 4d 51 54 54 06 02 00 3c 00 00 01 41", true);  // version 6: no CONNACK 0x84
  EXPECT_FALSE(b.closed());
  EXPECT_TRUE(b.nothing());
}

TEST_P(fault_both, accept_any_first_packet) {
  sim s = with(fault::accept_any_first_packet);
  auto& c = s.open(GetParam());
  c.send(pingreq{});
  EXPECT_FALSE(c.closed());
  c.expect<pingresp>();
  EXPECT_EQ(c.connect(make_connect(GetParam(), "a")).code, reason_code::success);
}

TEST_P(fault_both, no_pingresp) {
  sim s = with(fault::no_pingresp);
  auto& c = s.connected(GetParam(), "a", true, 30);
  c.raw("c0 00", true);
  EXPECT_FALSE(c.closed());
  EXPECT_TRUE(c.nothing());
}

TEST_P(fault_both, keepalive_zero_expires) {
  sim s = with(fault::keepalive_zero_expires);
  auto& c = s.connected(GetParam(), "a", true, 0);
  s.advance(89s);
  EXPECT_FALSE(c.closed());
  s.advance(2s);  // 1.5 x 60 s
  EXPECT_TRUE(c.closed());
  if (GetParam() == v5) {
    EXPECT_EQ(c.expect<disconnect>().code, reason_code::keep_alive_timeout);
  }
}

TEST_P(fault_both, deliver_at_subscription_qos) {
  sim s = with(fault::deliver_at_subscription_qos);
  auto& sub = s.connected(GetParam(), "s");
  sub.subscribe("t", qos::exactly_once);
  auto& pub = s.connected(GetParam(), "p");
  pub.publish("t", "m", qos::at_most_once);
  EXPECT_EQ(sub.expect<publish>().qos, qos::exactly_once);  // not min(0, 2)
}

TEST_P(fault_both, ack_qos0) {
  sim s = with(fault::ack_qos0);
  auto& pub = s.connected(GetParam(), "p");
  pub.publish("t", "m", qos::at_most_once);
  EXPECT_EQ(pub.expect<puback>().packet_id, 1);
}

TEST_P(fault_both, wrong_suback_qos_never_shows_the_granted_qos) {
  sim s = with(fault::wrong_suback_qos);
  auto& c = s.connected(GetParam(), "a");
  EXPECT_EQ(c.subscribe("a", qos::at_most_once, 1).codes.at(0), reason_code::granted_qos_2);
  EXPECT_EQ(c.subscribe("b", qos::at_least_once, 2).codes.at(0), granted_qos_0);
  EXPECT_EQ(c.subscribe("c", qos::exactly_once, 3).codes.at(0), reason_code::granted_qos_1);
}

TEST(broker_faults_more, accept_empty_client_id_persistent) {
  sim s = with(fault::accept_empty_client_id_persistent);
  auto& c = s.open(v311);
  EXPECT_EQ(c.connect(make_connect(v311, "", false)).code, reason_code::success);  // not 0x02
  EXPECT_FALSE(c.closed());
}

TEST_P(fault_both, session_present_always_1) {
  sim s = with(fault::session_present_always_1);
  auto& c = s.open(GetParam());
  const auto ack = c.connect(make_connect(GetParam(), "a", true));
  EXPECT_EQ(ack.code, reason_code::success);
  EXPECT_TRUE(ack.session_present);  // a clean start, yet 1
}

TEST(broker_faults_more, no_assigned_client_id) {
  sim s = with(fault::no_assigned_client_id);
  auto& c = s.open(v5);
  const auto ack = c.connect(make_connect(v5, ""));
  EXPECT_EQ(ack.code, reason_code::success);
  EXPECT_FALSE(text_of(ack.props, property_id::assigned_client_identifier));
}

TEST(broker_faults_more, accept_any_auth_method) {
  sim s = with(fault::accept_any_auth_method);
  auto& c = s.open(v5);
  auto p = make_connect(v5, "a");
  p.props = {{property_id::authentication_method, 0, "no-such-method", {}}};
  EXPECT_EQ(c.connect(p).code, reason_code::success);  // not 0x8C
  EXPECT_FALSE(c.closed());
}

}  // namespace
}  // namespace mqtt::broker::test

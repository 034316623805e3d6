// Each fault breaks its rule on purpose: the test shows the broken behaviour.
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

sim with(fault f) {
  config cfg;
  cfg.faults = {f};
  return sim(cfg);
}

TEST(broker_faults, names_round_trip) {
  for (const auto& f : all_faults()) {
    EXPECT_EQ(parse_fault(f.name), f.f);
    EXPECT_EQ(fault_name(f.f), f.name);
    EXPECT_FALSE(f.spec_ids.empty());
  }
  EXPECT_EQ(parse_fault("no_will"), fault::no_will);
  EXPECT_FALSE(parse_fault("nonsense"));
}

TEST(broker_faults, no_will) {
  sim s = with(fault::no_will);
  auto& w = s.connected(v311, "w");
  w.subscribe("x", qos::at_most_once);
  auto& c = s.open(v311);
  auto p = make_connect(v311, "v");
  p.will = will_message{"x", "gone", qos::at_most_once, false, {}};
  c.connect(p);
  c.drop();
  EXPECT_EQ(w.pending(), 0u);
}

TEST(broker_faults, ignore_keepalive) {
  sim s = with(fault::ignore_keepalive);
  auto& c = s.connected(v311, "a", true, 10);
  s.advance(100s);
  EXPECT_FALSE(c.closed());
}

TEST(broker_faults, qos2_twice) {
  sim s = with(fault::qos2_twice);
  auto& sub = s.connected(v311, "s");
  sub.subscribe("t", qos::exactly_once);
  auto& pub = s.connected(v311, "p");
  pub.publish("t", "m", qos::exactly_once, 1);
  EXPECT_EQ(sub.pending(), 2u);
}

TEST(broker_faults, drop_retained) {
  sim s = with(fault::drop_retained);
  auto& pub = s.connected(v311, "p");
  pub.publish("r", "m", qos::at_most_once, 0, true);
  auto& sub = s.connected(v311, "s");
  sub.subscribe("r", qos::at_most_once);
  EXPECT_EQ(sub.pending(), 0u);
}

TEST(broker_faults, wrong_suback_qos) {
  sim s = with(fault::wrong_suback_qos);
  auto& c = s.connected(v311, "a");
  EXPECT_EQ(c.subscribe("t", qos::at_most_once).codes.at(0), reason_code::granted_qos_2);
}

TEST(broker_faults, reorder) {
  sim s = with(fault::reorder);
  auto& sub = s.connected(v311, "s", false);
  sub.subscribe("t", qos::at_least_once);
  sub.send(disconnect{});
  auto& pub = s.connected(v311, "p");
  pub.publish("t", "1", qos::at_least_once, 1);
  pub.publish("t", "2", qos::at_least_once, 2);
  auto& again = s.open(v311);
  again.connect(make_connect(v311, "s", false));
  EXPECT_EQ(again.expect<publish>().payload, "2");
}

TEST(broker_faults, no_dup_on_redelivery) {
  sim s = with(fault::no_dup_on_redelivery);
  auto& sub = s.connected(v311, "s", false);
  sub.subscribe("t", qos::at_least_once);
  auto& pub = s.connected(v311, "p");
  pub.publish("t", "m", qos::at_least_once, 1);
  sub.expect<publish>();
  sub.drop();
  auto& again = s.open(v311);
  again.connect(make_connect(v311, "s", false));
  EXPECT_FALSE(again.expect<publish>().dup);
}

TEST(broker_faults, will_on_disconnect) {
  sim s = with(fault::will_on_disconnect);
  auto& w = s.connected(v311, "w");
  w.subscribe("x", qos::at_most_once);
  auto& c = s.open(v311);
  auto p = make_connect(v311, "v");
  p.will = will_message{"x", "gone", qos::at_most_once, false, {}};
  c.connect(p);
  c.send(disconnect{});
  EXPECT_EQ(w.pending(), 1u);
}

TEST(broker_faults, session_present_always_0) {
  sim s = with(fault::session_present_always_0);
  auto& a = s.connected(v311, "a", false);
  a.send(disconnect{});
  auto& b = s.open(v311);
  EXPECT_FALSE(b.connect(make_connect(v311, "a", false)).session_present);
}

TEST(broker_faults, no_retain_flag_on_subscribe) {
  sim s = with(fault::no_retain_flag_on_subscribe);
  auto& pub = s.connected(v311, "p");
  pub.publish("r", "m", qos::at_most_once, 0, true);
  auto& sub = s.connected(v311, "s");
  sub.subscribe("r", qos::at_most_once);
  EXPECT_FALSE(sub.expect<publish>().retain);
}

TEST(broker_faults, accept_second_connect) {
  sim s = with(fault::accept_second_connect);
  auto& c = s.connected(v311, "a");
  c.send(make_connect(v311, "a"));
  EXPECT_FALSE(c.closed());
}

TEST(broker_faults, accept_reserved_flags) {
  sim s = with(fault::accept_reserved_flags);
  auto& c = s.connected(v311, "a");
  c.raw("c1 00", true);  // PINGREQ with a reserved flag set
  EXPECT_FALSE(c.closed());
  c.expect<pingresp>();
}

}  // namespace
}  // namespace mqtt::broker::test

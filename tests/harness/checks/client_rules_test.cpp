// client_rules (captures): the client's own obligations, and the broker's Keep Alive
// judged from silences.
#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class client_rules_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v = GetParam();
  script s{make_client_rules({}), v};  // keepalive_tolerance 2 s
};

TEST_P(client_rules_test, a_well_behaved_client_has_no_finding) {
  s.connect("c", true, false, /*keepalive=*/10);
  s.at(1).client("c", publish("a/b", "x", qos::at_least_once, 1));
  s.broker("c", ack<mqtt::puback>(1));
  s.at(2).client("c", publish("a/b", "y", qos::at_least_once, 1));  // the id is free again
  s.at(11).client("c", mqtt::pingreq{});
  s.broker("c", mqtt::pingresp{});
  s.at(12).client("c", mqtt::disconnect{});
  s.end("c", false);
  EXPECT_THAT(s.ids(100), IsEmpty());
}

TEST_P(client_rules_test, connect_first) {
  s.new_connection("c");
  s.client("c", mqtt::pingreq{});
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.1.0-1"));
}

TEST_P(client_rules_test, nothing_after_disconnect) {
  s.connect("c");
  s.at(1).client("c", mqtt::disconnect{});
  s.client("c", mqtt::pingreq{});
  EXPECT_THAT(s.ids(10), ElementsAre(pick(v, "MQTT-3.14.4-2", "MQTT-3.14.4-1")));
}

TEST_P(client_rules_test, packet_identifiers) {
  s.connect("c");
  s.at(1).client("c", publish("a/b", "x", qos::at_least_once, 0));
  s.client("c", publish("a/b", "y", qos::at_least_once, 4));
  s.client("c", publish("a/b", "y", qos::at_least_once, 4, /*dup=*/true));  // a resend: fine
  s.client("c", subscribe(4, {filter("a/#", qos::at_most_once)}));         // 4 is in use
  EXPECT_THAT(s.ids(10), ElementsAre(pick(v, "MQTT-2.3.1-1", "MQTT-2.2.1-3"), pick(v, "MQTT-2.3.1-2", "MQTT-2.2.1-3")));
}

TEST_P(client_rules_test, a_client_silent_past_its_keep_alive) {
  s.connect("c", true, false, 10);
  s.at(13).client("c", mqtt::pingreq{});  // 13 s > 10 s + 2 s
  s.broker("c", mqtt::pingresp{});
  s.at(14).end("c", false);
  EXPECT_THAT(s.ids(100), ElementsAre(pick(v, "MQTT-3.1.2-23", "MQTT-3.1.2-20")));
}

TEST_P(client_rules_test, a_broker_that_never_closes_a_silent_client) {
  s.connect("c", true, false, 10);  // silent from 0: due by 17 s, late until 32 s
  auto found = s.finish(40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].spec_id, pick(v, "MQTT-3.1.2-24", "MQTT-3.1.2-22"));
  EXPECT_FALSE(found[0].should);
}

TEST_P(client_rules_test, a_broker_that_closes_late) {
  s.connect("c", true, false, 10);
  s.at(20).end("c", /*by_broker=*/true);
  auto found = s.finish(40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].should);
}

TEST_P(client_rules_test, a_broker_that_closes_in_time_and_a_capture_that_ends_early) {
  s.connect("c", true, false, 10);
  s.at(16).end("c", true);
  s.connect("d", true, false, 10);
  EXPECT_THAT(s.ids(25), IsEmpty());  // d: due at 18 s, not late until 33 s
}

INSTANTIATE_TEST_SUITE_P(versions, client_rules_test, ::testing::Values(protocol_version::v311, protocol_version::v5));

mqtt::connack connack_with(mqtt::property_id id, std::uint32_t value) {
  mqtt::connack a;
  a.props.push_back({id, value});
  return a;
}

TEST(client_rules_v5, the_servers_limits) {
  script s{make_client_rules({}), protocol_version::v5};
  s.new_connection("c");
  s.client("c", mqtt::connect{});
  s.broker("c", connack_with(mqtt::property_id::receive_maximum, 1));
  s.at(1).client("c", publish("a", "1", qos::at_least_once, 1));
  s.client("c", publish("a", "2", qos::at_least_once, 2));  // 2 unacknowledged, Receive Maximum 1
  auto p = publish("a", "3");
  p.props.push_back({mqtt::property_id::topic_alias, 1});  // Topic Alias Maximum 0
  s.client("c", p);
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.3.4-7", "MQTT-3.3.2-9"));
}

TEST(client_rules_v5, maximum_packet_size) {
  script s{make_client_rules({}), protocol_version::v5};
  s.new_connection("c");
  s.client("c", mqtt::connect{});
  s.broker("c", connack_with(mqtt::property_id::maximum_packet_size, 100));
  s.sized("c", false, publish("a", "x"), 100);
  s.sized("c", false, publish("a", "y"), 101);
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.2.2-15"));
}

TEST(limits_v5, the_clients_limits) {
  script s{make_limits({}), protocol_version::v5};
  s.new_connection("c");
  mqtt::connect c;
  c.props.push_back({mqtt::property_id::maximum_packet_size, 50});
  c.props.push_back({mqtt::property_id::topic_alias_maximum, 2});
  s.client("c", c);
  s.broker("c", mqtt::connack{});
  auto p = publish("a", "x");
  p.props.push_back({mqtt::property_id::topic_alias, 2});
  s.sized("c", true, p, 50);  // within both
  p.props.back().number = 3;
  s.sized("c", true, p, 51);
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.1.2-24", "MQTT-3.3.2-11"));
}

}  // namespace
}  // namespace mqttspec::checks::testing

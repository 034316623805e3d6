#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class qos_flow_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v = GetParam();
  script s{make_qos_flow({}), v};  // response_grace 2 s
};

TEST_P(qos_flow_test, every_request_answered) {
  s.connect("c");
  subscribed(s, "c", 1, "a/#", qos::exactly_once);
  s.client("c", publish("a/1", "x", qos::at_least_once, 2));
  s.broker("c", ack<mqtt::puback>(2));
  s.client("c", publish("a/2", "y", qos::exactly_once, 3));
  s.broker("c", ack<mqtt::pubrec>(3));
  s.client("c", ack<mqtt::pubrel>(3));
  s.broker("c", ack<mqtt::pubcomp>(3));
  s.broker("c", publish("a/1", "x", qos::at_least_once, 1));
  s.client("c", ack<mqtt::puback>(1));
  s.broker("c", publish("a/2", "y", qos::exactly_once, 2));
  s.client("c", ack<mqtt::pubrec>(2));
  s.broker("c", ack<mqtt::pubrel>(2));
  s.client("c", ack<mqtt::pubcomp>(2));
  s.client("c", mqtt::pingreq{});
  s.broker("c", mqtt::pingresp{});
  s.client("c", unsubscribe(4, {"a/#"}));
  s.broker("c", unsuback(v, 4));
  EXPECT_THAT(s.ids(100), IsEmpty());
}

TEST_P(qos_flow_test, missing_puback) {
  s.connect("c");
  s.at(1).client("c", publish("a", "x", qos::at_least_once, 2));
  EXPECT_THAT(s.ids(10), ElementsAre(pick(v, "MQTT-4.3.2-2", "MQTT-4.3.2-4")));
}

TEST_P(qos_flow_test, an_answer_still_within_the_grace_is_not_missing) {
  s.connect("c");
  s.at(1).client("c", publish("a", "x", qos::at_least_once, 2));
  EXPECT_THAT(s.ids(2.5), IsEmpty());
}

TEST_P(qos_flow_test, no_answer_expected_on_a_closed_or_excused_connection) {
  s.connect("c");
  s.client("c", publish("a", "x", qos::at_least_once, 2));
  s.end("c", true);  // 3.1.1 MQTT-3.3.5-2: closing instead of acknowledging is allowed
  s.connect("d");
  s.client("d", publish("a", "x", qos::at_least_once, 2));
  s.malformed("d", false, {});
  s.connect("e");
  s.client("e", mqtt::pingreq{});
  s.link("e", link_event::blackhole);
  EXPECT_THAT(s.ids(100), IsEmpty());
}

TEST_P(qos_flow_test, missing_pubrec_pubcomp_suback_unsuback_pingresp) {
  s.connect("c");
  s.client("c", publish("a", "x", qos::exactly_once, 1));
  s.client("c", ack<mqtt::pubrel>(2));
  s.client("c", subscribe(3, {filter("a", qos::at_most_once)}));
  s.client("c", unsubscribe(4, {"a"}));
  s.client("c", mqtt::pingreq{});
  // Reported in the order of the waiting table (by packet type), then PINGREQ.
  EXPECT_THAT(s.ids(10),
              ElementsAre(pick(v, "MQTT-4.3.3-2", "MQTT-4.3.3-8"), pick(v, "MQTT-4.3.3-2", "MQTT-4.3.3-11"),
                          "MQTT-3.8.4-1", "MQTT-3.10.4-4", "MQTT-3.12.4-1"));
}

TEST_P(qos_flow_test, the_wrong_acknowledgement) {
  s.connect("c");
  s.client("c", publish("a", "x", qos::at_least_once, 1));
  s.broker("c", ack<mqtt::pubrec>(1));
  s.client("c", publish("a", "y", qos::exactly_once, 2));
  s.broker("c", ack<mqtt::puback>(2));
  EXPECT_THAT(s.ids(10), ElementsAre(pick(v, "MQTT-4.3.2-2", "MQTT-4.3.2-4"), pick(v, "MQTT-4.3.3-2", "MQTT-4.3.3-8")));
}

TEST_P(qos_flow_test, pubrel_before_the_clients_pubrec) {
  s.connect("c");
  subscribed(s, "c", 1, "a", qos::exactly_once);
  s.broker("c", publish("a", "x", qos::exactly_once, 7));
  s.broker("c", ack<mqtt::pubrel>(7));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-4.3.3-1", "MQTT-4.3.3-4")));
}

TEST_P(qos_flow_test, delivery_above_the_granted_qos) {
  s.connect("sub");
  s.client("sub", subscribe(1, {filter("a", qos::exactly_once)}));
  s.broker("sub", suback(1, {granted(1)}));
  s.connect("pub");
  s.client("pub", publish("a", "x", qos::exactly_once, 1));
  s.broker("sub", publish("a", "x", qos::exactly_once, 1));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-3.8.4-6", "MQTT-3.8.4-8")));
}

TEST_P(qos_flow_test, delivery_above_the_message_qos) {
  s.connect("sub");
  subscribed(s, "sub", 1, "a/+", qos::exactly_once);
  s.connect("pub");
  s.client("pub", publish("a/b", "x", qos::at_least_once, 1));
  s.broker("pub", ack<mqtt::puback>(1));
  s.broker("sub", publish("a/b", "x", qos::exactly_once, 1));
  s.client("sub", publish("a/b", "y", qos::at_most_once));
  s.broker("sub", publish("a/b", "y", qos::at_most_once));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-3.8.4-6", "MQTT-3.8.4-8")));
}

TEST_P(qos_flow_test, downgraded_delivery_is_fine) {
  s.connect("sub");
  subscribed(s, "sub", 1, "a", qos::at_least_once);
  s.connect("pub");
  s.client("pub", publish("a", "x", qos::exactly_once, 1));
  s.broker("sub", publish("a", "x", qos::at_least_once, 1));
  s.client("sub", ack<mqtt::puback>(1));
  EXPECT_THAT(s.ids(1), IsEmpty());
}

MQTTSPEC_BOTH_VERSIONS(qos_flow_test);

}  // namespace
}  // namespace mqttspec::checks::testing

#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class packet_ids_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v = GetParam();
  script s{make_packet_ids({}), v};
};

TEST_P(packet_ids_test, correct_flows_in_both_directions) {
  s.connect("c");
  s.client("c", subscribe(1, {filter("a", qos::exactly_once), filter("b", qos::at_least_once)}));
  s.broker("c", suback(1, {granted(2), granted(1)}));
  s.broker("c", publish("a", "x", qos::at_least_once, 1));
  s.client("c", ack<mqtt::puback>(1));
  s.broker("c", publish("a", "y", qos::at_least_once, 1));  // free again after PUBACK
  s.broker("c", publish("a", "z", qos::exactly_once, 2));
  s.client("c", ack<mqtt::pubrec>(2));
  s.broker("c", ack<mqtt::pubrel>(2));
  s.client("c", ack<mqtt::pubcomp>(2));
  s.client("c", publish("b", "1", qos::at_least_once, 5));
  s.broker("c", ack<mqtt::puback>(5));
  s.client("c", publish("b", "2", qos::exactly_once, 6));
  s.broker("c", ack<mqtt::pubrec>(6));
  s.client("c", ack<mqtt::pubrel>(6));
  s.broker("c", ack<mqtt::pubcomp>(6));
  s.client("c", unsubscribe(7, {"a", "b"}));
  s.broker("c", unsuback(v, 7, 2));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(packet_ids_test, a_new_publish_reuses_an_id_in_use) {
  s.connect("c");
  s.broker("c", publish("a", "x", qos::at_least_once, 1));
  s.broker("c", publish("a", "y", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-2.3.1-4", "MQTT-2.2.1-4")));
}

TEST_P(packet_ids_test, an_id_stays_in_use_until_pubcomp_across_a_reconnect) {
  s.connect("c", /*clean=*/false);
  s.broker("c", publish("a", "x", qos::exactly_once, 3));
  s.client("c", ack<mqtt::pubrec>(3));
  s.end("c", false);
  s.connect("c", /*clean=*/false, /*session_present=*/true);
  s.broker("c", ack<mqtt::pubrel>(3));                        // resent PUBREL: fine
  s.broker("c", publish("a", "new", qos::at_least_once, 3));  // still in use
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-2.3.1-4", "MQTT-2.2.1-4")));
}

TEST_P(packet_ids_test, a_resend_with_dup_keeps_its_id) {
  s.connect("c", false);
  s.broker("c", publish("a", "x", qos::at_least_once, 1));
  s.end("c", false);
  s.connect("c", false, true);
  s.broker("c", publish("a", "x", qos::at_least_once, 1, /*dup=*/true));
  s.client("c", ack<mqtt::puback>(1));
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(packet_ids_test, a_lost_session_frees_every_id) {
  s.connect("c", false);
  s.broker("c", publish("a", "x", qos::at_least_once, 1));
  s.end("c", false);
  s.connect("c", true, false);
  s.broker("c", publish("a", "y", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(packet_ids_test, acks_with_the_wrong_id) {
  s.connect("c");
  s.client("c", publish("b", "1", qos::at_least_once, 5));
  s.broker("c", ack<mqtt::puback>(6));
  s.broker("c", ack<mqtt::pubrel>(9));
  s.broker("c", ack<mqtt::pubcomp>(5));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-2.3.1-6", "MQTT-2.2.1-5"), pick(v, "MQTT-2.3.1-6", "MQTT-2.2.1-5"),
                                    pick(v, "MQTT-4.3.3-2", "MQTT-4.3.3-11")));
}

TEST_P(packet_ids_test, an_ack_of_the_wrong_type_is_left_to_qos_flow) {
  s.connect("c");
  s.client("c", publish("b", "1", qos::at_least_once, 5));
  s.broker("c", ack<mqtt::pubrec>(5));
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(packet_ids_test, suback_and_unsuback_with_the_wrong_id) {
  s.connect("c");
  s.client("c", subscribe(1, {filter("a", qos::at_most_once)}));
  s.broker("c", suback(2, {granted(0)}));
  s.client("c", unsubscribe(3, {"a"}));
  s.broker("c", unsuback(v, 4));
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.8.4-2", pick(v, "MQTT-3.10.4-4", "MQTT-3.10.4-5")));
}

TEST_P(packet_ids_test, suback_with_too_few_codes) {
  s.connect("c");
  s.client("c", subscribe(1, {filter("a", qos::at_most_once), filter("b", qos::at_most_once)}));
  s.broker("c", suback(1, {granted(0)}));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-3.8.4-5", "MQTT-3.8.4-6")));
}

TEST(packet_ids_v5, unsuback_with_too_many_codes) {
  script s{make_packet_ids({}), protocol_version::v5};
  s.connect("c");
  s.client("c", unsubscribe(1, {"a"}));
  s.broker("c", unsuback(protocol_version::v5, 1, 2));
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.11.3-2"));
}

TEST(packet_ids_v5, more_unacknowledged_publishes_than_receive_maximum) {
  script s{make_packet_ids({}), protocol_version::v5};
  s.new_connection("c");
  mqtt::connect c;
  c.props.push_back({mqtt::property_id::receive_maximum, 2});
  s.client("c", c);
  s.broker("c", mqtt::connack{});
  s.broker("c", publish("a", "1", qos::at_least_once, 1));
  s.broker("c", publish("a", "2", qos::exactly_once, 2));
  s.client("c", ack<mqtt::puback>(1));
  s.broker("c", publish("a", "3", qos::at_least_once, 3));  // 2 in flight: fine
  s.broker("c", publish("a", "4", qos::at_least_once, 4));  // 3 in flight
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.3.4-9"));
}

MQTTSPEC_BOTH_VERSIONS(packet_ids_test);

}  // namespace
}  // namespace mqttspec::checks::testing

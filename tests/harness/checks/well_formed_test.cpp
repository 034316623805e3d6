#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class well_formed_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v = GetParam();
  script s{make_well_formed({}), v};
};

TEST_P(well_formed_test, a_correct_connection_reports_nothing) {
  s.connect("c");
  s.client("c", subscribe(1, {filter("a", qos::at_least_once)}));
  s.broker("c", suback(1, {granted(1)}));
  s.broker("c", publish("a", "x", qos::at_least_once, 1));
  s.client("c", mqtt::pingreq{});
  s.broker("c", mqtt::pingresp{});
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(well_formed_test, a_packet_before_connack) {
  s.new_connection("c");
  s.client("c", mqtt::connect{.version = v});
  s.broker("c", publish("a", "x"));
  s.broker("c", publish("a", "y"));  // one report per connection
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.2.0-1"));
}

TEST_P(well_formed_test, a_second_connack) {
  s.connect("c");
  s.broker("c", mqtt::connack{});
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "", "MQTT-3.2.0-2")));
}

TEST_P(well_formed_test, a_packet_after_a_refusing_connack) {
  s.new_connection("c");
  s.client("c", mqtt::connect{.version = v});
  auto refusal = v == protocol_version::v311 ? static_cast<mqtt::reason_code>(5) : mqtt::reason_code::not_authorized;
  s.broker("c", mqtt::connack{.code = refusal});
  s.broker("c", mqtt::pingresp{});
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-3.2.2-5", "MQTT-3.2.2-7")));
}

TEST_P(well_formed_test, session_present_after_clean_start) {
  s.connect("c", /*clean=*/true, /*session_present=*/true);
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-3.2.2-1", "MQTT-3.2.2-2")));
}

TEST_P(well_formed_test, session_present_after_clean_start_0_is_fine) {
  s.connect("c", /*clean=*/false, /*session_present=*/true);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(well_formed_test, client_only_packets_from_the_broker) {
  s.connect("c");
  s.broker("c", mqtt::pingreq{});
  s.broker("c", subscribe(1, {filter("a", qos::at_most_once)}));
  auto found = s.finish(1);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].spec_id, "");  // Table 2.1 has no numbered statement
  EXPECT_EQ(found[0].message, "section 2.1.2: a Server never sends PINGREQ");
  EXPECT_EQ(found[1].message, "section 2.1.2: a Server never sends SUBSCRIBE");
}

TEST_P(well_formed_test, packets_after_the_brokers_disconnect) {
  s.connect("c");
  s.broker("c", mqtt::disconnect{.code = mqtt::reason_code::server_shutting_down});
  s.broker("c", mqtt::pingresp{});
  s.broker("c", mqtt::pingresp{});
  if (v == protocol_version::v311)  // a 3.1.1 Server never sends DISCONNECT at all
    EXPECT_THAT(s.ids(1), ElementsAre(""));
  else
    EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.14.4-1"));
}

TEST_P(well_formed_test, undecodable_bytes_from_the_broker_only) {
  s.connect("c");
  s.malformed("c", /*from_broker=*/false, {mqtt::reason_code::malformed_packet, "MQTT-2.2.2-2", "bad flags"});
  s.malformed("c", /*from_broker=*/true, {mqtt::reason_code::malformed_packet, "MQTT-3.3.1-4", "QoS 3"});
  auto found = s.finish(1);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].spec_id, "MQTT-3.3.1-4");
  EXPECT_EQ(found[0].client, "c");
}

TEST(well_formed_v5, disconnect_before_connack) {
  script s{make_well_formed({}), protocol_version::v5};
  s.new_connection("c");
  s.client("c", mqtt::connect{});
  s.broker("c", mqtt::disconnect{.code = mqtt::reason_code::server_busy});
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.14.0-1"));
}

TEST(well_formed_v5, auth_without_an_authentication_method) {
  script s{make_well_formed({}), protocol_version::v5};
  s.connect("c");
  s.broker("c", mqtt::auth{.code = mqtt::reason_code::continue_authentication});
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-4.12.0-6"));
}

TEST(well_formed_v5, auth_before_connack_with_a_method_is_fine) {
  script s{make_well_formed({}), protocol_version::v5};
  s.new_connection("c");
  mqtt::connect c;
  c.props.push_back({mqtt::property_id::authentication_method, 0, "SCRAM", ""});
  s.client("c", c);
  s.broker("c", mqtt::auth{.code = mqtt::reason_code::continue_authentication});
  s.client("c", mqtt::auth{.code = mqtt::reason_code::continue_authentication});
  s.broker("c", mqtt::connack{});
  EXPECT_THAT(s.ids(1), IsEmpty());
}

MQTTSPEC_BOTH_VERSIONS(well_formed_test);

}  // namespace
}  // namespace mqttspec::checks::testing

// A connection observed from its middle (a capture that started late): what came
// before is unknown, and the checkers do not blame the broker for it.
#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class joined_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  protocol_version v = GetParam();
};

TEST_P(joined_test, packets_before_any_connack_are_no_finding_once_joined) {
  script s{make_well_formed({}), v};
  s.joined("device");
  s.broker("device", publish("a/b", "x"));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(joined_test, without_the_join_the_same_packet_breaks_connack_first) {
  script s{make_well_formed({}), v};
  s.new_connection("device");
  s.broker("device", publish("a/b", "x"));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.2.0-1"));
}

TEST_P(joined_test, the_first_connack_after_the_join_is_not_a_second_one) {
  script s{make_well_formed({}), v};
  s.joined("device");  // the capture lost the CONNECT
  s.broker("device", mqtt::connack{});
  s.broker("device", mqtt::connack{});
  EXPECT_EQ(s.finish(10).size(), 1u);  // the second one only
}

TEST_P(joined_test, an_ack_of_a_request_before_the_join_is_no_finding) {
  script s{make_packet_ids({}), v};
  s.joined("device");
  s.broker("device", ack<mqtt::puback>(7));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(joined_test, requests_after_the_join_are_still_judged) {
  script s{make_qos_flow({}), v};
  s.joined("device");
  s.at(1).client("device", publish("a/b", "x", qos::at_least_once, 3));
  EXPECT_THAT(s.ids(10), ElementsAre(pick(v, "MQTT-4.3.2-2", "MQTT-4.3.2-4")));
}

INSTANTIATE_TEST_SUITE_P(versions, joined_test, ::testing::Values(protocol_version::v311, protocol_version::v5));

}  // namespace
}  // namespace mqttspec::checks::testing

#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class exactly_once_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  void SetUp() override {
    s.connect("sub", /*clean=*/false);
    subscribed(s, "sub", 1, "a", qos::exactly_once);
    s.connect("pub");
    s.client("pub", publish("a", "m", qos::exactly_once, 1));
    s.broker("pub", ack<mqtt::pubrec>(1));
  }
  void complete(std::uint16_t id) {
    s.client("sub", ack<mqtt::pubrec>(id));
    s.broker("sub", ack<mqtt::pubrel>(id));
    s.client("sub", ack<mqtt::pubcomp>(id));
  }
  void reconnect_sub() {
    s.end("sub", false);
    s.connect("sub", false, /*session_present=*/true);
  }
  protocol_version v = GetParam();
  script s{make_exactly_once({}), v};
};

TEST_P(exactly_once_test, one_delivery) {
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  complete(1);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(exactly_once_test, a_resend_with_dup_after_reconnect) {
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  s.client("sub", ack<mqtt::pubrec>(1));  // lost with the connection
  reconnect_sub();
  s.broker("sub", publish("a", "m", qos::exactly_once, 1, /*dup=*/true));
  complete(1);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(exactly_once_test, the_same_payload_published_twice_may_arrive_twice) {
  s.client("pub", publish("a", "m", qos::exactly_once, 2));
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  complete(1);
  s.broker("sub", publish("a", "m", qos::exactly_once, 2));
  complete(2);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(exactly_once_test, a_second_delivery_as_a_new_message) {
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  complete(1);
  reconnect_sub();
  s.broker("sub", publish("a", "m", qos::exactly_once, 2));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-4.3.3-2", "MQTT-4.3.3-10")));
}

TEST_P(exactly_once_test, a_publisher_resend_must_not_be_forwarded_again) {
  s.client("pub", publish("a", "m", qos::exactly_once, 1, /*dup=*/true));  // PUBREC was lost
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  s.broker("sub", publish("a", "m", qos::exactly_once, 2));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-4.3.3-2", "MQTT-4.3.3-10")));
}

TEST_P(exactly_once_test, a_resend_after_pubrel) {
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  s.client("sub", ack<mqtt::pubrec>(1));
  s.broker("sub", ack<mqtt::pubrel>(1));
  reconnect_sub();
  s.broker("sub", publish("a", "m", qos::exactly_once, 1, true));
  EXPECT_THAT(s.ids(1), ElementsAre(pick(v, "MQTT-4.3.3-1", "MQTT-4.3.3-6")));
}

TEST_P(exactly_once_test, a_resend_without_dup) {
  s.broker("sub", publish("a", "m", qos::exactly_once, 1));
  reconnect_sub();
  s.broker("sub", publish("a", "m", qos::exactly_once, 1, /*dup=*/false));
  EXPECT_THAT(s.ids(1), ElementsAre("MQTT-3.3.1-1"));
}

TEST_P(exactly_once_test, retained_copies_on_resubscribe_are_not_duplicates) {
  s.client("pub", publish("a", "r", qos::exactly_once, 2, false, /*retain=*/true));
  s.broker("sub", publish("a", "r", qos::exactly_once, 1));
  complete(1);
  subscribed(s, "sub", 2, "a", qos::exactly_once);
  s.broker("sub", publish("a", "r", qos::exactly_once, 2, false, true));
  complete(2);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

MQTTSPEC_BOTH_VERSIONS(exactly_once_test);

}  // namespace
}  // namespace mqttspec::checks::testing

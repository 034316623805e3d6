#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class at_least_once_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  void SetUp() override {
    s.connect("sub", /*clean=*/false);
    subscribed(s, "sub", 1, "a/#", qos::at_least_once);
    s.connect("pub");
  }
  void publish_acked(double at, std::string_view payload, std::uint16_t id) {
    s.at(at).client("pub", publish("a/b", payload, qos::at_least_once, id));
    s.broker("pub", ack<mqtt::puback>(id));
  }
  protocol_version v = GetParam();
  script s{make_at_least_once({}), v};  // response_grace 2 s
};

TEST_P(at_least_once_test, delivered) {
  publish_acked(1, "x", 1);
  s.broker("sub", publish("a/b", "x", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(at_least_once_test, delivered_after_a_reconnect_with_the_session) {
  s.at(0.5).end("sub", false);
  publish_acked(1, "x", 1);
  s.at(2).connect("sub", false, true);
  s.broker("sub", publish("a/b", "x", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(at_least_once_test, never_delivered) {
  publish_acked(1, "x", 1);
  s.broker("sub", publish("a/b", "other", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-4.5.0-1"));
}

TEST_P(at_least_once_test, qos_2_never_delivered) {
  s.at(1).client("pub", publish("a/c", "x", qos::exactly_once, 1));
  s.broker("pub", ack<mqtt::pubrec>(1));
  auto found = s.finish(10);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].spec_id, "MQTT-4.5.0-1");
  EXPECT_EQ(found[0].client, "sub");
}

TEST_P(at_least_once_test, not_owed) {
  publish_acked(9, "late", 1);  // accepted within the grace before the end
  s.at(1).client("pub", publish("a/b", "refused", qos::at_least_once, 2));
  s.broker("pub", ack<mqtt::puback>(2, mqtt::reason_code::not_authorized));  // not accepted
  s.client("pub", publish("b", "unmatched", qos::at_least_once, 3));
  s.broker("pub", ack<mqtt::puback>(3));
  s.client("pub", publish("a/b", "qos0", qos::at_most_once));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(at_least_once_test, subscribers_excused) {
  s.connect("late");  // subscribes after the publish was sent
  s.connect("gone");
  subscribed(s, "gone", 1, "a/#", qos::at_least_once);
  s.connect("q0");
  subscribed(s, "q0", 1, "a/#", qos::at_most_once);
  s.connect("clean");
  subscribed(s, "clean", 1, "a/#", qos::at_least_once);
  publish_acked(1, "x", 1);
  subscribed(s, "late", 1, "a/#", qos::at_least_once);
  s.end("gone", true);
  s.end("clean", true);
  s.connect("clean", true, false);  // the session and its subscription are gone
  s.broker("sub", publish("a/b", "x", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

MQTTSPEC_BOTH_VERSIONS(at_least_once_test);

}  // namespace
}  // namespace mqttspec::checks::testing

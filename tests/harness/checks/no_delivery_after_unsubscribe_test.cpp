#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class no_delivery_after_unsubscribe_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  void SetUp() override {
    s.connect("sub");
    subscribed(s, "sub", 1, "a/+", qos::at_least_once);
    s.connect("pub");
    s.at(1).client("pub", publish("a/b", "before", qos::at_least_once, 1));
    s.at(2).client("sub", unsubscribe(2, {"a/+"}));
    s.at(3).broker("sub", unsuback(v, 2));
    s.at(4).client("pub", publish("a/b", "after", qos::at_least_once, 2));
  }
  protocol_version v = GetParam();
  script s{make_no_delivery_after_unsubscribe({}), v};
};

TEST_P(no_delivery_after_unsubscribe_test, a_message_queued_before_may_still_arrive) {
  s.at(5).broker("sub", publish("a/b", "before", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(no_delivery_after_unsubscribe_test, a_message_published_after_the_unsuback) {
  s.at(5).broker("sub", publish("a/b", "after", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.10.4-2"));
}

TEST_P(no_delivery_after_unsubscribe_test, another_filter_still_matches) {
  s.at(4.5);
  subscribed(s, "sub", 3, "a/#", qos::at_least_once);
  s.at(5).broker("sub", publish("a/b", "after", qos::at_least_once, 1));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

MQTTSPEC_BOTH_VERSIONS(no_delivery_after_unsubscribe_test);

}  // namespace
}  // namespace mqttspec::checks::testing

#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ordering_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  void SetUp() override {
    s.connect("sub");
    subscribed(s, "sub", 1, "t/#", qos::at_least_once);
    s.connect("p");
    s.connect("q");
    s.client("p", publish("t/a", "1", qos::at_least_once, 1));
    s.client("q", publish("t/a", "q1", qos::at_least_once, 1));
    s.client("p", publish("t/a", "2", qos::at_least_once, 2));
    s.client("q", publish("t/a", "q2", qos::at_least_once, 2));
    s.client("p", publish("t/a", "3", qos::at_least_once, 3));
  }
  void deliver(std::string_view payload, std::uint16_t id, bool dup = false) {
    s.broker("sub", publish("t/a", payload, qos::at_least_once, id, dup));
  }
  protocol_version v = GetParam();
  script s{make_ordering({}), v};
};

TEST_P(ordering_test, in_order_per_publisher) {
  deliver("q1", 1);
  deliver("1", 2);
  deliver("2", 3);
  deliver("q2", 4);
  deliver("3", 5);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

TEST_P(ordering_test, reordered) {
  deliver("1", 1);
  deliver("3", 2);
  deliver("2", 3);
  deliver("q2", 4);
  deliver("q1", 5);
  auto found = s.finish(1);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].spec_id, pick(v, "MQTT-4.6.0-6", "MQTT-4.6.0-5"));
  EXPECT_EQ(found[0].message, "on \"t/a\" from p: payload \"2\" delivered after \"3\", which was published after it");
  EXPECT_EQ(found[1].spec_id, pick(v, "MQTT-4.6.0-6", "MQTT-4.6.0-5"));
}

TEST_P(ordering_test, resends_and_overlapping_subscriptions_are_not_judged) {
  deliver("2", 1);
  deliver("1", 2, /*dup=*/true);
  subscribed(s, "sub", 2, "t/a", qos::at_least_once);
  deliver("1", 3);
  EXPECT_THAT(s.ids(1), IsEmpty());
}

MQTTSPEC_BOTH_VERSIONS(ordering_test);

}  // namespace
}  // namespace mqttspec::checks::testing

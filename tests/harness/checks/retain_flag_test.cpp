#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// sub subscribes at 1 s (SUBACK at 1 s); pub publishes at 2 s.
script live(protocol_version v, bool retain_as_published = false) {
  script s{make_retain_flag({}), v};
  s.connect("sub");
  s.connect("pub");
  s.at(1).client("sub", subscribe(1, {filter("a", qos::at_least_once, retain_as_published)}));
  s.broker("sub", suback(1, {granted(1)}));
  return s;
}

TEST(retain_flag_v311, live_delivery_with_retain_0) {
  auto s = live(protocol_version::v311);
  s.at(2).client("pub", publish("a", "x", qos::at_least_once, 1, false, /*retain=*/true));
  s.at(3).broker("sub", publish("a", "x", qos::at_least_once, 1, false, false));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST(retain_flag_v311, live_delivery_with_retain_1) {
  auto s = live(protocol_version::v311);
  s.at(2).client("pub", publish("a", "x", qos::at_least_once, 1, false, true));
  s.at(3).broker("sub", publish("a", "x", qos::at_least_once, 1, false, true));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.3.1-9"));
}

TEST(retain_flag_v311, a_new_subscription_may_get_the_retained_copy_with_retain_1) {
  auto s = live(protocol_version::v311);
  s.at(2).client("pub", publish("a", "x", qos::at_least_once, 1, false, true));
  s.at(3).broker("sub", publish("a", "x", qos::at_least_once, 1, false, false));
  s.at(4).client("sub", subscribe(2, {filter("a", qos::at_least_once)}));
  s.broker("sub", suback(2, {granted(1)}));
  s.broker("sub", publish("a", "x", qos::at_least_once, 2, false, true));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST(retain_flag_v311, a_retained_message_sent_on_subscribe_with_retain_0) {
  script s{make_retain_flag({}), protocol_version::v311};
  s.connect("sub");
  s.connect("pub");
  s.at(1).client("pub", publish("r", "x", qos::at_least_once, 1, false, true));
  s.broker("pub", ack<mqtt::puback>(1));
  s.at(2).client("sub", subscribe(1, {filter("r", qos::at_least_once)}));
  s.broker("sub", suback(1, {granted(1)}));
  s.broker("sub", publish("r", "x", qos::at_least_once, 1, false, false));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.3.1-8"));
}

TEST(retain_flag_v311, unknown_timing_is_not_judged) {
  script s{make_retain_flag({}), protocol_version::v311};
  s.connect("sub");
  s.connect("pub");
  s.at(1).client("pub", publish("r", "x", qos::at_most_once, 0, false, true));  // QoS 0: no ack
  s.at(2).client("sub", subscribe(1, {filter("r", qos::at_least_once)}));
  s.broker("sub", suback(1, {granted(1)}));
  s.broker("sub", publish("r", "x", qos::at_most_once, 0, false, false));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST(retain_flag_v5, retain_as_published_0) {
  auto s = live(protocol_version::v5, false);
  s.at(2).client("pub", publish("a", "x", qos::at_least_once, 1, false, true));
  s.at(3).broker("sub", publish("a", "x", qos::at_least_once, 1, false, true));
  s.at(4).client("pub", publish("a", "y", qos::at_least_once, 2, false, true));
  s.at(5).broker("sub", publish("a", "y", qos::at_least_once, 2, false, false));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.3.1-12"));
}

TEST(retain_flag_v5, retain_as_published_1) {
  auto s = live(protocol_version::v5, true);
  s.at(2).client("pub", publish("a", "x", qos::at_least_once, 1, false, true));
  s.at(3).broker("sub", publish("a", "x", qos::at_least_once, 1, false, false));
  s.at(4).client("pub", publish("a", "y", qos::at_least_once, 2, false, true));
  s.at(5).broker("sub", publish("a", "y", qos::at_least_once, 2, false, true));
  s.at(6).client("pub", publish("a", "z", qos::at_least_once, 3, false, false));
  s.at(7).broker("sub", publish("a", "z", qos::at_least_once, 3, false, false));
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.3.1-13"));
}

TEST(retain_flag_v5, a_retained_message_sent_on_subscribe) {
  script s{make_retain_flag({}), protocol_version::v5};
  s.connect("sub");
  s.connect("pub");
  s.at(1).client("pub", publish("r", "x", qos::at_least_once, 1, false, true));
  s.broker("pub", ack<mqtt::puback>(1));
  s.at(2).client("sub", subscribe(1, {filter("r", qos::at_least_once)}));
  s.broker("sub", suback(1, {granted(1)}));
  s.broker("sub", publish("r", "x", qos::at_least_once, 1, false, true));
  EXPECT_THAT(s.ids(10), IsEmpty());
}

}  // namespace
}  // namespace mqttspec::checks::testing

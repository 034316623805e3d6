#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "victim" connects with a QoS 1 will on status/victim; "watcher" subscribes to status/#.
class will_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  void SetUp() override {
    s.connect("watcher");
    subscribed(s, "watcher", 1, "status/#", qos::at_least_once);
    s.at(1).new_connection("victim");
    s.client("victim", connect_with_will({}));
    s.broker("victim", mqtt::connack{});
  }
  mqtt::connect connect_with_will(mqtt::properties will_props) {
    mqtt::connect c;
    c.version = v;
    c.client_id = "victim";
    mqtt::will_message w;
    w.topic = "status/victim";
    w.payload = "gone";
    w.qos = qos::at_least_once;
    w.props = std::move(will_props);
    c.will = w;
    return c;
  }
  void will_delivered(double at) { s.at(at).broker("watcher", publish("status/victim", "gone", qos::at_least_once, 7)); }
  protocol_version v = GetParam();
  script s{make_will({}), v};  // response_grace 2 s
};

TEST_P(will_test, published_after_a_dropped_connection) {
  s.at(2).end("victim", /*by_broker=*/false);
  will_delivered(2.1);
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(will_test, never_published_after_a_dropped_connection) {
  s.at(2).end("victim", false);
  auto found = s.finish(10);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].spec_id, "MQTT-3.1.2-8");
  EXPECT_EQ(found[0].client, "watcher");
}

TEST_P(will_test, published_after_a_normal_disconnect) {
  s.at(2).client("victim", mqtt::disconnect{});
  s.end("victim", false);
  will_delivered(2.1);
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.14.4-3"));
}

TEST_P(will_test, not_published_after_a_normal_disconnect) {
  s.at(2).client("victim", mqtt::disconnect{});
  s.end("victim", false);
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(will_test, silent_when_a_client_published_the_same_message) {
  s.at(1.5).client("watcher", publish("status/victim", "gone", qos::at_most_once));
  s.at(2).client("victim", mqtt::disconnect{});
  will_delivered(2.1);
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(will_test, silent_when_the_end_is_within_the_grace) {
  s.at(9).end("victim", false);
  EXPECT_THAT(s.ids(10), IsEmpty());
}

TEST_P(will_test, silent_for_a_refused_connection) {
  s.at(1.2).new_connection("late");
  auto c = connect_with_will({});
  c.client_id = "late";
  s.client("late", c);
  mqtt::connack refused;
  refused.code = v == protocol_version::v5 ? mqtt::reason_code::not_authorized
                                           : static_cast<mqtt::reason_code>(5);
  s.broker("late", refused);
  s.at(1.3).end("late", true);
  s.at(2).client("victim", mqtt::disconnect{});
  EXPECT_THAT(s.ids(10), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(versions, will_test, ::testing::Values(protocol_version::v311, protocol_version::v5));

TEST(will_v5, disconnect_with_will_message_still_owes_it) {
  script s{make_will({}), protocol_version::v5};
  s.connect("watcher");
  subscribed(s, "watcher", 1, "status/#", qos::at_least_once);
  s.at(1).new_connection("victim");
  mqtt::connect c;
  c.client_id = "victim";
  mqtt::will_message w;
  w.topic = "status/victim";
  w.payload = "gone";
  w.qos = qos::at_least_once;
  c.will = w;
  s.client("victim", c);
  s.broker("victim", mqtt::connack{});
  mqtt::disconnect d;
  d.code = mqtt::reason_code::disconnect_with_will_message;
  s.at(2).client("victim", d);
  s.end("victim", false);
  EXPECT_THAT(s.ids(10), ElementsAre("MQTT-3.1.2-8"));
}

}  // namespace
}  // namespace mqttspec::checks::testing

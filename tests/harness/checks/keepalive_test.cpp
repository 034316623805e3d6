#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Keep Alive 10 s: deadline 15 s after the last packet, plus the 2 s tolerance.
class keepalive_test : public ::testing::TestWithParam<protocol_version> {
 protected:
  void SetUp() override {
    s.connect("c", true, false, /*keepalive=*/10);
    s.at(3).client("c", mqtt::pingreq{});
    s.at(4).link("c", link_event::blackhole);
  }
  protocol_version v = GetParam();
  script s{make_keepalive({}), v};
};

TEST_P(keepalive_test, closed_in_time) {
  s.at(5).client("c", mqtt::pingreq{});  // lost in the blackhole
  s.at(18.5).end("c", true);
  EXPECT_THAT(s.ids(30), IsEmpty());
}

TEST_P(keepalive_test, never_closed) {
  auto found = s.finish(40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].spec_id, pick(v, "MQTT-3.1.2-24", "MQTT-3.1.2-22"));
  EXPECT_EQ(found[0].at, std::chrono::seconds(20));
  EXPECT_FALSE(found[0].should);
  EXPECT_EQ(found[0].message,
            "Keep Alive 10 s, nothing received since 3.0 s: connection still open at 40.0 s, deadline 20.0 s "
            "(1.5 x Keep Alive + tolerance)");
}

// The deadline is 20 s; another 1.5 x Keep Alive (35 s) is late but meets the MUST.
TEST_P(keepalive_test, closed_late_is_non_strict) {
  s.at(21).end("c", true);
  auto found = s.finish(40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].spec_id, pick(v, "MQTT-3.1.2-24", "MQTT-3.1.2-22"));
  EXPECT_TRUE(found[0].should);
  EXPECT_EQ(found[0].message,
            "Keep Alive 10 s, nothing received since 3.0 s: connection closed only at 21.0 s, deadline 20.0 s "
            "(1.5 x Keep Alive + tolerance); late, but before 35.0 s (deadline + 1.5 x Keep Alive)");
}

TEST_P(keepalive_test, closed_too_late) {
  s.at(35.5).end("c", true);
  auto found = s.finish(40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].should);
}

TEST_P(keepalive_test, the_harness_closing_it_is_not_the_brokers_close) {
  s.at(36).end("c", false);  // the case ended and closed the connection itself
  auto found = s.finish(40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].should);
  EXPECT_NE(found[0].message.find("connection still open at 36.0 s"), std::string::npos) << found[0].message;
}

TEST_P(keepalive_test, still_open_at_an_early_end_is_late) {
  auto found = s.finish(30);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].should);
}

TEST_P(keepalive_test, the_case_ended_before_the_deadline) { EXPECT_THAT(s.ids(19), IsEmpty()); }

TEST_P(keepalive_test, restored_before_the_deadline) {
  s.at(10).link("c", link_event::restore);
  s.at(11).client("c", mqtt::pingreq{});
  EXPECT_THAT(s.ids(30), IsEmpty());
}

TEST_P(keepalive_test, silence_without_a_blackhole_is_not_judged) {
  script quiet{make_keepalive({}), v};
  quiet.connect("c", true, false, 10);
  EXPECT_THAT(quiet.ids(100), IsEmpty());
}

TEST_P(keepalive_test, keepalive_0_means_no_timeout) {
  script quiet{make_keepalive({}), v};
  quiet.connect("c", true, false, 0);
  quiet.at(1).link("c", link_event::blackhole);
  EXPECT_THAT(quiet.ids(1000), IsEmpty());
}

TEST(keepalive_v5, server_keep_alive_replaces_the_clients) {
  script s{make_keepalive({}), protocol_version::v5};
  s.new_connection("c");
  s.client("c", mqtt::connect{.keep_alive = 60});
  mqtt::connack a;
  a.props.push_back({mqtt::property_id::server_keep_alive, 4});
  s.broker("c", a);
  s.at(1).link("c", link_event::blackhole);
  s.at(20).end("c", true);  // deadline 0 + 6 + 2 s
  EXPECT_THAT(s.ids(30), ElementsAre("MQTT-3.1.2-22"));
}

MQTTSPEC_BOTH_VERSIONS(keepalive_test);

}  // namespace
}  // namespace mqttspec::checks::testing

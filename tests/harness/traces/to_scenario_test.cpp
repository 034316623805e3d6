// A capture as a scenario: any bytes survive the YAML, the steps wait where the
// capture's client waited, connection endings are kept, what cannot be replayed is
// listed, and the scenario passes against a broker that answers as recorded and fails
// against one that does not.
#include "harness/traces/to_scenario.hpp"
#include "packets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <random>

#include "harness/run/runner.hpp"
#include "harness/scenario/loader.hpp"

namespace mqttspec::traces {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using mqtt::qos;
using std::chrono::milliseconds;

// One connection of a capture: packets at 10 ms steps unless a time is given; frames
// numbered across the whole capture.
struct capture {
  trace_file t;
  std::uint64_t frame = 0;
  connection_trace& open(std::string client_id, mqtt::protocol_version v = mqtt::protocol_version::v5) {
    auto& c = t.connections.emplace_back();
    c.client = "127.0.0.1:" + std::to_string(40000 + t.connections.size());
    c.client_id = std::move(client_id);
    version = v;
    return c;
  }
  capture& client(connection_trace& c, mqtt::packet p, std::int64_t ms = -1) { return add(c, false, std::move(p), ms); }
  capture& broker(connection_trace& c, mqtt::packet p, std::int64_t ms = -1) { return add(c, true, std::move(p), ms); }
  capture& add(connection_trace& c, bool from_broker, mqtt::packet p, std::int64_t ms) {
    now = ms >= 0 ? ms : now + 10;
    c.bytes.emplace_back(mqtt::encode(p, version));
    c.packets.push_back({milliseconds(now), from_broker, version, std::move(p), ++frame});
    return *this;
  }
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  std::int64_t now = 0;
};

using test::ack;
using test::connect;
using test::publish;

mqtt::subscribe subscribe(std::string_view filter, qos q, std::uint16_t id) {
  mqtt::subscribe s;
  s.packet_id = id;
  s.topics.push_back({filter, q});
  return s;
}
mqtt::suback suback(std::uint16_t id, mqtt::reason_code code) {
  mqtt::suback a;
  a.packet_id = id;
  a.codes = {code};
  return a;
}

scenario::load_result load(const scenario_text& s) { return scenario::load_text(s.yaml, "replay.yaml"); }

TEST(to_scenario, any_bytes_survive_the_yaml) {
  const std::string huge(1 << 20, 'x');
  const std::vector<std::string> payloads = {
      std::string("\x00\xff\x10 binary", 10), "line\nbreak \"quoted\" \\ back\ttab", "sep \xe2\x80\xa8 here",
      "\xef\xbb\xbf" "bom", "c1 \xc2\x85 next line", "# not a comment: {[&*!|>'%@`", huge, ""};
  capture cap;
  auto& c = cap.open("odd \"id\"");
  cap.client(c, connect("odd \"id\"")).broker(c, mqtt::connack{});
  cap.client(c, subscribe("t/\xc3\xa9/#", qos::at_least_once, 1)).broker(c, suback(1, mqtt::reason_code::granted_qos_1));
  for (const auto& p : payloads) cap.client(c, publish("t/\xc3\xa9/x", p)).broker(c, publish("t/\xc3\xa9/x", p));
  const auto s = to_scenario(cap.t, {});
  const auto loaded = load(s);
  ASSERT_TRUE(loaded.problems.empty()) << to_string(loaded.problems.front());
  ASSERT_EQ(loaded.scenarios.size(), 1u);
  const auto& sc = loaded.scenarios.front();
  EXPECT_EQ(sc.clients.front().client_id, "odd \"id\"");
  std::vector<std::string> sent, expected;
  for (const auto& st : sc.steps) {
    if (const auto* p = std::get_if<scenario::publish_step>(&st.what)) sent.push_back(p->payload);
    if (const auto* e = std::get_if<scenario::expect_packet_step>(&st.what))
      expected.push_back(e->fields.at("payload").values.front());
  }
  EXPECT_EQ(sent, payloads);
  EXPECT_EQ(expected, payloads);
}

// Hostile captures: random bytes in client ids, topics, filters, payloads, will and
// user properties. The YAML always loads, and every payload comes back byte for byte.
TEST(to_scenario, random_bytes_anywhere_give_yaml_that_loads) {
  std::mt19937 rng(7);
  const auto bytes = [&](std::size_t max) {
    std::string s(rng() % (max + 1), '\0');
    static constexpr std::string_view common = "a/#+ \"\\:{}[]-\n\t\xc3\xa9\xe2\x80\xa8";
    for (auto& c : s) c = static_cast<char>(rng() % 4 ? common[rng() % common.size()] : rng());
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    std::deque<std::string> keep;  // the packets' views
    const auto text = [&](std::size_t max) -> std::string_view { return keep.emplace_back(bytes(max)); };
    capture cap;
    std::vector<std::string> payloads;
    for (int n = 0; n < 3; ++n) {
      auto& c = cap.open(std::string(text(12)));
      auto con = connect(c.client_id);
      if (rng() % 2) con.will = mqtt::will_message{text(8), text(8), qos::at_least_once, false, {}};
      cap.client(c, con).broker(c, mqtt::connack{});
      cap.client(c, subscribe(text(10), qos::at_most_once, 1)).broker(c, suback(1, mqtt::reason_code::success));
      auto p = publish(text(10), text(40));
      p.props.push_back({mqtt::property_id::user_property, 0, text(6), text(6)});
      payloads.emplace_back(p.payload);
      cap.client(c, p).broker(c, p);
    }
    const auto s = to_scenario(cap.t, {});
    const auto loaded = load(s);
    ASSERT_TRUE(loaded.problems.empty()) << to_string(loaded.problems.front()) << "\n" << s.yaml;
    std::vector<std::string> sent;
    for (const auto& st : loaded.scenarios.front().steps)
      if (const auto* p = std::get_if<scenario::publish_step>(&st.what)) sent.push_back(p->payload);
    // A publish whose topic YAML cannot hold goes as raw bytes: the others keep theirs.
    for (const auto& p : sent) EXPECT_NE(std::find(payloads.begin(), payloads.end(), p), payloads.end());
  }
}

TEST(to_scenario, a_step_waits_for_the_answer_its_client_waited_for) {
  capture cap;
  auto& c = cap.open("pub");
  cap.client(c, connect("pub")).broker(c, mqtt::connack{});
  // The first PUBLISH is acknowledged before the second: the step waits for it.
  cap.client(c, publish("a", "1", qos::at_least_once, 1)).broker(c, ack<mqtt::puback>(1));
  // The second and third go out before their PUBACKs: the second does not wait.
  cap.client(c, publish("a", "2", qos::at_least_once, 2)).client(c, publish("a", "3", qos::at_least_once, 3));
  cap.broker(c, ack<mqtt::puback>(2)).broker(c, ack<mqtt::puback>(3));
  const auto s = to_scenario(cap.t, {});
  const auto loaded = load(s);
  ASSERT_TRUE(loaded.problems.empty());
  const auto& steps = loaded.scenarios.front().steps;
  std::vector<bool> waits;
  for (const auto& st : steps)
    if (const auto* p = std::get_if<scenario::publish_step>(&st.what)) waits.push_back(p->wait);
  EXPECT_EQ(waits, (std::vector<bool>{true, false, true}));
  EXPECT_THAT(s.yaml, HasSubstr("# frames 3, 4"));  // the PUBLISH and its PUBACK
}

TEST(to_scenario, the_speed_scales_the_recorded_gaps) {
  capture cap;
  auto& c = cap.open("pub");
  cap.client(c, connect("pub"), 0).broker(c, mqtt::connack{}, 10);
  cap.client(c, publish("a", "1"), 2010);
  EXPECT_THAT(to_scenario(cap.t, {}).yaml, HasSubstr("- wait: 2\n"));
  EXPECT_THAT(to_scenario(cap.t, {.speed = 4}).yaml, HasSubstr("- wait: 0.5\n"));
  EXPECT_THAT(to_scenario(cap.t, {.speed = 0}).yaml, Not(HasSubstr("wait:")));
}

TEST(to_scenario, connections_end_as_they_ended) {
  capture cap;
  auto& closed = cap.open("closed");
  cap.client(closed, connect("closed")).broker(closed, mqtt::connack{});
  closed.ended = connection_trace::ending{true, false, milliseconds(100), ++cap.frame};
  auto& reset = cap.open("reset");
  cap.client(reset, connect("reset")).broker(reset, mqtt::connack{});
  reset.ended = connection_trace::ending{true, true, milliseconds(200), ++cap.frame};
  // Silent for longer than its Keep Alive: the broker closed it.
  auto& lapsed = cap.open("lapsed");
  cap.client(lapsed, connect("lapsed", 2), 300).broker(lapsed, mqtt::connack{}, 310);
  lapsed.ended = connection_trace::ending{false, false, milliseconds(3300), ++cap.frame};
  const auto s = to_scenario(cap.t, {});
  ASSERT_TRUE(load(s).problems.empty()) << s.yaml;
  EXPECT_THAT(s.yaml, HasSubstr("- closed: close"));
  EXPECT_THAT(s.yaml, HasSubstr("- reset: reset"));
  EXPECT_THAT(s.yaml, HasSubstr("- link: lapsed    # the client falls silent after frame 7\n"
                                "    blackhole: true\n    direction: up\n"));
  // Three times the silence and 5 s: at least 1.5 times the recorded silence and 2 s.
  EXPECT_THAT(s.yaml, HasSubstr("- lapsed: expect close    # frame 9\n    within_s: 13.97\n"));
}

TEST(to_scenario, bytes_that_do_not_decode_are_sent_as_they_were) {
  capture cap;
  auto& c = cap.open("odd");
  cap.client(c, connect("odd")).broker(c, mqtt::connack{});
  c.client_raw.push_back({++cap.frame, milliseconds(500), std::string("\x82\x02\x00\x01", 4)});  // SUBSCRIBE without topics
  const auto s = to_scenario(cap.t, {});
  const auto loaded = load(s);
  ASSERT_TRUE(loaded.problems.empty()) << s.yaml;
  EXPECT_THAT(s.yaml, HasSubstr("- odd: send \"82 02 00 01\"    # frame 3 (does not decode: sent as it was)"));
  const auto& steps = loaded.scenarios.front().steps;
  const auto* send = std::get_if<scenario::send_step>(&steps.back().what);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->bytes, std::string("\x82\x02\x00\x01", 4));
}

TEST(to_scenario, what_cannot_be_replayed_is_listed_with_the_reason) {
  capture cap;
  auto& v5 = cap.open("v5");
  cap.client(v5, connect("v5")).broker(v5, mqtt::connack{});
  auto& v311 = cap.open("v311", mqtt::protocol_version::v311);
  cap.client(v311, connect("v311")).broker(v311, mqtt::connack{});
  auto& gap = cap.open("gap");
  cap.version = mqtt::protocol_version::v5;
  cap.client(gap, connect("gap"));
  gap.client_gap = true;
  cap.t.others.push_back({"127.0.0.1:50000", "TLS: encrypted, cannot be read", 99});
  const auto s = to_scenario(cap.t, {});
  ASSERT_EQ(s.connections.size(), 1u);
  EXPECT_EQ(s.connections.front().client, "v5");
  std::vector<std::string> reasons;
  for (const auto& k : s.skipped) reasons.push_back(k.reason);
  EXPECT_THAT(reasons, ::testing::UnorderedElementsAre(HasSubstr("TLS"), HasSubstr("--protocol 3.1.1"),
                                                       HasSubstr("a gap in the client's stream")));
  // The other version, when asked for.
  const auto v3 = to_scenario(cap.t, {.version = mqtt::protocol_version::v311});
  ASSERT_EQ(v3.connections.size(), 1u);
  EXPECT_EQ(v3.connections.front().client, "v311");
}

// A subscriber, a retained message and QoS 1 and 2 deliveries, as the reference broker
// answers them.
capture delivery_capture() {
  capture cap;
  auto& sub = cap.open("sub");
  auto& pub = cap.open("pub");
  cap.client(pub, connect("pub")).broker(pub, mqtt::connack{});
  auto retained = publish("r", "kept", qos::at_least_once, 1);
  retained.retain = true;
  cap.client(pub, retained).broker(pub, ack<mqtt::puback>(1));
  cap.client(sub, connect("sub")).broker(sub, mqtt::connack{});
  cap.client(sub, subscribe("#", qos::exactly_once, 1)).broker(sub, suback(1, mqtt::reason_code::granted_qos_2));
  auto delivered = retained;
  cap.broker(sub, delivered).client(sub, ack<mqtt::puback>(1));
  cap.client(pub, publish("q2", "two", qos::exactly_once, 2)).broker(pub, ack<mqtt::pubrec>(2));
  cap.client(pub, ack<mqtt::pubrel>(2)).broker(pub, ack<mqtt::pubcomp>(2));
  cap.broker(sub, publish("q2", "two", qos::exactly_once, 2)).client(sub, ack<mqtt::pubrec>(2));
  cap.broker(sub, ack<mqtt::pubrel>(2)).client(sub, ack<mqtt::pubcomp>(2));
  // A client with no id: the broker assigns one, and the replay follows it.
  auto& anon = cap.open("");
  mqtt::connack assigned;
  assigned.props.push_back({mqtt::property_id::assigned_client_identifier, 0, "auto-1", {}});
  cap.client(anon, connect("")).broker(anon, assigned);
  cap.client(anon, publish("q0", "zero")).broker(sub, publish("q0", "zero"));
  cap.client(sub, mqtt::disconnect{}).client(pub, mqtt::disconnect{}).client(anon, mqtt::disconnect{});
  return cap;
}

run::case_result run_embedded(const scenario_text& s, std::optional<mqtt::broker::fault> fault = {}) {
  const auto loaded = load(s);
  EXPECT_TRUE(loaded.problems.empty()) << s.yaml;
  run::run_options o;
  if (fault) o.embedded.faults.insert(*fault);
  auto results = run::run_cases(run::plan(loaded.scenarios, o), o, {});
  EXPECT_EQ(results.size(), 1u);
  return results.empty() ? run::case_result{} : results.front();
}

TEST(to_scenario, a_connection_joined_late_gets_a_connect_and_the_subscription_it_had) {
  capture cap;
  auto& sensor = cap.open("sensor");
  cap.client(sensor, connect("sensor")).broker(sensor, mqtt::connack{});
  auto& late = cap.open("");  // its CONNECT and SUBSCRIBE came before the capture
  late.midstream = true;
  cap.client(sensor, publish("dev/temp", "21", qos::at_least_once, 1)).broker(sensor, ack<mqtt::puback>(1));
  cap.broker(late, publish("dev/temp", "21", qos::at_least_once, 7)).client(late, ack<mqtt::puback>(7));
  const auto s = to_scenario(cap.t, {});
  ASSERT_EQ(s.connections.size(), 2u);
  // First of all: the connection was there before the capture began.
  EXPECT_THAT(s.yaml, HasSubstr("steps:\n  - c2: connect    # synthesised: the connection began before the capture, at frame 5"));
  EXPECT_THAT(s.yaml, HasSubstr("- c2: subscribe    # synthesised"));
  EXPECT_THAT(s.yaml, HasSubstr("filters: [{ filter: \"dev/temp\", qos: 1 }]"));
  EXPECT_EQ(run_embedded(s).outcome, run::verdict::pass) << s.yaml;
}

TEST(to_scenario, a_delivery_whose_publish_is_not_in_the_capture_is_not_expected) {
  capture cap;
  auto& late = cap.open("");
  late.midstream = true;
  // Published before the capture began: its delivery is the capture's first frame.
  cap.broker(late, publish("dev/temp", "20", qos::at_least_once, 6)).client(late, ack<mqtt::puback>(6));
  auto& sensor = cap.open("sensor");
  cap.client(sensor, connect("sensor")).broker(sensor, mqtt::connack{});
  cap.client(sensor, publish("dev/temp", "21")).broker(late, publish("dev/temp", "21"));
  const auto s = to_scenario(cap.t, {});
  EXPECT_THAT(s.yaml, HasSubstr("  # c1: expect publish: not expected, its PUBLISH is not in what replays (frame 1)\n"));
  EXPECT_THAT(s.yaml, HasSubstr("- c1: expect publish    # frame 6"));
  EXPECT_EQ(run_embedded(s).outcome, run::verdict::pass) << s.yaml;
}

TEST(to_scenario, a_capture_of_a_correct_broker_passes_and_a_broken_broker_fails) {
  const auto s = to_scenario(delivery_capture().t, {});
  EXPECT_THAT(s.yaml, HasSubstr("client_id: \"\""));
  EXPECT_EQ(run_embedded(s).outcome, run::verdict::pass) << s.yaml;
  const auto broken = run_embedded(s, mqtt::broker::fault::drop_retained);
  EXPECT_EQ(broken.outcome, run::verdict::fail);
  ASSERT_FALSE(broken.failures.empty());
  EXPECT_THAT(broken.failures.front().where, HasSubstr("sub: expect publish"));
}

}  // namespace
}  // namespace mqttspec::traces

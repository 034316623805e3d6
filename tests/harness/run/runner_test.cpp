// The runner grades what it sees: expected vs actual, windows, allowed outcomes,
// capabilities, environment errors, filters and shards.
#include <gtest/gtest.h>

#include <asio.hpp>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "harness/run/runner.hpp"
#include "harness/scenario/loader.hpp"

namespace mqttspec::run {
namespace {

struct loaded_run {
  scenario::load_result loaded;
  std::vector<case_result> results;
};

loaded_run run_text(const std::string& yaml, run_options o = {}) {
  loaded_run r;
  r.loaded = scenario::load_text(yaml, "test.yaml");
  EXPECT_TRUE(r.loaded.problems.empty()) << (r.loaded.problems.empty() ? "" : to_string(r.loaded.problems[0]));
  r.results = run_cases(plan(r.loaded.scenarios, o), o, {});
  return r;
}

const std::string head = R"(id: t/case
title: a test case
protocol: [5]
spec: [MQTT-3.3.1-5]
)";

// The reference broker names a topic by an alias from the second message on: steps
// match the topic the alias stands for.
TEST(runner, an_expect_matches_the_topic_a_broker_alias_stands_for) {
  auto r = run_text(head + R"(clients:
  sub: { properties: { topic_alias_maximum: 5 } }
  pub: {}
steps:
  - sub: connect
  - sub: subscribe
    filter: a/b
  - pub: connect
  - pub: publish
    topic: a/b
    payload: one
  - pub: publish
    topic: a/b
    payload: two
  - sub: expect publish
    topic: a/b
    payload: one
    properties: { topic_alias: present }
  - sub: expect publish
    topic: a/b
    payload: two
    properties: { topic_alias: present }
)");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].outcome, verdict::pass) << (r.results[0].failures.empty() ? "" : r.results[0].failures[0].message);
  // The second came with the alias alone.
  std::size_t bare = 0;
  for (const auto& p : r.results[0].packets) bare += p.from_broker && p.text.find("topic=\"\"") != std::string::npos;
  EXPECT_EQ(bare, 1u);
}

TEST(runner, a_payload_mismatch_fails_with_expected_actual_and_hex) {
  auto r = run_text(head + R"(clients:
  sub: {}
  pub: {}
steps:
  - sub: connect
  - sub: subscribe
    filter: a/b
    qos: 1
  - pub: connect
  - pub: publish
    topic: a/b
    payload: hello
    qos: 1
  - sub: expect publish
    topic: a/b
    payload: goodbye
    within_s: 1
)");
  ASSERT_EQ(r.results.size(), 1u);
  const auto& c = r.results[0];
  EXPECT_EQ(c.outcome, verdict::fail);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_EQ(c.failures[0].message,
            "no matching publish within [0, 1] s of the step's start; nearest: payload is 'hello', expected 'goodbye'");
  EXPECT_EQ(c.failures[0].expected, "publish payload='goodbye' topic='a/b'");
  EXPECT_NE(c.failures[0].actual.find("PUBLISH qos=1"), std::string::npos);
  EXPECT_EQ(c.failures[0].actual_hex.substr(0, 2), "32");
  EXPECT_EQ(c.failures[0].spec_ids, std::vector<std::string>{"MQTT-3.3.1-5"});
  EXPECT_EQ(c.failures[0].where.substr(0, 24), "test.yaml:18:5 step 5 (s");
}

TEST(runner, a_window_that_closes_too_early_fails_and_one_that_fits_passes) {
  const std::string steps = R"(clients:
  watcher: {}
  victim: { keepalive_s: 10, will: { topic: w, payload: gone } }
steps:
  - watcher: connect
  - watcher: subscribe
    filter: w
  - victim: connect
  - link: victim
    blackhole: true
  - watcher: expect publish
    topic: w
)";
  auto early = run_text(head + steps + "    within_s: [1, 14]\n");
  EXPECT_EQ(early.results[0].outcome, verdict::fail);
  auto late = run_text(head + steps + "    within_s: [15.5, 20]\n");
  EXPECT_EQ(late.results[0].outcome, verdict::fail);
  EXPECT_EQ(late.results[0].failures[0].message, "happened 15 s into the step, before the window opened");
  EXPECT_EQ(late.results[0].failures[0].expected, "within [15.5, 20] s of the step's start");
  auto fits = run_text(head + steps + "    within_s: [15, 15.1]\n");
  EXPECT_EQ(fits.results[0].outcome, verdict::pass) << (fits.results[0].failures.empty() ? "" : fits.results[0].failures[0].message);
}

TEST(runner, expect_close_on_an_open_connection_fails_and_non_strict_outcomes_grade_non_strict) {
  auto open = run_text(head + R"(clients:
  c: {}
steps:
  - c: connect
  - c: expect close
    within_s: 2
)");
  EXPECT_EQ(open.results[0].outcome, verdict::fail);
  EXPECT_EQ(open.results[0].failures[0].message, "the connection stayed open (waited 2 s)");
  EXPECT_EQ(open.results[0].failures[0].expected, "close within [0, 2] s of the step's start");
  // The broker answers a QoS 3 PUBLISH with DISCONNECT 0x81 and closes: listed as
  // non-strict here, so the case is non-strict, not fail.
  auto ns = run_text(head + R"(clients:
  c: { raw: true }
steps:
  - c: connect
  - c: send "36 07 | 00 03 61 2f 62 | 00 01"
  - c: expect close
    non_strict: [disconnect malformed_packet]
)");
  EXPECT_EQ(ns.results[0].outcome, verdict::non_strict);
}

TEST(runner, missing_capabilities_skip_and_an_unreachable_broker_is_an_error) {
  run_options o;
  o.missing_capabilities = {"retain"};
  auto skipped = run_text(head + "requires: [retain]\nclients:\n  c: {}\nsteps:\n  - c: connect\n", o);
  EXPECT_EQ(skipped.results[0].outcome, verdict::skipped);
  EXPECT_EQ(skipped.results[0].reason, "the broker profile lacks 'retain'");
  run_options real;
  real.broker = "127.0.0.1:1";  // nothing listens on port 1
  auto err = run_text(head + "clients:\n  c: {}\nsteps:\n  - c: connect\n", real);
  EXPECT_EQ(err.results[0].outcome, verdict::error);
  EXPECT_NE(err.results[0].reason.find("cannot connect"), std::string::npos) << err.results[0].reason;
}

TEST(runner, a_flooding_broker_ends_its_case_not_the_run) {
  // A "broker" that accepts, answers CONNACK, then sends PINGRESP without end.
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  std::thread flood([&] {
    asio::error_code ec;
    auto s = acceptor.accept(ec);
    if (ec) return;
    char buf[256];
    s.read_some(asio::buffer(buf), ec);
    asio::write(s, asio::buffer(std::string("\x20\x02\x00\x00", 4)), ec);
    std::string pings;
    for (int i = 0; i < 32768; ++i) pings += std::string("\xd0\x00", 2);
    for (int i = 0; i < 2000 && !ec; ++i) asio::write(s, asio::buffer(pings), ec);  // at most 128 MiB
  });
  run_options o;
  o.broker = "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
  auto r = run_text(head + R"(clients:
  c: { raw: true }
steps:
  - c: connect
  - c: expect publish
    within_s: 30
)", o);
  flood.join();
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].outcome, verdict::fail);
  bool flooded = false;
  for (const auto& f : r.results[0].failures) flooded |= f.message.find("more than 200000 packets") != std::string::npos;
  EXPECT_TRUE(flooded);
}

TEST(runner, the_same_seed_gives_the_same_run) {
  const std::string lossy = head + R"(link: { latency_ms: 50, jitter_ms: 40, loss_pct: 10 }
clients:
  sub: {}
  pub: {}
steps:
  - sub: connect
  - sub: subscribe
    filter: a
    qos: 1
  - pub: connect
  - pub: publish
    topic: a
    payload: x
    qos: 1
  - sub: expect publish
    topic: a
)";
  // Two runs with the same seed, each writing its pcap, then one with another seed.
  const auto dir = std::filesystem::temp_directory_path() / ("mqttspec-seed-" + std::to_string(::getpid()));
  run_options oa, ob, oc;
  oa.pcap_dir = (dir / "a").string(), ob.pcap_dir = (dir / "b").string(), oc.pcap_dir = (dir / "c").string();
  oc.seed = 2;
  for (const auto& d : {oa.pcap_dir, ob.pcap_dir, oc.pcap_dir}) std::filesystem::create_directories(d);
  auto a = run_text(lossy, oa), b = run_text(lossy, ob), c = run_text(lossy, oc);
  const auto& ra = a.results[0];
  const auto& rb = b.results[0];
  EXPECT_EQ(ra.outcome, rb.outcome);
  EXPECT_EQ(ra.client_ids, rb.client_ids);
  ASSERT_EQ(ra.packets.size(), rb.packets.size());
  for (std::size_t i = 0; i < ra.packets.size(); ++i) {
    EXPECT_EQ(ra.packets[i].at, rb.packets[i].at);
    EXPECT_EQ(ra.packets[i].hex, rb.packets[i].hex);
  }
  const auto bytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  ASSERT_FALSE(ra.pcap.empty());
  EXPECT_GT(bytes(ra.pcap).size(), 24u);
  EXPECT_EQ(bytes(ra.pcap), bytes(rb.pcap)) << "the same seed writes the same pcap, byte for byte";
  // Another seed: another link, and another namespace for client ids and topics.
  EXPECT_NE(ra.seed, c.results[0].seed);
  EXPECT_NE(ra.client_ids, c.results[0].client_ids);
  std::filesystem::remove_all(dir);
}

TEST(runner, a_case_has_the_same_namespace_whatever_runs_with_it) {
  const std::string other = R"(id: t/other
title: another case, listed first
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  c: {}
steps:
  - c: connect
)";
  const std::string one = head + "clients:\n  c: {}\nsteps:\n  - c: connect\n";
  auto alone = run_text(one);
  auto loaded = scenario::load_text(other, "other.yaml");
  auto both_loaded = scenario::load_text(one, "test.yaml");
  auto cases = plan(loaded.scenarios, {});
  auto mine = plan(both_loaded.scenarios, {});
  cases.insert(cases.end(), mine.begin(), mine.end());
  auto both = run_cases(cases, {}, {});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(alone.results[0].client_ids, both[1].client_ids);
}

TEST(runner, filters_and_shards_pick_cases) {
  const std::string two = R"(id: x/one
title: one
protocol: [3.1.1, 5]
spec: [MQTT-3.1.0-1]
tags: [alpha]
clients:
  c: {}
steps:
  - c: connect
)";
  auto loaded = scenario::load_text(two, "t.yaml");
  run_options o;
  EXPECT_EQ(plan(loaded.scenarios, o).size(), 2u);
  o.filters = {"x/*@5"};
  EXPECT_EQ(plan(loaded.scenarios, o).size(), 1u);
  o.filters = {"tag:alpha"};
  EXPECT_EQ(plan(loaded.scenarios, o).size(), 2u);
  o.filters = {"spec:MQTT-3.1.0-*"};
  EXPECT_EQ(plan(loaded.scenarios, o).size(), 2u);
  o.filters = {"tag:beta"};
  EXPECT_EQ(plan(loaded.scenarios, o).size(), 0u);
  o.filters = {};
  o.shards = 2;
  o.shard = 1;
  auto first = plan(loaded.scenarios, o);
  o.shard = 2;
  auto second = plan(loaded.scenarios, o);
  ASSERT_EQ(first.size() + second.size(), 2u);
  EXPECT_NE(first[0].id, second[0].id);
  EXPECT_TRUE(glob("a*c?e", "abbbcde"));
  EXPECT_FALSE(glob("a*c?e", "abbbce"));
}

}  // namespace
}  // namespace mqttspec::run

namespace mqttspec::run {
namespace {

TEST(runner, a_close_instead_of_a_reply_is_reported_as_a_close) {
  // An empty topic filter is malformed (MQTT-4.7.3-1): the broker closes the connection.
  auto r = run_text(head + R"(namespace: false
clients:
  c: { raw: true }
steps:
  - c: connect
  - c: subscribe
    filter: ""
    within_s: 2
)");
  ASSERT_EQ(r.results[0].failures.size(), 1u);
  EXPECT_EQ(r.results[0].failures[0].message.substr(0, 42), "the broker closed the connection at 0 s (0");
  EXPECT_NE(r.results[0].failures[0].message.find("instead of sending the SUBACK for packet identifier 1"),
            std::string::npos)
      << r.results[0].failures[0].message;
}

TEST(runner, cases_with_fixed_ids_run_alone_after_the_others) {
  std::vector<scenario::scenario> all;
  for (const auto& [id, ns] : std::vector<std::pair<std::string, bool>>{{"a/fixed", false}, {"b/shared", true},
                                                                        {"c/fixed", false}, {"d/shared", true}}) {
    auto loaded = scenario::load_text("id: " + id + "\ntitle: t\nprotocol: [3.1.1, 5]\nspec: [MQTT-3.1.0-1]\n" +
                                          "namespace: " + (ns ? "true" : "false") +
                                          "\nclients:\n  c: {}\nsteps:\n  - c: connect\n",
                                      "t.yaml");
    ASSERT_TRUE(loaded.problems.empty());
    all.push_back(loaded.scenarios[0]);
  }
  run_options o;
  o.jobs = 4;
  std::vector<std::string> order;
  const auto results = run_cases(plan(all, o), o, [&](std::size_t, std::size_t, const case_result& r) {
    order.push_back(r.id);
  });
  ASSERT_EQ(order.size(), 8u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NE(order[i].find("shared"), std::string::npos) << order[i];
  // ... and one at a time, in plan order.
  EXPECT_EQ(std::vector<std::string>(order.begin() + 4, order.end()),
            (std::vector<std::string>{"a/fixed@3.1.1", "a/fixed@5", "c/fixed@3.1.1", "c/fixed@5"}));
  EXPECT_EQ(results[0].id, "a/fixed@3.1.1");  // results stay in plan order
}

}  // namespace
}  // namespace mqttspec::run

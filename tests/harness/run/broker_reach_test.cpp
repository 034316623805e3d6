// Reaching a real broker: which protocol versions it serves, credentials, a broker that
// is not there or goes silent, and a run that is told to stop.
#include <gtest/gtest.h>

#include <asio.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "harness/run/discover.hpp"
#include "harness/run/runner.hpp"
#include "harness/run/stop.hpp"
#include "harness/scenario/loader.hpp"
#include "tests/common/live_broker.hpp"
#include "reference/codec/codec.hpp"

namespace mqttspec::run {
namespace {

using mqtt::protocol_version;

using mqttspec::test_support::live_broker;

// Accepts connections and never answers: a hung broker.
struct silent_broker {
  silent_broker() : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {}
  std::string where() const { return "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()); }
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor;  // the kernel completes handshakes into its backlog
};

// Runs the scenarios of `yamls` (one per text) with `o`.
std::vector<case_result> run_yaml(const std::vector<std::string>& yamls, const run_options& o) {
  static std::deque<std::vector<scenario::scenario>> kept;  // the cases point into their scenarios
  auto& all = kept.emplace_back();
  for (const auto& y : yamls) {
    auto loaded = scenario::load_text(y, "test.yaml");
    EXPECT_TRUE(loaded.problems.empty()) << to_string(loaded.problems.at(0));
    for (auto& s : loaded.scenarios) all.push_back(std::move(s));
  }
  reset_stop();
  auto r = run_cases(plan(all, o), o, {});
  reset_stop();
  return r;
}

// A case of both versions whose client connects, then does `more`.
std::string connecting(const std::string& id, const std::string& more) {
  return "id: " + id + "\ntitle: t\nprotocol: [3.1.1, 5]\nspec: [MQTT-3.1.4-1]\nclients:\n  c: {}\nsteps:\n" +
         "  - c: connect\n" + more;
}

const std::string both = connecting("t/connect", "    within_s: 1\n");

TEST(discover, a_3_1_1_only_broker_has_its_5_0_refused_and_is_tested_in_3_1_1) {
  mqtt::broker::config cfg;
  cfg.protocol_versions = {protocol_version::v311};
  live_broker b(cfg);
  const auto d = discover(b.where());
  ASSERT_EQ(d.error, "");
  ASSERT_EQ(d.refused.size(), 1u);
  EXPECT_EQ(d.refused.at(protocol_version::v5),
            "answered a 5.0 CONNECT with the 3.1.1 CONNACK session_present=0 rc=1");
  run_options o;
  o.broker = b.where();
  o.refused_versions = d.refused;
  const auto r = run_yaml({both}, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].outcome, verdict::pass) << r[0].id << " " << r[0].reason;
  EXPECT_EQ(r[1].outcome, verdict::skipped);
  EXPECT_EQ(r[1].reason, "the broker refused this protocol version: " + d.refused.at(protocol_version::v5));
}

TEST(discover, a_5_0_only_broker_has_its_3_1_1_refused) {
  mqtt::broker::config cfg;
  cfg.protocol_versions = {protocol_version::v5};
  live_broker b(cfg);
  const auto d = discover(b.where());
  ASSERT_EQ(d.error, "");
  EXPECT_EQ(d.refused.count(protocol_version::v5), 0u);
  EXPECT_EQ(d.refused.count(protocol_version::v311), 1u);
  EXPECT_NE(d.connack.find("rc=success"), std::string::npos) << d.connack;
}

TEST(discover, credentials_are_sent_and_a_refusal_says_how_to_give_them) {
  mqtt::broker::config cfg;
  cfg.users = {{"alice", "s3cret-pw"}};
  cfg.allow_anonymous = false;
  live_broker b(cfg);
  const auto anonymous = discover(b.where());
  EXPECT_NE(anonymous.error.find("the broker refused the credentials"), std::string::npos) << anonymous.error;
  EXPECT_NE(anonymous.error.find("--username"), std::string::npos) << anonymous.error;
  const auto wrong = discover(b.where(), {"alice", "nope"});
  EXPECT_NE(wrong.error.find("refused the credentials"), std::string::npos) << wrong.error;
  const auto right = discover(b.where(), {"alice", "s3cret-pw"});
  EXPECT_EQ(right.error, "");
  EXPECT_TRUE(right.refused.empty());
}

TEST(runner, the_runs_credentials_reach_every_client_and_no_report_field) {
  mqtt::broker::config cfg;
  cfg.users = {{"alice", "s3cret-pw"}};
  cfg.allow_anonymous = false;
  live_broker b(cfg);
  run_options o;
  o.broker = b.where();
  o.username = "alice";
  o.password = "s3cret-pw";
  o.pcap_dir = testing::TempDir() + "/creds-pcap";
  std::filesystem::create_directories(o.pcap_dir);
  const auto r = run_yaml({both}, o);
  ASSERT_EQ(r.size(), 2u);
  for (const auto& c : r) {
    EXPECT_EQ(c.outcome, verdict::pass) << c.id << (c.failures.empty() ? "" : c.failures[0].message);
    bool connect_seen = false;
    for (const auto& p : c.packets) {
      if (p.text.starts_with("CONNECT ")) connect_seen = true;
      EXPECT_EQ(p.hex.find(mqtt::to_hex("s3cret-pw")), std::string::npos) << p.hex;
      EXPECT_EQ(p.text.find("s3cret-pw"), std::string::npos) << p.text;
    }
    EXPECT_TRUE(connect_seen);
    std::ifstream pcap(c.pcap, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(pcap), {}};
    EXPECT_GT(bytes.size(), 100u);
    EXPECT_EQ(bytes.find("s3cret-pw"), std::string::npos) << c.pcap;
    EXPECT_NE(bytes.find("*********"), std::string::npos) << "the password's place is kept";
  }
}

TEST(discover, nothing_listening_or_an_unknown_host_is_an_error_not_a_verdict) {
  EXPECT_NE(discover("127.0.0.1:1").error.find("cannot connect to 127.0.0.1:1"), std::string::npos);
  EXPECT_NE(discover("no-such-host.invalid:1883").error.find("cannot resolve no-such-host.invalid"),
            std::string::npos);
}

TEST(discover, a_broker_that_never_answers_is_an_error_within_the_time_limit) {
  silent_broker b;
  const auto start = std::chrono::steady_clock::now();
  const auto d = discover(b.where(), {}, 0.5);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_NE(d.error.find("no CONNACK"), std::string::npos) << d.error;
}

TEST(runner, a_broker_gone_silent_ends_the_run_after_three_cases_in_a_row) {
  silent_broker b;
  run_options o;
  o.broker = b.where();
  o.jobs = 1;
  o.max_silent = 3;
  std::vector<std::string> yamls;
  for (int i = 0; i < 6; ++i) yamls.push_back(connecting("t/connect-" + std::to_string(i), "    within_s: 1\n"));
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_yaml(yamls, o);
  // Three cases wait out their 1 s CONNACK window; the other nine do not run.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  ASSERT_EQ(r.size(), 12u);
  int silent = 0, not_run = 0;
  for (const auto& c : r) {
    EXPECT_EQ(c.outcome, verdict::error) << c.id;
    silent += c.broker_silent;
    not_run += c.reason == "not run: the broker stopped answering";
  }
  EXPECT_EQ(silent, 3);
  EXPECT_EQ(not_run, 9);
}

TEST(runner, a_stop_ends_the_case_in_flight_and_leaves_the_rest_not_run) {
  live_broker b;
  run_options o;
  o.broker = b.where();
  o.jobs = 1;
  const std::string slow = connecting("t/slow", "  - c: expect nothing\n    for_s: 30\n");
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    request_stop(stop_reason::interrupted);
  });
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_yaml({slow}, o);
  stopper.join();
  reset_stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].outcome, verdict::skipped);
  EXPECT_EQ(r[0].reason, "not run to the end: the run was interrupted at step 2");
  EXPECT_EQ(r[1].outcome, verdict::skipped);
  EXPECT_EQ(r[1].reason, "not run: the run was interrupted");
}

TEST(runner, samples_run_staggered_and_the_worst_is_the_verdict) {
  live_broker b;
  run_options o;
  o.broker = b.where();
  const std::string sampled = R"(id: t/sampled
title: sampled
protocol: [5]
spec: [MQTT-3.1.4-1]
samples: 3
stagger_s: 0.3
clients:
  c: {}
steps:
  - c: connect
)";
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_yaml({sampled}, o);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(600));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].outcome, verdict::pass);
  EXPECT_EQ(r[0].reason, "sample 1 of 3 (pass, pass, pass)");
  ASSERT_EQ(r[0].client_ids.size(), 3u);  // each sample its own client id, all cleaned up later
  EXPECT_NE(r[0].client_ids[0], r[0].client_ids[1]);
}

TEST(worst_of, fail_outranks_non_strict_outranks_pass) {
  std::vector<case_result> samples(3);
  samples[0].outcome = verdict::pass;
  samples[1].outcome = verdict::non_strict;
  samples[1].client_ids = {"b"};
  samples[2].outcome = verdict::pass;
  samples[2].retained_topics = {"t"};
  auto r = worst_of(samples);
  EXPECT_EQ(r.outcome, verdict::non_strict);
  EXPECT_EQ(r.reason, "sample 2 of 3 (pass, non-strict, pass)");
  EXPECT_EQ(r.client_ids, std::vector<std::string>{"b"});
  EXPECT_EQ(r.retained_topics, std::vector<std::string>{"t"});
  samples[2].outcome = verdict::fail;
  EXPECT_EQ(worst_of(samples).outcome, verdict::fail);
}

}  // namespace
}  // namespace mqttspec::run

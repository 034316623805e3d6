// Expectations files and broker profiles: what they accept, what they refuse, and how a
// listed case that passes is found out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/run/expectations.hpp"
#include "harness/run/profile.hpp"

namespace mqttspec::run {
namespace {

std::string file_with(const std::string& text) {
  static int n = 0;
  const auto p = std::filesystem::temp_directory_path() / ("mqttspec-expect-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(n++) + ".yaml");
  std::ofstream(p) << text;
  return p.string();
}

case_result result(const std::string& id, verdict v) {
  case_result r;
  r.id = id;
  r.outcome = v;
  return r;
}

TEST(expectations, a_verdict_or_a_list_of_allowed_verdicts_with_a_reason) {
  std::vector<expectation> e;
  ASSERT_EQ(load_expectations(file_with(R"(- case: "keepalive/*@*"
  verdict: [non-strict, pass]
  reason: late close
- case: "will/x@5"
  verdict: flaky
  reason: timing
- case: "a@5"
  reason: "fail is the default"
)"),
                              e),
            "");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(allowed_text(e[0]), "non-strict or pass");
  EXPECT_TRUE(expected_for(e, result("keepalive/k@5", verdict::non_strict)));
  EXPECT_TRUE(expected_for(e, result("keepalive/k@5", verdict::pass)));
  EXPECT_FALSE(expected_for(e, result("keepalive/k@5", verdict::fail)));
  EXPECT_TRUE(expected_for(e, result("will/x@5", verdict::flaky)));
  EXPECT_TRUE(expected_for(e, result("a@5", verdict::fail)));
}

TEST(expectations, a_listed_case_that_passes_is_an_unexpected_pass) {
  std::vector<expectation> e;
  ASSERT_EQ(load_expectations(file_with("- case: a@5\n  verdict: fail\n  reason: r\n- case: b@5\n  verdict: [fail, pass]\n  reason: r\n"), e), "");
  EXPECT_TRUE(unexpected_pass(e, result("a@5", verdict::pass)));
  EXPECT_FALSE(unexpected_pass(e, result("a@5", verdict::fail)));
  EXPECT_FALSE(unexpected_pass(e, result("b@5", verdict::pass)));  // pass is allowed there
  EXPECT_FALSE(unexpected_pass(e, result("c@5", verdict::pass)));  // not listed
}

TEST(expectations, an_entry_that_matches_no_case_is_reported_with_its_place) {
  std::vector<expectation> e;
  const auto path = file_with("- case: a@5\n  reason: r\n- case: typo/*\n  reason: r\n");
  ASSERT_EQ(load_expectations(path, e), "");
  const auto stale = unmatched(e, {"a@5", "b@3.1.1"});
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0], path + ":3:3: no case matches 'typo/*'");
}

TEST(expectations, bad_entries_are_errors_with_file_line_col) {
  const std::pair<const char*, const char*> bad[] = {
      {"- case: a\n  verdict: banana\n  reason: r\n", ":2:12: unknown verdict 'banana'"},
      {"- case: a\n  verdict: []\n  reason: r\n", ":2:12: verdict lists no verdict"},
      {"- case: a\n", ":1:3: an expectation needs a 'reason'"},
      {"- reason: r\n", ":1:3: an expectation needs 'case'"},
      {"- case: a\n  reason: r\n  why: x\n", ":3:3: unknown key 'why'"},
      {"case: a\n", ":1:1: an expectations file is a list"},
  };
  for (const auto& [text, want] : bad) {
    std::vector<expectation> e;
    const auto path = file_with(text);
    const auto err = load_expectations(path, e);
    EXPECT_EQ(err.substr(0, path.size() + std::string(want).size()), path + want) << text;
  }
}

TEST(expectations, the_example_in_the_docs_loads) {
  std::ifstream doc(std::string(MQTTSPEC_SOURCE_DIR) + "/docs/scenarios.md");
  std::string line, block;
  bool inside = false;
  int found = 0;
  while (std::getline(doc, line)) {
    if (line == "```yaml") inside = true, block.clear();
    else if (inside && line == "```") {
      inside = false;
      if (!block.starts_with("- case:")) continue;
      std::vector<expectation> e;
      EXPECT_EQ(load_expectations(file_with(block), e), "") << block;
      EXPECT_FALSE(e.empty());
      ++found;
    } else if (inside) {
      block += line + "\n";
    }
  }
  EXPECT_EQ(found, 1);
}

TEST(profile, limits_are_typed) {
  broker_profile p;
  EXPECT_EQ(load_profile(file_with("limits: { maximum_qos: 1, receive_maximum: 20 }\n"), p), "");
  EXPECT_EQ(p.limits["maximum_qos"], "1");
  const std::pair<const char*, const char*> bad[] = {
      {"limits: { maximum_qos: banana }\n", "limit 'maximum_qos' must be a whole number from 0 to 2, not 'banana'"},
      {"limits: { maximum_qos: 3 }\n", "limit 'maximum_qos' must be a whole number from 0 to 2, not '3'"},
      {"limits: { receive_maximum: 0 }\n", "limit 'receive_maximum' must be a whole number from 1 to 65535, not '0'"},
      {"limits: { maximum_packet_size: 1.5 }\n", "must be a whole number"},
      {"limits: { maximum_qs: 1 }\n", "unknown limit 'maximum_qs'"},
  };
  for (const auto& [text, want] : bad) {
    broker_profile q;
    const auto err = load_profile(file_with(text), q);
    EXPECT_NE(err.find(want), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace mqttspec::run

// The report writers on a small document: JUnit structure and escaping, the diff of
// two runs, the exit policy, and the HTML page's embedding of the data.
#include <gtest/gtest.h>

#include "reports/exit_policy.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/markdown_summary.hpp"
#include "reports/run_diff.hpp"

namespace {

using mqttspec::reports::json;

json one_case(const std::string& id, const std::string& verdict) {
  return {{"id", id},          {"title", "t"},   {"file", "/x/scenarios/common/will/a.yaml"},
          {"protocol", "5"},   {"verdict", verdict}, {"reason", verdict == "skipped" ? "no retain" : ""},
          {"spec", {"MQTT-3.1.2-8"}}, {"tags", json::array()}, {"seed", 1}, {"duration_s", 0.5}, {"wall_ms", 2.0},
          {"failures", verdict == "fail" ? json::array({{{"where", "a.yaml:3:1"}, {"message", "no <publish> & more"},
                                                          {"expected", "publish"}, {"actual", ""}, {"actual_hex", ""},
                                                          {"spec", {"MQTT-3.1.2-8"}}, {"non_strict", false}}})
                                         : json::array()},
          {"steps", json::array()}, {"packets", json::array()}, {"link_events", json::array()}};
}

json run_of(std::vector<std::pair<std::string, std::string>> cases) {
  json run = {{"broker", "b"}, {"seed", 7}, {"link", "none"}, {"wall_s", 1.0}, {"started", "s"}, {"cases", json::array()}};
  json counts = json::object();
  for (const auto& [id, v] : cases) {
    run["cases"].push_back(one_case(id, v));
    counts[v] = counts.value(v, 0) + 1;
  }
  run["counts"] = counts;
  return run;
}

TEST(junit, one_suite_per_file_with_failures_skips_and_properties) {
  const auto xml = mqttspec::reports::junit_xml(run_of({{"will/a@5", "fail"}, {"will/b@5", "skipped"}, {"will/c@5", "pass"}}), {});
  EXPECT_NE(xml.find("<testsuite name=\"common/will/a.yaml\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("<testcase name=\"will/a@5\" classname=\"mqttspec.mqtt5.will\""), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"fail\" message=\"no &lt;publish&gt; &amp; more\">"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"no retain\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"7\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"broker\" value=\"b\"/>"), std::string::npos);
}

TEST(junit, non_strict_fails_only_when_the_policy_says_so) {
  const auto run = run_of({{"x/a@5", "non-strict"}});
  EXPECT_EQ(mqttspec::reports::junit_xml(run, {}).find("<failure"), std::string::npos);
  EXPECT_NE(mqttspec::reports::junit_xml(run, {.fail_on_non_strict = true}).find("<failure type=\"non-strict\""), std::string::npos);
}

TEST(junit, escapes_control_characters) {
  EXPECT_EQ(mqttspec::reports::xml_escape("a\x01<b>\"\n"), "a?&lt;b&gt;&quot;&#10;");
}

TEST(exit_policy, default_fails_on_fail_error_flaky) {
  using mqttspec::reports::fails_run;
  mqttspec::reports::exit_policy p;
  EXPECT_TRUE(fails_run("fail", p));
  EXPECT_TRUE(fails_run("error", p));
  EXPECT_TRUE(fails_run("flaky", p));
  EXPECT_FALSE(fails_run("non-strict", p));
  EXPECT_FALSE(fails_run("skipped", p));
  ASSERT_TRUE(mqttspec::reports::parse_fail_on("non-strict", p));
  p.ignore_flaky = true;
  EXPECT_TRUE(fails_run("non-strict", p));
  EXPECT_FALSE(fails_run("flaky", p));
  EXPECT_FALSE(mqttspec::reports::parse_fail_on("sometimes", p));
}

TEST(run_diff, new_failures_fixed_and_other_changes) {
  const auto before = run_of({{"a@5", "pass"}, {"b@5", "fail"}, {"c@5", "pass"}, {"gone@5", "pass"}});
  const auto after = run_of({{"a@5", "fail"}, {"b@5", "pass"}, {"c@5", "non-strict"}, {"new@5", "error"}});
  const auto d = mqttspec::reports::diff_runs(before, after);
  ASSERT_EQ(d.new_failures.size(), 2u);
  EXPECT_EQ(d.new_failures[0].id, "a@5");
  EXPECT_EQ(d.new_failures[0].why, "no <publish> & more");
  EXPECT_EQ(d.new_failures[1].id, "new@5");
  ASSERT_EQ(d.fixed.size(), 1u);
  EXPECT_EQ(d.fixed[0].id, "b@5");
  ASSERT_EQ(d.changed.size(), 1u);
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_NE(mqttspec::reports::to_text(d).find("new failures (2):"), std::string::npos);
  EXPECT_EQ(mqttspec::reports::to_text(mqttspec::reports::diff_runs(before, before)), "no change\n");
}

TEST(html, embeds_the_data_without_closing_the_script) {
  auto run = run_of({{"a@5", "fail"}});
  run["cases"][0]["title"] = "</script><script>alert(1)</script>";
  const auto page = mqttspec::reports::html_page({run}, "/tmp", {});
  EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
  EXPECT_NE(page.find("\\u003c/script>\\u003cscript>alert"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  // Nothing that loads from the network: no external scripts, styles or images.
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("url(http"), std::string::npos);
  EXPECT_EQ(page.find("/*DATA*/"), std::string::npos);
}

TEST(markdown, lists_what_did_not_pass) {
  const auto md = mqttspec::reports::markdown_summary(run_of({{"a@5", "fail"}, {"b@5", "pass"}}), {});
  EXPECT_NE(md.find("| ❌ fail | `a@5` | no <publish> & more | MQTT-3.1.2-8 |"), std::string::npos);
  EXPECT_EQ(md.find("`b@5`"), std::string::npos);
}

}  // namespace

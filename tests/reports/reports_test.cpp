// The report writers on a small document: JUnit structure and escaping, the diff of
// two runs, the exit policy, and the HTML page's embedding of the data.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "reports/exit_policy.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/markdown_summary.hpp"
#include "reports/portable.hpp"
#include "reports/run_diff.hpp"

namespace {

using mqttspec::reports::json;
namespace fs = std::filesystem;

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

// The run documents a page embeds, as its scripts read them.
json page_data(const std::string& page) {
  const auto from = page.find('>', page.find("id=\"run-data\"")) + 1;
  return json::parse(page.substr(from, page.find("</script>", from) - from));
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A scratch folder that is gone after the test.
struct scratch {
  fs::path dir = fs::temp_directory_path() / ("mqttspec-reports-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  scratch() { fs::remove_all(dir), fs::create_directories(dir); }
  ~scratch() { fs::remove_all(dir); }
  fs::path file(const std::string& name, const std::string& text = "pcap") {
    const auto p = dir / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
};

TEST(seeds, junit_and_the_page_show_64_bit_seeds_exactly) {
  auto run = run_of({{"a@5", "fail"}, {"b@5", "non-strict"}});
  run["seed"] = 18446744073709551615ull;
  run["cases"][0]["seed"] = 9007199254740993ull;  // 2^53 + 1: a double makes it ...992
  run["cases"][1]["seed"] = "12345678901234567890";
  const auto xml = mqttspec::reports::junit_xml(run, {});
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"18446744073709551615\"/>"), std::string::npos);
  EXPECT_NE(xml.find("seed: 9007199254740993&#10;"), std::string::npos);
  EXPECT_NE(xml.find("seed: 12345678901234567890&#10;"), std::string::npos);
  const auto data = page_data(mqttspec::reports::html_page({run}, "/tmp", {}));
  EXPECT_EQ(data["runs"][0]["seed"], "18446744073709551615");
  EXPECT_EQ(data["runs"][0]["cases"][0]["seed"], "9007199254740993");
  EXPECT_EQ(data["runs"][0]["cases"][1]["seed"], "12345678901234567890");
  EXPECT_NE(mqttspec::reports::markdown_summary(run, {}).find("seed `18446744073709551615`"), std::string::npos);
}

TEST(portable, shown_file_hides_absolute_paths) {
  using mqttspec::reports::shown_file;
  EXPECT_EQ(shown_file("/home/ci/src/scenarios/common/will/a.yaml"), "scenarios/common/will/a.yaml");
  EXPECT_EQ(shown_file("../scenarios/common/will/a.yaml"), "../scenarios/common/will/a.yaml");
  EXPECT_EQ(shown_file("/elsewhere/mine.yaml"), "mine.yaml");
  EXPECT_EQ(shown_file((fs::current_path() / "sub" / "mine.yaml").string()), "sub/mine.yaml");
}

TEST(portable, relative_to_never_spells_out_an_absolute_path) {
  using mqttspec::reports::relative_to;
  EXPECT_EQ(relative_to("/ci/work/report/pcap/a.pcap", "/ci/work/report"), "pcap/a.pcap");
  EXPECT_EQ(relative_to("/ci/work/report/pcap/a.pcap", "/ci/work/junit"), "../report/pcap/a.pcap");
  EXPECT_EQ(relative_to("/tmp/run/pcap/a.pcap", "/ci/work/report"), "a.pcap");  // "../../../tmp/run/..." would
}

// A page whose pcaps live outside its folder links copies inside it, relatively,
// and holds no absolute path of the place the run was written.
TEST(portable, html_copies_outside_pcaps_and_links_them_relatively) {
  scratch t;
  auto run = run_of({{"a@5", "fail"}, {"b@5", "pass"}, {"c@5", "pass"}});
  run["cases"][0]["pcap"] = t.file("runs/pcap/a_5.pcap").string();
  run["cases"][0]["file"] = (t.dir / "tree" / "a.yaml").string();
  run["cases"][0]["failures"][0]["where"] = (t.dir / "tree" / "a.yaml").string() + ":3:1 step 1";
  run["cases"][1]["pcap"] = t.file("report/pcap/b_5.pcap").string();  // already beside the page
  run["cases"][2]["pcap"] = (t.dir / "gone.pcap").string();             // no longer exists
  const auto report = t.dir / "report";
  ASSERT_EQ(mqttspec::reports::write_html(report.string(), {run}, {.labels = {"broker, one"}}), "");
  const auto page = slurp(report / "index.html");
  EXPECT_EQ(page.find(t.dir.string()), std::string::npos) << "an absolute path in the page";
  EXPECT_EQ(page.find("file:///"), std::string::npos);
  const auto cases = page_data(page)["runs"][0]["cases"];
  EXPECT_EQ(cases[0]["pcap_href"], "pcap/broker-one/a_5.pcap");
  EXPECT_EQ(cases[0]["file"], "a.yaml");
  EXPECT_EQ(cases[0]["failures"][0]["where"], "a.yaml:3:1 step 1");
  EXPECT_EQ(cases[1]["pcap_href"], "pcap/b_5.pcap");
  EXPECT_FALSE(cases[2].contains("pcap_href"));
  // Moved elsewhere, as an unzipped artifact: every link still finds its pcap.
  const auto moved = t.dir / "artifact" / "moved";
  fs::create_directories(moved.parent_path());
  fs::rename(report, moved);
  fs::remove_all(t.dir / "runs");
  EXPECT_EQ(slurp(moved / cases[0]["pcap_href"].get<std::string>()), "pcap");
  EXPECT_EQ(slurp(moved / cases[1]["pcap_href"].get<std::string>()), "pcap");
}

TEST(portable, a_matrix_copies_each_runs_pcaps_into_its_own_folder) {
  scratch t;
  auto one = run_of({{"a@5", "pass"}}), two = run_of({{"a@5", "fail"}});
  one["cases"][0]["pcap"] = t.file("one/pcap/a_5.pcap", "one").string();
  two["cases"][0]["pcap"] = t.file("two/pcap/a_5.pcap", "two").string();
  ASSERT_EQ(mqttspec::reports::write_html((t.dir / "m").string(), {one, two}, {.labels = {"ref", "ref"}}), "");
  const auto runs = page_data(slurp(t.dir / "m" / "index.html"))["runs"];
  EXPECT_EQ(runs[0]["cases"][0]["pcap_href"], "pcap/ref/a_5.pcap");
  EXPECT_EQ(runs[1]["cases"][0]["pcap_href"], "pcap/run-2/a_5.pcap");  // the label is taken
  EXPECT_EQ(slurp(t.dir / "m" / "pcap" / "run-2" / "a_5.pcap"), "two");
}

TEST(portable, junit_and_the_run_document_write_pcaps_relative_to_their_folder) {
  scratch t;
  auto run = run_of({{"a@5", "fail"}});
  run["cases"][0]["pcap"] = t.file("out/pcap/a_5.pcap").string();
  run["cases"][0]["file"] = (t.dir / "src" / "scenarios" / "common" / "will" / "a.yaml").string();
  const auto xml_path = t.dir / "out" / "junit.xml";
  ASSERT_EQ(mqttspec::reports::write_junit(xml_path.string(), run, {}), "");
  const auto xml = slurp(xml_path);
  EXPECT_NE(xml.find("pcap: pcap/a_5.pcap&#10;"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testsuite name=\"common/will/a.yaml\""), std::string::npos);
  EXPECT_EQ(xml.find(t.dir.string()), std::string::npos);
  // The document: relative to its folder when written, back to the file when read.
  const auto doc_path = t.dir / "docs" / "run.json";
  fs::create_directories(doc_path.parent_path());
  ASSERT_EQ(mqttspec::reports::write_run(doc_path.string(), run), "");
  EXPECT_EQ(slurp(doc_path).find(t.dir.string()), std::string::npos);
  json back;
  ASSERT_EQ(mqttspec::reports::load_run(doc_path.string(), back), "");
  EXPECT_EQ(fs::canonical(back["cases"][0]["pcap"].get<std::string>()), fs::canonical(t.dir / "out" / "pcap" / "a_5.pcap"));
}

TEST(markdown, lists_what_did_not_pass) {
  const auto md = mqttspec::reports::markdown_summary(run_of({{"a@5", "fail"}, {"b@5", "pass"}}), {});
  EXPECT_NE(md.find("| ❌ fail | `a@5` | no <publish> & more | MQTT-3.1.2-8 |"), std::string::npos);
  EXPECT_EQ(md.find("`b@5`"), std::string::npos);
}

}  // namespace

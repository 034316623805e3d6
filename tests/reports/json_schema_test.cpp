// The hand-written JSON Schema validator accepts what conforms and rejects what does
// not; the run writer's documents conform to reports/schemas/run.schema.json.
#include <gtest/gtest.h>

#include <fstream>

#include "harness/run/json_output.hpp"
#include "json_schema.hpp"

namespace {

using nlohmann::json;
using mqttspec::test::validate;

json run_schema() {
  std::ifstream in(std::string(MQTTSPEC_SOURCE_DIR) + "/reports/schemas/run.schema.json");
  return json::parse(in);
}

json sample_run() {
  mqttspec::run::case_result r;
  r.id = "will/qos@5";
  r.outcome = mqttspec::run::verdict::fail;
  r.failures.push_back({"f.yaml:1:1", "differs", "publish", "PUBLISH", "30 00", {"MQTT-3.1.2-8"}, false});
  r.steps.push_back({"a: connect", std::chrono::microseconds(0), std::chrono::microseconds(5), true});
  r.packets.push_back({std::chrono::microseconds(1), "a", 1, true, "CONNACK", "20 02 00 00"});
  r.link_events.push_back({std::chrono::microseconds(1), 1, "open"});
  r.pcap = "/tmp/x.pcap";
  mqttspec::run::run_info info;
  info.capabilities = {{"retain", false}};
  info.protocols = {"5"};
  return json::parse(mqttspec::run::to_json({r}, info).dump());
}

TEST(json_schema, the_writer_conforms) {
  const auto errors = validate(run_schema(), sample_run());
  EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST(json_schema, rejects_a_missing_required_key) {
  auto doc = sample_run();
  doc["cases"][0].erase("verdict");
  ASSERT_EQ(validate(run_schema(), doc).size(), 1u);
  EXPECT_NE(validate(run_schema(), doc)[0].find("/cases/0: missing required \"verdict\""), std::string::npos);
}

TEST(json_schema, rejects_a_wrong_type) {
  auto doc = sample_run();
  doc["seed"] = "one";
  EXPECT_FALSE(validate(run_schema(), doc).empty());
  doc = sample_run();
  doc["cases"][0]["packets"][0]["connection"] = 1.5;
  EXPECT_FALSE(validate(run_schema(), doc).empty());
}

TEST(json_schema, rejects_a_value_outside_the_enum) {
  auto doc = sample_run();
  doc["cases"][0]["verdict"] = "maybe";
  const auto errors = validate(run_schema(), doc);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("/cases/0/verdict"), std::string::npos);
}

TEST(json_schema, rejects_an_unknown_property_and_a_bad_item) {
  auto doc = sample_run();
  doc["cases"][0]["failures"][0]["colour"] = "red";
  doc["cases"][0]["spec"].push_back(7);
  EXPECT_EQ(validate(run_schema(), doc).size(), 2u);
}

TEST(json_schema, rejects_a_negative_count_and_a_bad_capability) {
  auto doc = sample_run();
  doc["counts"]["fail"] = -1;
  doc["capabilities"]["retain"] = "no";
  EXPECT_EQ(validate(run_schema(), doc).size(), 2u);
}

TEST(json_schema, refuses_keywords_it_does_not_implement) {
  const json schema = {{"type", "string"}, {"minLength", 1}};
  EXPECT_EQ(validate(schema, "abc").size(), 1u);
}

// JavaScript loses integers above 2^53 - 1: larger seeds must be strings of digits.
TEST(json_schema, seeds_are_exact_integers_or_strings_of_digits) {
  auto doc = sample_run();
  doc["seed"] = 9007199254740991ull;
  doc["cases"][0]["seed"] = "18446744073709551615";
  EXPECT_TRUE(validate(run_schema(), doc).empty());
  doc["seed"] = 9007199254740993ull;  // 2^53 + 1: a double would round it to 2^53
  doc["cases"][0]["seed"] = "0x10";
  const auto errors = validate(run_schema(), doc);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rfind("/cases/0/seed:", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind("/seed:", 0), 0u) << errors[1];
}

TEST(json_schema, follows_local_refs) {
  const json schema = json::parse(R"({"$defs": {"n": {"type": "integer"}}, "items": {"$ref": "#/$defs/n"}})");
  EXPECT_TRUE(validate(schema, json::parse("[1, 2]")).empty());
  EXPECT_EQ(validate(schema, json::parse("[1, \"x\"]")).size(), 1u);
}

}  // namespace

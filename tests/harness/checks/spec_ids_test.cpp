// Every spec id a checker can cite exists in the TSV of its protocol version.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "harness/checks/spec_ids.hpp"

namespace {

std::set<std::string> load(const std::string& file) {
  std::set<std::string> ids;
  std::ifstream in(std::string(MQTTSPEC_SOURCE_DIR) + "/spec/" + file);
  std::string line;
  while (std::getline(in, line)) ids.insert(line.substr(0, line.find('\t')));
  return ids;
}

TEST(spec_ids, every_id_is_in_the_tsv_of_its_version) {
  auto v311 = load("mqtt-3.1.1-normative.tsv");
  auto v5 = load("mqtt-5.0-normative.tsv");
  ASSERT_GT(v311.size(), 100u);
  ASSERT_GT(v5.size(), 200u);
  for (const auto& r : mqttspec::checks::ids::all) {
    EXPECT_FALSE(r.v311.empty() && r.v5.empty()) << "a rule with no id at all";
    if (!r.v311.empty()) {
      EXPECT_TRUE(v311.contains(std::string(r.v311))) << r.v311 << " (3.1.1)";
    }
    if (!r.v5.empty()) {
      EXPECT_TRUE(v5.contains(std::string(r.v5))) << r.v5 << " (5.0)";
    }
  }
}

}  // namespace

// Every YAML block of docs/scenarios.md is accepted by the loader, so the document
// cannot drift from what the loader reads.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/scenario/loader.hpp"

namespace mqttspec::scenario {
namespace {

std::vector<std::string> yaml_blocks(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> blocks;
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      blocks.push_back(block);
    } else if (inside) {
      block += line + "\n";
    }
  }
  return blocks;
}

// Step snippets run inside a minimal scenario that defines every client they name.
std::string wrap_steps(const std::string& steps) {
  return "id: docs/snippet\n"
         "title: a snippet of docs/scenarios.md\n"
         "protocol: [3.1.1, 5]\n"
         "spec: [MQTT-3.1.0-1]\n"
         "clients:\n"
         "  watcher: {}\n  old: {}\n  bad: {}\n  sub: {}\n  pub: {}\n  victim: {}\n"
         "  raw: { raw: true }\n"
         "steps:\n" +
         steps;
}

TEST(docs, every_yaml_block_loads) {
  const auto blocks = yaml_blocks(MQTTSPEC_SOURCE_DIR "/docs/scenarios.md");
  ASSERT_GE(blocks.size(), 10u);
  int whole = 0, snippets = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].starts_with("- case:")) continue;  // an expectations file: tests/harness/run/expectations_test.cpp
    const bool is_file = blocks[i].starts_with("id:");
    const std::string text = is_file ? blocks[i] : wrap_steps(blocks[i]);
    (is_file ? whole : snippets)++;
    const auto r = load_text(text, "block" + std::to_string(i) + ".yaml");
    std::string problems;
    for (const auto& p : r.problems) problems += to_string(p) + "\n";
    EXPECT_EQ(problems, "") << "block " << i << ":\n" << text;
    EXPECT_FALSE(r.scenarios.empty()) << "block " << i;
  }
  EXPECT_GE(whole, 1);
  EXPECT_GE(snippets, 9);
}

}  // namespace
}  // namespace mqttspec::scenario

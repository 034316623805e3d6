// docs/broker.md stays true to the code: it lists every fault.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "reference/broker/config.hpp"

TEST(broker_docs, every_fault_is_documented) {
  std::ifstream in(std::string(MQTTSPEC_SOURCE_DIR) + "/docs/broker.md");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  for (const auto& f : mqtt::broker::all_faults())
    EXPECT_NE(text.str().find("| `" + std::string(f.name) + "` |"), std::string::npos) << f.name;
}

// A broken scenario file and the exact problems the loader must report for it.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "harness/scenario/loader.hpp"

namespace mqttspec::scenario {

struct broken {
  const char* name;
  const char* yaml;
  const char* problems;  // "line:col: message" per line
};

inline void expect_problems(const broken& b) {
  const auto r = load_text(b.yaml, "f.yaml");
  std::string got;
  for (const auto& p : r.problems) got += to_string(p).substr(std::string("f.yaml:").size()) + "\n";
  EXPECT_EQ(got, b.problems);
  EXPECT_TRUE(r.scenarios.empty());
}

/// Rows in problems_values_test.cpp, so the size check sees both tables.
std::size_t broken_values_count();

}  // namespace mqttspec::scenario

#include "harness/checks/id_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace mqttspec::checks {
namespace {

TEST(id_map, finds_adds_and_removes_like_a_map) {
  id_map<int> ids;
  std::map<std::uint16_t, int> model;
  std::mt19937 rng(7);
  for (int step = 0; step < 200000; ++step) {
    const auto id = static_cast<std::uint16_t>(rng() % 65536);
    switch (rng() % 3) {
      case 0: {
        const auto [value, added] = ids.try_emplace(id, step);
        const auto [it, model_added] = model.try_emplace(id, step);
        ASSERT_EQ(added, model_added);
        ASSERT_EQ(*value, it->second);
        break;
      }
      case 1:
        ASSERT_EQ(ids.erase(id), model.erase(id) == 1);
        break;
      default: {
        const auto* found = ids.find(id);
        const auto it = model.find(id);
        ASSERT_EQ(found != nullptr, it != model.end());
        if (found) {
          ASSERT_EQ(*found, it->second);
        }
      }
    }
    ASSERT_EQ(ids.size(), model.size());
  }
}

TEST(id_map, a_removed_id_comes_back_value_initialised) {
  id_map<int> ids;
  ids[65535] = 5;
  EXPECT_TRUE(ids.contains(65535));
  EXPECT_TRUE(ids.erase(65535));
  EXPECT_FALSE(ids.erase(65535));
  EXPECT_EQ(ids[65535], 0);
  ids[0] = 1;
  ids.clear();
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(ids.find(0), nullptr);
}

}  // namespace
}  // namespace mqttspec::checks

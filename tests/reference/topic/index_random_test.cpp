// Seeded randomized tests: index.match against brute-force matches() over every
// subscription, and matches() against an independent regex oracle.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "reference/topic/subscription_index.hpp"
#include "reference/topic/topic.hpp"

namespace {

using index_t = mqtt::topic::subscription_index<int>;
using hit = std::tuple<std::string, index_t::key, int>;

// Few distinct levels, so random names and filters match each other often.
const std::vector<std::string> name_levels = {"a", "b", "c", "", "$SYS", "$a", "A"};

std::string random_name(std::mt19937_64& rng) {
  const int levels = std::uniform_int_distribution<int>(1, 5)(rng);
  std::string name;
  for (int i = 0; i < levels; ++i) {
    if (i) name += '/';
    name += name_levels[std::uniform_int_distribution<std::size_t>(0, name_levels.size() - 1)(rng)];
  }
  return name.empty() ? "a" : name;  // a lone empty level is not a valid name
}

std::string random_filter(std::mt19937_64& rng) {
  const int levels = std::uniform_int_distribution<int>(1, 5)(rng);
  std::string filter;
  for (int i = 0; i < levels; ++i) {
    if (i) filter += '/';
    const int pick = std::uniform_int_distribution<int>(0, 9)(rng);
    if (pick < 2) filter += '+';
    else if (pick == 2 && i + 1 == levels) filter += '#';
    else filter += name_levels[std::uniform_int_distribution<std::size_t>(0, name_levels.size() - 1)(rng)];
  }
  return filter.empty() ? "+" : filter;
}

/// matches() written another way: a regex per filter plus the '$' rule.
bool regex_matches(const std::string& filter, const std::string& name) {
  if (name.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#'))) return false;
  std::string re;
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    const std::size_t slash = filter.find('/', start);
    const std::string level = filter.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (level == "#") {
      re += first ? ".*" : "(/.*)?";
      break;
    }
    if (!first) re += '/';
    if (level == "+") re += "[^/]*";
    else
      for (char ch : level) re += std::isalnum(static_cast<unsigned char>(ch)) ? std::string(1, ch) : std::string("\\") + ch;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return std::regex_match(name, std::regex(re));
}

class random_index : public testing::TestWithParam<std::uint64_t> {};

TEST_P(random_index, match_equals_brute_force) {
  const std::uint64_t seed = GetParam();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  index_t idx;
  // The model: (group, filter, key) -> value; group empty when not shared.
  std::map<std::tuple<std::string, std::string, index_t::key>, int> model;
  const std::vector<std::string> groups = {"", "", "", "g1", "g2"};
  auto pick_group = [&] { return groups[std::uniform_int_distribution<std::size_t>(0, groups.size() - 1)(rng)]; };
  auto pick_key = [&] { return std::uniform_int_distribution<index_t::key>(1, 40)(rng); };

  for (int step = 0; step < 3000; ++step) {
    const int op = std::uniform_int_distribution<int>(0, 99)(rng);
    const std::string group = pick_group();
    const std::string filter = random_filter(rng);
    const index_t::key k = pick_key();
    ASSERT_FALSE(mqtt::topic::check_filter(filter)) << filter;
    if (op < 60) {
      const int value = step;
      const bool fresh = group.empty() ? idx.insert(filter, k, value) : idx.insert_shared(group, filter, k, value);
      EXPECT_EQ(fresh, model.insert_or_assign({group, filter, k}, value).second);
    } else if (op < 95) {
      const bool erased = group.empty() ? idx.erase(filter, k) : idx.erase_shared(group, filter, k);
      EXPECT_EQ(erased, model.erase({group, filter, k}) == 1);
    } else {
      const std::size_t erased = std::erase_if(model, [&](const auto& e) { return std::get<2>(e.first) == k; });
      EXPECT_EQ(idx.erase_all(k), erased);
    }
    ASSERT_EQ(idx.size(), model.size());
  }

  for (const auto& [sub, value] : model) {
    const auto& [group, filter, k] = sub;
    const int* found = group.empty() ? idx.find(filter, k) : idx.find_shared(group, filter, k);
    ASSERT_NE(found, nullptr) << group << " " << filter << " " << k;
    EXPECT_EQ(*found, value);
  }

  std::size_t total_hits = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string name = random_name(rng);
    ASSERT_FALSE(mqtt::topic::check_name(name)) << name;
    std::vector<hit> expected;
    for (const auto& [sub, value] : model) {
      const auto& [group, filter, k] = sub;
      if (mqtt::topic::matches(filter, name))
        expected.emplace_back(group.empty() ? filter : "$share/" + group + "/" + filter, k, value);
    }
    std::vector<hit> actual;
    idx.match(name, [&](std::string_view f, index_t::key k, const int& v) { actual.emplace_back(f, k, v); });
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    ASSERT_EQ(actual, expected) << "name " << name;
    total_hits += actual.size();
  }
  EXPECT_GT(total_hits, 2000u);  // the table is dense enough for the comparison to mean something

  for (index_t::key k = 1; k <= 40; ++k) idx.erase_all(k);
  EXPECT_EQ(idx.size(), 0u);
  EXPECT_EQ(idx.node_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(seeds, random_index, testing::Values(1u, 2u, 3u, 20240307u));

TEST(random_matches, agrees_with_regex_oracle) {
  std::mt19937_64 rng(7);
  int matched = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string filter = random_filter(rng);
    const std::string name = random_name(rng);
    const bool m = mqtt::topic::matches(filter, name);
    ASSERT_EQ(m, regex_matches(filter, name)) << '"' << filter << "\" vs \"" << name << '"';
    matched += m;
  }
  EXPECT_GT(matched, 100);  // 204 with libstdc++: enough agreeing "true" answers to mean something
}

}  // namespace

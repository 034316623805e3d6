// subscription_index: insert / replace / erase / find / match, empty levels, $-topics,
// shared subscriptions, erase_all, and the shape of the trie.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "reference/topic/subscription_index.hpp"

namespace {

using index_t = mqtt::topic::subscription_index<int>;
using hit = std::tuple<std::string, index_t::key, int>;  // (filter, key, value)

std::vector<hit> collect(const index_t& idx, std::string_view name) {
  std::vector<hit> hits;
  idx.match(name, [&](std::string_view filter, index_t::key k, const int& v) { hits.emplace_back(filter, k, v); });
  std::sort(hits.begin(), hits.end());
  return hits;
}

TEST(subscription_index, insert_replace_find) {
  index_t idx;
  EXPECT_TRUE(idx.empty());
  EXPECT_TRUE(idx.insert("a/b", 1, 10));
  EXPECT_TRUE(idx.insert("a/b", 2, 20));
  EXPECT_TRUE(idx.insert("a/+", 1, 30));
  EXPECT_FALSE(idx.insert("a/b", 1, 11));  // replaced, not added
  EXPECT_EQ(idx.size(), 3u);
  ASSERT_NE(idx.find("a/b", 1), nullptr);
  EXPECT_EQ(*idx.find("a/b", 1), 11);
  EXPECT_EQ(*idx.find("a/+", 1), 30);
  EXPECT_EQ(idx.find("a/+", 2), nullptr);
  EXPECT_EQ(idx.find("a", 1), nullptr);      // an inner node without subscribers
  EXPECT_EQ(idx.find("a/b/c", 1), nullptr);  // no such node
  EXPECT_EQ(idx.find("a/#", 1), nullptr);
  *idx.find("a/b", 2) = 21;  // the non-const find edits in place
  EXPECT_EQ(*idx.find("a/b", 2), 21);
  EXPECT_EQ(idx.node_count(), 3u);  // a, a/b, a/+
}

TEST(subscription_index, erase_frees_empty_nodes) {
  index_t idx;
  idx.insert("a/b/c", 1, 0);
  idx.insert("a/b", 1, 0);
  idx.insert("a/b/c", 2, 0);
  EXPECT_EQ(idx.node_count(), 3u);
  EXPECT_FALSE(idx.erase("a/b/c", 3));  // wrong key
  EXPECT_FALSE(idx.erase("a/x", 1));    // no such filter
  EXPECT_FALSE(idx.erase("a", 1));      // a node without that subscriber
  EXPECT_TRUE(idx.erase("a/b/c", 1));
  EXPECT_EQ(idx.node_count(), 3u);      // key 2 still holds a/b/c
  EXPECT_TRUE(idx.erase("a/b/c", 2));
  EXPECT_EQ(idx.node_count(), 2u);      // a/b still subscribed
  EXPECT_FALSE(idx.erase("a/b/c", 2));
  EXPECT_TRUE(idx.erase("a/b", 1));
  EXPECT_EQ(idx.node_count(), 0u);
  EXPECT_EQ(idx.size(), 0u);
  EXPECT_TRUE(collect(idx, "a/b").empty());
}

TEST(subscription_index, match_reports_every_matching_subscription) {
  index_t idx;
  idx.insert("sport/tennis/player1", 1, 1);
  idx.insert("sport/tennis/+", 2, 2);
  idx.insert("sport/#", 3, 3);
  idx.insert("#", 4, 4);
  idx.insert("+/tennis/#", 5, 5);
  idx.insert("sport/tennis/player1/#", 6, 6);
  idx.insert("sport/golf", 7, 7);
  idx.insert("sport/+", 8, 8);
  EXPECT_EQ(collect(idx, "sport/tennis/player1"),
            (std::vector<hit>{{"#", 4, 4},
                              {"+/tennis/#", 5, 5},
                              {"sport/#", 3, 3},
                              {"sport/tennis/+", 2, 2},
                              {"sport/tennis/player1", 1, 1},
                              {"sport/tennis/player1/#", 6, 6}}));
  EXPECT_EQ(collect(idx, "sport"), (std::vector<hit>{{"#", 4, 4}, {"sport/#", 3, 3}}));
  EXPECT_EQ(collect(idx, "sport/"), (std::vector<hit>{{"#", 4, 4}, {"sport/#", 3, 3}, {"sport/+", 8, 8}}));
  EXPECT_EQ(collect(idx, "news"), (std::vector<hit>{{"#", 4, 4}}));
}

TEST(subscription_index, one_subscriber_on_several_filters_is_reported_per_filter) {
  index_t idx;
  idx.insert("a/+", 1, 1);
  idx.insert("a/#", 1, 2);
  idx.insert("a/b", 1, 3);
  EXPECT_EQ(collect(idx, "a/b"), (std::vector<hit>{{"a/#", 1, 2}, {"a/+", 1, 1}, {"a/b", 1, 3}}));
}

TEST(subscription_index, empty_levels_are_levels) {
  index_t idx;
  idx.insert("/", 1, 0);
  idx.insert("/a", 2, 0);
  idx.insert("a/", 3, 0);
  idx.insert("a//b", 4, 0);
  idx.insert("+/+", 5, 0);
  idx.insert("a/+/b", 6, 0);
  idx.insert("a", 7, 0);
  EXPECT_EQ(collect(idx, "/"), (std::vector<hit>{{"+/+", 5, 0}, {"/", 1, 0}}));
  EXPECT_EQ(collect(idx, "/a"), (std::vector<hit>{{"+/+", 5, 0}, {"/a", 2, 0}}));
  EXPECT_EQ(collect(idx, "a/"), (std::vector<hit>{{"+/+", 5, 0}, {"a/", 3, 0}}));
  EXPECT_EQ(collect(idx, "a//b"), (std::vector<hit>{{"a/+/b", 6, 0}, {"a//b", 4, 0}}));
  EXPECT_EQ(collect(idx, "a/b"), (std::vector<hit>{{"+/+", 5, 0}}));
  EXPECT_EQ(collect(idx, "a"), (std::vector<hit>{{"a", 7, 0}}));
  EXPECT_EQ(collect(idx, "//"), (std::vector<hit>{}));
  EXPECT_NE(idx.find("/", 1), nullptr);
  EXPECT_EQ(idx.find("", 1), nullptr);
  EXPECT_TRUE(idx.erase("/", 1));
  EXPECT_NE(idx.find("/a", 2), nullptr);  // the shared "" level node survives
}

TEST(subscription_index, dollar_topics_skip_root_wildcards) {
  index_t idx;
  idx.insert("#", 1, 0);
  idx.insert("+/monitor/Clients", 2, 0);
  idx.insert("$SYS/#", 3, 0);
  idx.insert("$SYS/monitor/+", 4, 0);
  idx.insert("+", 5, 0);
  EXPECT_EQ(collect(idx, "$SYS/monitor/Clients"), (std::vector<hit>{{"$SYS/#", 3, 0}, {"$SYS/monitor/+", 4, 0}}));
  EXPECT_EQ(collect(idx, "$SYS"), (std::vector<hit>{{"$SYS/#", 3, 0}}));
  EXPECT_EQ(collect(idx, "a/monitor/Clients"), (std::vector<hit>{{"#", 1, 0}, {"+/monitor/Clients", 2, 0}}));
  EXPECT_EQ(collect(idx, "a"), (std::vector<hit>{{"#", 1, 0}, {"+", 5, 0}}));
}

TEST(subscription_index, shared_members_are_separate_from_plain_subscriptions) {
  index_t idx;
  EXPECT_TRUE(idx.insert("sport/tennis/+", 1, 1));
  EXPECT_TRUE(idx.insert_shared("consumer1", "sport/tennis/+", 1, 2));
  EXPECT_TRUE(idx.insert_shared("consumer1", "sport/tennis/+", 2, 3));
  EXPECT_TRUE(idx.insert_shared("consumer2", "sport/tennis/+", 1, 4));
  EXPECT_FALSE(idx.insert_shared("consumer2", "sport/tennis/+", 1, 5));  // replaced
  EXPECT_EQ(idx.size(), 4u);
  EXPECT_EQ(*idx.find("sport/tennis/+", 1), 1);
  EXPECT_EQ(*idx.find_shared("consumer1", "sport/tennis/+", 1), 2);
  EXPECT_EQ(*idx.find_shared("consumer2", "sport/tennis/+", 1), 5);
  EXPECT_EQ(idx.find_shared("consumer2", "sport/tennis/+", 2), nullptr);
  EXPECT_EQ(idx.find_shared("consumer3", "sport/tennis/+", 1), nullptr);
  EXPECT_EQ(idx.find("$share/consumer1/sport/tennis/+", 1), nullptr);  // not a literal filter
  EXPECT_EQ(collect(idx, "sport/tennis/player1"),
            (std::vector<hit>{{"$share/consumer1/sport/tennis/+", 1, 2},
                              {"$share/consumer1/sport/tennis/+", 2, 3},
                              {"$share/consumer2/sport/tennis/+", 1, 5},
                              {"sport/tennis/+", 1, 1}}));
  EXPECT_TRUE(idx.erase_shared("consumer1", "sport/tennis/+", 1));
  EXPECT_FALSE(idx.erase_shared("consumer1", "sport/tennis/+", 1));
  EXPECT_FALSE(idx.erase_shared("consumer9", "sport/tennis/+", 2));
  EXPECT_NE(idx.find("sport/tennis/+", 1), nullptr);  // the plain one is untouched
  EXPECT_TRUE(idx.erase("sport/tennis/+", 1));
  EXPECT_EQ(collect(idx, "sport/tennis/x"),
            (std::vector<hit>{{"$share/consumer1/sport/tennis/+", 2, 3}, {"$share/consumer2/sport/tennis/+", 1, 5}}));
  EXPECT_TRUE(idx.erase_shared("consumer1", "sport/tennis/+", 2));
  EXPECT_TRUE(idx.erase_shared("consumer2", "sport/tennis/+", 1));
  EXPECT_EQ(idx.node_count(), 0u);
}

TEST(subscription_index, shared_filters_follow_the_inner_filter) {
  index_t idx;
  idx.insert_shared("g", "/finance", 1, 0);  // from $share/g//finance
  idx.insert_shared("g", "#", 2, 0);
  EXPECT_EQ(collect(idx, "/finance"), (std::vector<hit>{{"$share/g/#", 2, 0}, {"$share/g//finance", 1, 0}}));
  EXPECT_EQ(collect(idx, "$SYS/x"), (std::vector<hit>{}));  // MQTT-4.7.2-1 applies to the inner filter
}

TEST(subscription_index, literal_share_filter_is_ordinary) {
  index_t idx;  // 3.1.1: "$share/g/a" names a topic starting with '$'
  idx.insert("$share/g/a", 1, 0);
  EXPECT_EQ(collect(idx, "a"), (std::vector<hit>{}));
  EXPECT_EQ(collect(idx, "$share/g/a"), (std::vector<hit>{{"$share/g/a", 1, 0}}));
  EXPECT_EQ(idx.find_shared("g", "a", 1), nullptr);
}

TEST(subscription_index, erase_all_removes_one_key_everywhere) {
  index_t idx;
  idx.insert("a/b", 1, 0);
  idx.insert("a/#", 1, 0);
  idx.insert("x", 1, 0);
  idx.insert_shared("g", "a/b", 1, 0);
  idx.insert("a/b", 2, 0);
  idx.insert_shared("g", "a/b", 2, 0);
  EXPECT_EQ(idx.erase_all(1), 4u);
  EXPECT_EQ(idx.erase_all(1), 0u);
  EXPECT_EQ(idx.erase_all(99), 0u);
  EXPECT_EQ(idx.size(), 2u);
  EXPECT_EQ(idx.node_count(), 2u);  // a, a/b
  EXPECT_EQ(collect(idx, "a/b"), (std::vector<hit>{{"$share/g/a/b", 2, 0}, {"a/b", 2, 0}}));
  EXPECT_EQ(idx.erase_all(2), 2u);
  EXPECT_EQ(idx.node_count(), 0u);
  EXPECT_TRUE(idx.insert("a/b", 1, 0));  // usable again
}

TEST(subscription_index, erase_with_a_view_into_the_index) {
  index_t idx;
  idx.insert("a/b/c", 1, 0);
  std::string_view seen;
  idx.match("a/b/c", [&](std::string_view filter, index_t::key, const int&) { seen = filter; });
  ASSERT_EQ(seen, "a/b/c");
  EXPECT_TRUE(idx.erase(seen, 1));  // `seen` points into the node it frees
  EXPECT_EQ(idx.node_count(), 0u);
}

TEST(subscription_index, match_walk_ignores_unrelated_subscriptions) {
  index_t idx;
  idx.insert("a/b/c", 1, 0);
  idx.insert("a/+/c", 2, 0);
  idx.insert("#", 3, 0);
  const std::size_t before = idx.match("a/b/c", [](auto&&...) {});
  for (int i = 0; i < 5000; ++i) {
    idx.insert("x" + std::to_string(i) + "/b/c", i, 0);
    idx.insert("a/b/c" + std::to_string(i), i, 0);
    idx.insert("a/b" + std::to_string(i) + "/+", i, 0);
  }
  EXPECT_EQ(idx.match("a/b/c", [](auto&&...) {}), before);
  EXPECT_EQ(collect(idx, "a/b/c"), (std::vector<hit>{{"#", 3, 0}, {"a/+/c", 2, 0}, {"a/b/c", 1, 0}}));
  // root, '#', a, a/b, a/+, a/b/c, a/+/c
  EXPECT_EQ(before, 7u);
}

TEST(subscription_index, deep_filters_neither_recurse_nor_overflow) {
  index_t idx;
  std::string filter = "+";
  std::string name = "x";
  for (int i = 1; i < 30000; ++i) {
    filter += "/+";
    name += "/x";
  }
  idx.insert(filter, 1, 0);
  idx.insert(name, 2, 0);
  EXPECT_EQ(idx.node_count(), 60000u);
  EXPECT_EQ(collect(idx, name).size(), 2u);
  EXPECT_TRUE(idx.erase(filter, 1));
  EXPECT_EQ(idx.node_count(), 30000u);
  idx.insert(filter, 1, 0);
  // The destructor frees the two 30000-deep chains without recursing.
}

TEST(subscription_index, move_transfers_everything) {
  index_t a;
  a.insert("a/b", 1, 7);
  a.insert_shared("g", "a/+", 2, 8);
  index_t b(std::move(a));
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.node_count(), 3u);
  EXPECT_EQ(*b.find("a/b", 1), 7);
  EXPECT_EQ(b.erase_all(2), 1u);
  a = std::move(b);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(collect(a, "a/b"), (std::vector<hit>{{"a/b", 1, 7}}));
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.node_count(), 0u);
}

}  // namespace

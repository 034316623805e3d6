// matches(), has_wildcard() and parse_shared(): every example of 5.0 sections 4.7.1.2,
// 4.7.1.3, 4.7.2, 4.7.3 and 4.8.2 (3.1.1 has the same examples), plus edge cases.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "reference/topic/topic.hpp"

namespace {

using mqtt::topic::matches;

struct match_case {
  std::string_view filter;
  std::string_view name;
  bool expected;
};

void PrintTo(const match_case& c, std::ostream* os) {
  *os << '"' << c.filter << "\" " << (c.expected ? "matches" : "does not match") << " \"" << c.name << '"';
}

class match_table : public testing::TestWithParam<match_case> {};

TEST_P(match_table, agrees_with_the_spec) {
  const auto& c = GetParam();
  ASSERT_FALSE(mqtt::topic::check_filter(c.filter)) << "bad table row: filter";
  ASSERT_FALSE(mqtt::topic::check_name(c.name)) << "bad table row: name";
  EXPECT_EQ(matches(c.filter, c.name), c.expected);
}

INSTANTIATE_TEST_SUITE_P(multi_level_4_7_1_2, match_table,
                         testing::Values(match_case{"sport/tennis/player1/#", "sport/tennis/player1", true},
                                         match_case{"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
                                         match_case{"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
                                         match_case{"sport/tennis/player1/#", "sport/tennis/player2", false},
                                         match_case{"sport/tennis/player1/#", "sport/tennis", false},
                                         match_case{"sport/#", "sport", true},
                                         match_case{"sport/#", "sport/", true},
                                         match_case{"sport/#", "sports", false},
                                         match_case{"sport/#", "/sport", false},
                                         match_case{"#", "sport", true},
                                         match_case{"#", "sport/tennis/player1", true},
                                         match_case{"#", "/", true},
                                         match_case{"#", "/a", true},
                                         match_case{"sport/tennis/#", "sport/tennis/player1/ranking", true},
                                         match_case{"/#", "/", true},
                                         match_case{"/#", "/finance", true},
                                         match_case{"/#", "finance", false},
                                         match_case{"a/#", "a//", true}));

INSTANTIATE_TEST_SUITE_P(single_level_4_7_1_3, match_table,
                         testing::Values(match_case{"sport/tennis/+", "sport/tennis/player1", true},
                                         match_case{"sport/tennis/+", "sport/tennis/player2", true},
                                         match_case{"sport/tennis/+", "sport/tennis/player1/ranking", false},
                                         match_case{"sport/tennis/+", "sport/tennis", false},
                                         match_case{"sport/tennis/+", "sport/tennis/", true},
                                         match_case{"sport/+", "sport", false},
                                         match_case{"sport/+", "sport/", true},
                                         match_case{"+", "sport", true},
                                         match_case{"+", "/", false},
                                         match_case{"+/tennis/#", "sport/tennis", true},
                                         match_case{"+/tennis/#", "sport/tennis/player1/ranking", true},
                                         match_case{"+/tennis/#", "sport/golf", false},
                                         match_case{"sport/+/player1", "sport/tennis/player1", true},
                                         match_case{"sport/+/player1", "sport//player1", true},
                                         match_case{"sport/+/player1", "sport/tennis/player2", false},
                                         match_case{"+/+", "/finance", true},
                                         match_case{"/+", "/finance", true},
                                         match_case{"+", "/finance", false},
                                         match_case{"+/+", "/", true},
                                         match_case{"+/+", "a", false},
                                         match_case{"+/+", "a/b/c", false},
                                         match_case{"+/+/+", "//", true},
                                         match_case{"a/+/b", "a//b", true},
                                         match_case{"+/#", "a", true},
                                         match_case{"+/+/#", "a", false}));

INSTANTIATE_TEST_SUITE_P(dollar_4_7_2, match_table,
                         testing::Values(match_case{"#", "$SYS", false},
                                         match_case{"#", "$SYS/broker/load", false},
                                         match_case{"+/monitor/Clients", "$SYS/monitor/Clients", false},
                                         match_case{"+", "$SYS", false},
                                         match_case{"+/#", "$SYS/a", false},
                                         match_case{"$SYS/#", "$SYS/monitor/Clients", true},
                                         match_case{"$SYS/#", "$SYS", true},
                                         match_case{"$SYS/monitor/+", "$SYS/monitor/Clients", true},
                                         match_case{"$SYS/+/Clients", "$SYS/monitor/Clients", true},
                                         match_case{"$SYS", "$SYS", true},
                                         match_case{"#", "a/$SYS", true},           // '$' only counts first
                                         match_case{"+/$SYS", "a/$SYS", true},
                                         match_case{"a/#", "a/$b", true},
                                         match_case{"$share/g/a", "$share/g/a", true},  // as a literal filter
                                         match_case{"$SYS/#", "$SYSTEM", false}));

INSTANTIATE_TEST_SUITE_P(semantics_4_7_3, match_table,
                         testing::Values(match_case{"ACCOUNTS", "Accounts", false},
                                         match_case{"Accounts", "Accounts", true},
                                         match_case{"Accounts payable", "Accounts payable", true},
                                         match_case{"Accounts payable", "Accounts  payable", false},
                                         match_case{"/", "/", true},
                                         match_case{"/finance", "finance", false},
                                         match_case{"finance/", "finance", false},
                                         match_case{"finance", "finance/", false},
                                         match_case{"a//b", "a/b", false},
                                         match_case{"a/b", "a/b/", false},
                                         // no normalisation: precomposed vs combining e-acute
                                         match_case{"caf\xC3\xA9", "cafe\xCC\x81", false},
                                         match_case{"caf\xC3\xA9/+", "caf\xC3\xA9/x", true}));

TEST(has_wildcard, finds_either) {
  EXPECT_TRUE(mqtt::topic::has_wildcard("a/+"));
  EXPECT_TRUE(mqtt::topic::has_wildcard("#"));
  EXPECT_FALSE(mqtt::topic::has_wildcard("a/b"));
  EXPECT_FALSE(mqtt::topic::has_wildcard("$SYS"));
}

TEST(parse_shared, splits_group_and_filter) {
  auto s = mqtt::topic::parse_shared("$share/consumer1/sport/tennis/+");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->group, "consumer1");
  EXPECT_EQ(s->filter, "sport/tennis/+");
  // 4.8.2: a shared subscription to "/finance" is written $share/consumer1//finance.
  s = mqtt::topic::parse_shared("$share/consumer1//finance");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->group, "consumer1");
  EXPECT_EQ(s->filter, "/finance");
  EXPECT_TRUE(matches(s->filter, "/finance"));
}

TEST(parse_shared, does_not_validate) {
  auto s = mqtt::topic::parse_shared("$share/g");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->group, "g");
  EXPECT_EQ(s->filter, "");
  s = mqtt::topic::parse_shared("$share/");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->group, "");
  EXPECT_EQ(s->filter, "");
}

TEST(parse_shared, rejects_other_filters) {
  EXPECT_FALSE(mqtt::topic::parse_shared("$share"));
  EXPECT_FALSE(mqtt::topic::parse_shared("$SHARE/g/a"));
  EXPECT_FALSE(mqtt::topic::parse_shared("a/$share/g/a"));
  EXPECT_FALSE(mqtt::topic::parse_shared("#"));
}

}  // namespace

// check_name / check_filter: every rule with the exact statement id of each version.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "reference/topic/topic.hpp"

namespace {

using mqtt::protocol_version;
using namespace std::string_literals;

constexpr auto v3 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

struct check_case {
  std::string input;
  protocol_version version;
  std::string_view spec_id;  // empty: valid
};

void PrintTo(const check_case& c, std::ostream* os) {
  *os << '"' << c.input.substr(0, 40) << (c.input.size() > 40 ? "..." : "") << "\" ("
      << c.input.size() << " bytes) v" << mqtt::to_string(c.version) << " -> "
      << (c.spec_id.empty() ? "valid" : c.spec_id);
}

std::string repeat(char ch, std::size_t n) { return std::string(n, ch); }

class name_check : public testing::TestWithParam<check_case> {};
class filter_check : public testing::TestWithParam<check_case> {};

TEST_P(name_check, gives_expected_statement) {
  const auto& c = GetParam();
  const auto p = mqtt::topic::check_name(c.input, c.version);
  if (c.spec_id.empty()) {
    EXPECT_FALSE(p) << p->spec_id << ": " << p->what;
  } else {
    ASSERT_TRUE(p);
    EXPECT_EQ(p->spec_id, c.spec_id) << p->what;
    EXPECT_FALSE(p->what.empty());
  }
}

TEST_P(filter_check, gives_expected_statement) {
  const auto& c = GetParam();
  const auto p = mqtt::topic::check_filter(c.input, c.version);
  if (c.spec_id.empty()) {
    EXPECT_FALSE(p) << p->spec_id << ": " << p->what;
  } else {
    ASSERT_TRUE(p);
    EXPECT_EQ(p->spec_id, c.spec_id) << p->what;
    EXPECT_FALSE(p->what.empty());
  }
}

// Rules common to names and filters; each row runs in both versions where the ids agree.
const check_case common_names[] = {
    {"a", v5, ""},
    {"/", v5, ""},                       // 4.7.3: only '/' is valid
    {"//", v5, ""},
    {"/finance", v5, ""},
    {"finance/", v5, ""},
    {"a//b", v5, ""},
    {"Accounts payable", v5, ""},        // 4.7.3: spaces allowed
    {"$SYS/broker/load", v5, ""},
    {"caf\xC3\xA9/\xF0\x9F\x98\x80", v5, ""},
    {"\xEF\xBB\xBF" "bom", v5, ""},      // a BOM is an ordinary character
    {repeat('a', 65535), v5, ""},
    {repeat('a', 65535), v3, ""},
    {"", v5, "MQTT-4.7.3-1"},
    {"", v3, "MQTT-4.7.3-1"},
    {repeat('a', 65536), v5, "MQTT-4.7.3-3"},
    {repeat('a', 65536), v3, "MQTT-4.7.3-3"},
    {"a\0b"s, v5, "MQTT-4.7.3-2"},
    {"a\0b"s, v3, "MQTT-4.7.3-2"},
    {"\0"s, v5, "MQTT-4.7.3-2"},
    {"\xC0\xAF", v5, "MQTT-1.5.4-1"},    // overlong '/'
    {"\xC0\xAF", v3, "MQTT-1.5.3-1"},
    {"a\xFF", v5, "MQTT-1.5.4-1"},
    {"a\xE2\x82", v5, "MQTT-1.5.4-1"},   // truncated sequence
    {"\xED\xA0\x80", v5, "MQTT-1.5.4-1"},  // U+D800
    {"\xED\xBF\xBF", v3, "MQTT-1.5.3-1"},  // U+DFFF
    {"\xF4\x90\x80\x80", v5, "MQTT-1.5.4-1"},  // above U+10FFFF
    {"\xC0\x80", v5, "MQTT-1.5.4-1"},    // overlong U+0000 is ill-formed, not a null
};

INSTANTIATE_TEST_SUITE_P(common, name_check, testing::ValuesIn(common_names));
INSTANTIATE_TEST_SUITE_P(common, filter_check, testing::ValuesIn(common_names));

INSTANTIATE_TEST_SUITE_P(wildcards, name_check,
                         testing::Values(check_case{"#", v5, "MQTT-4.7.0-1"},
                                         check_case{"#", v3, "MQTT-4.7.1-1"},
                                         check_case{"+", v5, "MQTT-4.7.0-1"},
                                         check_case{"+", v3, "MQTT-4.7.1-1"},
                                         check_case{"sport/tennis/+", v5, "MQTT-4.7.0-1"},
                                         check_case{"sport/#", v3, "MQTT-4.7.1-1"},
                                         check_case{"a+b", v5, "MQTT-4.7.0-1"},
                                         check_case{"a#b", v3, "MQTT-4.7.1-1"},
                                         check_case{"$share/g/a", v5, ""},  // a name, not a filter
                                         check_case{"", v5, "MQTT-4.7.3-1"}));  // length before wildcards

// The examples of 4.7.1.2 and 4.7.1.3, and more, in both versions.
const check_case wildcard_filters[] = {
    {"#", v5, ""},
    {"sport/tennis/#", v5, ""},
    {"sport/tennis/player1/#", v3, ""},
    {"/#", v5, ""},
    {"+", v5, ""},
    {"+/tennis/#", v3, ""},
    {"sport/+/player1", v5, ""},
    {"+/+", v5, ""},
    {"/+", v5, ""},
    {"+/", v5, ""},
    {"+//+", v5, ""},
    {"sport/tennis#", v5, "MQTT-4.7.1-1"},
    {"sport/tennis#", v3, "MQTT-4.7.1-2"},
    {"sport/tennis/#/ranking", v5, "MQTT-4.7.1-1"},
    {"sport/tennis/#/ranking", v3, "MQTT-4.7.1-2"},
    {"#/", v5, "MQTT-4.7.1-1"},
    {"##", v3, "MQTT-4.7.1-2"},
    {"#+", v5, "MQTT-4.7.1-1"},          // the '#' rule is checked first in a level
    {"a/#b", v5, "MQTT-4.7.1-1"},
    {"sport+", v5, "MQTT-4.7.1-2"},
    {"sport+", v3, "MQTT-4.7.1-3"},
    {"+sport/a", v5, "MQTT-4.7.1-2"},
    {"a/++", v3, "MQTT-4.7.1-3"},
    {"a/b+/c", v5, "MQTT-4.7.1-2"},
    {"+a/#", v5, "MQTT-4.7.1-2"},        // the first level breaking a rule decides
};

INSTANTIATE_TEST_SUITE_P(wildcards, filter_check, testing::ValuesIn(wildcard_filters));

// 5.0 section 4.8.2; in 3.1.1 "$share/..." is an ordinary filter.
const check_case shared_filters[] = {
    {"$share/consumer1/sport/tennis/+", v5, ""},
    {"$share/consumer2/sport/tennis/+", v5, ""},
    {"$share/consumer1//finance", v5, ""},
    {"$share/g/#", v5, ""},
    {"$share/g/+", v5, ""},
    {"$share/g/$SYS/#", v5, ""},
    {"$share/g/$share/h/a", v5, ""},     // the inner filter may itself start with $share
    {"$share", v5, ""},                   // no '/': not a shared filter
    {"$shared/g/a", v5, ""},
    {"$SHARE/g/a", v5, ""},               // case-sensitive: not shared
    {"$share/", v5, "MQTT-4.8.2-1"},
    {"$share//a", v5, "MQTT-4.8.2-1"},
    {"$share//", v5, "MQTT-4.8.2-1"},
    {"$share/g", v5, "MQTT-4.8.2-2"},
    {"$share/g/", v5, "MQTT-4.8.2-2"},
    {"$share/g+/a", v5, "MQTT-4.8.2-2"},
    {"$share/+/a", v5, "MQTT-4.8.2-2"},
    {"$share/#", v5, "MQTT-4.8.2-2"},
    {"$share/g#/a", v5, "MQTT-4.8.2-2"},
    {"$share/g/a#", v5, "MQTT-4.7.1-1"},  // the inner filter obeys the wildcard rules
    {"$share/g/a/#/b", v5, "MQTT-4.7.1-1"},
    {"$share/g/a+", v5, "MQTT-4.7.1-2"},
    {"$share/g/\0"s, v5, "MQTT-4.7.3-2"},
    {"$share/", v3, ""},
    {"$share//a", v3, ""},
    {"$share/g", v3, ""},
    {"$share/g+/a", v3, "MQTT-4.7.1-3"},  // '+' not alone in the level "g+"
    {"$share/#", v3, ""},
};

INSTANTIATE_TEST_SUITE_P(shared, filter_check, testing::ValuesIn(shared_filters));

TEST(check, defaults_to_5) {
  EXPECT_EQ(mqtt::topic::check_name("a/#")->spec_id, "MQTT-4.7.0-1");
  EXPECT_EQ(mqtt::topic::check_filter("$share/g")->spec_id, "MQTT-4.8.2-2");
}

TEST(check, what_names_the_offending_part) {
  EXPECT_EQ(mqtt::topic::check_filter("a/b+/c")->what, "'+' not alone in level \"b+\"");
  EXPECT_EQ(mqtt::topic::check_filter("a/#/c")->what, "'#' is not the last level");
  EXPECT_EQ(mqtt::topic::check_name("a/+")->what, "wildcard '+' in a topic name at byte 2");
  EXPECT_EQ(mqtt::topic::check_name("ab\0"s)->what, "U+0000 at byte 2");
  EXPECT_EQ(mqtt::topic::check_name(repeat('x', 70000))->what, "70000 bytes (at most 65535 are allowed)");
}

}  // namespace

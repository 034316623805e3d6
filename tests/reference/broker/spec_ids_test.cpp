// Every spec id cited in reference/broker exists in spec/*.tsv.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(broker_spec_ids, cited_ids_exist) {
  const std::filesystem::path root = MQTTSPEC_SOURCE_DIR;
  std::set<std::string> known;
  const std::regex id(R"(MQTT-\d+\.\d+\.\d+-\d+)");
  for (const char* f : {"spec/mqtt-3.1.1-normative.tsv", "spec/mqtt-5.0-normative.tsv"}) {
    std::istringstream lines(slurp(root / f));
    for (std::string line; std::getline(lines, line);) known.insert(line.substr(0, line.find('\t')));
  }
  ASSERT_GT(known.size(), 250u);  // ids shared by both versions count once
  std::size_t cited = 0;
  for (const auto& e : std::filesystem::directory_iterator(root / "reference/broker")) {
    if (!e.is_regular_file()) continue;
    const std::string text = slurp(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), id), end; it != end; ++it, ++cited)
      EXPECT_TRUE(known.count(it->str())) << e.path().filename() << " cites unknown " << it->str();
  }
  EXPECT_GT(cited, 100u);
}

}  // namespace

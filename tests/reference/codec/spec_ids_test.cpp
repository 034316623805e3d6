// Every normative statement id the sources cite exists in the spec tables, so a typo
// in an id cannot reach a report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace {

std::set<std::string> ids_in(const std::filesystem::path& tsv) {
  std::set<std::string> ids;
  std::ifstream in(tsv);
  std::string line;
  while (std::getline(in, line)) ids.insert(line.substr(0, line.find('\t')));
  return ids;
}

TEST(spec_ids, every_cited_id_exists) {
  const std::filesystem::path root = MQTTSPEC_SOURCE_DIR;
  auto known = ids_in(root / "spec/mqtt-3.1.1-normative.tsv");
  known.merge(ids_in(root / "spec/mqtt-5.0-normative.tsv"));
  ASSERT_GT(known.size(), 250u);  // ids shared by both versions count once
  const std::regex id(R"(MQTT-\d+\.\d+\.\d+-\d+)");
  std::size_t cited = 0;
  for (const auto* dir : {"reference", "harness", "netem"}) {
    if (!std::filesystem::exists(root / dir)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root / dir)) {
      if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      const std::string s = text.str();
      for (std::sregex_iterator m(s.begin(), s.end(), id), end; m != end; ++m) {
        ++cited;
        EXPECT_TRUE(known.count(m->str())) << m->str() << " cited in " << e.path() << " is not in spec/";
      }
    }
  }
  EXPECT_GT(cited, 20u);
}

}  // namespace

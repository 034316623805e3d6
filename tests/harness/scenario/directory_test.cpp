// Loading from disk: directories in sorted order, duplicate ids across files, missing
// paths. The spec table the loader checks ids against is tested in tests/spec/.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/scenario/loader.hpp"

namespace mqttspec::scenario {
namespace {

class directory : public testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("mqttspec_loader_" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "b");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void write(const std::string& name, const std::string& id) {
    std::ofstream(root_ / name) << "id: " << id
                                << "\ntitle: t\nprotocol: [5]\nspec: [MQTT-3.1.0-1]\nclients: { c: {} }\n"
                                   "steps:\n  - c: connect\n";
  }
  std::filesystem::path root_;
};

TEST_F(directory, loads_sorted_and_reports_duplicate_ids) {
  write("b/two.yaml", "x/two");
  write("a.yaml", "x/one");
  write("b/dup.yml", "x/one");
  write("notes.txt", "x/ignored");
  auto r = load_paths({root_.string()});
  ASSERT_EQ(r.files.size(), 3u);
  EXPECT_TRUE(r.files[0].ends_with("/a.yaml"));
  EXPECT_TRUE(r.files[1].ends_with("/b/dup.yml"));
  EXPECT_TRUE(r.files[2].ends_with("/b/two.yaml"));
  ASSERT_EQ(r.scenarios.size(), 2u);
  EXPECT_EQ(r.scenarios[0].id, "x/one");
  EXPECT_EQ(r.scenarios[1].id, "x/two");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(to_string(r.problems[0]),
            (root_ / "b/dup.yml").string() + ":1:5: duplicate id 'x/one' (first at " + (root_ / "a.yaml").string() + ":1:5)");
}

TEST_F(directory, missing_path_is_a_problem) {
  auto r = load_paths({(root_ / "none.yaml").string()});
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(to_string(r.problems[0]), (root_ / "none.yaml").string() + ": no such file or directory");
}

}  // namespace
}  // namespace mqttspec::scenario

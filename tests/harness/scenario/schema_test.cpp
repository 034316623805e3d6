// The JSON Schema editors use names every key the loader accepts, in the matching
// definition: a key added to the loader without the schema fails here.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "harness/scenario/keys.hpp"

namespace mqttspec::scenario {
namespace {

// The object schema a loader context is checked against.
YAML::Node schema_of(const YAML::Node& schema, std::string_view context) {
  if (context == "scenario") return schema;
  if (context.starts_with("step.") || context.starts_with("expect.")) return schema["definitions"]["step"];
  YAML::Node def = schema["definitions"][std::string(context)];
  // link and matcher are "a string or an object": the object is the last alternative.
  if (def["anyOf"]) return def["anyOf"][def["anyOf"].size() - 1];
  return def;
}

TEST(schema, names_every_key_the_loader_accepts) {
  const YAML::Node schema = YAML::LoadFile(MQTTSPEC_SOURCE_DIR "/scenarios/scenario.schema.json");
  int checked = 0;
  for (const auto& table : key_tables()) {
    const YAML::Node object = schema_of(schema, table.context);
    ASSERT_TRUE(object["properties"].IsMap()) << table.context;
    for (auto key : table.keys) {
      EXPECT_TRUE(object["properties"][std::string(key)]) << "schema lacks '" << key << "' of " << table.context;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(schema, names_every_property_and_capability) {
  const YAML::Node schema = YAML::LoadFile(MQTTSPEC_SOURCE_DIR "/scenarios/scenario.schema.json");
  EXPECT_EQ(schema["definitions"]["properties"]["properties"].size(), 27u);
  const YAML::Node caps = schema["properties"]["requires"]["items"]["enum"];
  ASSERT_EQ(caps.size(), capabilities().size());
  for (std::size_t i = 0; i < caps.size(); ++i) EXPECT_EQ(caps[i].as<std::string>(), capabilities()[i]);
}

}  // namespace
}  // namespace mqttspec::scenario

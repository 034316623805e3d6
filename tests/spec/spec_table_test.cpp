// The statement table of both versions, read from spec/*.tsv as the binaries find it.
#include <gtest/gtest.h>

#include "spec/spec_table.hpp"

namespace mqttspec::spec {
namespace {

using mqtt::protocol_version;

TEST(spec_table, looks_up_both_versions) {
  const auto& t = spec_table::builtin();
  EXPECT_EQ(t.error(), "");
  EXPECT_EQ(t.ids(protocol_version::v311).size(), 141u);
  EXPECT_EQ(t.ids(protocol_version::v5).size(), 251u);
  EXPECT_TRUE(t.exists(protocol_version::v5, "MQTT-3.1.2-24"));
  EXPECT_FALSE(t.exists(protocol_version::v5, "MQTT-2.2.1-1"));
  EXPECT_TRUE(t.exists(protocol_version::v311, "MQTT-7.0.0-1"));
  EXPECT_FALSE(t.exists(protocol_version::v5, "MQTT-7.0.0-1"));
  EXPECT_EQ(t.section(protocol_version::v5, "MQTT-1.5.5-1"), "1.5.5");
  EXPECT_EQ(t.text(protocol_version::v5, "MQTT-1.5.5-1"),
            "The encoded value MUST use the minimum number of bytes necessary to represent the value.");
  EXPECT_EQ(t.text(protocol_version::v5, "MQTT-9.9.9-9"), "");
}

TEST(spec_table, missing_directory_is_an_error_not_a_crash) {
  const auto t = spec_table::load("/nonexistent");
  EXPECT_EQ(t.error(), "cannot read /nonexistent/mqtt-3.1.1-normative.tsv; cannot read /nonexistent/mqtt-5.0-normative.tsv");
  EXPECT_TRUE(t.ids(protocol_version::v5).empty());
}

}  // namespace
}  // namespace mqttspec::spec

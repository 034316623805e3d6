// Trace files read back through the capture path, namespaces ignored, and compared.
#include "harness/traces/trace_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mqttspec::traces {
namespace {

const std::string golden = std::string(MQTTSPEC_SOURCE_DIR) + "/tests/data/golden/";

TEST(trace_file, namespaces_are_ignored) {
  const auto o = namespace_blind();
  EXPECT_EQ(o.client_id("ms-a1b2c-k3x9-sub"), "sub");
  EXPECT_EQ(o.client_id("ms-a1b2c-k3x9.1s2-my-client"), "my-client");
  EXPECT_EQ(o.client_id("plain-id"), "plain-id");
  EXPECT_EQ(o.topic("ms/a1b2c/k3x9/a/b"), "a/b");
  EXPECT_EQ(o.topic("$share/g/ms/a1b2c/k3x9/a/#"), "$share/g/a/#");
  EXPECT_EQ(o.topic("$SYS/broker"), "$SYS/broker");
  EXPECT_EQ(o.topic("ms/short"), "ms/short");
}

TEST(trace_file, reads_the_connections_of_a_case) {
  const auto t = read_trace(golden + "publish_qos1-puback_5.pcap");
  ASSERT_TRUE(t.error.empty()) << t.error;
  ASSERT_FALSE(t.connections.empty());
  for (const auto& c : t.connections) {
    EXPECT_TRUE(c.problems.empty());
    ASSERT_FALSE(c.packets.empty());
    EXPECT_TRUE(std::holds_alternative<mqtt::connect>(c.packets.front().packet)) << "the client side opens with CONNECT";
    EXPECT_THAT(c.client_id, ::testing::StartsWith("ms-"));
  }
  EXPECT_THAT(compare_files(t, read_trace(golden + "publish_qos1-puback_5.pcap"), namespace_blind()),
              ::testing::IsEmpty());
}

TEST(trace_file, another_case_differs) {
  const auto a = read_trace(golden + "publish_qos1-puback_5.pcap");
  const auto b = read_trace(golden + "publish_qos1-puback_3.1.1.pcap");
  EXPECT_THAT(compare_files(a, b, namespace_blind()), ::testing::Not(::testing::IsEmpty()));
}

TEST(trace_file, says_why_a_file_cannot_be_read) {
  EXPECT_FALSE(read_trace(golden + "no-such-file.pcap").error.empty());
}

}  // namespace
}  // namespace mqttspec::traces

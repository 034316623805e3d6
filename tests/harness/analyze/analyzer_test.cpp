// The analyzer on captures written by the project's own pcap writer: what it finds,
// where, and what it stays silent about.
#include "harness/analyze/analyzer.hpp"

#include <gmock/gmock.h>

#include "capture_builder.hpp"

namespace mqttspec::analyze::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// 3.1.1 packets.
constexpr const char* subscribe_ab_q2 = "82 08 00 01 00 03 61 2f 62 02";
constexpr const char* suback_q2 = "90 03 00 01 02";
std::string publish_q2(int id) { return "34 09 00 03 61 2f 62 00 0" + std::to_string(id) + " 68 69"; }

analysis run(const std::string& path, options o = {}) {
  std::string error;
  auto a = analyze_file(path, o, error);
  EXPECT_EQ(error, "");
  return a;
}

std::vector<std::string> ids(const analysis& a) {
  std::vector<std::string> out;
  for (const auto& f : a.findings) out.push_back(f.spec_id);
  return out;
}

// A subscriber gets "hi" on a/b at QoS 2 from a publisher; `copies`: how often the broker delivers it as new.
std::string qos2_exchange(capture_builder& c, int copies) {
  auto& sub = c.flow(1);
  c.send(sub, true, connect_311("73 75 62 31"));  // "sub1"
  c.send(sub, false, connack_311);
  c.send(sub, true, subscribe_ab_q2);
  c.send(sub, false, suback_q2);
  auto& pub = c.flow(2);
  c.send(pub, true, connect_311("70 75 62 31"));  // "pub1"
  c.send(pub, false, connack_311);
  c.send(pub, true, publish_q2(5));
  c.send(pub, false, "50 02 00 05");
  c.send(pub, true, "62 02 00 05");
  c.send(pub, false, "70 02 00 05");
  c.send(pub, true, disconnect);
  pub.fin(c.now(), true);
  for (int i = 1; i <= copies; ++i) {
    c.send(sub, false, publish_q2(i));
    c.send(sub, true, "50 02 00 0" + std::to_string(i));
    c.send(sub, false, "62 02 00 0" + std::to_string(i));
    c.send(sub, true, "70 02 00 0" + std::to_string(i));
  }
  c.send(sub, true, disconnect);
  sub.fin(c.now(), true);
  return c.done();
}

TEST(analyzer, a_correct_exchange_has_no_finding) {
  capture_builder c("correct");
  auto a = run(qos2_exchange(c, 1));
  EXPECT_THAT(ids(a), IsEmpty());
  ASSERT_EQ(a.connections.size(), 2u);
  const auto& sub = a.connections[0];
  EXPECT_EQ(sub.client_id, "sub1");
  EXPECT_EQ(sub.version, mqtt::protocol_version::v311);
  EXPECT_EQ(sub.version_from, "connect");
  EXPECT_EQ(sub.client, "10.1.0.1:40001");
  EXPECT_EQ(sub.server, "10.0.0.1:1883");
  EXPECT_EQ(sub.ended, "client closed");
  EXPECT_EQ(sub.from_server[3], 1u);  // PUBLISH
  EXPECT_EQ(sub.from_client[7], 1u);  // PUBCOMP
  EXPECT_EQ(a.packets[1], 2u);        // two CONNECTs
  EXPECT_EQ(a.packets[3], 2u);
}

TEST(analyzer, a_qos2_message_delivered_twice_is_a_finding_at_its_frame) {
  capture_builder c("twice");
  auto a = run(qos2_exchange(c, 2));
  ASSERT_THAT(ids(a), ElementsAre("MQTT-4.3.3-2"));
  const auto& f = a.findings[0];
  EXPECT_EQ(f.connection, 1u);
  EXPECT_EQ(f.client, "sub1");
  ASSERT_EQ(f.frames.size(), 1u);
  EXPECT_GT(f.frames[0], 20u);
  ASSERT_EQ(f.packets.size(), 1u);
  EXPECT_THAT(f.packets[0], ::testing::HasSubstr("PUBLISH qos=2"));
  EXPECT_EQ(a.connections[0].findings, 1u);
}

TEST(analyzer, a_connection_without_handshake_infers_its_version) {
  capture_builder c("midstream");
  auto& f = c.flow(1, /*handshake=*/false);
  c.send(f, false, "6c 6c 6f");  // the tail of a packet the capture missed the start of
  c.send(f, false, "32 0c 00 03 61 2f 62 00 03 68 65 6c 6c 6f");  // PUBLISH QoS 1 "hello": not 5.0
  c.send(f, true, "40 02 00 03");
  c.send(f, true, "c0 00");
  c.send(f, false, "d0 00");
  auto a = run(c.done());
  ASSERT_EQ(a.connections.size(), 1u);
  const auto& conn = a.connections[0];
  EXPECT_TRUE(conn.mid_stream);
  EXPECT_EQ(conn.version, mqtt::protocol_version::v311);
  EXPECT_EQ(conn.version_from, "inferred");
  EXPECT_EQ(conn.from_server[3], 1u);
  EXPECT_EQ(conn.from_client[4], 1u);
  EXPECT_EQ(conn.from_server[13], 1u);
  EXPECT_EQ(conn.malformed, 0u);
  EXPECT_THAT(conn.notes, ElementsAre(::testing::HasSubstr("resynchronised after skipping 3 bytes")));
  EXPECT_THAT(ids(a), IsEmpty());

  options o;
  o.protocol = mqtt::protocol_version::v311;
  auto b = run(c.done(), o);
  EXPECT_EQ(b.connections[0].version_from, "option");
}

TEST(analyzer, a_connect_finds_mqtt_on_any_port_and_other_bytes_are_ignored) {
  capture_builder c("ports");
  auto& mqtt_flow = c.flow(1, true, 9999);
  c.send(mqtt_flow, true, connect_311("61 62 63 64"));
  c.send(mqtt_flow, false, connack_311);
  auto& http = c.flow(2, true, 8080);
  c.send(http, true, "47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a 0d 0a");  // GET / HTTP/1.1
  auto& tls = c.flow(3);                                                        // 1883, TLS
  c.send(tls, true, "16 03 01 00 05 01 00 00 01 00");
  auto a = run(c.done());
  ASSERT_EQ(a.connections.size(), 1u);
  EXPECT_EQ(a.connections[0].server, "10.0.0.1:9999");
  EXPECT_EQ(a.connections[0].client_id, "abcd");
  ASSERT_EQ(a.unreadables.size(), 1u);
  EXPECT_THAT(a.unreadables[0].reason, ::testing::HasSubstr("TLS"));
  EXPECT_EQ(a.tcp_connections, 3u);
}

TEST(analyzer, a_missing_file_is_an_input_error) {
  std::string error;
  analyze_file("/nonexistent/capture.pcap", {}, error);
  EXPECT_NE(error, "");
}

}  // namespace
}  // namespace mqttspec::analyze::testing

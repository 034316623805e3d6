// Captures must be Wireshark-clean: tshark (Debian's package) dissects every MQTT
// packet of a mixed session, both versions, all packet types, sliced segments,
// and finds nothing malformed.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "netem/pcap/capture.hpp"
#include "reference/codec/codec.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;
using mqtt::protocol_version;

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

struct step {
  bool from_client;
  mqtt::packet p;
};

// Every packet type of the version, in an order a real session could have.
std::vector<step> session(protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  mqtt::connect c;
  c.version = v;
  c.client_id = v5 ? "five" : "three";
  c.will = mqtt::will_message{"w/t", "bye", mqtt::qos::at_least_once, false, {}};
  c.user_name = "u";
  c.password = "p";
  if (v5) c.props = {{mqtt::property_id::authentication_method, 0, "SCRAM-TEST", {}}};
  mqtt::publish q0{false, mqtt::qos::at_most_once, false, "a/b", 0, {}, "zero"};
  mqtt::publish q1{false, mqtt::qos::at_least_once, true, "a/b", 1, {}, std::string_view("one\0x", 5)};
  static const std::string big(3000, 'z');  // packets only view their payload
  mqtt::publish q2{true, mqtt::qos::exactly_once, false, "a/c", 2, {}, big};
  if (v5) q1.props = {{mqtt::property_id::user_property, 0, "k", "v"}, {mqtt::property_id::topic_alias, 3, {}, {}}};
  std::vector<step> s{{true, c}};
  if (v5) {
    s.push_back({false, mqtt::auth{mqtt::reason_code::continue_authentication, {}}});
    s.push_back({true, mqtt::auth{mqtt::reason_code::continue_authentication, {}}});
  }
  std::vector<step> rest{
      {false, mqtt::connack{false, mqtt::reason_code::success, {}}},
      {true, mqtt::subscribe{7, {}, {{"a/#", mqtt::qos::exactly_once}}}},
      {false, mqtt::suback{7, {}, {mqtt::reason_code::granted_qos_2}}},
      {true, q0}, {true, q1}, {false, mqtt::puback{1, {}, {}}},
      {true, q2}, {false, mqtt::pubrec{2, {}, {}}}, {true, mqtt::pubrel{2, {}, {}}}, {false, mqtt::pubcomp{2, {}, {}}},
      {true, mqtt::pingreq{}}, {false, mqtt::pingresp{}},
      {true, mqtt::unsubscribe{8, {}, {"a/#"}}}, {false, mqtt::unsuback{8, {}, {mqtt::reason_code::success}}},
      {true, mqtt::disconnect{}},
  };
  s.insert(s.end(), rest.begin(), rest.end());
  return s;
}

TEST(pcap, tshark_dissects_a_mixed_capture_cleanly) {
  const auto path = std::filesystem::temp_directory_path() / ("mqttspec-pcap-" + std::to_string(getpid()) + ".pcap");
  std::size_t expected = 0;
  std::map<int, int> per_type;  // MQTT control packet type -> packets written
  {
    capture cap(path.string(), 1'764'000'000s);
    ASSERT_TRUE(cap.ok()) << cap.error();
    std::chrono::microseconds t = 1s;
    for (auto v : {protocol_version::v311, protocol_version::v5, protocol_version::v311}) {
      tcp_flow& f = cap.new_flow();
      f.open(t);
      const bool sliced = cap.flow_count() == 3;  // the third flow: one byte per segment
      for (const auto& st : session(v)) {
        const std::string bytes = mqtt::encode(st.p, v);
        t += 3ms;
        if (sliced) {
          // Wireshark 4.0 reads a fixed header only when it is whole in one segment
          // (a split multi-byte remaining length derails it), so the first piece is
          // the fixed header; every other byte gets a segment of its own.
          const std::size_t header = 2 + (bytes.size() > 129) + (bytes.size() > 16386);
          f.data(t, st.from_client, std::string_view(bytes).substr(0, header));
          for (std::size_t i = header; i < bytes.size(); ++i) f.data(t, st.from_client, std::string_view(bytes).substr(i, 1));
        } else
          f.data(t, st.from_client, bytes);
        ++expected;
        ++per_type[int(mqtt::type_of(st.p))];
      }
      f.fin(t + 1ms, true);
      f.fin(t + 2ms, false);
    }
  }
  const std::string tshark = "tshark -n -r " + path.string() + " ";
  const std::string types = run(tshark + "-Y mqtt -T fields -e mqtt.msgtype -E occurrence=a -E aggregator=, 2>/dev/null");
  std::map<int, int> seen;
  std::size_t dissected = 0;
  for (std::size_t i = 0; i < types.size();) {
    std::size_t end = types.find_first_of(",\n", i);
    if (end == std::string::npos) end = types.size();
    if (end > i) ++seen[std::stoi(types.substr(i, end - i))], ++dissected;
    i = end + 1;
  }
  EXPECT_EQ(dissected, expected) << types;
  EXPECT_EQ(seen, per_type);  // every type, AUTH included, as often as written
  EXPECT_EQ(run(tshark + "-Y '_ws.malformed || _ws.expert.severity >= 8388608' 2>/dev/null"), "");
  // Every flow has its handshake and its orderly close.
  EXPECT_EQ(run(tshark + "-Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' 2>/dev/null | wc -l"), "3\n");
  EXPECT_EQ(run(tshark + "-Y 'tcp.flags.fin == 1' 2>/dev/null | wc -l"), "6\n");
  EXPECT_EQ(run(tshark + "-Y 'tcp.analysis.flags && !tcp.analysis.window_update' 2>/dev/null"), "");
  EXPECT_EQ(per_type.size(), 15u);
  if (!HasFailure()) std::filesystem::remove(path);
}

}  // namespace
}  // namespace netem

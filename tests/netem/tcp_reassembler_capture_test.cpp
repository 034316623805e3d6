// The committed tcp_cases.pcap (tests/data/captures/README.md) as the analyzer reads
// it: capture_reader, frame_parser, tcp_reassembler, each connection's events in order.
#include <gtest/gtest.h>

#include <map>

#include "netem/pcap/capture_reader.hpp"
#include "netem/pcap/tcp_reassembler.hpp"
#include "tcp_recorder.hpp"

namespace netem {
namespace {

using testing_only::events;
using testing_only::recorder;

TEST(TcpReassembler, CommittedCasesEndToEnd) {
  // Each segment of tcp_cases.pcap carries one MQTT packet: log it by name.
  struct named : recorder {
    void on_data(const tcp_reassembler::connection& c, int side, std::string_view b, std::uint64_t frame,
                 tcp_reassembler::timestamp) override {
      static const std::map<std::string, std::string, std::less<>> names{
          {std::string("\x10\x10\x00\x04MQTT\x04\x02\x00\x3c\x00\x04test", 18), "CONNECT"},
          {std::string("\x20\x02\x00\x00", 4), "CONNACK"},
          {std::string("\x30\x07\x00\x03" "a/bhi", 9), "PUBLISH"},
          {std::string("\xc0\x00", 2), "PINGREQ"},
          {std::string("\xd0\x00", 2), "PINGRESP"},
          {std::string("\xe0\x00", 2), "DISCONNECT"}};
      const auto n = names.find(b);
      log.push_back(prefix("data", c) + " " + std::to_string(side) + " " + (n == names.end() ? "?" : n->second) +
                    " (frame " + std::to_string(frame) + ")");
    }
  } out;
  capture_reader in(std::string(MQTTSPEC_SOURCE_DIR) + "/tests/data/captures/tcp_cases.pcap");
  ASSERT_TRUE(in.ok()) << in.error();
  frame_parser parser;
  tcp_reassembler r(out);
  std::string note;
  tcp_reassembler::timestamp end{};
  while (auto f = in.next()) {
    if (auto s = parser.parse(*f, &note)) r.add(*s, f->number, f->at);
    EXPECT_EQ(note, "");
    end = f->at;
  }
  r.finish(end);
  const events expected{
      // 1: sequence numbers wrap inside the CONNECT; PINGREQ (frame 8) before PUBLISH (9); PUBLISH again (10).
      "open #1 10.0.0.2:50001 10.0.0.1:1883 handshake", "data #1 0 CONNECT (frame 4)", "data #1 1 CONNACK (frame 6)",
      "data #1 0 PUBLISH (frame 9)", "data #1 0 PINGREQ (frame 9)", "data #1 1 PINGRESP (frame 12)",
      "data #1 0 DISCONNECT (frame 14)", "close #1 0 fin", "close #1 1 fin", "end #1",
      // 2: the same 4-tuple with a new ISN.
      "open #2 10.0.0.2:50001 10.0.0.1:1883 handshake", "data #2 0 CONNECT (frame 22)",
      "data #2 1 CONNACK (frame 24)", "close #2 0 fin", "close #2 1 fin", "end #2",
      // 3: a PUBLISH the capture lacks, acknowledged by the broker.
      "open #3 10.0.0.2:50002 10.0.0.1:1883 handshake", "data #3 0 CONNECT (frame 32)",
      "data #3 1 CONNACK (frame 34)", "gap #3 0 9", "data #3 0 PINGREQ (frame 37)", "data #3 1 PINGRESP (frame 38)",
      "close #3 0 fin", "close #3 1 fin", "end #3",
      // 4: the PUBLISH again with "ho" for "hi": the first copy stands; then a reset.
      "open #4 10.0.0.2:50003 10.0.0.1:1883 handshake", "data #4 0 CONNECT (frame 46)",
      "data #4 1 CONNACK (frame 48)", "data #4 0 PUBLISH (frame 50)", "conflict #4 0 @26", "close #4 1 rst", "end #4",
      // 5: begun before the capture, still open at its end.
      "open #5 10.0.0.2:50004 10.0.0.1:1883 midstream", "data #5 0 PUBLISH (frame 53)",
      "data #5 0 PINGREQ (frame 55)", "data #5 1 PINGRESP (frame 57)", "end #5"};
  EXPECT_EQ(out.log, expected);
  EXPECT_EQ(r.stats().reused, 1u);
  EXPECT_EQ(r.stats().retransmissions, 2u);  // the identical PUBLISH, and the conflicting one
}

}  // namespace
}  // namespace netem

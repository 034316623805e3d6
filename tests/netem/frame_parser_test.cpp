// frame_parser on hand-built frames of every link type, with VLAN tags, IPv4 options,
// IPv6 extension headers, fragments and truncations, and on the committed captures.
#include <gtest/gtest.h>

#include "netem/pcap/frame_parser.hpp"

namespace netem {
namespace {

using namespace std::literals;

std::string hex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size();) {
    if (h[i] == ' ') {
      ++i;
      continue;
    }
    out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

std::string be16(unsigned v) { return {char(v >> 8), char(v & 0xff)}; }

//                          sport  dport  seq       ack       off  flags win   sum  urg
const std::string tcp_ack = hex("c350 075b 00000064 000000c8 50 18 ffff 0000 0000");
const std::string pingreq = hex("c000");

std::string tcp(std::string_view payload = pingreq, std::string options = "") {
  std::string t = tcp_ack;
  t[12] = static_cast<char>((20 + options.size()) / 4 << 4);
  return t + options + std::string(payload);
}

std::string ipv4(const std::string& body, std::string options = "", std::string frag = "0000", int proto = 6,
                 std::string id = "0001") {
  const std::size_t header = 20 + options.size();
  //                ver/ihl                                  length                        id     frag
  return std::string(1, char(0x40 | header / 4)) + '\0' + be16(header + body.size()) + hex(id) + hex(frag) +
         //  ttl  proto                   sum    src       dst
         hex("40") + char(proto) + hex("0000 0a000002 0a000001") + options + body;
}

std::string ipv6(const std::string& body, int next = 6) {
  //              ver/class/flow   length              next         hop
  return hex("60000000") + be16(body.size()) + char(next) + hex("40") +
         hex("20010db8000000000000000000000002 20010db8000000000000000000000001") + body;
}

std::string ether(const std::string& ip, std::string tags = "", std::string type = "0800") {
  return hex("020000000002 020000000001") + hex(tags) + hex(type) + ip;
}

frame at(int linktype, const std::string& data, std::uint32_t original = 0, std::uint64_t number = 7) {
  return frame{number, std::chrono::seconds(1), linktype, data,
               original ? original : static_cast<std::uint32_t>(data.size())};
}

// Parses and checks the segment is the test's PINGREQ from 10.0.0.2:50000 to 10.0.0.1:1883.
void expect_pingreq(frame_parser& p, const frame& f, bool v6 = false) {
  std::string note;
  const auto s = p.parse(f, &note);
  ASSERT_TRUE(s) << note;
  EXPECT_EQ(note, "");
  EXPECT_EQ(s->src.v6, v6);
  EXPECT_EQ(to_string(s->src, s->sport), v6 ? "[2001:db8::2]:50000" : "10.0.0.2:50000");
  EXPECT_EQ(to_string(s->dst, s->dport), v6 ? "[2001:db8::1]:1883" : "10.0.0.1:1883");
  EXPECT_EQ(s->seq, 100u);
  EXPECT_EQ(s->ack, 200u);
  EXPECT_EQ(s->flags, tcp_flag::psh | tcp_flag::ack);
  EXPECT_EQ(s->payload, pingreq);
}

TEST(FrameParser, EthernetWithoutItsPadding) {
  frame_parser p;
  std::string e = ether(ipv4(tcp()));
  e.resize(60, '\0');  // Ethernet's minimum: the padding is no TCP payload
  expect_pingreq(p, at(linktype::ethernet, e));
}

TEST(FrameParser, VlanTagsSingleAndStacked) {
  frame_parser p;
  expect_pingreq(p, at(1, ether(ipv4(tcp()), "8100 00c8")));
  expect_pingreq(p, at(1, ether(ipv4(tcp()), "88a8 0064 8100 00c8")));
  expect_pingreq(p, at(1, ether(ipv6(tcp()), "9100 0001 88a8 0064 8100 00c8", "86dd")), true);
}

TEST(FrameParser, LinuxCookedV1AndV2) {
  frame_parser p;
  //                 type  arphrd alen  address            protocol
  expect_pingreq(p, at(linktype::linux_sll, hex("0000 0001 0006 0200000000010000 0800") + ipv4(tcp())));
  //                 protocol rsvd ifindex  arphrd type alen address
  expect_pingreq(p, at(linktype::linux_sll2, hex("86dd 0000 00000001 0001 00 06 0200000000010000") + ipv6(tcp())),
                 true);
}

TEST(FrameParser, RawIpLinkTypes) {
  frame_parser p;
  for (int lt : {linktype::raw_12, linktype::raw_14, linktype::raw, linktype::ipv4}) expect_pingreq(p, at(lt, ipv4(tcp())));
  for (int lt : {linktype::raw_12, linktype::raw, linktype::ipv6}) expect_pingreq(p, at(lt, ipv6(tcp())), true);
}

TEST(FrameParser, BsdLoopbackInEitherByteOrder) {
  frame_parser p;
  expect_pingreq(p, at(linktype::null, hex("02000000") + ipv4(tcp())));  // little-endian machine
  expect_pingreq(p, at(linktype::null, hex("00000002") + ipv4(tcp())));  // big-endian machine
  for (const char* family : {"18000000", "1c000000", "1e000000", "0000001e"})  // 24, 28, 30
    expect_pingreq(p, at(linktype::null, hex(family) + ipv6(tcp())), true);
  expect_pingreq(p, at(linktype::loop, hex("00000002") + ipv4(tcp())));
  expect_pingreq(p, at(linktype::loop, hex("00000018") + ipv6(tcp())), true);
  std::string note;
  EXPECT_FALSE(p.parse(at(linktype::loop, hex("02000000") + ipv4(tcp())), &note));  // DLT_LOOP is network order
  EXPECT_FALSE(p.parse(at(linktype::null, hex("07000000") + ipv4(tcp())), &note));  // not IP
  EXPECT_EQ(note, "");
}

TEST(FrameParser, Ipv4OptionsAndTcpOptions) {
  frame_parser p;
  //                                 NOP router-alert
  expect_pingreq(p, at(1, ether(ipv4(tcp(), hex("01 94040000 000000")))));
  //                                     MSS      NOP NOP  timestamps
  expect_pingreq(p, at(1, ether(ipv4(tcp(pingreq, hex("020405b4 0101080a 00000001 00000000"))))));
}

TEST(FrameParser, Ipv6ExtensionHeadersAreSkipped) {
  frame_parser p;
  //                     next len  router alert
  const std::string hop = hex("2b 00 05020000 0100");
  //                     next len  type left  reserved
  const std::string routing = hex("3c 00 00 00 00000000");
  //                     next len  PadN
  const std::string dest = hex("06 00 0104 00000000");
  expect_pingreq(p, at(linktype::ipv6, ipv6(hop + routing + dest + tcp(), 0)), true);
}

TEST(FrameParser, Ipv4FragmentsReassembledInAndOutOfOrder) {
  const std::string segment = tcp(hex("30070003612f626869"));  // a PUBLISH: 29 bytes of TCP
  const std::string a = segment.substr(0, 16), b = segment.substr(16, 8), c = segment.substr(24);
  //                               MF + offset in 8-byte units
  const std::string p1 = ipv4(a, "", "2000"), p2 = ipv4(b, "", "2002"), p3 = ipv4(c, "", "0003");
  const frame f1 = at(101, p1), f2 = at(101, p2), f3 = at(101, p3);
  for (const auto& order : {std::vector{f1, f2, f3}, {f3, f1, f2}, {f2, f3, f2, f1}}) {
    frame_parser p;
    std::string note;
    for (std::size_t i = 0; i + 1 < order.size(); ++i) EXPECT_FALSE(p.parse(order[i], &note));
    const auto s = p.parse(order.back(), &note);
    ASSERT_TRUE(s) << note;
    EXPECT_EQ(s->payload, hex("30070003612f626869"));
    EXPECT_EQ(p.fragments().pending(), 0u);
  }
}

TEST(FrameParser, Ipv6FragmentsReassembled) {
  const std::string segment = tcp();
  //                                    next rsvd offset/M  id
  const std::string first = hex("06 00 0001 00001234") + segment.substr(0, 16);
  const std::string second = hex("06 00 0010 00001234") + segment.substr(16);
  frame_parser p;
  std::string note;
  EXPECT_FALSE(p.parse(at(229, ipv6(second, 44)), &note));
  EXPECT_EQ(note, "");
  expect_pingreq(p, at(229, ipv6(first, 44)), true);
}

TEST(FrameParser, IncompleteFragmentsTimeOutWithANote) {
  frame_parser p;
  std::string note;
  EXPECT_FALSE(p.parse(at(101, ipv4(tcp().substr(0, 16), "", "2000")), &note));
  EXPECT_EQ(p.fragments().pending(), 1u);
  const std::string whole = ipv4(tcp());
  frame later = at(101, whole);
  later.at = std::chrono::minutes(5);
  EXPECT_TRUE(p.parse(later, &note));
  EXPECT_EQ(note, "IPv4 fragments dropped (timed out): 16 bytes of an incomplete datagram");
  EXPECT_EQ(p.fragments().pending(), 0u);
}

TEST(FrameParser, HeldFragmentsAreBounded) {
  ip_fragments f(4, 1 << 20);
  std::string note;
  for (std::uint32_t id = 0; id < 100; ++id)
    EXPECT_FALSE(f.add({false, {}, {}, id, 6}, 0, true, "12345678", {}, &note));
  EXPECT_EQ(f.pending(), 4u);
  EXPECT_EQ(f.dropped(), 96u);
  EXPECT_NE(note.find("too many incomplete datagrams"), std::string::npos);
  // Beyond 64 KiB, or a second different end: the datagram is given up.
  note.clear();
  EXPECT_FALSE(f.add({false, {}, {}, 99, 6}, 65528, true, "12345678", {}, &note));
  EXPECT_NE(note.find("inconsistent"), std::string::npos);
}

TEST(FrameParser, TruncatedHeadersAreNotedNotCrashed) {
  frame_parser p;
  std::string note;
  const std::string full = ether(ipv4(tcp()));
  for (std::size_t n = 0; n < full.size() - pingreq.size(); ++n) {
    EXPECT_FALSE(p.parse(at(1, full.substr(0, n)), &note)) << n;
    EXPECT_NE(note.find("frame 7 truncated"), std::string::npos) << n << ": " << note;
  }
  EXPECT_FALSE(p.parse(at(1, full.substr(0, 40), 1514), &note));
  EXPECT_EQ(note, "frame 7 cut by snaplen: 40 of 1514 bytes");
  // Headers whole but the payload cut: not handed on (the reassembler sees a hole).
  EXPECT_FALSE(p.parse(at(1, full.substr(0, full.size() - 1), 1514), &note));
  EXPECT_EQ(note, "frame 7 cut by snaplen: 55 of 1514 bytes");
}

TEST(FrameParser, WhatIsNotTcpIsSkippedQuietly) {
  frame_parser p;
  std::string note = "stale";
  EXPECT_FALSE(p.parse(at(1, ether(ipv4("udp.....", "", "0000", 17))), &note));
  EXPECT_EQ(note, "");
  EXPECT_FALSE(p.parse(at(1, ether(std::string(28, 'a'), "", "0806")), &note));  // ARP
  EXPECT_EQ(note, "");
  EXPECT_FALSE(p.parse(at(147, "anything"), &note));
  EXPECT_EQ(note, "unsupported link type 147");
  EXPECT_FALSE(p.parse(at(1, ether(ipv4(tcp()).replace(0, 1, "\x43"))), &note));  // header length 12
  EXPECT_EQ(note, "frame 7: malformed IPv4 header");
  EXPECT_FALSE(p.parse(at(101, "\x50"), &note));
  EXPECT_NE(note.find("version neither 4 nor 6"), std::string::npos);
}

// Every committed capture: which frames give a TCP segment, and what is noted.
TEST(FrameParser, CommittedCaptures) {
  struct expected {
    const char* file;
    int segments, notes;
    std::size_t payload;  // TCP payload bytes in all
  };
  // One MQTT session: CONNECT 18 + CONNACK 4 + PUBLISH 9 + PINGREQ, PINGRESP, DISCONNECT 2 each.
  constexpr std::size_t session = 18 + 4 + 9 + 2 + 2 + 2;
  for (const auto& e : {expected{"ethernet.pcap", 18, 0, session}, expected{"vlan_qinq.pcap", 18, 0, session},
                        expected{"linux_sll.pcap", 18, 0, session}, expected{"linux_sll2.pcapng", 18, 0, session},
                        expected{"raw_ipv4_fragments.pcap", 18, 0, session},
                        expected{"raw_ipv6_fragments.pcap", 18, 0, session},
                        expected{"null_loopback.pcap", 36, 0, 2 * session},
                        expected{"loop_openbsd.pcap", 36, 0, 2 * session},
                        expected{"mixed_interfaces.pcapng", 48, 0, session + 3 * (18 + 4)},
                        expected{"snaplen_cut.pcap", 16, 2, session - 18 - 9}}) {
    SCOPED_TRACE(e.file);
    capture_reader in(std::string(MQTTSPEC_SOURCE_DIR) + "/tests/data/captures/" + e.file);
    ASSERT_TRUE(in.ok()) << in.error();
    frame_parser p;
    int segments = 0, notes = 0;
    std::size_t payload = 0;
    std::string note;
    while (auto f = in.next()) {
      if (const auto s = p.parse(*f, &note)) {
        ++segments;
        payload += s->payload.size();
        EXPECT_TRUE(s->sport == 1883 || s->dport == 1883);
      }
      if (!note.empty()) {
        ++notes;
        EXPECT_NE(note.find("cut by snaplen"), std::string::npos) << note;
      }
    }
    EXPECT_EQ(segments, e.segments);
    EXPECT_EQ(notes, e.notes);
    EXPECT_EQ(payload, e.payload);
    EXPECT_EQ(p.fragments().pending(), 0u);
  }
}

TEST(FrameParser, AddressesPrint) {
  address a;
  a.bytes = {127, 0, 0, 1};
  EXPECT_EQ(to_string(a, 1883), "127.0.0.1:1883");
  address b{true, {}};
  b.bytes[15] = 1;
  EXPECT_EQ(to_string(b, 1883), "[::1]:1883");
}

}  // namespace
}  // namespace netem

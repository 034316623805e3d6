// tcp_reassembler: each case of a capture's TCP (order, loss, retransmission, reuse,
// wrap-around, resets) as the events the MQTT layer receives.
#include <gtest/gtest.h>

#include "netem/pcap/tcp_reassembler.hpp"
#include "tcp_recorder.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;
using tcp_flag::ack;
using tcp_flag::fin;
using tcp_flag::psh;
using tcp_flag::rst;
using tcp_flag::syn;
using testing_only::events;
using testing_only::recorder;

// One client (10.0.0.2:port) and the broker (10.0.0.1:1883).
struct wire {
  recorder out;
  tcp_reassembler r;
  std::uint64_t frame = 0;
  explicit wire(std::size_t cap = 4 << 20) : r(out, cap) {}

  void send(bool from_client, std::uint32_t seq, std::uint32_t acknowledged, std::uint8_t flags,
            std::string_view payload = "", std::uint16_t port = 50000) {
    address c, s;
    c.bytes = {10, 0, 0, 2};
    s.bytes = {10, 0, 0, 1};
    tcp_segment t{from_client ? c : s, from_client ? s : c, from_client ? port : std::uint16_t(1883),
                  from_client ? std::uint16_t(1883) : port, seq, acknowledged, flags, payload};
    ++frame;
    r.add(t, frame, std::chrono::seconds(frame));
  }
  // SYN (client ISN `c`), SYN-ACK (broker ISN `s`), ACK.
  void handshake(std::uint32_t c, std::uint32_t s, std::uint16_t port = 50000) {
    send(true, c, 0, syn, "", port);
    send(false, s, c + 1, syn | ack, "", port);
    send(true, c + 1, s + 1, ack, "", port);
  }
};

const std::string open1 = "open #1 10.0.0.2:50000 10.0.0.1:1883 handshake";

TEST(TcpReassembler, InOrderBothWaysThenFinFromEachSide) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 101, 501, psh | ack, "hello");
  w.send(false, 501, 106, psh | ack, "world");
  w.send(true, 106, 506, fin | ack);
  w.send(false, 506, 107, fin | ack);
  w.send(true, 107, 507, ack);  // the last ACK: nothing more
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "data #1 1 world", "close #1 0 fin", "close #1 1 fin",
                               "end #1"}));
  EXPECT_EQ(w.r.open_connections(), 0u);
  EXPECT_EQ(w.r.stats().late, 1u);
}

TEST(TcpReassembler, OutOfOrderIsHeldUntilTheHoleFills) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 106, 501, psh | ack, "world");
  w.send(true, 111, 501, psh | ack, "!");
  EXPECT_EQ(w.out.log, events{open1});
  w.send(true, 101, 501, psh | ack, "hello");
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "data #1 0 world", "data #1 0 !"}));
  EXPECT_EQ(w.r.stats().out_of_order, 2u);
}

TEST(TcpReassembler, IdenticalRetransmissionsAreIgnored) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 101, 501, psh | ack, "hello");
  w.send(true, 101, 501, psh | ack, "hello");
  w.send(true, 103, 501, psh | ack, "llo");  // a part of it
  w.send(true, 106, 501, psh | ack, "x");
  w.send(true, 106, 501, psh | ack, "x");  // held copies too
  w.send(true, 108, 501, psh | ack, "z");
  w.send(true, 108, 501, psh | ack, "z");
  w.send(true, 107, 501, psh | ack, "y");
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "data #1 0 x", "data #1 0 y", "data #1 0 z"}));
  EXPECT_EQ(w.r.stats().retransmissions, 4u);
  EXPECT_EQ(w.r.stats().conflicts, 0u);
}

TEST(TcpReassembler, ConflictingRetransmissionKeepsTheFirstCopy) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 101, 501, psh | ack, "hello");
  w.send(true, 101, 501, psh | ack, "help!");  // differs at offset 3
  w.send(true, 106, 501, psh | ack, "ab");
  w.send(true, 110, 501, psh | ack, "ef");     // held
  w.send(true, 108, 501, psh | ack, "cdXf");   // overlaps the held copy at offset 9: conflict
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "conflict #1 0 @3", "data #1 0 ab", "conflict #1 0 @9",
                               "data #1 0 cd", "data #1 0 ef"}));
  EXPECT_EQ(w.r.stats().conflicts, 2u);
}

TEST(TcpReassembler, AckPastAHoleIsAGapThenTheStreamResumes) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 101, 501, psh | ack, "hello");
  w.send(true, 111, 501, psh | ack, "again");  // "lost!" at 106 never captured
  w.send(false, 501, 116, ack);                 // the broker had it all
  w.send(true, 116, 501, psh | ack, "more");
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "gap #1 0 5", "data #1 0 again", "data #1 0 more"}));
  EXPECT_EQ(w.r.stats().gap_bytes, 5u);
}

TEST(TcpReassembler, FinishDeliversWhatIsHeldAfterAGap) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 106, 501, psh | ack, "world");
  w.r.finish(1h);
  EXPECT_EQ(w.out.log, (events{open1, "gap #1 0 5", "data #1 0 world", "end #1"}));
  EXPECT_EQ(w.r.open_connections(), 0u);
}

TEST(TcpReassembler, AcknowledgedButUnseenTailIsAGapAtTheEnd) {
  wire w;
  w.handshake(100, 500);
  w.send(false, 501, 111, ack);  // acknowledges 10 bytes the capture lacks
  w.r.finish(1h);
  EXPECT_EQ(w.out.log, (events{open1, "gap #1 0 9", "end #1"}));  // the last number may be an unseen FIN
}

TEST(TcpReassembler, MidStreamStartTakesTheFirstSequenceNumber) {
  wire w;
  w.send(false, 7000, 3000, ack);  // a bare ACK opens nothing
  EXPECT_TRUE(w.out.log.empty());
  w.send(false, 7000, 3000, psh | ack, "from broker");
  w.send(true, 3000, 7011, psh | ack, "reply");
  w.send(false, 7011, 3005, psh | ack, "!");
  EXPECT_EQ(w.out.log, (events{"open #1 10.0.0.1:1883 10.0.0.2:50000 midstream", "data #1 0 from broker",
                               "data #1 1 reply", "data #1 0 !"}));
  EXPECT_EQ(w.r.stats().ignored, 1u);
}

TEST(TcpReassembler, SynAckFirstMakesTheReceiverTheClient) {
  wire w;
  w.send(false, 500, 101, syn | ack);
  w.send(true, 101, 501, psh | ack, "hello");
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello"}));
}

TEST(TcpReassembler, ResetEndsTheConnectionAndLateSegmentsOpenNothing) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 101, 501, psh | ack, "hello");
  w.send(false, 501, 106, rst | ack);
  w.send(true, 106, 501, psh | ack, "late");  // was in flight
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "close #1 1 rst", "end #1"}));
  EXPECT_EQ(w.r.open_connections(), 0u);
  EXPECT_EQ(w.r.stats().late, 1u);
}

TEST(TcpReassembler, FinWaitsForTheBytesBeforeIt) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 106, 501, fin | psh | ack, "world");
  w.send(true, 101, 501, psh | ack, "hello");
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 hello", "data #1 0 world", "close #1 0 fin"}));
}

TEST(TcpReassembler, SequenceNumbersWrapAround) {
  wire w;
  w.handshake(0xfffffff8u, 0xfffffffeu);
  w.send(true, 0xfffffff9u, 0xffffffffu, psh | ack, "0123456789");  // crosses 2^32
  w.send(true, 5, 0xffffffffu, psh | ack, "cd");                   // out of order, past zero
  w.send(true, 3, 0xffffffffu, psh | ack, "ab");
  w.send(false, 0xffffffffu, 7, psh | ack, "xy");  // the broker's stream starts at 2^32 - 1
  w.send(false, 1, 7, psh | ack, "z");
  EXPECT_EQ(w.out.log, (events{"open #1 10.0.0.2:50000 10.0.0.1:1883 handshake", "data #1 0 0123456789",
                               "data #1 0 ab", "data #1 0 cd", "data #1 1 xy", "data #1 1 z"}));
}

TEST(TcpReassembler, NewSynOnAnOpenFourTupleStartsANewConnection) {
  wire w;
  w.handshake(100, 500);
  w.send(true, 101, 501, psh | ack, "first");
  w.send(true, 100, 0, syn);  // the same SYN again: a retransmission
  w.send(true, 9000, 0, syn);
  w.send(false, 4000, 9001, syn | ack);
  w.send(true, 9001, 4001, psh | ack, "second");
  EXPECT_EQ(w.out.log, (events{open1, "data #1 0 first", "end #1", "open #2 10.0.0.2:50000 10.0.0.1:1883 handshake",
                               "data #2 0 second"}));
  EXPECT_EQ(w.r.stats().reused, 1u);
}

TEST(TcpReassembler, FourTupleReusedTenThousandTimesStaysBounded) {
  wire w;
  std::uint32_t isn = 1;
  for (int i = 0; i < 10'000; ++i, isn += 100'000) {
    w.handshake(isn, isn + 50);
    w.send(true, isn + 1, isn + 51, psh | ack, "c");
    w.send(false, isn + 51, isn + 2, psh | ack, "s");
    w.send(true, isn + 2, isn + 52, fin | ack);
    w.send(false, isn + 52, isn + 3, fin | ack);
    w.send(true, isn + 3, isn + 53, ack);
    ASSERT_EQ(w.r.open_connections(), 0u);
    ASSERT_EQ(w.r.tracked(), 1u);
  }
  EXPECT_EQ(w.r.stats().connections, 10'000u);
  EXPECT_EQ(w.r.stats().reused, 9'999u);
  EXPECT_EQ(w.out.log.size(), 10'000u * 6);
  EXPECT_EQ(w.out.log.back(), "end #10000");
}

TEST(TcpReassembler, EndedConnectionsAreForgotten) {
  wire w;
  for (int i = 0; i < 10'000; ++i) {  // one a second, each on its own port
    const auto port = static_cast<std::uint16_t>(10'000 + i);
    w.handshake(1, 1000, port);
    w.send(true, 2, 1001, rst | ack, "", port);
  }
  EXPECT_EQ(w.r.open_connections(), 0u);
  EXPECT_LE(w.r.tracked(), 64u);  // about a minute's worth
}

TEST(TcpReassembler, HeldBytesAreCapped) {
  wire w(100);
  w.handshake(100, 500);
  for (std::uint32_t i = 0; i < 10; ++i) w.send(true, 111 + i * 20, 501, psh | ack, std::string(20, char('a' + i)));
  // 10 bytes at 101 never came; past 100 held bytes the hole is given up on.
  ASSERT_GE(w.out.log.size(), 3u);
  EXPECT_EQ(w.out.log[1], "gap #1 0 10");
  EXPECT_EQ(w.out.log[2], "data #1 0 " + std::string(20, 'a'));
  EXPECT_EQ(w.r.stats().gaps, 1u);
}

}  // namespace
}  // namespace netem

// The WebSocket reader on byte-exact flows: upgrades, frames of every length form,
// masking, fragmentation, control frames, and what makes a flow unreadable.
#include "harness/analyze/websocket_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mqttspec::analyze {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using fact_kind = checks::websocket_fact::kind;

const std::string request =
    "GET /mqtt HTTP/1.1\r\nHost: broker\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
const std::string response =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";

// One frame: FIN and the opcode, the payload, masked with `mask` when given.
std::string frame(std::uint8_t opcode, const std::string& payload, bool fin = true, const char* mask = nullptr) {
  std::string f(1, static_cast<char>((fin ? 0x80 : 0) | opcode));
  const std::uint8_t m = mask ? 0x80 : 0;
  if (payload.size() < 126) {
    f += static_cast<char>(m | payload.size());
  } else if (payload.size() < 65536) {
    f += static_cast<char>(m | 126);
    f += static_cast<char>(payload.size() >> 8), f += static_cast<char>(payload.size());
  } else {
    f += static_cast<char>(m | 127);
    for (int i = 7; i >= 0; --i) f += static_cast<char>(static_cast<std::uint64_t>(payload.size()) >> (8 * i));
  }
  if (!mask) return f + payload;
  f.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ mask[i % 4]);
  return f;
}

struct flow {
  websocket_reader ws;
  std::string from_client, from_server;  // the MQTT bytes unwrapped
  flow() {
    ws.attach([this](bool server_side, std::string_view b, std::uint64_t, checks::timestamp) {
      (server_side ? from_server : from_client) += b;
    });
  }
  void client(const std::string& b) { ws.data(false, b, 1, {}); }
  void server(const std::string& b) { ws.data(true, b, 1, {}); }
};

const char mask[] = "\x12\x34\x56\x78";
const std::string connect("\x10\x10\x00\x04MQTT\x04\x02\x00\x3c\x00\x04test", 18);
const std::string connack("\x20\x02\x00\x00", 4);

TEST(websocket_reader, unwraps_masked_client_frames_and_server_frames) {
  flow f;
  f.client(request);
  f.server(response);
  ASSERT_TRUE(f.ws.upgraded());
  f.client(frame(2, connect, true, mask));
  f.server(frame(2, connack));
  EXPECT_EQ(f.from_client, connect);
  EXPECT_EQ(f.from_server, connack);
  EXPECT_FALSE(f.ws.failed());
  EXPECT_TRUE(f.ws.take_notes().empty());
}

TEST(websocket_reader, reads_any_segmentation_the_same) {
  const std::string frames = frame(2, connect.substr(0, 5), false, mask) + frame(0x9, "ping", true, mask) +
                             frame(0, connect.substr(5) + connect, true, mask);
  flow f;
  for (char c : request) f.client(std::string(1, c));
  for (char c : response) f.server(std::string(1, c));
  ASSERT_TRUE(f.ws.upgraded());
  for (char c : frames) f.client(std::string(1, c));
  EXPECT_EQ(f.from_client, connect + connect) << "a packet across frames, a ping between them, two in one frame";
}

TEST(websocket_reader, reads_16_and_64_bit_lengths) {
  const std::string medium(300, 'm'), large(70000, 'l');
  flow f;
  f.client(request);
  f.server(response);
  f.server(frame(2, medium) + frame(2, large));
  EXPECT_EQ(f.from_server, medium + large);
}

TEST(websocket_reader, reports_the_subprotocols_and_text_frames) {
  flow f;
  f.client("GET / HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Protocol: mqttv3.1\r\nSec-WebSocket-Protocol: other\r\n\r\n");
  f.server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
  f.server(frame(1, connack) + frame(1, connack));
  auto facts = f.ws.take_facts();
  ASSERT_EQ(facts.size(), 3u);
  EXPECT_EQ(facts[0].first.what, fact_kind::offered);
  EXPECT_EQ(facts[0].first.text, "mqttv3.1, other");
  EXPECT_EQ(facts[1].first.what, fact_kind::selected);
  EXPECT_EQ(facts[1].first.text, "");
  EXPECT_EQ(facts[2].first.what, fact_kind::text_frame);
  EXPECT_TRUE(facts[2].first.from_broker);
  EXPECT_EQ(f.from_server, connack + connack) << "text frames are still read";
}

TEST(websocket_reader, notes_masking_the_wrong_way_round) {
  flow f;
  f.client(request);
  f.server(response);
  f.client(frame(2, connect));
  f.server(frame(2, connack, true, mask));
  EXPECT_EQ(f.from_client, connect);
  EXPECT_EQ(f.from_server, connack);
  EXPECT_THAT(f.ws.take_notes(), ElementsAre(HasSubstr("client sent an unmasked"), HasSubstr("server sent a masked")));
}

TEST(websocket_reader, reads_nothing_after_a_close_frame) {
  flow f;
  f.client(request);
  f.server(response);
  f.server(frame(2, connack) + frame(8, "\x03\xe8") + frame(2, connack));
  EXPECT_EQ(f.from_server, connack);
}

TEST(websocket_reader, hands_over_what_came_before_it_was_attached) {
  websocket_reader ws;
  ws.data(false, request + frame(2, connect, true, mask), 1, {});
  ws.data(true, response, 2, {});
  std::string got;
  ws.attach([&](bool, std::string_view b, std::uint64_t, checks::timestamp) { got += b; });
  EXPECT_EQ(got, connect);
}

TEST(websocket_reader, says_why_a_flow_cannot_be_read) {
  struct { std::string client, server; const char* why; } cases[] = {
      {"\x10\x10\x00\x04MQTT", "", "not HTTP"},
      {"GET / HTTP/1.1\r\nHost: b\r\n\r\n", "", "not a WebSocket upgrade"},
      {request, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "refused the WebSocket upgrade: HTTP 400"},
      {request, response + frame(0x42, connack), "RSV bits"},
      {request, response + frame(0x3, connack), "unknown opcode 3"},
  };
  for (const auto& c : cases) {
    websocket_reader ws;
    ws.data(false, c.client, 1, {});
    if (!c.server.empty()) ws.data(true, c.server, 2, {});
    ASSERT_TRUE(ws.failed()) << c.why;
    EXPECT_THAT(*ws.failed(), HasSubstr(c.why));
  }
  websocket_reader ws;
  ws.data(false, request, 1, {});
  ws.data(true, response, 2, {});
  ws.gap(true);
  ASSERT_TRUE(ws.failed());
  EXPECT_THAT(*ws.failed(), HasSubstr("frame boundaries"));
}

}  // namespace
}  // namespace mqttspec::analyze

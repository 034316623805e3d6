// MQTT over WebSocket (section 6 of both versions) taken out of a captured flow: each
// side's HTTP upgrade is parsed by Boost.Beast's HTTP parser, then the frames of RFC
// 6455 section 5.2 are taken apart and the payload of data frames, unmasked, is the
// MQTT byte stream, handed on as it comes (a packet may span frames, a frame may hold
// several packets). Beast reads frames only as an endpoint that owns the socket, so
// this passive reader parses the frame headers itself; it writes nothing.
//
// What section 6 rules on (the subprotocols offered and selected, non-binary data
// frames) comes out as checks::websocket_fact for the checkers; what breaks RFC 6455
// itself (an unmasked client frame, ...) comes out as notes.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/checks/checks.hpp"

namespace mqttspec::analyze {

class websocket_reader {
 public:
  /// The MQTT bytes of one side, in order.
  using mqtt_fn = std::function<void(bool from_server, std::string_view bytes, std::uint64_t frame,
                                     checks::timestamp at)>;

  /// Bytes of one side of the TCP stream, in order.
  void data(bool from_server, std::string_view bytes, std::uint64_t frame, checks::timestamp at);
  /// Bytes of one side went missing: frame boundaries are lost, nothing more is read.
  void gap(bool from_server);

  /// Both upgrade messages were read and the server switched protocols.
  bool upgraded() const { return upgraded_; }
  /// Why the flow cannot be read as WebSocket (not an upgrade, refused, compressed ...).
  const std::optional<std::string>& failed() const { return failed_; }
  /// From now on MQTT bytes go to `to`; what was unwrapped before is handed over first.
  void attach(mqtt_fn to);

  /// Facts and notes since the last call.
  std::vector<std::pair<checks::websocket_fact, checks::timestamp>> take_facts();
  std::vector<std::string> take_notes();

 private:
  struct side {
    bool header_done = false;
    std::string held;  // bytes not yet parsed: a partial header
    // The frame being read.
    std::uint64_t remaining = 0;  // payload bytes still to come
    bool in_frame = false;
    bool control = false;         // a control frame's payload is skipped
    bool masked = false;
    std::uint8_t mask[4] = {};
    std::uint64_t mask_at = 0;    // payload bytes of this frame unmasked so far
    std::uint8_t message = 0;     // opcode of the data message under way (1 text, 2 binary)
    bool closed = false;          // a Close frame came: what follows is not read
    bool noted_mask = false, noted_text = false;
  };

  void http(bool from_server, side& s, std::string_view& bytes, std::uint64_t frame, checks::timestamp at);
  void frames(bool from_server, side& s, std::string_view bytes, std::uint64_t frame, checks::timestamp at);
  // A frame header at the start of `bytes`: its length, 0 if incomplete.
  std::size_t header(bool from_server, side& s, std::string_view bytes, checks::timestamp at);
  void fail(std::string why);
  void emit(bool from_server, std::string_view bytes, std::uint64_t frame, checks::timestamp at);

  side client_, server_;
  boost::beast::http::request_parser<boost::beast::http::empty_body> request_;
  boost::beast::http::response_parser<boost::beast::http::empty_body> response_;
  bool upgraded_ = false;
  std::optional<std::string> failed_;
  mqtt_fn to_;
  std::string scratch_;  // an unmasked payload
  struct early {
    bool from_server;
    std::string bytes;
    std::uint64_t frame;
    checks::timestamp at;
  };
  std::vector<early> early_;  // MQTT bytes before attach()
  std::vector<std::pair<checks::websocket_fact, checks::timestamp>> facts_;
  std::vector<std::string> notes_;
};

}  // namespace mqttspec::analyze

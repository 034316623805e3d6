#include "websocket_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace mqttspec::analyze {

namespace http = boost::beast::http;

namespace {

// RFC 6455 section 5.2 opcodes.
constexpr std::uint8_t continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8;

std::string header_value(const http::fields& f, http::field name) {
  std::string out;
  for (auto it = f.find(name); it != f.end() && it->name() == name; ++it) {
    if (!out.empty()) out += ", ";
    out += std::string(it->value());
  }
  return out;
}

}  // namespace

void websocket_reader::data(bool from_server, std::string_view bytes, std::uint64_t frame, checks::timestamp at) {
  auto& s = from_server ? server_ : client_;
  if (failed_ || s.closed) return;
  if (!s.header_done) http(from_server, s, bytes, frame, at);
  if (s.header_done && !failed_) frames(from_server, s, bytes, frame, at);
}

// The upgrade request or its answer; `bytes` is left at what follows the header.
void websocket_reader::http(bool from_server, side& s, std::string_view& bytes, std::uint64_t, checks::timestamp at) {
  s.held += bytes;
  bytes = {};
  boost::beast::error_code ec;
  const auto used = from_server ? response_.put(boost::asio::buffer(s.held), ec)
                                : request_.put(boost::asio::buffer(s.held), ec);
  if (ec == http::error::need_more) return;
  if (ec) return fail(std::string(from_server ? "the server's" : "the client's") + " upgrade is not HTTP: " +
                      ec.message());
  if (!(from_server ? response_.is_header_done() : request_.is_header_done())) return;
  s.header_done = true;
  const std::string rest = s.held.substr(used);
  s.held.clear();
  if (!from_server) {
    const auto& req = request_.get();
    if (!request_.upgrade() || !boost::beast::iequals(req[http::field::upgrade], "websocket"))
      return fail("the client's first request is not a WebSocket upgrade");
    facts_.push_back({{checks::websocket_fact::kind::offered, false,
                       header_value(req, http::field::sec_websocket_protocol)}, at});
  } else {
    const auto& res = response_.get();
    if (res.result() != http::status::switching_protocols)
      return fail("the server refused the WebSocket upgrade: HTTP " + std::to_string(res.result_int()) + " " +
                  std::string(res.reason()));
    facts_.push_back({{checks::websocket_fact::kind::selected, true,
                       header_value(res, http::field::sec_websocket_protocol)}, at});
    if (!header_value(res, http::field::sec_websocket_extensions).empty())
      notes_.push_back("WebSocket extensions agreed (" + header_value(res, http::field::sec_websocket_extensions) +
                       "): frames that use them are not read");
    if (!client_.header_done) return fail("the server answered before the client's upgrade request");
  }
  s.held = rest;  // frames() reads from held first
  upgraded_ = client_.header_done && server_.header_done;
}

void websocket_reader::frames(bool from_server, side& s, std::string_view bytes, std::uint64_t frame,
                              checks::timestamp at) {
  // Bytes held from before come first; a header split across segments is joined.
  std::string joined;
  if (!s.held.empty()) {
    joined = std::move(s.held);
    joined += bytes;
    s.held.clear();
    bytes = joined;
  }
  while (!bytes.empty() && !failed_ && !s.closed) {
    if (!s.in_frame) {
      const auto n = header(from_server, s, bytes, at);
      if (failed_) return;
      if (n == 0) {
        s.held.assign(bytes);
        return;
      }
      bytes.remove_prefix(n);
      if (s.remaining == 0) s.in_frame = false;
      continue;
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(s.remaining, bytes.size()));
    auto payload = bytes.substr(0, n);
    bytes.remove_prefix(n);
    s.remaining -= n;
    if (!s.control) {
      if (s.masked) {
        scratch_.assign(payload);
        for (std::size_t i = 0; i < scratch_.size(); ++i) scratch_[i] ^= static_cast<char>(s.mask[(s.mask_at + i) % 4]);
        s.mask_at += n;
        payload = scratch_;
      }
      emit(from_server, payload, frame, at);
    }
    if (s.remaining == 0) s.in_frame = false;
  }
}

std::size_t websocket_reader::header(bool from_server, side& s, std::string_view b, checks::timestamp at) {
  if (b.size() < 2) return 0;
  const auto b0 = static_cast<std::uint8_t>(b[0]), b1 = static_cast<std::uint8_t>(b[1]);
  const bool masked = b1 & 0x80;
  std::uint64_t length = b1 & 0x7f;
  std::size_t n = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + (masked ? 4 : 0);
  if (b.size() < n) return 0;
  if (length >= 126) {
    const std::size_t bytes = length == 126 ? 2 : 8;
    length = 0;
    for (std::size_t i = 0; i < bytes; ++i) length = length << 8 | static_cast<std::uint8_t>(b[2 + i]);
    if (length >> 63) {
      fail("a WebSocket frame with a length above 2^63 (RFC 6455 section 5.2)");
      return 0;
    }
  }
  const auto opcode = static_cast<std::uint8_t>(b0 & 0x0f);
  if (b0 & 0x70) {
    fail("a WebSocket frame with RSV bits set (an extension such as permessage-deflate): not read");
    return 0;
  }
  s.control = opcode >= 0x8;
  s.masked = masked;
  if (masked) std::copy(b.data() + n - 4, b.data() + n, reinterpret_cast<char*>(s.mask));
  s.mask_at = 0;
  s.remaining = length;
  s.in_frame = true;
  if (masked == from_server && !s.noted_mask) {
    s.noted_mask = true;
    notes_.push_back(std::string(from_server ? "the server sent a masked" : "the client sent an unmasked") +
                     " WebSocket frame (RFC 6455 section 5.1)");
  }
  if (opcode == close) {
    s.closed = true;  // nothing after a Close is data (RFC 6455 section 5.5.1)
  } else if (opcode == text || opcode == binary) {
    s.message = opcode;
  } else if (opcode != continuation && !s.control) {
    fail("a WebSocket frame with the unknown opcode " + std::to_string(opcode));
    return 0;
  }
  if (!s.control && s.message == text && !s.noted_text) {
    s.noted_text = true;
    facts_.push_back({{checks::websocket_fact::kind::text_frame, from_server, {}}, at});
  }
  return n;
}

void websocket_reader::gap(bool from_server) {
  fail(std::string("bytes from the ") + (from_server ? "server" : "client") +
       " went missing, and with them the WebSocket frame boundaries");
}

void websocket_reader::fail(std::string why) {
  if (!failed_) failed_ = std::move(why);
}

void websocket_reader::emit(bool from_server, std::string_view bytes, std::uint64_t frame, checks::timestamp at) {
  if (bytes.empty()) return;
  if (to_) return to_(from_server, bytes, frame, at);
  early_.push_back({from_server, std::string(bytes), frame, at});
}

void websocket_reader::attach(mqtt_fn to) {
  to_ = std::move(to);
  auto early = std::move(early_);
  early_.clear();
  for (const auto& e : early) to_(e.from_server, e.bytes, e.frame, e.at);
}

std::vector<std::pair<checks::websocket_fact, checks::timestamp>> websocket_reader::take_facts() {
  auto out = std::move(facts_);
  facts_.clear();
  return out;
}

std::vector<std::string> websocket_reader::take_notes() {
  auto out = std::move(notes_);
  notes_.clear();
  return out;
}

}  // namespace mqttspec::analyze

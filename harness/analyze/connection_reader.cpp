#include "connection_reader.hpp"

#include "harness/exchange/stream_sync.hpp"

namespace mqttspec::analyze {

using exchange::boundary;
using exchange::find_boundary;
using exchange::guess_version;
using exchange::plausible_packet;

namespace {

// Bytes held while the packets have not told the version: past this it is assumed.
constexpr std::size_t max_waiting = 16 * 1024;

std::string side_name(bool from_server) { return from_server ? "server" : "client"; }

// The bytes of one direction held so far, from their first plausible packet boundary.
std::string aligned(const std::vector<std::string_view>& parts) {
  std::string all;
  for (auto p : parts) all += p;
  auto b = find_boundary(all, std::nullopt);
  return b.what == boundary::kind::found ? all.substr(b.offset) : std::string();
}

}  // namespace

connection_reader::connection_reader(connection& summary, bool mid_stream,
                                     std::optional<mqtt::protocol_version> protocol, emit_fn emit)
    : summary_(summary),
      emit_(std::move(emit)),
      decoder_(protocol.value_or(mqtt::protocol_version::v5), /*follow_connect=*/true),
      mid_stream_(mid_stream),
      protocol_(protocol),
      decided_(mid_stream && protocol) {
  client_.resync = server_.resync = mid_stream;
  if (mid_stream && protocol) {
    summary_.version = *protocol;
    summary_.version_from = "option";
  }
}

void connection_reader::note(std::string text) {
  if (summary_.notes.size() < 20) summary_.notes.push_back(std::move(text));
}

void connection_reader::data(bool from_server, std::string_view bytes, std::uint64_t frame, timestamp at) {
  if (decided_) return read(from_server, bytes, frame, at);
  waiting_.push_back({from_server, std::string(bytes), frame, at});
  waiting_bytes_ += bytes.size();
  std::vector<std::string_view> client, server;
  for (const auto& h : waiting_) (h.from_server ? server : client).push_back(h.bytes);
  if (!mid_stream_ && !client.empty()) {
    // From its start, a connection's version is the one its CONNECT names.
    std::string first;
    for (auto c : client) first += c;
    if (static_cast<std::uint8_t>(first[0]) == 0x10) {
      auto size = plausible_packet(first);
      if (size && *size <= first.size()) {
        const auto level = exchange::connect_level(std::string_view(first).substr(0, *size));
        // Levels 3 (3.1) and 4 are read as 3.1.1; an unknown level as 5, whose decoder
        // also reads the 3.1.1 CONNACK a broker may answer it with.
        const bool v311 = level == 3 || level == 4;
        return decide(v311 ? mqtt::protocol_version::v311 : mqtt::protocol_version::v5, "connect");
      }
      if (waiting_bytes_ <= max_waiting) return;  // the rest of the CONNECT is on its way
    }
  } else if (!mid_stream_ && waiting_bytes_ <= max_waiting) {
    return;  // the broker spoke first: wait for the client
  }
  if (protocol_) return decide(*protocol_, "option");
  std::size_t decisive = 0;
  if (auto v = guess_version(aligned(client), aligned(server), &decisive); v && decisive > 0)
    decide(*v, "inferred");
  else if (waiting_bytes_ > max_waiting)
    decide(mqtt::protocol_version::v5, "assumed");
}

void connection_reader::end() {
  if (decided_) return;
  if (protocol_) return decide(*protocol_, "option");
  std::vector<std::string_view> client, server;
  for (const auto& h : waiting_) (h.from_server ? server : client).push_back(h.bytes);
  auto v = guess_version(aligned(client), aligned(server));
  decide(v.value_or(mqtt::protocol_version::v5), v ? "inferred" : "assumed");
}

void connection_reader::decide(mqtt::protocol_version v, const char* how) {
  decided_ = true;
  decoder_.set_version(v);
  summary_.version = v;
  summary_.version_from = how;
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (const auto& h : waiting) read(h.from_server, h.bytes, h.frame, h.at);
}

void connection_reader::gap(bool from_server, std::uint64_t missing) {
  note(std::to_string(missing) + " bytes from the " + side_name(from_server) + " missing from the capture");
  if (!decided_ && !mid_stream_) {
    // The CONNECT may be what went missing: read on as a connection joined late.
    mid_stream_ = summary_.mid_stream = true;
    summary_.version_from.clear();
    client_.resync = server_.resync = true;
  }
  decoder_.restart(from_server);
  auto& d = from_server ? server_ : client_;
  d.resync = true;
  d.hold.clear();
  if (!decided_) {
    // The version is not known yet: what was held of that direction is cut off.
    std::erase_if(waiting_, [&](const held& h) { return h.from_server == from_server; });
  }
}

void connection_reader::read(bool from_server, std::string_view bytes, std::uint64_t frame, timestamp at) {
  auto& d = from_server ? server_ : client_;
  if (!d.resync) return decode(from_server, bytes, frame, at);
  d.hold += bytes;
  auto b = find_boundary(d.hold, decoder_.version());
  if (b.what == boundary::kind::found) {
    d.skipped += b.offset;
    if (d.skipped > 0)
      note("the " + side_name(from_server) + "'s stream resynchronised after skipping " + std::to_string(d.skipped) +
           " bytes (frame " + std::to_string(frame) + ")");
    d.resync = false;
    d.skipped = 0;
    const std::string rest = d.hold.substr(b.offset);
    d.hold.clear();
    decode(from_server, rest, frame, at);
  } else if (b.what == boundary::kind::none) {
    d.skipped += d.hold.size() - 4;  // a header may start in the last bytes
    d.hold.erase(0, d.hold.size() - 4);
  }
}

void connection_reader::decode(bool from_server, std::string_view bytes, std::uint64_t frame, timestamp at) {
  decoder_.feed(from_server, bytes, [&](const exchange::decoded& p) { emit_(p, from_server, frame, at); });
  if (decoder_.failed(from_server)) {
    // A length no packet can have: look for the next packet instead of giving up.
    decoder_.restart(from_server);
    (from_server ? server_ : client_).resync = true;
  }
}

}  // namespace mqttspec::analyze

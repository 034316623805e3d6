#include "trace_file.hpp"

#include <map>
#include <memory>

#include "harness/exchange/connection_decoder.hpp"
#include "harness/exchange/stream_sync.hpp"
#include "netem/pcap/capture_reader.hpp"
#include "netem/pcap/frame_parser.hpp"
#include "netem/pcap/tcp_reassembler.hpp"

namespace mqttspec::traces {

namespace {

using netem::tcp_reassembler;

class reader final : public tcp_reassembler::sink {
 public:
  reader(trace_file& t, const read_options& o) : t_(t), o_(o) {}

  void on_open(const tcp_reassembler::connection& c) override {
    auto& s = open_[c.id];
    s.client_side = c.handshake_seen ? 0 : -1;
    s.addresses[0] = netem::to_string(c.a, c.a_port);
    s.addresses[1] = netem::to_string(c.b, c.b_port);
  }

  void on_data(const tcp_reassembler::connection& c, int side, std::string_view bytes, std::uint64_t frame,
               tcp_reassembler::timestamp at) override {
    auto it = open_.find(c.id);
    if (it == open_.end() || bytes.empty()) return;
    auto& s = it->second;
    if (!s.trace && (s.listed || !start(c, s, side, bytes, frame))) return;
    const bool from_broker = side != s.client_side;
    if (s.trace->midstream && !s.synced[from_broker]) {
      // Joined late: from the first whole packet of each direction.
      auto& hold = s.hold[from_broker];
      hold.append(bytes);
      const auto b = exchange::find_boundary(hold, o_.midstream);
      if (b.what == exchange::boundary::kind::none || hold.size() > (1u << 20)) hold.clear();
      if (b.what != exchange::boundary::kind::found) return;
      s.synced[from_broker] = true;
      const std::string rest = hold.substr(b.offset);
      hold.clear();
      return feed(s, from_broker, rest, frame, at);
    }
    feed(s, from_broker, bytes, frame, at);
  }

  void on_gap(const tcp_reassembler::connection& c, int side, std::uint64_t missing, std::uint64_t frame,
              tcp_reassembler::timestamp) override {
    if (auto it = open_.find(c.id); it != open_.end() && it->second.trace) {
      if (side == it->second.client_side) it->second.trace->client_gap = true;
      it->second.trace->problems.push_back("frame " + std::to_string(frame) + ": " + std::to_string(missing) +
                                           " bytes missing");
    }
  }
  void on_conflict(const tcp_reassembler::connection&, int, std::uint64_t, std::uint64_t,
                   tcp_reassembler::timestamp) override {}
  void on_close(const tcp_reassembler::connection& c, int side, bool reset, std::uint64_t frame,
                tcp_reassembler::timestamp at) override {
    auto it = open_.find(c.id);
    if (it == open_.end() || !it->second.trace || it->second.trace->ended) return;
    it->second.trace->ended = connection_trace::ending{side == it->second.client_side, reset, at, frame};
  }
  void on_end(const tcp_reassembler::connection& c, tcp_reassembler::timestamp) override { open_.erase(c.id); }

 private:
  struct state {
    int client_side = -1;
    std::string addresses[2];
    exchange::connection_decoder decoder{mqtt::protocol_version::v5, /*follow_connect=*/true};
    connection_trace* trace = nullptr;
    bool listed = false;  // in t_.others
    bool synced[2] = {false, false};  // joined late: each direction (by from_broker) found its first packet
    std::string hold[2];              // and the bytes held until then
  };

  // The first bytes of a connection: is it MQTT, and which side is the client? Lists
  // it in t_.others when it is not read.
  bool start(const tcp_reassembler::connection& c, state& s, int side, std::string_view bytes, std::uint64_t frame) {
    const bool connect_first = static_cast<std::uint8_t>(bytes[0]) == 0x10;
    const bool late = o_.midstream && !c.handshake_seen && !connect_first && why_not_mqtt(bytes) == late_start;
    if (s.client_side < 0)
      s.client_side = connect_first ? side : late ? (c.a_port > c.b_port ? 0 : 1) : 1 - side;
    if (!late && (side != s.client_side || !connect_first)) {
      t_.others.push_back({s.addresses[side], why_not_mqtt(bytes), frame});
      s.listed = true;
      return false;
    }
    s.trace = &t_.connections.emplace_back();
    s.trace->client = s.addresses[s.client_side];
    s.trace->midstream = late;
    if (late) s.decoder.set_version(*o_.midstream);
    return true;
  }

  void feed(state& s, bool from_broker, std::string_view bytes, std::uint64_t frame, tcp_reassembler::timestamp at) {
    auto* trace = s.trace;
    if (!from_broker && s.decoder.failed(false)) {  // the client's framing is lost: the rest goes raw
      trace->client_raw.push_back({frame, at, std::string(bytes)});
      return;
    }
    s.decoder.feed(from_broker, bytes, [&](const exchange::decoded& d) {
      if (!d.packet) {
        trace->problems.push_back("frame " + std::to_string(frame) + ": " + mqtt::to_string(*d.error));
        if (!from_broker && !d.bytes.empty()) trace->client_raw.push_back({frame, at, std::string(d.bytes)});
        return;
      }
      // Decoded again from a copy the trace keeps: the reassembler's views do not last.
      trace->bytes.emplace_back(d.bytes);
      auto p = mqtt::decode(trace->bytes.back(), d.version);
      if (!p) return;
      if (const auto* c = std::get_if<mqtt::connect>(&*p); c && !from_broker) trace->client_id = std::string(c->client_id);
      trace->packets.push_back({at, from_broker, d.version, std::move(*p), frame});
    });
  }

  static constexpr std::string_view late_start =
      "no CONNECT at its start: the capture began mid-stream (replay --protocol reads it), or it is not MQTT";
  static std::string why_not_mqtt(std::string_view bytes) {
    if (static_cast<std::uint8_t>(bytes[0]) == 0x16) return "TLS: encrypted, cannot be read";
    if (bytes.starts_with("GET ")) return "HTTP or WebSocket, not MQTT over TCP";
    return std::string(late_start);
  }
  trace_file& t_;
  const read_options& o_;
  std::map<std::uint64_t, state> open_;
};

// "ms-<run>-<scope>-name" -> "name"; "ms/<run>/<scope>/a/b" -> "a/b" (after any
// "$share/<group>/").
std::string without_namespace(std::string_view s, char sep) {
  std::string_view prefix;
  if (sep == '/' && s.starts_with("$share/")) {
    const auto group_end = s.find('/', 7);
    if (group_end == std::string_view::npos) return std::string(s);
    prefix = s.substr(0, group_end + 1);
    s.remove_prefix(group_end + 1);
  }
  const std::string ms = std::string("ms") + sep;
  if (!s.starts_with(ms)) return std::string(prefix) + std::string(s);
  std::size_t at = ms.size();
  for (int part = 0; part < 2; ++part) {  // <run> and <scope>
    const auto next = s.find(sep, at);
    if (next == std::string_view::npos) return std::string(prefix) + std::string(s);
    at = next + 1;
  }
  return std::string(prefix) + std::string(s.substr(at));
}

}  // namespace

trace_file read_trace(const std::string& path, const read_options& o) {
  trace_file t;
  netem::capture_reader file(path);
  if (!file.ok()) {
    t.error = file.error();
    return t;
  }
  reader r(t, o);
  netem::frame_parser parser;
  tcp_reassembler tcp(r);
  std::optional<tcp_reassembler::timestamp> last;
  while (auto f = file.next()) {
    last = f->at;
    if (auto segment = parser.parse(*f, nullptr)) tcp.add(*segment, f->number, f->at);
  }
  tcp.finish(last.value_or(tcp_reassembler::timestamp{}));
  t.error = file.error();
  return t;
}

compare_options namespace_blind(compare_options o) {
  o.client_id = [](std::string_view s) { return without_namespace(s, '-'); };
  o.topic = [](std::string_view s) { return without_namespace(s, '/'); };
  return o;
}

std::vector<std::string> compare_files(const trace_file& recorded, const trace_file& observed,
                                       const compare_options& o) {
  std::vector<std::string> out;
  const auto name = [&](const connection_trace& c) {
    return c.client_id.empty() ? c.client : (o.client_id ? o.client_id(c.client_id) : c.client_id);
  };
  const auto n = std::max(recorded.connections.size(), observed.connections.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string label = "connection " + std::to_string(i + 1);
    if (i >= observed.connections.size()) {
      out.push_back(label + " (" + name(recorded.connections[i]) + "): missing");
      continue;
    }
    if (i >= recorded.connections.size()) {
      out.push_back(label + " (" + name(observed.connections[i]) + "): extra");
      continue;
    }
    for (const auto& d : compare(recorded.connections[i].packets, observed.connections[i].packets, o))
      out.push_back(label + " (" + name(recorded.connections[i]) + "): " + to_string(d));
  }
  return out;
}

}  // namespace mqttspec::traces

#include "judge.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "connection_reader.hpp"
#include "judging.hpp"
#include "harness/exchange/events.hpp"
#include "netem/pcap/tcp_reassembler.hpp"
#include "harness/exchange/stream_sync.hpp"
#include "websocket_reader.hpp"

namespace mqttspec::analyze {

using exchange::plausible_packet;

namespace {

using netem::tcp_reassembler;

// Bytes of a connection's first packet held to see whether it is a CONNECT.
constexpr std::size_t max_first_packet = 64 * 1024;

bool listed(const std::vector<std::uint16_t>& ports, std::uint16_t p) {
  return std::find(ports.begin(), ports.end(), p) != ports.end();
}

std::string text_of(const exchange::decoded& p) {
  return p.packet ? mqtt::to_string(*p.packet, p.version) : "undecodable: " + mqtt::to_string(*p.error);
}

class judge final : public capture_judge {
 public:
  judge(analysis& a, const options& o) : a_(a), o_(o) {}

  void on_open(const tcp_reassembler::connection& c) override {
    auto& t = tcp_[c.id];
    if (listed(o_.ports, c.b_port) || listed(o_.ws_ports, c.b_port)) t.server_side = 1;
    else if (listed(o_.ports, c.a_port) || listed(o_.ws_ports, c.a_port)) t.server_side = 0;
    t.websocket = t.server_side >= 0 && listed(o_.ws_ports, t.server_side ? c.b_port : c.a_port);
  }

  void on_data(const tcp_reassembler::connection& c, int side, std::string_view bytes, std::uint64_t frame,
               timestamp at) override {
    auto it = tcp_.find(c.id);
    if (it == tcp_.end()) return;
    auto& t = it->second;
    if (t.role == kind::ignored) return;
    if (t.role == kind::unknown && !identify(c, t, side, bytes, frame, at)) return;
    if (t.role != kind::mqtt) return;
    if (!t.ws) return t.reader->data(side == t.server_side, bytes, frame, at);
    t.ws->data(side == t.server_side, bytes, frame, at);
    websocket_news(t, frame);
  }

  void on_gap(const tcp_reassembler::connection& c, int side, std::uint64_t missing, std::uint64_t,
              timestamp) override {
    ++a_.gaps;
    auto* t = mqtt(c);
    if (t == nullptr) return;
    if (t->ws) {
      t->ws->gap(side == t->server_side);  // WebSocket frames cannot be found again
      websocket_news(*t, 0);
    } else {
      t->reader->gap(side == t->server_side, missing);
    }
  }

  void on_conflict(const tcp_reassembler::connection& c, int side, std::uint64_t offset, std::uint64_t frame,
                   timestamp) override {
    ++a_.conflicts;
    if (auto* t = mqtt(c); t && summary(*t).notes.size() < 20)
      summary(*t).notes.push_back("frame " + std::to_string(frame) + ": a retransmission from the " +
                                  (side == t->server_side ? "server" : "client") + " at stream offset " +
                                  std::to_string(offset) + " differs from the first copy (the first is kept)");
  }

  void on_close(const tcp_reassembler::connection& c, int side, bool reset, std::uint64_t frame,
                timestamp at) override {
    auto* t = mqtt(c);
    if (t == nullptr || !summary(*t).ended.empty()) return;
    t->reader->end();  // what waited for a version comes before the close
    const bool by_server = side == t->server_side;
    summary(*t).ended = std::string(by_server ? "server" : "client") + (reset ? " reset" : " closed");
    if (t->name.empty()) return;  // no packet: the checkers never met it
    auto e = event(*t, exchange::event::kind::end, at);
    e.by_broker = by_server;
    judging_.event(t->monitor, t->server_ref, e, frame);
  }

  void on_end(const tcp_reassembler::connection& c, timestamp at) override {
    if (auto* t = mqtt(c)) {
      t->reader->end();
      auto& s = summary(*t);
      s.end = std::max(s.end, at);
      if (s.ended.empty()) s.ended = "capture ended";
    }
    tcp_.erase(c.id);
  }

  void finish(timestamp end) override {
    for (auto& f : judging_.finish()) add(f.v, f.connection, f.frame, std::move(f.packet));
    // What never happened, judged now that the judging thread is done with the monitors.
    for (auto& [server, m] : monitors_)
      for (auto& v : m->finish(end)) {
        auto it = latest_.find({server, v.client});
        add(v, it != latest_.end() ? std::optional(it->second) : std::nullopt, 0, {});
      }
    std::stable_sort(a_.findings.begin(), a_.findings.end(),
                     [](const finding& x, const finding& y) { return x.at < y.at; });
    a_.connections.assign(std::make_move_iterator(connections_.begin()), std::make_move_iterator(connections_.end()));
  }

 private:
  enum class kind { unknown, mqtt, ignored };
  struct tcp_state {
    kind role = kind::unknown;
    int server_side = -1;  // -1: no listed port; a CONNECT must tell
    bool websocket = false;
    std::size_t index = 0;  // into connections_
    std::unique_ptr<connection_reader> reader;
    std::string name;  // the client as the checkers know it: its client id, else its address
    std::uint64_t number = 0;
    std::string server;
    const std::string* server_ref = nullptr;  // interned: events outlive this state
    const std::string* name_ref = nullptr;
    checks::monitor* monitor = nullptr;
    std::string first;  // the first bytes while it is not known whether they are MQTT
    std::unique_ptr<websocket_reader> ws;  // MQTT over WebSocket: unwraps before `reader`
    std::vector<std::tuple<checks::websocket_fact, timestamp, std::uint64_t>> ws_facts;  // until `name` is known
    bool ws_failure_noted = false;
  };

  tcp_state* mqtt(const tcp_reassembler::connection& c) {
    auto it = tcp_.find(c.id);
    return it != tcp_.end() && it->second.role == kind::mqtt ? &it->second : nullptr;
  }
  connection& summary(const tcp_state& t) { return connections_[t.index]; }

  // Decides what a connection carries from its first bytes; false: not (yet) MQTT.
  bool identify(const tcp_reassembler::connection& c, tcp_state& t, int side, std::string_view bytes,
                std::uint64_t frame, timestamp at) {
    const auto addr = [&](int s) { return s == 0 ? netem::to_string(c.a, c.a_port) : netem::to_string(c.b, c.b_port); };
    const bool tls = bytes.size() >= 2 && bytes[0] == 0x16 && bytes[1] == 0x03;
    if (t.server_side >= 0) {
      const int client = 1 - t.server_side;
      if (tls) {
        a_.unreadables.push_back({addr(client), addr(t.server_side), "TLS: the capture holds no keys to decrypt it",
                                  frame});
        t.role = kind::ignored;
        return false;
      }
      if (t.websocket) return upgrade(c, t, side, bytes, frame, at, addr(client), addr(t.server_side));
      start(c, t, !c.handshake_seen, addr(client), addr(t.server_side));
      return true;
    }
    // No listed port: MQTT when the first bytes a side sends are a whole CONNECT.
    if (t.first.empty() && (bytes.empty() || static_cast<std::uint8_t>(bytes[0]) != 0x10)) {
      t.role = kind::ignored;
      return false;
    }
    t.first += bytes;
    auto size = plausible_packet(t.first);
    if (!size || *size > t.first.size()) {
      if (t.first.size() > max_first_packet || (size && *size > max_first_packet)) t.role = kind::ignored;
      return false;
    }
    const auto packet = std::string_view(t.first).substr(0, *size);
    const auto level = exchange::connect_level(packet);
    const auto v = level == 5 ? mqtt::protocol_version::v5 : mqtt::protocol_version::v311;
    if (!level || !mqtt::decode(packet, v)) {
      t.role = kind::ignored;
      return false;
    }
    t.server_side = 1 - side;
    start(c, t, false, addr(side), addr(t.server_side));
    const std::string held = std::move(t.first);
    t.first.clear();
    t.reader->data(false, held, frame, at);
    return false;  // the bytes were read with what was held
  }

  // MQTT over WebSocket: the connection is MQTT once both sides upgraded.
  bool upgrade(const tcp_reassembler::connection& c, tcp_state& t, int side, std::string_view bytes,
               std::uint64_t frame, timestamp at, std::string client, std::string server) {
    if (!t.ws) t.ws = std::make_unique<websocket_reader>();
    t.ws->data(side == t.server_side, bytes, frame, at);
    if (const auto& why = t.ws->failed()) {
      a_.unreadables.push_back({std::move(client), std::move(server),
                                "MQTT over WebSocket: " + *why +
                                    (c.handshake_seen ? "" : " (the capture began after the upgrade)"),
                                frame});
      t.role = kind::ignored;
      return false;
    }
    if (!t.ws->upgraded()) return false;
    start(c, t, !c.handshake_seen, std::move(client), std::move(server));
    summary(t).notes.push_back("MQTT over WebSocket, unwrapped");
    tcp_state* self = &t;
    t.ws->attach([self](bool from_server, std::string_view b, std::uint64_t f, timestamp when) {
      self->reader->data(from_server, b, f, when);
    });
    websocket_news(t, frame);
    return false;  // the WebSocket reader took the bytes
  }

  // Notes, a failure and facts of the WebSocket under `t`.
  void websocket_news(tcp_state& t, std::uint64_t frame) {
    auto& s = summary(t);
    for (auto& n : t.ws->take_notes())
      if (s.notes.size() < 20) s.notes.push_back(std::move(n));
    if (t.ws->failed() && !t.ws_failure_noted) {
      t.ws_failure_noted = true;
      s.notes.push_back("WebSocket: " + *t.ws->failed() + "; the rest of the connection is not read");
    }
    for (auto& [fact, at] : t.ws->take_facts()) t.ws_facts.emplace_back(std::move(fact), at, frame);
    if (!t.name.empty()) flush_websocket(t);
  }

  void flush_websocket(tcp_state& t) {
    for (const auto& [fact, at, frame] : t.ws_facts) {
      auto e = event(t, exchange::event::kind::websocket, at);
      e.websocket = &fact;
      judging_.event(t.monitor, t.server_ref, e, frame);
    }
    t.ws_facts.clear();
  }

  void start(const tcp_reassembler::connection& c, tcp_state& t, bool mid_stream, std::string client,
             std::string server) {
    t.role = kind::mqtt;
    t.index = connections_.size();
    t.server = server;
    t.server_ref = intern(server);
    connection s;
    s.id = c.id;
    s.client = std::move(client);
    s.server = std::move(server);
    s.mid_stream = mid_stream;
    s.start = s.end = c.first_at;
    s.first_frame = c.first_frame;
    if (!mid_stream) s.version_from = "assumed";  // until the CONNECT says
    connections_.push_back(std::move(s));
    auto& m = monitors_[t.server];
    if (!m) {
      // The live run's checkers, plus the client's own rules: here the client is not the harness.
      auto all = checks::all_checkers(o_.checks);
      all.push_back(checks::make_client_rules(o_.checks));
      m = std::make_unique<checks::monitor>(std::move(all), o_.checks);
    }
    t.monitor = m.get();
    tcp_state* self = &t;  // tcp_ is an unordered_map: references to its values stay valid
    t.reader = std::make_unique<connection_reader>(
        connections_.back(), mid_stream, o_.protocol,
        [this, self](const exchange::decoded& p, bool from_server, std::uint64_t frame, timestamp at) {
          packet(*self, p, from_server, frame, at);
        });
  }

  void packet(tcp_state& t, const exchange::decoded& p, bool from_server, std::uint64_t frame, timestamp at) {
    auto& s = summary(t);
    const auto* connect = p.packet ? std::get_if<mqtt::connect>(p.packet) : nullptr;
    if (connect && !from_server) {
      s.client_id = std::string(connect->client_id);
      s.version = p.version;
      s.version_from = "connect";
    }
    if (t.name.empty()) {
      t.name = connect && !from_server && !connect->client_id.empty() ? std::string(connect->client_id) : s.client;
      t.number = ++numbers_[{t.server, t.name}];
      latest_[{t.server, t.name}] = t.index;
      t.name_ref = intern(t.name);
      judging_.named(t.server_ref, t.name_ref, t.index);
      if (s.mid_stream) judging_.event(t.monitor, t.server_ref, event(t, exchange::event::kind::joined, at), frame);
      if (t.ws) flush_websocket(t);
    }
    s.end = std::max(s.end, at);
    if (!p.bytes.empty()) {
      const auto type = static_cast<std::uint8_t>(p.bytes[0]) >> 4;
      ++(from_server ? s.from_server : s.from_client)[type];
      ++a_.packets[type];
    }
    if (!p.packet) ++s.malformed;
    if (s.timeline.size() < o_.timeline) s.timeline.push_back({frame, at, from_server, text_of(p)});
    else if (o_.timeline > 0) ++s.timeline_dropped;

    auto e = event(t, exchange::event::kind::packet, at);
    e.from_broker = from_server;
    e.version = p.version;
    e.packet = p.packet;
    e.error = p.error;
    e.bytes = p.bytes;
    judging_.event(t.monitor, t.server_ref, e, frame);
  }

  exchange::event event(tcp_state& t, exchange::event::kind what, timestamp at) {
    exchange::event e;
    e.what = what;
    e.at = at;
    e.seq = ++seq_;
    e.client = t.name_ref;
    e.connection = t.number;
    return e;
  }

  // Findings of what was just fed, tied to `frame` and, when given, the packet; its
  // text is made only when there is one (most packets find nothing).
  // Names that events point to, kept until the judging thread is done.
  const std::string* intern(const std::string& s) { return &*names_.insert(s).first; }

  void add(checks::violation& v, std::optional<std::size_t> connection, std::uint64_t frame, std::string text) {
    finding f;
    f.spec_id = std::move(v.spec_id);
    f.should = v.should;
    f.message = std::move(v.message);
    f.client = v.client;
    f.at = v.at;
    if (connection) {
      auto& s = connections_[*connection];
      f.connection = s.id;
      ++s.findings;
    }
    if (frame) f.frames.push_back(frame);
    if (!text.empty()) f.packets.push_back(std::move(text));
    a_.findings.push_back(std::move(f));
  }

  analysis& a_;
  const options& o_;
  std::unordered_map<std::uint64_t, tcp_state> tcp_;
  std::deque<connection> connections_;  // stable addresses: readers hold their summary
  std::map<std::string, std::unique_ptr<checks::monitor>> monitors_;  // one per server address
  std::map<std::pair<std::string, std::string>, std::uint64_t> numbers_;  // connections per (server, client)
  std::map<std::pair<std::string, std::string>, std::size_t> latest_;     // its latest connection
  std::uint64_t seq_ = 0;
  std::unordered_set<std::string> names_;
  judging judging_;  // last: its thread stops before the monitors and names go
};

}  // namespace

std::unique_ptr<capture_judge> make_judge(analysis& a, const options& o) { return std::make_unique<judge>(a, o); }

}  // namespace mqttspec::analyze

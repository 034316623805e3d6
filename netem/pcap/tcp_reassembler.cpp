#include "tcp_reassembler.hpp"

#include <algorithm>
#include <deque>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "tcp_stream.hpp"

namespace netem {

namespace {

using timestamp = tcp_reassembler::timestamp;

struct flow_key {  // the 4-tuple, lower endpoint first, so both directions find one entry
  address lo, hi;
  std::uint16_t lo_port, hi_port;
  bool operator==(const flow_key&) const = default;
};

struct flow_hash {
  std::size_t operator()(const flow_key& k) const noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ (std::uint64_t(k.lo_port) << 16 | k.hi_port);
    const auto mix = [&](const address& a) {
      for (std::size_t i = 0; i < 16; i += 8) {
        std::uint64_t w = 0;
        for (std::size_t j = 0; j < 8; ++j) w = w << 8 | a.bytes[i + j];
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
      }
    };
    mix(k.lo);
    mix(k.hi);
    return static_cast<std::size_t>(h);
  }
};

// Segments this close to where an ended connection stopped belong to it (late copies);
// farther ones start a new connection on the same 4-tuple.
constexpr std::int64_t late_window = 1 << 20;
// Ended connections are remembered this long (capture time), and at most this many.
constexpr timestamp ended_memory = std::chrono::seconds(60);
constexpr std::size_t max_ended = 16384;

}  // namespace

struct tcp_reassembler::state {
  struct flow {
    connection info{};
    tcp_stream side[2];
    bool over = false;  // on_end called: kept only to recognise late segments
    std::uint64_t generation = 0;
  };
  struct ended_flow {
    flow_key key;
    std::uint64_t generation;
    timestamp at;
  };

  state(sink& s, std::size_t max) : out(s), max_held(max) {}

  sink& out;
  std::size_t max_held;
  std::uint64_t last_frame = 0;  // what events at the capture's end are charged to
  std::unordered_map<flow_key, flow, flow_hash> flows;
  std::deque<ended_flow> ended;  // oldest first
  std::size_t open = 0;
  std::uint64_t next_id = 1, generation = 0;
  counters stats;

  tcp_stream::context context(flow& f, int side, std::uint64_t frame, timestamp at) {
    return {out, f.info, side, frame, at, stats, max_held};
  }

  void start(flow& f, const tcp_segment& s, std::uint64_t frame, timestamp at) {
    const bool syn = s.flags & tcp_flag::syn, synack = syn && (s.flags & tcp_flag::ack);
    f = flow{};
    f.generation = ++generation;
    // A SYN-ACK's receiver is the client.
    const bool sender_is_a = !synack;
    f.info = connection{next_id++, sender_is_a ? s.src : s.dst, sender_is_a ? s.sport : s.dport,
                        sender_is_a ? s.dst : s.src, sender_is_a ? s.dport : s.sport, syn, frame, at};
    if (synack) f.side[0].start(s.ack, false);
    ++open;
    ++stats.connections;
    out.on_open(f.info);
  }

  void end(const flow_key& k, flow& f, std::uint64_t frame, timestamp at) {
    for (int side : {0, 1}) {
      auto c = context(f, side, frame, at);
      if (f.side[side].started()) f.side[side].finish(c);
    }
    out.on_end(f.info, at);
    for (auto& s : f.side) s.release();
    f.over = true;
    --open;
    ended.push_back({k, f.generation, at});
  }

  // Forgets ended connections once late segments are unlikely: memory follows open connections.
  void forget(timestamp now) {
    while (!ended.empty() && (ended.size() > max_ended || now - ended.front().at > ended_memory)) {
      const auto it = flows.find(ended.front().key);
      if (it != flows.end() && it->second.over && it->second.generation == ended.front().generation) flows.erase(it);
      ended.pop_front();
    }
  }

  // A segment for an ended connection: a late copy, or the first of a new one.
  bool is_late(const flow& f, int side, const tcp_segment& s) const {
    const tcp_stream& st = f.side[side];
    if (s.flags & tcp_flag::syn) {
      if (!(s.flags & tcp_flag::ack)) return false;
      return st.isn() && *st.isn() == s.seq;  // the old SYN-ACK again
    }
    if (s.payload.empty()) return true;  // ACKs, FINs and RSTs start nothing
    if (!st.started()) return false;
    const std::int64_t d = st.offset_of(s.seq) - static_cast<std::int64_t>(st.end());
    return d > -late_window && d < late_window;
  }

  void add(const tcp_segment& s, std::uint64_t frame, timestamp at);
};

void tcp_reassembler::state::add(const tcp_segment& s, std::uint64_t frame, timestamp at) {
  ++stats.segments;
  last_frame = frame;
  if (!ended.empty()) forget(at);
  const bool forward = std::tie(s.src, s.sport) < std::tie(s.dst, s.dport);
  const flow_key k = forward ? flow_key{s.src, s.dst, s.sport, s.dport} : flow_key{s.dst, s.src, s.dport, s.sport};
  const bool syn = s.flags & tcp_flag::syn, ack = s.flags & tcp_flag::ack;
  auto it = flows.find(k);
  if (it == flows.end()) {
    if (!syn && s.payload.empty()) {  // nothing to open a connection with
      ++stats.ignored;
      return;
    }
    it = flows.emplace(k, flow{}).first;
    start(it->second, s, frame, at);
  } else {
    flow& f = it->second;
    const int side = s.src == f.info.a && s.sport == f.info.a_port ? 0 : 1;
    if (f.over) {
      if (is_late(f, side, s)) {
        ++stats.late;
        return;
      }
      ++stats.reused;
      start(f, s, frame, at);
    } else if (syn && !ack) {
      const auto isn = f.side[side].isn();
      if (isn && *isn == s.seq) {  // the SYN again
        ++stats.retransmissions;
        return;
      }
      ++stats.reused;  // a new connection on the same 4-tuple
      end(k, f, frame, at);
      start(f, s, frame, at);
    } else if (syn && ack) {
      tcp_stream& st = f.side[side];
      const auto isn = st.isn();
      if (isn && *isn == s.seq) {  // the SYN-ACK again
        ++stats.retransmissions;
        return;
      }
      if (st.started() && !st.untouched()) {
        ++stats.late;
        return;
      }
      st = tcp_stream{};  // the server's ISN, known at last (or changed before any data)
    }
  }
  flow& f = it->second;
  const int side = s.src == f.info.a && s.sport == f.info.a_port ? 0 : 1;
  tcp_stream& from = f.side[side];
  if (!from.started()) from.start(s.seq, syn);
  if (ack && f.side[1 - side].started()) f.side[1 - side].ack(context(f, 1 - side, frame, at), s.ack);
  const auto c = context(f, side, frame, at);
  const std::uint32_t data_seq = syn ? s.seq + 1 : s.seq;  // the SYN takes one sequence number
  from.data(c, data_seq, s.payload);
  if (s.flags & tcp_flag::rst) {
    // What is held is delivered before the reset is reported.
    for (int i : {0, 1})
      if (f.side[i].started()) f.side[i].finish(context(f, i, frame, at));
    from.set_closed();
    out.on_close(f.info, side, true, frame, at);
    end(k, f, frame, at);
    return;
  }
  if (s.flags & tcp_flag::fin) from.fin(c, data_seq + static_cast<std::uint32_t>(s.payload.size()));
  if (f.side[0].closed() && f.side[1].closed()) end(k, f, frame, at);
}

tcp_reassembler::tcp_reassembler(sink& s, std::size_t max_buffered_per_side)
    : state_(std::make_unique<state>(s, max_buffered_per_side)) {}

tcp_reassembler::~tcp_reassembler() = default;

void tcp_reassembler::add(const tcp_segment& s, std::uint64_t frame, timestamp at) { state_->add(s, frame, at); }

void tcp_reassembler::finish(timestamp at) {
  // In order of opening, so reports do not depend on the hash table's order.
  std::vector<std::pair<std::uint64_t, flow_key>> open;
  for (const auto& [k, f] : state_->flows)
    if (!f.over) open.emplace_back(f.info.id, k);
  std::sort(open.begin(), open.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [id, k] : open) {
    auto& f = state_->flows.at(k);
    state_->end(k, f, state_->last_frame, at);
  }
  state_->flows.clear();
  state_->ended.clear();
}

std::size_t tcp_reassembler::open_connections() const { return state_->open; }

std::size_t tcp_reassembler::tracked() const { return state_->flows.size(); }

const tcp_reassembler::counters& tcp_reassembler::stats() const { return state_->stats; }

}  // namespace netem

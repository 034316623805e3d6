#include "invariants.hpp"

#include <algorithm>
#include <charconv>

namespace mqttspec::run {

checks::options check_options(const std::vector<netem::impairment_spec>& link) {
  checks::options o;
  double latency_ms = 0;
  bool lossy = false;
  for (const auto& s : link) {
    for (const auto& [k, v] : s.attributes) {
      double x = 0;
      std::from_chars(v.data(), v.data() + v.size(), x);
      if (k == "latency_ms" || k == "jitter_ms") latency_ms += x;
    }
    lossy |= s.type != "latency";
  }
  // Retransmissions over a lossy link can take seconds: widen generously there.
  const auto slack = std::chrono::microseconds(static_cast<std::int64_t>(4 * latency_ms * 1000)) +
                     (lossy ? std::chrono::microseconds(30'000'000) : std::chrono::microseconds(0));
  o.keepalive_tolerance += slack;
  o.response_grace += slack;
  return o;
}

std::vector<checks::violation> check_invariants(const std::vector<std::unique_ptr<case_client>>& clients,
                                                const std::vector<link_event>& link_events,
                                                const std::vector<cut_event>& cuts, const checks::options& o,
                                                timestamp end) {
  // Everything that happened, in time order; at equal times packets come first.
  struct item {
    timestamp at;
    int kind;  // 0 packet, 1 cut, 2 end
    const case_client* c;
    const wire_packet* w;
    const cut_event* cut;
    std::uint64_t connection;
    bool by_broker;
    std::uint64_t seq;  // observation order at equal times
  };
  std::vector<item> items;
  for (const auto& c : clients) {
    for (const auto& w : c->trace()) items.push_back({w.at, 0, c.get(), &w, nullptr, w.connection, false, w.seq});
    for (const auto& e : c->endings())
      items.push_back({e.at, 2, c.get(), nullptr, nullptr, e.connection, e.by_broker, e.seq});
    // The broker may close a connection the client never hears of (a blackhole).
    const auto& ids = c->driver_ids();
    for (const auto& ev : link_events)
      if (ev.what == "broker closed")
        for (std::size_t i = 0; i < ids.size(); ++i)
          if (ids[i] == ev.connection) items.push_back({ev.at, 2, c.get(), nullptr, nullptr, i + 1, true, ~0ull});
  }
  for (const auto& cut : cuts) items.push_back({cut.at, 1, nullptr, nullptr, &cut, 0, false, ~0ull});
  std::stable_sort(items.begin(), items.end(), [](const item& a, const item& b) {
    if (a.at != b.at) return a.at < b.at;
    return a.seq != b.seq ? a.seq < b.seq : a.kind < b.kind;
  });
  checks::monitor m(o);
  for (const auto& it : items) {
    if (it.kind == 1) {
      m.on_link_event(it.at, it.cut->client, it.cut->blackhole ? checks::link_event::blackhole : checks::link_event::restore);
    } else if (it.kind == 2) {
      m.on_connection_end(it.at, it.c->name(), it.connection, it.by_broker);
    } else if (it.w->packet) {
      m.on_packet({it.at, it.c->name(), it.w->connection, it.w->from_broker, it.w->version, *it.w->packet,
                   it.w->bytes ? std::string_view(*it.w->bytes) : std::string_view(), {}});
    } else if (it.w->error) {
      m.on_malformed(it.at, it.c->name(), it.w->connection, it.w->from_broker, it.w->version, *it.w->error,
                     it.w->bytes ? std::string_view(*it.w->bytes) : std::string_view());
    }
  }
  return m.finish(end);
}

}  // namespace mqttspec::run

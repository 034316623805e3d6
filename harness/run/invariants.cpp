#include "invariants.hpp"

#include <charconv>

#include "harness/exchange/events.hpp"

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
                                                timestamp end, timestamp harness_closed_at) {
  using exchange::event;
  constexpr auto last = ~std::uint64_t{0};  // after what was observed at the same time
  std::vector<event> events;
  const auto make = [](event::kind k, timestamp at, std::uint64_t seq, const std::string* client,
                       std::uint64_t connection) {
    event e;
    e.what = k;
    e.at = at;
    e.seq = seq;
    e.client = client;
    e.connection = connection;
    return e;
  };
  for (const auto& c : clients) {
    for (const auto& w : c->trace()) {
      auto e = make(event::kind::packet, w.at, w.seq, &c->name(), w.connection);
      e.from_broker = w.from_broker;
      e.version = w.version;
      e.packet = w.packet ? &*w.packet : nullptr;
      e.error = w.error ? &*w.error : nullptr;
      e.bytes = w.bytes ? std::string_view(*w.bytes) : std::string_view();
      events.push_back(e);
    }
    for (const auto& x : c->endings()) {
      if (!x.by_broker && x.at >= harness_closed_at) continue;
      auto e = make(event::kind::end, x.at, x.seq, &c->name(), x.connection);
      e.by_broker = x.by_broker;
      events.push_back(e);
    }
    // The broker may close a connection the client never hears of (a blackhole).
    const auto& ids = c->driver_ids();
    for (const auto& ev : link_events)
      if (ev.what == "broker closed")
        for (std::size_t i = 0; i < ids.size(); ++i)
          if (ids[i] == ev.connection) {
            auto e = make(event::kind::end, ev.at, last, &c->name(), i + 1);
            e.by_broker = true;
            events.push_back(e);
          }
  }
  for (const auto& cut : cuts) {
    auto e = make(event::kind::link, cut.at, last, &cut.client, 0);
    e.link = cut.blackhole ? checks::link_event::blackhole : checks::link_event::restore;
    events.push_back(e);
  }
  exchange::sort(events);
  checks::monitor m(o);
  for (const auto& e : events) exchange::feed(m, e);
  return m.finish(end);
}

}  // namespace mqttspec::run

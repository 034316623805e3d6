// The virtual-time world's speed: an hour of keepalive traffic (PINGREQ/PINGRESP
// every 60 s) between N reference client cores and the reference broker core, over a
// LAN-like link. Reports simulated seconds per wall-clock second.
#include <benchmark/benchmark.h>

#include "netem/profile.hpp"
#include "netem/world/core_peer.hpp"

namespace {

using namespace std::chrono_literals;

void world_keepalive_hour(benchmark::State& state) {
  const int clients = int(state.range(0));
  const auto link = netem::parse_link("lan").specs;
  std::int64_t pings = 0;
  for (auto _ : state) {
    netem::world w(1);
    std::vector<std::unique_ptr<netem::core_peer>> peers;
    for (int i = 0; i < clients; ++i) {
      mqtt::client::options o;
      o.client_id = "c" + std::to_string(i);
      o.keep_alive = 60;
      peers.push_back(std::make_unique<netem::core_peer>(w, o, link));
      peers.back()->on_action = [&](const mqtt::client::action& a) {
        if (std::holds_alternative<mqtt::client::send_bytes>(a)) ++pings;
      };
      // Spread the connections over the first minute, as real clients would be.
      w.at(std::chrono::microseconds(60'000'000LL * i / clients), [p = peers.back().get()] { p->connect(); });
    }
    w.run_until(3600s);
    if (w.open_connections() != std::size_t(clients)) state.SkipWithError("a client lost its connection");
  }
  state.counters["sim_s_per_wall_s"] =
      benchmark::Counter(3600.0 * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["sends_per_client_hour"] = double(pings) / double(state.iterations()) / clients;
}
BENCHMARK(world_keepalive_hour)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime();
// Scaling: every step of the world visits every connection, so time grows with N^2.
BENCHMARK(world_keepalive_hour)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

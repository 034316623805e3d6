// The load of `mqttspec bench`: S subscribers on one topic, P publishers sending N
// messages each. Every payload carries (publisher, sequence, send time), so each
// subscriber counts lost, duplicated and out-of-order messages and the latency.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench_client.hpp"

namespace mqttspec::cli {

using clock_type = std::chrono::steady_clock;

struct bench_options {
  asio::ip::tcp::endpoint broker;
  std::uint32_t publishers = 1, subscribers = 1, messages = 10000, size = 64, window = 64, idle = 0;
  int qos = 0;
  double timeout_s = 60, hold_s = 0;
  mqtt::protocol_version version = mqtt::protocol_version::v311;
};

struct publisher {
  std::shared_ptr<bench_client> client;
  // A message is in flight until the broker acknowledged it (QoS>0) and subscriber 0 got
  // it: pacing end to end keeps the broker's queues short, so no broker drops for lack
  // of room and latency is not queueing time.
  std::uint32_t sent = 0, acked = 0, seen = 0;
  std::uint32_t window = 1;
  bool waiting = false;
  std::uint16_t next_id = 1;
  std::unique_ptr<asio::steady_timer> wake;  // cancelled when window room opens
};

struct bench_run {
  bench_options opt;
  std::string topic;
  std::vector<publisher> pubs;
  std::vector<std::shared_ptr<bench_client>> subs, idle;
  std::vector<std::vector<std::uint8_t>> seen;  // [sub * P + pub][seq]: copies received
  std::vector<std::uint32_t> next_seq;          // [sub * P + pub]: highest sequence + 1
  std::vector<std::uint32_t> latency_us;
  std::uint64_t delivered = 0, duplicated = 0, out_of_order = 0, foreign = 0, suback = 0;
  clock_type::time_point start, last_delivery;
  std::string error;
  bool stalled = false;
};

/// Opens the idle connections, subscribes, publishes, and returns when every message
/// arrived, the timeout passed, or nothing arrived for 5 s.
asio::awaitable<void> run_bench(bench_run& r, asio::io_context& io);
/// Prints the figures of a finished run.
void report(const bench_run& r, std::chrono::duration<double> elapsed);

}  // namespace mqttspec::cli

// Codec throughput: decode and encode of the packets a broker handles most.
// Items/s counts packets; bytes/s counts whole packets, fixed header included.
//
//   build/h3rel/bench/codec_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>

#include "reference/codec/codec.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace {

using mqtt::protocol_version;

protocol_version version_arg(const benchmark::State& state) { return static_cast<protocol_version>(state.range(0)); }

// QoS 1 PUBLISH of range(1) payload bytes; views `payload`.
mqtt::packet publish_packet(const std::string& payload) {
  return mqtt::publish{false, mqtt::qos::at_least_once, false, "sensors/building-7/floor-3/temperature", 4242, {},
                       payload};
}

mqtt::packet subscribe_packet() {
  static const std::string filters[10] = {"a/b/c", "sensors/+/temperature", "sensors/#", "home/kitchen/light",
                                          "home/+/+/state", "$share/g/jobs/#", "x", "devices/1234567/cmd",
                                          "fleet/+/gps", "logs/#"};
  mqtt::subscribe s{17, {}, {}};
  for (std::size_t i = 0; i < 10; ++i) s.topics.push_back({filters[i], static_cast<mqtt::qos>(i % 3)});
  return s;
}

mqtt::packet connect_packet(protocol_version v) {
  using mqtt::property_id;
  mqtt::connect c;
  c.version = v;
  c.keep_alive = 30;
  c.client_id = "bench-client-0001";
  c.user_name = "user";
  c.password = "password";
  if (v == protocol_version::v5)
    c.props = {{property_id::session_expiry_interval, 3600, {}, {}},
               {property_id::receive_maximum, 100, {}, {}},
               {property_id::maximum_packet_size, 1 << 20, {}, {}},
               {property_id::topic_alias_maximum, 10, {}, {}},
               {property_id::user_property, 0, "region", "eu-west"}};
  return c;
}

void run_decode(benchmark::State& state, const std::string& bytes, protocol_version v) {
  if (!mqtt::decode(bytes, v)) state.SkipWithError("sample does not decode");
  for (auto _ : state) {
    auto p = mqtt::decode(bytes, v);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * std::int64_t(bytes.size()));
}

void run_encode(benchmark::State& state, const mqtt::packet& p, protocol_version v) {
  std::string out;
  out.reserve(mqtt::encoded_size(p, v));
  for (auto _ : state) {
    out.clear();
    mqtt::encode(p, v, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * std::int64_t(out.size()));
}

void decode_publish(benchmark::State& state) {
  const std::string payload(std::size_t(state.range(1)), 'p');
  run_decode(state, mqtt::encode(publish_packet(payload), version_arg(state)), version_arg(state));
}

void encode_publish(benchmark::State& state) {
  const std::string payload(std::size_t(state.range(1)), 'p');
  run_encode(state, publish_packet(payload), version_arg(state));
}

void decode_subscribe(benchmark::State& state) {
  run_decode(state, mqtt::encode(subscribe_packet(), version_arg(state)), version_arg(state));
}

void encode_subscribe(benchmark::State& state) { run_encode(state, subscribe_packet(), version_arg(state)); }

void decode_connect(benchmark::State& state) {
  run_decode(state, mqtt::encode(connect_packet(version_arg(state)), version_arg(state)), version_arg(state));
}

void encode_connect(benchmark::State& state) { run_encode(state, connect_packet(version_arg(state)), version_arg(state)); }

// 1,000 PUBLISH packets fed to a stream decoder in 64 KiB reads, as a socket would.
void stream_decode_publish(benchmark::State& state) {
  const auto v = version_arg(state);
  const std::string payload(std::size_t(state.range(1)), 'p');
  std::string stream;
  for (int i = 0; i < 1000; ++i) mqtt::encode(publish_packet(payload), v, stream);
  constexpr std::size_t read_size = 64 * 1024;
  for (auto _ : state) {
    mqtt::stream_decoder d(v);
    std::size_t n = 0;
    for (std::size_t at = 0; at < stream.size(); at += read_size) {
      d.feed(std::string_view(stream).substr(at, read_size));
      for (auto r = d.next(); r && *r; r = d.next()) {
        benchmark::DoNotOptimize(*r);
        ++n;
      }
    }
    if (n != 1000) state.SkipWithError("stream did not decode");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * std::int64_t(stream.size()));
}

const std::vector<std::int64_t> versions = {4, 5};  // 3.1.1, 5.0

BENCHMARK(decode_publish)->ArgsProduct({versions, {64, 4096}})->ArgNames({"v", "payload"});
BENCHMARK(encode_publish)->ArgsProduct({versions, {64, 4096}})->ArgNames({"v", "payload"});
BENCHMARK(stream_decode_publish)->ArgsProduct({versions, {64, 4096}})->ArgNames({"v", "payload"});
BENCHMARK(decode_subscribe)->ArgsProduct({versions})->ArgNames({"v"});
BENCHMARK(encode_subscribe)->ArgsProduct({versions})->ArgNames({"v"});
BENCHMARK(decode_connect)->ArgsProduct({versions})->ArgNames({"v"});
BENCHMARK(encode_connect)->ArgsProduct({versions})->ArgNames({"v"});

}  // namespace

BENCHMARK_MAIN();

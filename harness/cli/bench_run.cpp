#include "bench_run.hpp"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <unistd.h>

namespace mqttspec::cli {

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);


template <class T>
T response(std::uint16_t id) {
  T a;
  a.packet_id = id;
  return a;
}

std::uint64_t now_ns() {
  return std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count());
}

std::uint32_t in_flight(const bench_run& r, const publisher& pb) {
  const std::uint32_t acked = r.opt.qos == 0 ? pb.sent : pb.acked;
  const std::uint32_t seen = r.subs.empty() ? pb.sent : pb.seen;
  return pb.sent - std::min(acked, seen);
}

void progress(const bench_run& r, publisher& pb) {
  if (pb.waiting && in_flight(r, pb) < pb.window) {
    pb.waiting = false;
    pb.wake->cancel();
  }
}

void on_delivery(bench_run& r, std::size_t sub, const mqtt::publish& p) {
  auto& c = *r.subs[sub];
  if (p.qos == mqtt::qos::at_least_once) c.queue(response<mqtt::puback>(p.packet_id));
  if (p.qos == mqtt::qos::exactly_once) c.queue(response<mqtt::pubrec>(p.packet_id));
  std::uint32_t pub = 0, seq = 0;
  std::uint64_t sent_ns = 0;
  if (p.payload.size() < 16) return void(++r.foreign);
  std::memcpy(&pub, p.payload.data(), 4);
  std::memcpy(&seq, p.payload.data() + 4, 4);
  std::memcpy(&sent_ns, p.payload.data() + 8, 8);
  if (pub >= r.pubs.size() || seq >= r.opt.messages) return void(++r.foreign);
  const std::size_t k = sub * r.pubs.size() + pub;
  if (r.seen[k][seq]++ > 0) return void(++r.duplicated);
  if (seq + 1 < r.next_seq[k]) ++r.out_of_order;
  r.next_seq[k] = std::max(r.next_seq[k], seq + 1);
  ++r.delivered;
  r.last_delivery = clock_type::now();
  r.latency_us.push_back(std::uint32_t((now_ns() - sent_ns) / 1000));
  if (sub == 0) {
    ++r.pubs[pub].seen;
    progress(r, r.pubs[pub]);
  }
}

void on_publisher_packet(bench_run& r, publisher& pb, const mqtt::packet& p) {
  bool done = false;
  if (std::get_if<mqtt::puback>(&p) || std::get_if<mqtt::pubcomp>(&p)) done = true;
  else if (auto* rec = std::get_if<mqtt::pubrec>(&p)) pb.client->queue(response<mqtt::pubrel>(rec->packet_id));
  if (!done) return;
  ++pb.acked;
  progress(r, pb);
}

asio::awaitable<void> publish_all(bench_run& r, std::uint32_t index) {
  auto& pb = r.pubs[index];
  // QoS 0 without subscribers has nothing to pace it; QoS>0 obeys the broker's Receive Maximum.
  const std::uint32_t window = pb.window = r.opt.qos == 0 && r.subs.empty() ? UINT32_MAX
                                           : r.opt.qos == 0 ? r.opt.window
                                           : std::min<std::uint32_t>(r.opt.window, pb.client->receive_maximum());
  auto sender = co_await asio::this_coro::executor;
  std::string payload(std::max<std::uint32_t>(r.opt.size, 16), 'x');
  std::memcpy(payload.data(), &index, 4);
  while (pb.sent < r.opt.messages && pb.client->open()) {
    while (in_flight(r, pb) < window && pb.sent < r.opt.messages) {
      mqtt::publish p;
      p.qos = mqtt::qos(r.opt.qos);
      p.topic = r.topic;
      if (p.qos != mqtt::qos::at_most_once) {
        p.packet_id = pb.next_id++;
        if (pb.next_id == 0) pb.next_id = 1;
      }
      const std::uint64_t t = now_ns();
      std::memcpy(payload.data() + 4, &pb.sent, 4);
      std::memcpy(payload.data() + 8, &t, 8);
      p.payload = payload;
      pb.client->queue(p);
      ++pb.sent;
      if (pb.sent % 256 == 0) pb.client->flush();  // keep batches short for latency
    }
    pb.client->flush();
    if (in_flight(r, pb) >= window) {
      pb.waiting = true;
      pb.wake->expires_at(clock_type::time_point::max());
      co_await pb.wake->async_wait(use_tuple);
    } else {
      co_await asio::post(sender, asio::use_awaitable);  // let the readers run
    }
  }
}

// Polls `done` every `step` until it holds or `deadline` passes; false on deadline.
template <class F>
asio::awaitable<bool> wait_until(F done, clock_type::time_point deadline, std::chrono::milliseconds step) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!done()) {
    if (clock_type::now() >= deadline) co_return false;
    t.expires_after(step);
    co_await t.async_wait(use_tuple);
  }
  co_return true;
}

asio::awaitable<std::shared_ptr<bench_client>> open_client(bench_run& r, const std::string& id, std::uint16_t keep_alive) {
  auto c = std::make_shared<bench_client>(co_await asio::this_coro::executor, r.opt.version);
  auto err = co_await c->connect(r.opt.broker, id, keep_alive);
  if (!err.empty()) {
    if (r.error.empty()) r.error = id + ": " + err;
    co_return nullptr;
  }
  co_return c;
}

}  // namespace

asio::awaitable<void> run_bench(bench_run& r, asio::io_context& io) {
  const auto deadline = clock_type::now() + std::chrono::milliseconds(std::int64_t(r.opt.timeout_s * 1000));
  const std::string prefix = "bench-" + std::to_string(::getpid()) + "-";
  // Idle connections, 256 handshakes at a time; their readers only notice a close.
  std::size_t started = 0, finished = 0;
  for (std::uint32_t i = 0; i < r.opt.idle && clock_type::now() < deadline; ++i) {
    asio::co_spawn(io, [&r, &finished, id = prefix + "idle-" + std::to_string(i)]() -> asio::awaitable<void> {
      auto c = co_await open_client(r, id, 0);
      ++finished;
      if (!c) co_return;
      r.idle.push_back(c);
      co_await c->read_loop([](const mqtt::packet&) {});
    }, asio::detached);
    ++started;
    co_await wait_until([&] { return started - finished < 256; }, deadline, std::chrono::milliseconds(1));
  }
  co_await wait_until([&] { return finished == started; }, deadline, std::chrono::milliseconds(5));
  if (r.opt.idle > 0) std::cout << "idle connections: " << r.idle.size() << " / " << r.opt.idle << " connected" << std::endl;

  for (std::uint32_t i = 0; i < r.opt.subscribers; ++i) {
    auto c = co_await open_client(r, prefix + "sub-" + std::to_string(i), 600);
    if (!c) co_return;
    r.subs.push_back(c);
    mqtt::subscribe s;
    s.packet_id = 1;
    s.topics.push_back({r.topic, mqtt::qos(r.opt.qos)});
    c->queue(s);
    asio::co_spawn(io, c->read_loop([&r, i](const mqtt::packet& p) {
      if (auto* pub = std::get_if<mqtt::publish>(&p)) on_delivery(r, i, *pub);
      else if (auto* rel = std::get_if<mqtt::pubrel>(&p)) r.subs[i]->queue(response<mqtt::pubcomp>(rel->packet_id));
      else if (std::get_if<mqtt::suback>(&p)) ++r.suback;
    }), asio::detached);
  }
  if (!co_await wait_until([&] { return r.suback == r.subs.size(); }, deadline, std::chrono::milliseconds(1))) {
    r.error = "no SUBACK before the timeout";
    co_return;
  }
  r.pubs.resize(r.opt.publishers);
  for (std::uint32_t i = 0; i < r.opt.publishers; ++i) {
    auto& pb = r.pubs[i];
    pb.client = co_await open_client(r, prefix + "pub-" + std::to_string(i), 600);
    if (!pb.client) co_return;
    pb.wake = std::make_unique<asio::steady_timer>(io);
    asio::co_spawn(io, pb.client->read_loop([&r, &pb](const mqtt::packet& p) { on_publisher_packet(r, pb, p); }),
                   asio::detached);
  }
  const std::uint64_t expected = std::uint64_t(r.opt.messages) * r.pubs.size() * r.subs.size();
  r.seen.assign(r.subs.size() * r.pubs.size(), std::vector<std::uint8_t>(r.opt.messages));
  r.next_seq.assign(r.seen.size(), 0);
  r.latency_us.reserve(std::min<std::uint64_t>(expected, 50'000'000));
  r.start = r.last_delivery = clock_type::now();
  for (std::uint32_t i = 0; i < r.pubs.size(); ++i) asio::co_spawn(io, publish_all(r, i), asio::detached);
  auto finished_all = [&] {
    for (auto& pb : r.pubs)
      if (pb.sent < r.opt.messages || (r.opt.qos > 0 && pb.acked < r.opt.messages)) return false;
    return r.delivered == expected;
  };
  // Done, out of time, or nothing delivered for 5 s (a lost QoS 0 message stalls its window).
  for (;;) {
    if (co_await wait_until(finished_all, std::min(deadline, clock_type::now() + std::chrono::milliseconds(200)),
                            std::chrono::milliseconds(2)))
      break;
    if (clock_type::now() >= deadline || clock_type::now() - r.last_delivery > std::chrono::seconds(5)) {
      r.stalled = true;
      break;
    }
  }
}

void report(const bench_run& r, std::chrono::duration<double> elapsed) {
  std::vector<std::uint32_t> lat = r.latency_us;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat.empty() ? 0u : lat[std::min(lat.size() - 1, std::size_t(p * lat.size()))]; };
  const std::uint64_t expected = std::uint64_t(r.opt.messages) * r.pubs.size() * r.subs.size();
  std::cout << "bench: " << r.pubs.size() << " publishers -> " << r.subs.size() << " subscribers, " << r.opt.messages
            << " messages of " << r.opt.size << " B at QoS " << r.opt.qos << ", window " << r.opt.window << ", MQTT "
            << mqtt::to_string(r.opt.version) << "\n"
            << "  delivered     " << r.delivered << " / " << expected << (r.stalled ? " (stopped: timeout or stall)" : "")
            << "\n  throughput    " << std::uint64_t(double(r.delivered) / std::max(elapsed.count(), 1e-9))
            << " msg/s over " << elapsed.count() << " s\n"
            << "  latency       p50 " << pct(0.5) << " us, p99 " << pct(0.99) << " us, max " << (lat.empty() ? 0 : lat.back())
            << " us\n  lost " << expected - r.delivered << ", duplicated " << r.duplicated << ", out of order "
            << r.out_of_order << (r.foreign ? ", foreign " + std::to_string(r.foreign) : "") << "\n";
  if (r.stalled)  // where each publisher stopped: not sent, or sent but never acknowledged
    for (std::size_t i = 0; i < r.pubs.size(); ++i)
      std::cout << "  publisher " << i << ": sent " << r.pubs[i].sent << ", acknowledged " << r.pubs[i].acked
                << ", seen by subscriber 0 " << r.pubs[i].seen << "\n";
  std::cout.flush();
}

}  // namespace mqttspec::cli

// mqttspec bench --broker mqtt://127.0.0.1:PORT [--publishers P] [--subscribers S] [--messages N]
//                [--size B] [--qos 0|1|2] [--window W] [--protocol 3.1.1|5] [--idle-connections K]
#include <boost/program_options.hpp>
#include <iostream>
#include <unistd.h>

#include "bench_run.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

bool loopback(const asio::ip::address& a) { return a.is_loopback(); }

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  po::options_description desc("mqttspec bench --broker mqtt://127.0.0.1:PORT [options]\n\n"
                               "Measures a broker on this machine: messages/s, end-to-end latency, and lost,\n"
                               "duplicated and out-of-order messages. Loopback brokers only.\n\noptions");
  bench_options opt;
  std::string url, protocol = "3.1.1";
  desc.add_options()("help,h", "show this help")("broker,b", po::value(&url)->required(), "mqtt://127.0.0.1:PORT")(
      "publishers,P", po::value(&opt.publishers)->default_value(1), "publishing connections")(
      "subscribers,S", po::value(&opt.subscribers)->default_value(1), "subscribing connections, all on one topic")(
      "messages,n", po::value(&opt.messages)->default_value(10000), "messages per publisher")(
      "size", po::value(&opt.size)->default_value(64), "payload bytes (at least 16 are used)")(
      "qos,q", po::value(&opt.qos)->default_value(0), "0, 1 or 2")(
      "window", po::value(&opt.window)->default_value(64),
      "messages in flight per publisher: not yet acknowledged (QoS>0) or not yet seen by subscriber 0")(
      "protocol,p", po::value(&protocol)->default_value("3.1.1"), "3.1.1 or 5")(
      "idle-connections,k", po::value(&opt.idle)->default_value(0), "idle connections opened first and held")(
      "hold", po::value(&opt.hold_s)->default_value(0), "seconds to hold every connection open after the run")(
      "timeout", po::value(&opt.timeout_s)->default_value(60), "seconds before giving up");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
      std::cout << desc << "\nexample:\n  mqttspec bench --broker mqtt://127.0.0.1:1883 --qos 1 --messages 100000\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mqttspec bench: " << e.what() << "\n";
    return 2;
  }
  const std::string scheme = "mqtt://";
  const auto colon = url.rfind(':');
  std::error_code ec;
  asio::ip::address addr;
  if (url.rfind(scheme, 0) == 0 && colon > scheme.size()) {
    std::string host = url.substr(scheme.size(), colon - scheme.size());
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    addr = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  } else ec = asio::error::invalid_argument;
  const auto port = colon == std::string::npos ? 0 : std::atoi(url.c_str() + colon + 1);
  if (ec || !loopback(addr) || port <= 0 || port > 65535) {
    std::cerr << "mqttspec bench: --broker must be mqtt://127.0.0.1:PORT (loopback only), not '" << url << "'\n";
    return 2;
  }
  opt.broker = {addr, static_cast<unsigned short>(port)};
  if (protocol == "5" || protocol == "5.0") opt.version = mqtt::protocol_version::v5;
  else if (protocol != "3.1.1") return std::cerr << "mqttspec bench: --protocol must be 3.1.1 or 5\n", 2;
  if (opt.qos < 0 || opt.qos > 2 || opt.window == 0 || opt.messages > 100'000'000 || opt.publishers > 1000 ||
      opt.subscribers > 1000 || opt.idle > 100'000 || opt.size > 16 * 1024 * 1024 || opt.timeout_s <= 0)
    return std::cerr << "mqttspec bench: an option is out of range (see --help)\n", 2;

  asio::io_context io(1);
  bench_run r;
  r.opt = opt;
  r.topic = "mqttspec/bench/" + std::to_string(::getpid());
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    co_await run_bench(r, io);
    const auto elapsed = r.last_delivery - r.start;
    if (r.error.empty() && (r.opt.messages > 0 && !r.subs.empty())) report(r, elapsed);
    // Every connection stays open while held, so the broker's memory can be read then.
    if (opt.hold_s > 0) {
      asio::steady_timer t(io, std::chrono::milliseconds(std::int64_t(opt.hold_s * 1000)));
      co_await t.async_wait(use_tuple);
    }
    // End politely: DISCONNECT, so no broker mistakes the end of the run for a failure.
    for (auto& c : r.idle) c->queue(mqtt::disconnect{}), c->flush();
    for (auto& c : r.subs) c->queue(mqtt::disconnect{}), c->flush();
    for (auto& pb : r.pubs)
      if (pb.client) pb.client->queue(mqtt::disconnect{}), pb.client->flush();
    io.stop();
  }, asio::detached);
  io.run();
  if (!r.error.empty()) return std::cerr << "mqttspec bench: " << r.error << "\n", 1;
  if (opt.idle > 0 && r.idle.size() < opt.idle) return 1;
  const bool exact = r.duplicated == 0 && r.out_of_order == 0 && !r.stalled;
  return exact || opt.qos == 0 ? 0 : 1;
}

}  // namespace mqttspec::cli

// mqttspec proxy --listen 127.0.0.1:PORT --target HOST:PORT [--link NAME|key=value,...] [--workers N]
#include <boost/program_options.hpp>
#include <iostream>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "commands.hpp"
#include "netem/profile.hpp"
#include "proxy_workers.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

namespace {

void list_profiles() {
  for (const auto& p : netem::profiles())
    std::cout << p.name << std::string(12 - p.name.size(), ' ') << p.summary << "\n            " << p.settings << "\n";
  std::cout << "\nimpairments (key=value; prefix a key with up. or down. for one direction):\n";
  for (const auto& t : netem::impairment_types()) {
    std::cout << "  " << t.type << ": " << t.summary << "\n   ";
    for (auto k : t.keys) std::cout << " " << k;
    std::cout << "\n";
  }
}

}  // namespace

std::string listening_line(const proxy_setup& s, std::uint16_t port) {
  return "listening on " + s.listen.host + ":" + std::to_string(port) + " -> " + s.target.host + ":" +
         std::to_string(s.target.port) + " link " + s.link_text + " seed " + std::to_string(s.seed);
}

int serve_proxy(const proxy_setup& s, unsigned worker, unsigned workers, const proxy_ready& ready) {
  asio::io_context io(1);
  netem::proxy p(io, s.listen, s.target, s.link, s.seed);
  if (workers > 1) {
    p.share_port();
    p.number_connections(worker + 1, workers);
  }
  std::string err = s.pcap.empty() ? "" : p.capture_to(s.pcap);
  if (err.empty()) err = p.start();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code&, int) {
    p.stop();
    io.stop();
  });
  // A worker starts with these blocked (run_proxy_workers); asio's handler is in place now.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &stop_signals, nullptr);
  ready(err, err.empty() ? p.port() : 0);
  if (!err.empty()) return 2;
  io.run();
  return 0;
}

int proxy_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "mqttspec proxy --target HOST:PORT [options]\n\n"
      "A TCP proxy that puts a simulated link (latency, jitter, loss as retransmission\n"
      "delay, bandwidth, slicing, blackhole, ...) in front of any broker.\n\noptions");
  std::string listen = "127.0.0.1:0", target;
  proxy_setup s;
  s.link_text = "none";
  unsigned workers = 1;
  opts.add_options()("help,h", "show this help")("listen,l", po::value(&listen)->default_value(listen),
                                                 "address to listen on (port 0: any free port)")(
      "target,t", po::value(&target), "the broker, HOST:PORT")(
      "link", po::value(&s.link_text)->default_value(s.link_text), "a profile, key=value,... or both")(
      "seed", po::value(&s.seed)->default_value(s.seed), "seed of the link's random choices")(
      "workers,w", po::value(&workers)->default_value(workers),
      "processes sharing the port, each with its own open-file limit (1-64)")(
      "pcap", po::value(&s.pcap), "write every connection into this pcap file (one worker only)")(
      "list-profiles", "print the link profiles and impairment keys");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mqttspec proxy: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\nexample:\n  mqttspec proxy --listen 127.0.0.1:1884 --target 127.0.0.1:1883 --link "
                         "latency_ms=150,loss_pct=2\n";
    return 0;
  }
  if (vm.count("list-profiles")) {
    list_profiles();
    return 0;
  }
  std::string err;
  s.listen = netem::parse_host_port(listen, &err);
  if (!target.empty()) s.target = netem::parse_host_port(target, &err);
  else err = "--target HOST:PORT is required";
  auto link = netem::parse_link(s.link_text);
  s.link = link.specs;
  if (err.empty()) err = link.error;
  if (err.empty() && (workers < 1 || workers > 64)) err = "--workers must be 1 to 64";
  if (err.empty() && workers > 1 && !s.pcap.empty()) err = "--pcap writes one file from one process: use --workers 1";
  if (!err.empty()) {
    std::cerr << "mqttspec proxy: " << err << "\n";
    return 2;
  }
  // Two descriptors per connection: take the whole hard limit. Delays are due to the
  // microsecond, so wake-ups get no timer slack (50 us by default).
  if (rlimit r{}; getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  if (workers > 1) return run_proxy_workers(s, workers);
  return serve_proxy(s, 0, 1, [&](const std::string& e, std::uint16_t port) {
    if (e.empty()) std::cout << listening_line(s, port) << std::endl;
    else std::cerr << "mqttspec proxy: " << e << "\n";
  });
}

}  // namespace mqttspec::cli

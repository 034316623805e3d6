// mqttspec proxy --listen 127.0.0.1:PORT --target HOST:PORT [--link NAME|key=value,...]
#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "netem/profile.hpp"
#include "netem/proxy/proxy.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

int proxy_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "mqttspec proxy --target HOST:PORT [options]\n\n"
      "A TCP proxy that puts a simulated link (latency, jitter, loss as retransmission\n"
      "delay, bandwidth, slicing, blackhole, ...) in front of any broker.\n\noptions");
  std::string listen = "127.0.0.1:0", target, link_text = "none", pcap;
  std::uint64_t seed = 1;
  opts.add_options()("help,h", "show this help")("listen,l", po::value(&listen)->default_value(listen),
                                                 "address to listen on (port 0: any free port)")(
      "target,t", po::value(&target), "the broker, HOST:PORT")(
      "link", po::value(&link_text)->default_value(link_text), "a profile, key=value,... or both")(
      "seed", po::value(&seed)->default_value(seed), "seed of the link's random choices")(
      "pcap", po::value(&pcap), "write every connection into this pcap file")(
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
    for (const auto& p : netem::profiles())
      std::cout << p.name << std::string(12 - p.name.size(), ' ') << p.summary << "\n            " << p.settings << "\n";
    std::cout << "\nimpairments (key=value; prefix a key with up. or down. for one direction):\n";
    for (const auto& t : netem::impairment_types()) {
      std::cout << "  " << t.type << ": " << t.summary << "\n   ";
      for (auto k : t.keys) std::cout << " " << k;
      std::cout << "\n";
    }
    return 0;
  }
  std::string err;
  auto l = netem::parse_host_port(listen, &err);
  auto t = target.empty() ? netem::host_port{} : netem::parse_host_port(target, &err);
  if (target.empty()) err = "--target HOST:PORT is required";
  auto link = netem::parse_link(link_text);
  if (err.empty()) err = link.error;
  if (!err.empty()) {
    std::cerr << "mqttspec proxy: " << err << "\n";
    return 2;
  }
  asio::io_context io;
  netem::proxy p(io, l, t, link.specs, seed);
  if (!pcap.empty())
    if (auto e = p.capture_to(pcap); !e.empty()) {
      std::cerr << "mqttspec proxy: " << e << "\n";
      return 2;
    }
  if (auto e = p.start(); !e.empty()) {
    std::cerr << "mqttspec proxy: " << e << "\n";
    return 2;
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code&, int) {
    p.stop();
    io.stop();
  });
  std::cout << "listening on " << l.host << ":" << p.port() << " -> " << t.host << ":" << t.port << " link "
            << link_text << " seed " << seed << std::endl;
  io.run();
  return 0;
}

}  // namespace mqttspec::cli

// mqttspec broker [--listen HOST:PORT] [--config FILE] [--fault NAME]... [--verbose] [--list-faults]
#include <boost/program_options.hpp>
#include <csignal>
#include <iostream>

#include "commands.hpp"
#include "reference/broker/server/config_loader.hpp"
#include "reference/broker/server/server.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

namespace {

// "127.0.0.1:1883", "[::1]:0" or ":1883" (loopback) -> endpoint; false when malformed.
bool parse_listen(const std::string& text, asio::ip::tcp::endpoint& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "localhost") host = "127.0.0.1";
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  const unsigned long n = std::stoul(port);
  if (n > 65535) return false;
  std::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) return false;
  out = {addr, static_cast<unsigned short>(n)};
  return true;
}

void list_faults(std::ostream& out) {
  for (const auto& f : mqtt::broker::all_faults())
    out << f.name << "\n    " << f.description << "\n    breaks: " << f.spec_ids << "\n";
}

}  // namespace

int broker_command(const std::vector<std::string>& args) {
  po::options_description opts("mqttspec broker [options]\n\n"
                               "Serves the reference broker over TCP until SIGINT or SIGTERM (exit 0).\n"
                               "With port 0 the kernel picks a free port; the line\n"
                               "'listening on HOST:PORT' on standard output says which.\n\noptions");
  std::string listen = "127.0.0.1:1883";
  std::string config_file;
  std::vector<std::string> faults;
  opts.add_options()("help,h", "show this help")(
      "listen,l", po::value(&listen)->default_value(listen), "address and port to bind (loopback unless told)")(
      "config,c", po::value(&config_file), "YAML file of limits and optional behaviour")(
      "fault", po::value(&faults)->composing(), "break one named rule on purpose (repeatable)")(
      "list-faults", "list the faults with the normative statements each breaks")(
      "verbose,v", "log every protocol violation the broker acts on, with its spec id, to stderr");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mqttspec broker: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\nexample:\n  mqttspec broker --listen 127.0.0.1:0 --fault no-will --verbose\n";
    return 0;
  }
  if (vm.count("list-faults")) {
    list_faults(std::cout);
    return 0;
  }
  asio::ip::tcp::endpoint where;
  if (!parse_listen(listen, where)) {
    std::cerr << "mqttspec broker: --listen expects HOST:PORT, such as 127.0.0.1:1883, not '" << listen << "'\n";
    return 2;
  }
  mqtt::broker::config cfg;
  if (!config_file.empty()) {
    auto loaded = mqtt::broker::load_config(config_file);
    if (auto* err = std::get_if<std::string>(&loaded)) {
      std::cerr << "mqttspec broker: " << *err << "\n";
      return 2;
    }
    cfg = std::get<mqtt::broker::config>(std::move(loaded));
  }
  for (const auto& name : faults) {
    auto f = mqtt::broker::parse_fault(name);
    if (!f) {
      std::cerr << "mqttspec broker: unknown fault '" << name << "' (see --list-faults)\n";
      return 2;
    }
    cfg.faults.insert(*f);
  }
  const bool verbose = vm.count("verbose") > 0;

  asio::io_context io(1);
  std::unique_ptr<mqtt::broker::server> srv;
  try {
    srv = std::make_unique<mqtt::broker::server>(io, std::move(cfg), where, [verbose](const std::string& line) {
      if (verbose) std::cerr << line << "\n";
    });
  } catch (const std::system_error& e) {
    std::cerr << "mqttspec broker: cannot listen on " << listen << ": " << e.code().message() << "\n";
    return 1;
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const std::error_code& ec, int) {
    if (ec) return;
    srv->stop();
    io.stop();
  });
  const auto ep = srv->local_endpoint();
  std::cout << "listening on " << (ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string())
            << ":" << ep.port() << std::endl;  // endl: tests wait for this line
  io.run();
  return 0;
}

}  // namespace mqttspec::cli

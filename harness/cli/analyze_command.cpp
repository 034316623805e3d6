// mqttspec analyze FILE [--port N]... [--ws-port N]... [--protocol 3.1.1|5] [--json FILE] [--report DIR] [-q]
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "harness/analyze/analyzer.hpp"
#include "harness/analyze/output.hpp"
#include "harness/analyze/report.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

int analyze_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "mqttspec analyze [options] FILE\n\n"
      "Reads a capture (pcap or pcapng: Ethernet, VLAN, Linux cooked v1/v2, raw IP, BSD\n"
      "loopback; IPv4 and IPv6), reassembles its TCP connections, decodes the MQTT ones\n"
      "and judges them with the checkers of `mqttspec run`. Prints a line per connection,\n"
      "then each finding with its statement id, connection and frame, the summary last.\n"
      "Exit status: 0 no finding, 1 findings, 2 input error.\n\noptions");
  std::vector<unsigned> ports, ws_ports;
  std::string protocol, json_path, report_dir;
  opts.add_options()("help,h", "show this help")(
      "port,P", po::value(&ports)->composing(),
      "server port of MQTT connections (repeatable; default 1883). A connection whose first bytes "
      "are a CONNECT is read on any port")("ws-port", po::value(&ws_ports)->composing(),
                                          "server port of MQTT over WebSocket in clear (repeatable), unwrapped")(
      "protocol,p", po::value(&protocol),
      "3.1.1 or 5: the version of connections that started before the capture (default: told by their packets)")(
      "json", po::value(&json_path), "write the analysis as JSON (reports/schemas/analysis.schema.json)")(
      "report", po::value(&report_dir), "write an HTML report with a timeline per connection to DIR/index.html")(
      "quiet,q", "print the summary only");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "capture");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::options_description all;
  all.add(opts).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mqttspec analyze: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\nexamples:\n  mqttspec analyze field.pcapng\n"
              << "  mqttspec analyze device.pcap --port 1884 --protocol 3.1.1 --json device.json\n";
    return 0;
  }
  const auto files = vm.count("file") ? vm["file"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (files.size() != 1) {
    std::cerr << "mqttspec analyze: give one capture file (see --help)\n";
    return 2;
  }
  analyze::options o;
  if (!ports.empty()) o.ports.clear();
  for (auto p : ports) {
    if (p == 0 || p > 65535) {
      std::cerr << "mqttspec analyze: --port " << p << " is not a TCP port\n";
      return 2;
    }
    o.ports.push_back(static_cast<std::uint16_t>(p));
  }
  for (auto p : ws_ports) {
    if (p == 0 || p > 65535) {
      std::cerr << "mqttspec analyze: --ws-port " << p << " is not a TCP port\n";
      return 2;
    }
    o.ws_ports.push_back(static_cast<std::uint16_t>(p));
  }
  if (!protocol.empty()) {
    if (protocol == "5" || protocol == "5.0") o.protocol = mqtt::protocol_version::v5;
    else if (protocol == "3.1.1" || protocol == "311") o.protocol = mqtt::protocol_version::v311;
    else {
      std::cerr << "mqttspec analyze: --protocol must be 3.1.1 or 5, not \"" << protocol << "\"\n";
      return 2;
    }
  }
  if (!report_dir.empty()) o.timeline = 500;
  std::string error;
  analyze::analysis a;
  try {
    a = analyze::analyze_file(files.front(), o, error);
  } catch (const std::exception& e) {  // a checker's bug: say so, never abort
    error = std::string("internal error: ") + e.what();
  }
  if (!error.empty()) {
    std::cerr << "mqttspec analyze: " << error << "\n";
    return 2;
  }
  analyze::print(std::cout, a, vm.count("quiet") > 0);
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << analyze::to_json(a).dump(2) << "\n";
    if (!out) {
      std::cerr << "mqttspec analyze: cannot write " << json_path << "\n";
      return 2;
    }
  }
  if (!report_dir.empty()) {
    std::string command = "mqttspec analyze";
    for (const auto& arg : args) command += " " + arg;
    if (auto why = analyze::write_report(a, report_dir, command); !why.empty()) {
      std::cerr << "mqttspec analyze: " << why << "\n";
      return 2;
    }
    std::cout << "report: " << report_dir << "/index.html\n";
  }
  return a.findings.empty() ? 0 : 1;
}

}  // namespace mqttspec::cli

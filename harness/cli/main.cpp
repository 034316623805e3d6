// mqttspec: the MQTT conformance suite and network simulator. This file only picks
// the subcommand; each lives in its own file.
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "commands.hpp"

namespace {

struct command {
  std::function<int(const std::vector<std::string>&)> run;
  const char* summary;
};

const std::map<std::string, command>& commands() {
  static const std::map<std::string, command> all{
      {"bench", {mqttspec::cli::bench_command, "load a broker: messages/s, latency, loss (loopback only)"}},
      {"broker", {mqttspec::cli::broker_command, "serve the reference broker on a TCP port"}},
      {"decode", {mqttspec::cli::decode_command, "decode MQTT packets from hex or a byte stream"}},
      {"list", {mqttspec::cli::list_command, "list the cases with their spec ids"}},
      {"proxy", {mqttspec::cli::proxy_command, "put a simulated link in front of any broker"}},
      {"report", {mqttspec::cli::report_command, "merge runs into a matrix, diff two runs, or render one (HTML)"}},
      {"run", {mqttspec::cli::run_command, "run the conformance scenarios (default: the embedded broker)"}},
      {"validate", {mqttspec::cli::validate_command, "check scenario files: file:line:col: message"}},
  };
  return all;
}

void usage(std::ostream& out) {
  out << "usage: mqttspec [--help] [--version] <command> [<args>]\n\ncommands:\n";
  for (const auto& [name, c] : commands()) out << "  " << name << std::string(10 - name.size(), ' ') << c.summary << "\n";
  out << "\n'mqttspec <command> --help' describes a command.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    usage(std::cout);
    return 0;
  }
  if (first == "--version" || first == "-V") {
    std::cout << "mqttspec " << MQTTSPEC_VERSION << " (MQTT 3.1.1 and 5.0)\n";
    return 0;
  }
  auto it = commands().find(first);
  if (it == commands().end()) {
    std::cerr << "mqttspec: unknown command '" << first << "'\n\n";
    usage(std::cerr);
    return 2;
  }
  return it->second.run(std::vector<std::string>(argv + 2, argv + argc));
}

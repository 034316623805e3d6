// mqttspec: the MQTT conformance suite and network simulator. This file only picks
// the subcommand; each lives in its own file. A short flag means the same in every
// command (-b broker, -s suite, -f filter, -p protocol, -l listen, -t target, ...);
// tests/integration/cli_short_flags.sh checks it.
#include <algorithm>
#include <boost/program_options.hpp>
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
      {"analyze", {mqttspec::cli::analyze_command, "judge the MQTT connections of a capture (pcap, pcapng)"}},
      {"decode", {mqttspec::cli::decode_command, "decode MQTT packets from hex or a byte stream"}},
      {"list", {mqttspec::cli::list_command, "list the cases with their spec ids"}},
      {"record", {mqttspec::cli::record_command, "run the cases and keep each exchange as a golden trace (--traces DIR)"}},
      {"proxy", {mqttspec::cli::proxy_command, "put a simulated link in front of any broker"}},
      {"replay", {mqttspec::cli::replay_command, "re-drive a capture's clients against a broker, or write it as a scenario"}},
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

// `list` is `run --list`, whose help would describe run: list has its own, with the
// options that choose cases (the same names and short flags as run's).
bool list_help(const std::vector<std::string>& args) {
  if (std::find_if(args.begin(), args.end(), [](const auto& a) { return a == "--help" || a == "-h"; }) == args.end())
    return false;
  namespace po = boost::program_options;
  po::options_description o("mqttspec list [options]\n\n"
                            "Lists the cases the suite would run, one per line: the case id\n"
                            "(scenario@protocol) and the spec statements it checks. Nothing is run.\n\noptions");
  o.add_options()("help,h", "show this help")("suite,s", po::value<std::vector<std::string>>(),
                                             "scenario files or folders (default: the scenarios/ folder)")(
      "filter,f", po::value<std::vector<std::string>>(), "case id glob, tag:WORD or spec:MQTT-x.y.z-n (repeatable; any)")(
      "protocol,p", po::value<std::string>(), "list only 3.1.1 or 5")("shard", po::value<std::string>(),
                                                                      "list slice k of n: k/n");
  std::cout << o << "\nexample:\n  mqttspec list --filter 'will/*' --protocol 5\n";
  return true;
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
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (first == "list" && list_help(args)) return 0;
  return it->second.run(args);
}

// mqttspec run [--broker URL] [--suite PATH...] [--filter GLOB]... [options]
// mqttspec list [--suite PATH...] [--filter GLOB]...
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "harness/run/console.hpp"
#include "harness/run/discover.hpp"
#include "harness/run/json_output.hpp"
#include "harness/run/runner.hpp"
#include "harness/scenario/loader.hpp"
#include "netem/profile.hpp"
#include "reports/exit_policy.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/markdown_summary.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

namespace {

struct settings {
  std::vector<std::string> suites, filters, faults;
  std::string broker, protocol, link = "none", profile, expect, json, pcap_dir, shard;
  std::string report_dir, junit, summary, fail_on = "fail";
  bool ignore_flaky = false;
  std::uint64_t seed = 1;
  unsigned jobs = 0, repeat = 1;
  bool verbose = false, list = false, trace = false;
};

po::options_description describe(settings& s) {
  po::options_description o("options");
  o.add_options()("help,h", "show this help")(
      "broker,b", po::value(&s.broker), "mqtt://HOST:PORT of the broker to test; none: the embedded reference broker")(
      "suite,s", po::value(&s.suites)->composing(), "scenario files or folders (default: the scenarios/ folder)")(
      "filter,f", po::value(&s.filters)->composing(), "case id glob, tag:WORD or spec:MQTT-x.y.z-n (repeatable; any)")(
      "protocol,p", po::value(&s.protocol), "run only 3.1.1 or 5")(
      "link", po::value(&s.link)->default_value("none"), "a link for every client: profile and/or key=value,...")(
      "seed", po::value(&s.seed)->default_value(1), "seed of every random choice")(
      "jobs,j", po::value(&s.jobs)->default_value(0), "cases in parallel (0: one per core)")(
      "repeat", po::value(&s.repeat)->default_value(1), "run each case N times; disagreement is flaky")(
      "shard", po::value(&s.shard), "run slice k of n: k/n")(
      "profile", po::value(&s.profile), "broker profile (YAML): capabilities and limits")(
      "expect", po::value(&s.expect), "expectations file (YAML): known failures with reasons")(
      "fault", po::value(&s.faults)->composing(), "break a rule in the embedded broker (see mqttspec broker --list-faults)")(
      "json", po::value(&s.json), "write every result to this JSON file")(
      "pcap", po::value(&s.pcap_dir), "write one pcap per case into this folder")(
      "report", po::value(&s.report_dir), "write the HTML report DIR/index.html, with a pcap per case in DIR/pcap")(
      "junit", po::value(&s.junit), "write JUnit XML (for the test views of GitHub, GitLab, Jenkins)")(
      "summary", po::value(&s.summary), "append a Markdown summary (default: $GITHUB_STEP_SUMMARY when set)")(
      "fail-on", po::value(&s.fail_on)->default_value("fail"), "exit 1 on: fail (and error, flaky) or non-strict (too)")(
      "ignore-flaky", po::bool_switch(&s.ignore_flaky), "flaky cases do not fail the run")(
      "list", po::bool_switch(&s.list), "list the cases instead of running them")(
      "verbose,v", po::bool_switch(&s.verbose), "one line per case, and known failures too")(
      "trace", po::bool_switch(&s.trace), "print every packet of every case, decoded, with its time");
  return o;
}

std::string default_suite() {
  if (const char* env = std::getenv("MQTTSPEC_SCENARIOS")) return env;
  return MQTTSPEC_SCENARIO_DIR;
}

std::string now_iso() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// --json, --report, --junit, --summary: each from the same document; a writer that
// fails says so and the run goes on.
void write_reports(const settings& s, const std::vector<run::case_result>& results, const run::run_info& info,
                   const reports::exit_policy& policy) {
  const auto doc = reports::sanitized(run::to_json(results, info));
  std::vector<std::string> problems;
  if (!s.json.empty())
    if (auto e = run::write_json(s.json, results, info); !e.empty()) problems.push_back(e);
  if (!s.report_dir.empty()) {
    if (auto e = reports::write_html(s.report_dir, {doc}, {}); !e.empty()) problems.push_back(e);
    else std::printf("report: %s/index.html\n", s.report_dir.c_str());
  }
  if (!s.junit.empty())
    if (auto e = reports::write_junit(s.junit, doc, policy); !e.empty()) problems.push_back(e);
  if (!s.summary.empty())
    if (auto e = reports::append_summary(s.summary, doc, policy); !e.empty()) problems.push_back(e);
  for (const auto& p : problems) std::cerr << "mqttspec run: " << p << "\n";
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  settings s;
  auto opts = describe(s);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "mqttspec run: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "mqttspec run [options]\n\nRuns the conformance scenarios against the embedded reference broker "
                 "(virtual time)\nor against a broker URL (real time, through the netem proxy).\n\n"
              << opts << "\nexit status: 0 all as expected, 1 an unexpected result (see --fail-on), 2 usage or input error\n";
    return 0;
  }
  const auto usage = [](const std::string& m) {
    std::cerr << "mqttspec run: " << m << "\n";
    return 2;
  };
  run::run_options o;
  o.seed = s.seed;
  o.filters = s.filters;
  o.repeat = std::max(1u, s.repeat);
  o.jobs = s.jobs ? s.jobs : std::max(1u, std::thread::hardware_concurrency());
  reports::exit_policy policy;
  policy.ignore_flaky = s.ignore_flaky;
  if (!reports::parse_fail_on(s.fail_on, policy)) return usage("--fail-on must be fail or non-strict");
  // The report links every case's pcap: --report implies captures beside it.
  if (!s.report_dir.empty() && s.pcap_dir.empty()) s.pcap_dir = (std::filesystem::path(s.report_dir) / "pcap").string();
  if (s.summary.empty())
    if (const char* gh = std::getenv("GITHUB_STEP_SUMMARY"); gh && *gh) s.summary = gh;
  o.pcap_dir = s.pcap_dir;
  if (!s.protocol.empty()) {
    if (s.protocol == "5" || s.protocol == "5.0") o.protocol = mqtt::protocol_version::v5;
    else if (s.protocol == "3.1.1") o.protocol = mqtt::protocol_version::v311;
    else return usage("--protocol must be 3.1.1 or 5");
  }
  if (!s.shard.empty()) {
    unsigned k = 0, n = 0;
    if (std::sscanf(s.shard.c_str(), "%u/%u", &k, &n) != 2 || k < 1 || k > n) return usage("--shard must be k/n with 1 <= k <= n");
    o.shard = k, o.shards = n;
  }
  auto link = netem::parse_link(s.link);
  if (!link.error.empty()) return usage("--link: " + link.error);
  o.link = link.specs;
  for (const auto& f : s.faults) {
    auto fault = mqtt::broker::parse_fault(f);
    if (!fault) return usage("unknown fault '" + f + "' (see mqttspec broker --list-faults)");
    if (!s.broker.empty()) return usage("--fault applies to the embedded broker only");
    o.embedded.faults.insert(*fault);
  }
  run::broker_profile profile;
  if (!s.profile.empty())
    if (auto e = run::load_profile(s.profile, profile); !e.empty()) return usage(e);
  std::vector<run::expectation> expected;
  if (!s.expect.empty())
    if (auto e = run::load_expectations(s.expect, expected); !e.empty()) return usage(e);
  if (!s.broker.empty() && s.profile.empty()) profile.name = "no profile";
  if (!s.broker.empty()) {
    std::string hp = s.broker;
    if (hp.starts_with("mqtt://")) hp = hp.substr(7);
    else if (hp.find("://") != std::string::npos) return usage("only mqtt:// brokers are supported so far");
    o.broker = hp;
  }
  if (!s.pcap_dir.empty()) std::filesystem::create_directories(s.pcap_dir);

  auto loaded = scenario::load_paths(s.suites.empty() ? std::vector<std::string>{default_suite()} : s.suites);
  for (const auto& p : loaded.problems) std::cerr << to_string(p) << "\n";
  if (!loaded.problems.empty()) return usage(std::to_string(loaded.problems.size()) + " problems in the scenarios");
  const auto cases = run::plan(loaded.scenarios, o);
  if (s.list) {
    for (const auto& c : cases) {
      std::cout << c.id;
      if (auto it = c.source->spec.find(c.version); it != c.source->spec.end())
        for (const auto& id : it->second) std::cout << " " << id;
      std::cout << "\n";
    }
    std::cout << cases.size() << " cases\n";
    return 0;
  }
  if (cases.empty()) return usage("no case matches the filters");

  std::string target = "embedded reference broker (virtual time)";
  if (o.broker) {
    auto d = run::discover(*o.broker);
    if (!d.error.empty()) {
      std::cerr << "mqttspec run: " << d.error << "\n";
      return 1;  // the environment failed: every case would be an error
    }
    for (const auto& [k, v] : d.capabilities)
      if (!profile.capabilities.count(k)) profile.capabilities[k] = v;
    o.slack_s = 0.25 + 3 * d.rtt_ms / 1000;
    target = *o.broker + " (" + profile.name + "; " + d.connack + ")";
  }
  o.missing_capabilities = profile.missing();
  std::string reproduce = "mqttspec run --seed " + std::to_string(o.seed);
  if (o.broker) reproduce += " --broker mqtt://" + *o.broker;
  for (const auto& f : s.faults) reproduce += " --fault " + f;
  if (s.link != "none") reproduce += " --link '" + s.link + "'";
  std::printf("mqttspec: %zu cases against %s, seed %llu, %u jobs\n", cases.size(), target.c_str(),
              static_cast<unsigned long long>(o.seed), o.jobs);
  run::console out(stdout, s.verbose, reproduce);
  const std::string started = now_iso();
  const auto start = std::chrono::steady_clock::now();
  auto results = run::run_cases(cases, o, [&](std::size_t done, std::size_t total, const run::case_result& r) {
    out.progress(done, total, r);
    if (s.trace) std::fputs(run::packet_trace(r).c_str(), stdout);
  });
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.summary(results, expected, wall);
  if (!s.json.empty() || !s.report_dir.empty() || !s.junit.empty() || !s.summary.empty()) {
    run::run_info info;
    info.broker = target;
    info.profile = profile.name;
    info.capabilities = profile.capabilities;
    info.limits = profile.limits;
    for (const auto& c : cases) {
      const std::string v = c.version == mqtt::protocol_version::v5 ? "5" : "3.1.1";
      if (std::find(info.protocols.begin(), info.protocols.end(), v) == info.protocols.end()) info.protocols.push_back(v);
    }
    info.faults = s.faults;
    info.link = s.link;
    info.seed = o.seed;
    info.wall_s = wall;
    info.started = started;
    info.command = reproduce;
    info.virtual_time = !o.broker;
    for (const auto& r : results)
      if (const auto* e = run::expected_for(expected, r)) info.known[r.id] = e->reason;
    write_reports(s, results, info, policy);
  }
  // The exit status follows the policy; results listed in the expectations file never fail the run.
  for (const auto& r : results)
    if (reports::fails_run(run::to_string(r.outcome), policy) && !run::expected_for(expected, r)) return 1;
  return 0;
}

int list_command(const std::vector<std::string>& args) {
  auto with_list = args;
  with_list.push_back("--list");
  return run_command(with_list);
}

}  // namespace mqttspec::cli

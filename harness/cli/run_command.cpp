// mqttspec run [--broker URL] [--suite PATH...] [--filter GLOB]... [options]
// mqttspec list [--suite PATH...] [--filter GLOB]...
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>
#include <unistd.h>

#include "broker_url.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "run_main.hpp"
#include "run_traces.hpp"
#include "suite_path.hpp"
#include "harness/run/console.hpp"
#include "harness/run/cleanup.hpp"
#include "harness/run/discover.hpp"
#include "harness/run/executor.hpp"
#include "harness/run/expectations.hpp"
#include "harness/run/profile.hpp"
#include "harness/run/stop.hpp"
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
  std::string username, password;
  bool ignore_flaky = false, strict_expect = false, no_cleanup = false;
  std::uint64_t seed = 1;
  unsigned jobs = 0, repeat = 1;
  bool verbose = false, list = false, trace = false;
  std::string traces;  // run: compare with the golden traces here; record: write them here
  bool traces_strict = false;
  double time_tolerance_s = -1;  // --traces: < 0, times not compared
  bool record = false;           // mqttspec record
};

po::options_description describe(settings& s) {
  po::options_description o("options");
  o.add_options()("help,h", "show this help")(
      "broker,b", po::value(&s.broker), "mqtt://[USER[:PASS]@]HOST:PORT of the broker to test; none: the embedded reference broker")(
      "username,u", po::value(&s.username), "user name of every client (default: $MQTTSPEC_USERNAME); a case's own wins")(
      "password", po::value(&s.password), "password of every client (default: $MQTTSPEC_PASSWORD); never printed")(
      "suite,s", po::value(&s.suites)->composing(), "scenario files or folders (default: the scenarios/ folder)")(
      "filter,f", po::value(&s.filters)->composing(), "case id glob, tag:WORD or spec:MQTT-x.y.z-n (repeatable; any)")(
      "protocol,p", po::value(&s.protocol), "run only 3.1.1 or 5")(
      "link", po::value(&s.link)->default_value("none"), "a link for every client: profile and/or key=value,...")(
      "seed", po::value(&s.seed)->default_value(1), "seed of every random choice")(
      "jobs,j", po::value(&s.jobs)->default_value(0), "cases in parallel (0: one per core, or 16 against a broker URL)")(
      "repeat", po::value(&s.repeat)->default_value(1), "run each case N times; disagreement is flaky")(
      "shard", po::value(&s.shard), "run slice k of n: k/n")(
      "profile", po::value(&s.profile), "broker profile (YAML): capabilities and limits")(
      "expect", po::value(&s.expect), "expectations file (YAML): known results with reasons")(
      "strict-expect", po::bool_switch(&s.strict_expect), "a listed case that passes fails the run (the entry has rotted)")(
      "no-cleanup", po::bool_switch(&s.no_cleanup), "leave the retained messages and sessions of the cases on the broker")(
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
      "trace", po::bool_switch(&s.trace), "print every packet of every case, decoded, with its time")(
      "traces", po::value(&s.traces),
      "compare every case's exchange with its golden trace in DIR (record: write them there)")(
      "traces-strict", po::bool_switch(&s.traces_strict), "a case whose exchange differs from its golden trace fails")(
      "time-tolerance", po::value(&s.time_tolerance_s),
      "--traces: packets more than S seconds off their trace's time (from the connection's first packet) differ");
  return o;
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
    if (auto e = reports::write_run(s.json, doc); !e.empty()) problems.push_back(e);
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

// Exit status: see the help text and docs/ci.md.
constexpr int exit_unexpected = 1, exit_usage = 2, exit_broker = 3;

std::string env_or(const std::string& given, const char* name) {
  if (!given.empty()) return given;
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The command line that reruns this run's cases; never the password.
std::string reproduce_command(const settings& s, const run::run_options& o, const broker_url& b) {
  std::string r = "mqttspec run --seed " + std::to_string(o.seed);
  if (o.broker) r += " --broker " + shown(b);
  for (const auto& suite : s.suites) r += " --suite " + shown_path(suite);
  if (!s.profile.empty()) r += " --profile " + shown_path(s.profile);
  if (!s.expect.empty()) r += " --expect " + shown_path(s.expect);
  for (const auto& f : s.faults) r += " --fault " + f;
  if (s.link != "none") r += " --link '" + s.link + "'";
  if (!s.record && !s.traces.empty()) {
    r += " --traces " + shown_path(s.traces);
    if (s.traces_strict) r += " --traces-strict";
    if (s.time_tolerance_s >= 0) r += " --time-tolerance " + run::format_s(s.time_tolerance_s);
  }
  return r;
}

}  // namespace

int run_main(const std::vector<std::string>& args, const run_mode& m) {
  const bool record = m.record;
  const char* const name = m.name;
  // A CI log shows progress as the run goes, not when the buffer fills.
  if (!isatty(STDOUT_FILENO)) std::setvbuf(stdout, nullptr, _IOLBF, 0);
  settings s;
  s.record = record;
  auto opts = describe(s);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return exit_usage;
  }
  if (vm.count("help")) {
    std::cout << (!m.help.empty() ? m.help
                  : record ? "mqttspec record --traces DIR [options]\n\nRuns the conformance scenarios like run and "
                           "keeps each case's exchange in DIR as its\ngolden trace (a pcap per case and index.json); "
                           "run --traces DIR compares with them.\n\n"
                         : "mqttspec run [options]\n\nRuns the conformance scenarios against the embedded reference "
                           "broker (virtual time)\nor against a broker URL (real time, through the netem proxy).\n\n")
              << opts
              << "\nexit status:\n"
                 "  0    every result as expected\n"
                 "  1    an unexpected result (see --fail-on, --strict-expect)\n"
                 "  2    usage or input error (options, scenarios, profile, expectations)\n"
                 "  3    the broker could not be tested: unreachable, refused the credentials, or stopped answering\n"
                 "  130  interrupted by SIGINT, 143 by SIGTERM: the reports hold what ran\n";
    return 0;
  }
  const auto usage = [name](const std::string& m) {
    std::cerr << name << ": " << m << "\n";
    return exit_usage;
  };
  run::run_options o;
  o.seed = s.seed;
  o.filters = s.filters;
  o.repeat = std::max(1u, s.repeat);
  reports::exit_policy policy;
  policy.ignore_flaky = s.ignore_flaky;
  if (!reports::parse_fail_on(s.fail_on, policy)) return usage("--fail-on must be fail or non-strict");
  // The report links every case's pcap: --report implies captures beside it.
  if (!s.report_dir.empty() && s.pcap_dir.empty()) s.pcap_dir = (std::filesystem::path(s.report_dir) / "pcap").string();
  if (s.summary.empty())
    if (const char* gh = std::getenv("GITHUB_STEP_SUMMARY"); gh && *gh) s.summary = gh;
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
  broker_url url;
  if (!s.broker.empty()) {
    if (auto e = parse_broker_url(s.broker, url); !e.empty()) return usage(e);
    if (s.profile.empty()) profile.name = "no profile";
    o.broker = url.host_port;
    o.max_silent = 3;
  }
  if (auto u = env_or(s.username, "MQTTSPEC_USERNAME"); !u.empty()) url.username = u;
  if (auto p = env_or(s.password, "MQTTSPEC_PASSWORD"); !p.empty()) url.password = p;
  o.username = url.username, o.password = url.password;
  o.jobs = s.jobs ? s.jobs : o.broker ? 16 : std::max(1u, std::thread::hardware_concurrency());
  // Golden traces: record writes each case's pcap there; run compares with them, on
  // pcaps of its own (in a scratch folder unless --pcap says where).
  std::optional<std::filesystem::path> scratch;
  if (record) {
    if (s.traces.empty()) return usage("--traces DIR says where to write the traces");
    s.pcap_dir = s.traces;
  } else if ((m.needs_pcaps || !s.traces.empty()) && s.pcap_dir.empty()) {
    scratch = std::filesystem::temp_directory_path() / ("mqttspec-traces-" + std::to_string(::getpid()));
    s.pcap_dir = scratch->string();
  }
  struct remove_scratch {
    const std::optional<std::filesystem::path>& dir;
    ~remove_scratch() {
      std::error_code ec;
      if (dir) std::filesystem::remove_all(*dir, ec);
    }
  } cleanup_scratch{scratch};
  o.pcap_dir = s.pcap_dir;
  if (!s.pcap_dir.empty()) std::filesystem::create_directories(s.pcap_dir);

  scenario::load_result own;
  if (!m.suite) own = scenario::load_paths(s.suites.empty() ? std::vector<std::string>{default_suite()} : s.suites);
  const auto& loaded = m.suite ? *m.suite : own;
  for (const auto& p : loaded.problems) std::cerr << to_string(p) << "\n";
  if (!loaded.problems.empty()) return usage(std::to_string(loaded.problems.size()) + " problems in the scenarios");
  // An entry that names no case of the suite is a typo or a removed case.
  {
    std::vector<std::string> ids;
    for (const auto& c : run::plan(loaded.scenarios, {})) ids.push_back(c.id);
    const auto stale = run::unmatched(expected, ids);
    for (const auto& e : stale) std::cerr << e << "\n";
    if (!stale.empty()) return usage(std::to_string(stale.size()) + " expectations match no case");
  }
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
    auto d = run::discover(*o.broker, {o.username, o.password});
    if (!d.error.empty()) {
      std::cerr << name << ": " << d.error << "\n";
      return exit_broker;  // the environment failed: every case would be an error
    }
    for (const auto& [k, v] : d.capabilities)
      if (!profile.capabilities.count(k)) profile.capabilities[k] = v;
    o.refused_versions = d.refused;
    for (const auto& [v, why] : d.refused)
      std::printf("mqttspec: the broker refuses MQTT %s (%s): those cases are skipped\n",
                  v == mqtt::protocol_version::v5 ? "5.0" : "3.1.1", why.c_str());
    o.slack_s = 0.25 + 3 * d.rtt_ms / 1000;
    target = shown(url) + " (" + profile.name + "; " + d.connack + ")";
  }
  o.missing_capabilities = profile.missing();
  const std::string reproduce = m.reproduce.empty() ? reproduce_command(s, o, url) : m.reproduce;
  std::printf("mqttspec: %zu cases against %s, seed %llu, %u jobs\n", cases.size(), target.c_str(),
              static_cast<unsigned long long>(o.seed), o.jobs);
  run::console out(stdout, s.verbose, reproduce);
  const std::string started = now_iso();
  const auto start = std::chrono::steady_clock::now();
  run::reset_stop();
  catch_interrupts();
  auto results = run::run_cases(cases, o, [&](std::size_t done, std::size_t total, const run::case_result& r) {
    out.progress(done, total, r);
    if (s.trace) std::fputs(run::packet_trace(r).c_str(), stdout);
  });
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto stopped = run::stop_requested();
  for (auto& r : results) r.file = shown_path(r.file);
  if (!record && !s.traces.empty()) {
    traces::compare_options compare;
    if (s.time_tolerance_s >= 0)
      compare.time_tolerance = std::chrono::microseconds(static_cast<std::int64_t>(s.time_tolerance_s * 1e6));
    compare_traces(results, s.traces, compare, s.traces_strict);
  }
  if (m.judge) m.judge(results);
  if (scratch)  // read by the comparison above, gone when the command ends: not worth naming
    for (auto& r : results) r.pcap.clear();
  out.summary(results, expected, wall);
  if (m.report) m.report(results);
  if (record) {
    if (auto e = write_trace_index(results, s.traces); !e.empty()) std::cerr << name << ": " << e << "\n";
    std::printf("traces: %zu written to %s\n", results.size(), s.traces.c_str());
  } else if (!s.traces.empty()) {
    print_traces(results);
  }
  // What the cases left on the broker; a failure to clean up is a warning: the verdicts stand.
  if (o.broker && !s.no_cleanup && stopped != run::stop_reason::broker_silent) {
    const auto c = run::clean_up_after(o, results);
    std::printf("cleanup: %zu retained topics and %zu sessions cleared\n", c.retained_cleared, c.sessions_cleared);
    if (!c.error.empty()) std::fprintf(stderr, "%s: warning: cleanup: %s\n", name, c.error.c_str());
  }
  if (stopped == run::stop_reason::interrupted)
    std::printf("interrupted: the cases that did not run are marked \"not run\"\n");
  if (stopped == run::stop_reason::broker_silent)
    std::printf("the broker stopped answering CONNECT (%u cases in a row): the rest of the cases did not run\n",
                o.max_silent);
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
    if (stopped == run::stop_reason::interrupted) info.stopped = "interrupted";
    if (stopped == run::stop_reason::broker_silent) info.stopped = "broker stopped answering";
    for (const auto& r : results)
      if (const auto* e = run::expected_for(expected, r)) info.known[r.id] = e->reason;
    write_reports(s, results, info, policy);
  }
  if (int sig = interrupted_by()) return 128 + sig;
  if (stopped == run::stop_reason::broker_silent) return exit_broker;
  if (s.strict_expect && out.unexpected_passes()) return exit_unexpected;
  // The exit status follows the policy; results listed in the expectations file never fail the run.
  for (const auto& r : results)
    if (reports::fails_run(run::to_string(r.outcome), policy) && !run::expected_for(expected, r)) return exit_unexpected;
  return 0;
}

int run_command(const std::vector<std::string>& args) { return run_main(args, {}); }
int record_command(const std::vector<std::string>& args) {
  run_mode m;
  m.name = "mqttspec record";
  m.record = true;
  return run_main(args, m);
}

int list_command(const std::vector<std::string>& args) {
  auto with_list = args;
  with_list.push_back("--list");
  return run_command(with_list);
}

}  // namespace mqttspec::cli

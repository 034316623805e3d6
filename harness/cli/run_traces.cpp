#include "run_traces.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/traces/trace_file.hpp"

namespace mqttspec::cli {

void compare_traces(std::vector<run::case_result>& results, const std::string& dir, traces::compare_options o,
                    bool strict) {
  const auto options = traces::namespace_blind(std::move(o));
  for (auto& r : results) {
    if (r.pcap.empty()) continue;  // not run
    const auto golden = std::filesystem::path(dir) / std::filesystem::path(r.pcap).filename();
    if (!std::filesystem::exists(golden)) {
      r.trace = "no trace";
      r.trace_differences = {"no golden trace " + golden.string()};
    } else {
      const auto recorded = traces::read_trace(golden.string());
      const auto observed = traces::read_trace(r.pcap);
      if (!recorded.error.empty()) r.trace_differences.push_back("golden trace: " + recorded.error);
      if (!observed.error.empty()) r.trace_differences.push_back("this run's trace: " + observed.error);
      for (auto& d : traces::compare_files(recorded, observed, options)) r.trace_differences.push_back(std::move(d));
      r.trace = r.trace_differences.empty() ? "same" : "differs";
    }
    if (!strict || r.trace == "same") continue;
    run::failure f;
    f.where = "golden trace " + golden.string();
    f.message = r.trace == "no trace" ? "no golden trace to compare with" : "the exchange differs from its golden trace";
    f.actual = r.trace_differences.front();
    r.failures.push_back(std::move(f));
    if (r.outcome == run::verdict::pass || r.outcome == run::verdict::non_strict) r.outcome = run::verdict::fail;
  }
}

void print_traces(const std::vector<run::case_result>& results) {
  std::size_t same = 0, differ = 0, missing = 0;
  for (const auto& r : results) {
    same += r.trace == "same";
    differ += r.trace == "differs";
    missing += r.trace == "no trace";
  }
  std::printf("traces: %zu same, %zu differ, %zu without a trace\n", same, differ, missing);
  for (const auto& r : results) {
    if (r.trace.empty() || r.trace == "same") continue;
    std::printf("  %s: %s\n", r.id.c_str(), r.trace.c_str());
    const std::size_t shown = std::min<std::size_t>(r.trace_differences.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) std::printf("    %s\n", r.trace_differences[i].c_str());
    if (r.trace_differences.size() > shown)
      std::printf("    ... %zu more (--json has them all)\n", r.trace_differences.size() - shown);
  }
}

std::string write_trace_index(const std::vector<run::case_result>& results, const std::string& dir) {
  nlohmann::ordered_json index;
  index["mqttspec"] = "traces";
  auto& cases = index["cases"] = nlohmann::ordered_json::array();
  for (const auto& r : results) {
    if (r.pcap.empty()) continue;
    cases.push_back({{"id", r.id},
                     {"trace", std::filesystem::path(r.pcap).filename().string()},
                     {"seed", r.seed},
                     {"verdict", std::string(run::to_string(r.outcome))}});
  }
  const auto path = std::filesystem::path(dir) / "index.json";
  std::ofstream out(path);
  out << index.dump(2) << "\n";
  return out ? "" : "cannot write " + path.string();
}

}  // namespace mqttspec::cli

// The run behind `run`, `record` and `replay`: one option set, one runner, one set of
// reports. record keeps each case's pcap as its golden trace; replay runs the scenario
// a capture became and judges the run against the capture.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/run/result.hpp"
#include "harness/scenario/loader.hpp"

namespace mqttspec::cli {

struct run_mode {
  const char* name = "mqttspec run";
  bool record = false;
  std::string help;       // what the command does, for --help; "" for run's
  std::string reproduce;  // the command that reruns it; "" for run's
  /// Keep each case's pcap (in a scratch folder unless --pcap says where): `judge` reads them.
  bool needs_pcaps = false;
  /// The scenarios to run, already loaded (replay); null: --suite, or the default suite.
  const scenario::load_result* suite = nullptr;
  /// After the run, before the summary: may replace the results.
  std::function<void(std::vector<run::case_result>&)> judge;
  /// After the summary.
  std::function<void(const std::vector<run::case_result>&)> report;
};

int run_main(const std::vector<std::string>& args, const run_mode& m);

}  // namespace mqttspec::cli

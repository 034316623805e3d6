// Plans and runs cases: filters, shards, repeats, parallel workers, and the driver
// each case runs on (the embedded broker in virtual time, or a broker URL).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/model.hpp"
#include "reference/broker/config.hpp"
#include "result.hpp"

namespace mqttspec::run {

struct run_options {
  std::optional<std::string> broker;  // HOST:PORT of a real broker; nullopt: the embedded one
  std::vector<std::string> filters;   // id globs, "tag:WORD", "spec:MQTT-x.y.z-n"; any may match
  std::optional<mqtt::protocol_version> protocol;
  std::vector<netem::impairment_spec> link;  // added to every client's link
  std::uint64_t seed = 1;
  unsigned jobs = 1;
  unsigned repeat = 1;
  unsigned shard = 1, shards = 1;  // run the k-th of n slices (1-based)
  std::string pcap_dir;            // "" : no captures
  mqtt::broker::config embedded;   // the embedded broker's settings and faults
  std::vector<std::string> missing_capabilities;  // from the broker profile: cases requiring them are skipped
  double slack_s = 0;              // real time: extra width of every window
  std::optional<std::string> username, password;  // for every client whose scenario names none
  std::map<mqtt::protocol_version, std::string> refused_versions;  // refused at discovery: why
  unsigned max_silent = 0;  // real brokers: this many cases in a row without a CONNACK end the run (0: never)
};

/// The cases to run, in a stable order.
std::vector<scenario::test_case> plan(const std::vector<scenario::scenario>& all, const run_options& o);

/// Does `pattern` (with * and ?) match `text`?
bool glob(std::string_view pattern, std::string_view text);

/// Runs the planned cases; `progress(done, total, last)` after each. Cases with fixed
/// client ids or topics (`namespace: false`) run alone, after the others, so no other
/// case can take over their sessions or see their messages. A stop (see stop.hpp)
/// ends the cases in flight and leaves the rest "not run".
std::vector<case_result> run_cases(const std::vector<scenario::test_case>& cases, const run_options& o,
                                   const std::function<void(std::size_t, std::size_t, const case_result&)>& progress);

/// The worst of several samples of one case, with a note of them all in its reason.
case_result worst_of(std::vector<case_result> samples);

/// The seed of one case: from the run's seed and the case id, so it does not change
/// when other cases are filtered out. Below 2^53, so JSON readers keep it exact.
std::uint64_t case_seed(std::uint64_t run_seed, std::string_view case_id);
/// The low `digits` base-36 digits of `x`: short names for namespaces.
std::string base36(std::uint64_t x, std::size_t digits);

}  // namespace mqttspec::run

// Every check is shown to fail: the whole suite passes on the reference broker, each
// row of scenarios/faults.tsv fails under its fault citing its statement (or gets the
// verdict its fifth column names: non-strict for a MUST met late), and every
// case fails under at least one fault — a case no broken broker can fail checks nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "harness/run/runner.hpp"
#include "harness/scenario/loader.hpp"

namespace mqttspec::run {
namespace {

const scenario::load_result& suite() {
  static const auto loaded = scenario::load_paths({std::string(MQTTSPEC_SOURCE_DIR) + "/scenarios"});
  return loaded;
}

std::vector<case_result> run_with(const std::vector<std::string>& filters, std::optional<mqtt::broker::fault> f) {
  run_options o;
  o.filters = filters;
  o.jobs = 2;
  if (f) o.embedded.faults.insert(*f);
  return run_cases(plan(suite().scenarios, o), o, {});
}

struct row {
  std::string case_id, protocol, fault, spec_id, verdict;  // verdict: "" means fail
};

std::vector<row> rows() {
  std::vector<row> out;
  std::ifstream in(std::string(MQTTSPEC_SOURCE_DIR) + "/scenarios/faults.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    row r;
    std::getline(fields, r.case_id, '\t');
    std::getline(fields, r.protocol, '\t');
    std::getline(fields, r.fault, '\t');
    std::getline(fields, r.spec_id, '\t');
    std::getline(fields, r.verdict, '\t');
    if (!r.case_id.empty()) out.push_back(r);
  }
  return out;
}

TEST(suite, loads_without_problems_and_passes_on_the_reference_broker) {
  ASSERT_TRUE(suite().problems.empty()) << scenario::to_string(suite().problems.front());
  const auto results = run_with({}, std::nullopt);
  ASSERT_GE(results.size(), 60u);
  for (const auto& r : results) EXPECT_EQ(r.outcome, verdict::pass) << r.id << ": " << r.reason;
}

class fault_row : public testing::TestWithParam<row> {};

TEST_P(fault_row, fails_citing_the_statement_it_breaks) {
  const auto& r = GetParam();
  const auto f = mqtt::broker::parse_fault(r.fault);
  ASSERT_TRUE(f) << "unknown fault " << r.fault;
  const auto results = run_with({r.case_id + "@" + r.protocol}, *f);
  ASSERT_EQ(results.size(), 1u) << "no case " << r.case_id << "@" << r.protocol;
  EXPECT_EQ(to_string(results[0].outcome), r.verdict.empty() ? "fail" : r.verdict);
  bool cited = false;
  for (const auto& x : results[0].failures)
    for (const auto& id : x.spec_ids) cited |= id == r.spec_id;
  EXPECT_TRUE(cited) << r.spec_id << " is not among the failures' statements";
}

INSTANTIATE_TEST_SUITE_P(faults_tsv, fault_row, testing::ValuesIn(rows()), [](const auto& info) {
  std::string name = info.param.case_id + "_" + info.param.protocol + "_" + info.param.fault;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name + "_" + std::to_string(info.index);
});

TEST(faults, every_fault_has_a_row) {
  std::set<std::string> named;
  for (const auto& r : rows()) named.insert(r.fault);
  for (const auto& f : mqtt::broker::all_faults()) EXPECT_TRUE(named.count(std::string(f.name))) << f.name;
}

// Failing is not enough: a fault that breaks CONNACK fails every case. Each case must fail
// under some fault for one of the statements it cites itself.
TEST(faults, every_case_fails_under_some_fault_citing_its_own_statement) {
  std::set<std::string> all, failed;
  for (const auto& r : run_with({}, std::nullopt)) all.insert(r.id);
  for (const auto& f : mqtt::broker::all_faults())
    for (const auto& r : run_with({}, f.f)) {
      if (r.outcome != verdict::fail) continue;
      const std::set<std::string> own(r.spec_ids.begin(), r.spec_ids.end());
      for (const auto& x : r.failures)
        for (const auto& id : x.spec_ids)
          if (own.count(id)) failed.insert(r.id);
    }
  for (const auto& id : all)
    EXPECT_TRUE(failed.count(id)) << id << " fails under no fault for a statement it cites: it cannot be shown to fail";
}

}  // namespace
}  // namespace mqttspec::run

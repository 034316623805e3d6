// What a run prints: one progress line that updates in place on a terminal (plain
// lines otherwise), the details of every failure, and the summary last.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "expectations.hpp"
#include "result.hpp"

namespace mqttspec::run {

class console {
 public:
  /// `reproduce` is the command line prefix that reruns a case: it gets --filter ID.
  console(std::FILE* out, bool verbose, std::string reproduce);

  void progress(std::size_t done, std::size_t total, const case_result& last);
  /// Details of what did not pass, then the summary. Returns the number of
  /// unexpected results (those not listed in `expected`).
  std::size_t summary(const std::vector<case_result>& results, const std::vector<expectation>& expected,
                      double wall_s);
  /// Passes of cases the expectations file lists as not passing, found by summary().
  std::size_t unexpected_passes() const { return unexpected_passes_; }

 private:
  std::FILE* out_;
  bool tty_, verbose_;
  std::string reproduce_;
  std::size_t counts_[6] = {};
  std::size_t unexpected_passes_ = 0;
};

/// Every field of a failed case, for the console and the reports.
std::string details(const case_result& r);
/// Every packet of the case, one line each: time, client, direction, decoded form.
std::string packet_trace(const case_result& r);

}  // namespace mqttspec::run

// Feeds a finished case's packets, connection ends and link cuts to the invariant
// checkers (harness/checks), and returns what they found.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "case_client.hpp"
#include "harness/checks/checks.hpp"

namespace mqttspec::run {

/// A link cut or restored for one client, as the steps did it.
struct cut_event {
  timestamp at;
  std::string client;
  bool blackhole;  // false: restored
};

/// `harness_closed_at`: when the harness closed the clients still connected at the
/// case's end. Those closes are the end of the case, not clients leaving: a subscriber
/// closed then was still there for a will owed to it.
std::vector<checks::violation> check_invariants(const std::vector<std::unique_ptr<case_client>>& clients,
                                                const std::vector<link_event>& link_events,
                                                const std::vector<cut_event>& cuts, const checks::options& o,
                                                timestamp end, timestamp harness_closed_at);

/// Slack for the timing rules, from the case's link: a lossy or slow link needs more.
checks::options check_options(const std::vector<netem::impairment_spec>& link);

}  // namespace mqttspec::run

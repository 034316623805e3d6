// Leaving a real broker clean after a run: the retained messages the cases published
// are cleared, and the sessions their client ids left behind are ended, so the next
// run (or the broker's other users) find nothing of this one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "reference/codec/types.hpp"
#include "result.hpp"
#include "runner.hpp"

namespace mqttspec::run {

struct cleanup_target {
  std::string host_port;           // "127.0.0.1:1883"
  mqtt::protocol_version version;  // a version the broker accepts
  std::optional<std::string> username, password;  // for the cleanup client
};

struct cleanup_report {
  std::size_t retained_cleared = 0;  // topics whose empty retained PUBLISH was acknowledged
  std::size_t sessions_cleared = 0;  // client ids whose clean CONNECT was accepted
  std::string error;                 // "" when everything went
};

/// Clears each retained topic (PUBLISH retain=1 with an empty payload, QoS 1, over one
/// connection, pipelined, each PUBACK awaited) and ends each client id's session
/// (CONNECT with clean session / clean start and session expiry 0, then DISCONNECT),
/// a few ids at a time. Topics with wildcards and empty topics or ids are skipped;
/// duplicates are done once. A refusal for one id is reported and the rest go on.
/// Gives up, and says so in `error`, once the broker has answered nothing for
/// `timeout_s`: a hung broker costs at most that.
cleanup_report clean_broker(const cleanup_target& t, const std::vector<std::string>& retained_topics,
                            const std::vector<std::string>& client_ids, double timeout_s = 5);

/// After a run against a real broker: what its cases (every repeat and sample) left.
cleanup_report clean_up_after(const run_options& o, const std::vector<case_result>& results);

}  // namespace mqttspec::run

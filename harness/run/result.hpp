// What a case run produced: the verdict, why, and everything a report shows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "driver.hpp"
#include "reference/codec/types.hpp"

namespace mqttspec::run {

enum class verdict : std::uint8_t { pass, fail, non_strict, skipped, error, flaky };
std::string_view to_string(verdict v);

/// One broken expectation: what was expected, what came, and the rule.
struct failure {
  std::string where;     // "file.yaml:14:5 step 4 (watcher: expect publish)"
  std::string message;   // "payload differs"
  std::string expected;  // the expectation, written out
  std::string actual;    // the packet(s) that came, decoded
  std::string actual_hex;
  std::vector<std::string> spec_ids;
  bool should = false;  // a SHOULD or a non-preferred outcome: non-strict, not fail
};

struct step_record {
  std::string text;  // "watcher: expect publish"
  timestamp started{0}, ended{0};
  bool ok = true;
};

/// One packet of the case, for the sequence diagram.
struct packet_record {
  timestamp at;
  std::string client;
  std::uint64_t connection;
  bool from_broker;
  std::string text;  // decoded, one line
  std::string hex;
};

struct case_result {
  std::string id;
  std::string title;
  std::string file;
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  std::vector<std::string> tags;
  std::vector<std::string> spec_ids;
  verdict outcome = verdict::pass;
  std::string reason;  // skipped: the missing capability; error: what failed
  std::vector<failure> failures;
  std::vector<step_record> steps;
  std::vector<packet_record> packets;
  std::vector<link_event> link_events;
  std::uint64_t seed = 0;
  timestamp duration{0};  // on the case's clock (virtual or real)
  double wall_ms = 0;
  std::string pcap;  // path, when captured
  // --traces: "same", "differs" or "no trace", and how it differs from its golden trace.
  std::string trace;
  std::vector<std::string> trace_differences;
  bool broker_silent = false;  // a CONNECT got no answer, or the broker could not be reached
  // What the case may leave on a broker: topics it published retained, client ids it used.
  std::vector<std::string> retained_topics, client_ids;
};

}  // namespace mqttspec::run

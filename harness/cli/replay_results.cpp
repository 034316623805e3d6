#include "replay_results.hpp"

#include <algorithm>
#include <cstdio>

#include "harness/traces/trace_file.hpp"

namespace mqttspec::cli {

namespace {

// Is the failure about `client`? Steps name their actor ("(sub: expect publish)",
// "(link: sub)"), checkers and the reference client the client ("client sub ...").
bool about(const run::failure& f, const std::string& client) {
  const auto has = [&](const std::string& s) { return f.where.find(s) != std::string::npos; };
  return has("(" + client + ": ") || has("(link: " + client + ")") || has("client " + client + " ") ||
         f.where.ends_with("client " + client);
}

bool step_of(const std::string& step, const std::string& client) {
  return step.starts_with(client + ": ") || step == "link: " + client;
}

// "replay/cap@5" -> "replay/cap/sub@5".
std::string id_for(const std::string& run_id, const std::string& part) {
  const auto at = run_id.rfind('@');
  return at == std::string::npos ? run_id + "/" + part : run_id.substr(0, at) + "/" + part + run_id.substr(at);
}

// The observed connection of each replayed one: the next with the same client id
// (namespace dropped), in order.
std::vector<const traces::connection_trace*> pair_up(const traces::trace_file& capture, const traces::trace_file& run,
                                                     const traces::scenario_text& s,
                                                     const traces::compare_options& o) {
  std::vector<const traces::connection_trace*> out;
  std::vector<bool> used(run.connections.size());
  for (const auto& c : s.connections) {
    const auto& want = capture.connections[c.index].client_id;
    const traces::connection_trace* found = nullptr;
    for (std::size_t k = 0; k < run.connections.size() && !found; ++k)
      if (!used[k] && o.client_id(run.connections[k].client_id) == want) used[k] = true, found = &run.connections[k];
    out.push_back(found);
  }
  return out;
}

}  // namespace

void print_plan(const traces::scenario_text& s) {
  std::printf("replay: %zu connections to replay", s.connections.size());
  if (s.version) std::printf(" (MQTT %s)", *s.version == mqtt::protocol_version::v5 ? "5.0" : "3.1.1");
  std::printf(", %zu not replayed\n", s.skipped.size());
  for (const auto& k : s.skipped) std::printf("  not replayed: %s: %s\n", k.address.c_str(), k.reason.c_str());
}

std::vector<run::case_result> per_connection(std::vector<run::case_result> run, const traces::trace_file& capture,
                                             const traces::scenario_text& s, const traces::compare_options& options,
                                             bool strict, const std::string& capture_path) {
  if (run.size() != 1) return run;  // not run (interrupted): nothing to split
  const auto& whole = run.front();
  const auto o = traces::namespace_blind(options);
  const auto observed = whole.pcap.empty() ? traces::trace_file{} : traces::read_trace(whole.pcap);
  const auto pairs = pair_up(capture, observed, s, o);
  // A failure about no client in particular (there should be none) goes to them all.
  const auto anyone = [&](const run::failure& f) {
    for (const auto& c : s.connections)
      if (about(f, c.client)) return true;
    return false;
  };
  std::vector<run::case_result> out;
  for (std::size_t i = 0; i < s.connections.size(); ++i) {
    const auto& c = s.connections[i];
    const auto& recorded = capture.connections[c.index];
    auto r = whole;
    r.file = capture_path;
    r.id = id_for(whole.id, c.client);
    r.title = "connection " + std::to_string(c.index + 1) + " of the capture (" + c.address + ", client id \"" +
              recorded.client_id + "\")";
    r.failures.clear(), r.steps.clear(), r.packets.clear(), r.link_events.clear();
    for (const auto& e : whole.link_events)
      if (e.client == c.client) r.link_events.push_back(e);
    for (const auto& f : whole.failures)
      if (about(f, c.client) || !anyone(f)) {
        r.failures.push_back(f);
        // A step that failed says the broker answered otherwise than recorded; the
        // statements a broker broke are the checkers' (their failures keep theirs).
        if (!f.where.starts_with("invariant") && f.where.find(" step ") != std::string::npos)
          r.failures.back().spec_ids.clear();
      }
    // A replay covers no statement of its own: it cites those its checkers found broken.
    r.spec_ids.clear();
    for (const auto& f : r.failures)
      for (const auto& id : f.spec_ids)
        if (std::find(r.spec_ids.begin(), r.spec_ids.end(), id) == r.spec_ids.end()) r.spec_ids.push_back(id);
    for (const auto& st : whole.steps)
      if (step_of(st.text, c.client)) r.steps.push_back(st);
    for (const auto& p : whole.packets)
      if (p.client == c.client) r.packets.push_back(p);
    if (!observed.error.empty()) r.trace_differences.push_back("this run's pcap: " + observed.error);
    if (!pairs[i]) {
      r.trace_differences.push_back("connection " + std::to_string(c.index + 1) + ": missing");
    } else {
      for (const auto& d : traces::compare(recorded.packets, pairs[i]->packets, o))
        r.trace_differences.push_back(to_string(d));
    }
    r.trace = r.trace_differences.empty() ? "same" : "differs";
    if (whole.outcome == run::verdict::error || whole.outcome == run::verdict::skipped) {
      out.push_back(std::move(r));
      continue;
    }
    bool strict_failure = false, should_failure = false;
    for (const auto& f : r.failures) (f.should ? should_failure : strict_failure) = true;
    r.outcome = strict_failure ? run::verdict::fail : should_failure ? run::verdict::non_strict : run::verdict::pass;
    r.reason.clear();
    // The case stops at its first failed step: the steps of this connection after it never ran.
    if (r.outcome == run::verdict::pass && r.steps.size() < c.steps) {
      r.outcome = run::verdict::error;
      r.reason = "not replayed to its end: the replay stopped at a failure of another connection";
    }
    if (strict && r.trace != "same" && r.outcome != run::verdict::error) {
      run::failure f;
      f.where = "the capture, connection " + std::to_string(c.index + 1);
      f.message = "the broker's answers differ from the recorded ones";
      f.actual = r.trace_differences.front();
      r.failures.push_back(std::move(f));
      if (r.outcome != run::verdict::fail) r.outcome = run::verdict::fail;
    }
    out.push_back(std::move(r));
  }
  for (const auto& k : s.skipped) {
    run::case_result r;
    r.id = id_for(whole.id, k.address);
    r.title = "a connection of the capture (" + k.address + ")";
    r.file = capture_path, r.version = whole.version, r.seed = whole.seed;
    r.outcome = run::verdict::skipped;
    r.reason = "not replayed: " + k.reason;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mqttspec::cli

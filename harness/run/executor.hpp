// Runs one case: its clients and steps on a driver, and grades what it saw.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "case_client.hpp"
#include "invariants.hpp"
#include "driver.hpp"
#include "harness/scenario/model.hpp"
#include "result.hpp"

namespace mqttspec::run {

struct case_context {
  std::string run_id;        // short, for namespacing: "r1a2b"
  std::string case_scope;    // the case within the run, for namespacing: "17", "k3x9"
  unsigned attempt = 0;      // --repeat: 0, 1, ...
  std::uint64_t seed = 0;
  double slack_s = 0;        // real time: windows widen by this on both sides (from the measured round trip)
  double default_window_s = 10;
  std::optional<std::string> username, password;  // for clients whose scenario names none
  unsigned sample = 0;       // samples: 0, 1, ...
};

/// Seconds with at most 3 decimals: "17.62".
std::string format_s(double s);

class executor {
 public:
  executor(const scenario::scenario& s, mqtt::protocol_version v, driver& d, case_context ctx);
  ~executor();

  case_result run();

 private:
  bool step(const scenario::step& st, std::size_t index);
  bool connect(case_client& c, const scenario::connect_step& a, const scenario::step& st);
  bool subscribe(case_client& c, const scenario::subscribe_step& a, const scenario::step& st);
  bool unsubscribe(case_client& c, const scenario::unsubscribe_step& a, const scenario::step& st);
  bool publish(case_client& c, const scenario::publish_step& a, const scenario::step& st);
  bool disconnect(case_client& c, const scenario::disconnect_step& a);
  bool expect_packet(case_client& c, const scenario::expect_packet_step& a, const scenario::step& st);
  bool expect_nothing(case_client& c, const scenario::expect_nothing_step& a, const scenario::step& st);
  bool expect_close(case_client& c, const scenario::expect_close_step& a, const scenario::step& st);
  bool link(case_client& c, const scenario::link_step& a);
  bool send(case_client& c, const scenario::send_step& a);

  /// Waits until `done` or the step's window ends; false on timeout.
  bool wait_for(const scenario::step& st, const std::function<bool()>& done);
  /// Hex of packet bytes, the run's password overwritten.
  std::string hex_of(const std::string& bytes) const;
  /// "[lo, hi] s of the step's start (± slack)", for messages.
  std::string window_text(const scenario::step& st) const;
  /// "at 17.62 s (2.6 s into the step)": when the broker closed `c`.
  std::string closed_when(const case_client& c) const;
  /// Why an awaited reply is missing: the connection closed, or the window passed.
  std::string missing(const case_client& c, const std::string& what, const scenario::step& st) const;
  /// "2.5 s into the step".
  std::string since_step(timestamp at) const;
  /// After the window, waits on to the step's late_s (if any); true when `done` then holds.
  bool wait_late(const scenario::step& st, const std::function<bool()>& done);
  /// A non-strict failure: the step's event came after its window, by late_s.
  bool late(const scenario::step& st, const std::string& what, const std::string& expected,
            const wire_packet* actual = nullptr);
  /// Fails when the step completed before its window opened.
  bool check_window(const scenario::step& st);
  /// Takes the first inbox packet of `type` satisfying `ok`.
  std::optional<wire_packet> take(case_client& c, const std::string& type,
                                  const std::function<bool(const wire_packet&)>& ok = {});

  bool fail(std::string message, std::string expected = {}, const wire_packet* actual = nullptr,
            bool should = false);
  void finish();
  case_client* client(const std::string& name);

  const scenario::scenario& s_;
  mqtt::protocol_version v_;
  driver& d_;
  case_context ctx_;
  std::uint64_t sequence_ = 0;  // shared by the clients: see case_client
  std::vector<std::unique_ptr<case_client>> clients_;
  case_result r_;
  std::vector<cut_event> cuts_;
  timestamp harness_closed_at_ = timestamp::max();  // when run() closed the clients still connected
  timestamp step_start_{0};
  std::string where_;
};

}  // namespace mqttspec::run

// The checkers' half of `analyze`, on a thread of its own. The caller's thread reads
// the capture, reassembles TCP and decodes; it hands each event over (in batches, the
// packet's bytes copied, since the caller's views die with the reassembly buffers), and
// this thread decodes the packet again from its copy, feeds the connection's monitor
// and keeps what it finds with the connection and frame that showed it. The events
// and the checkers are those of a single-threaded run, in the same order: only the
// time they take is split over two cores.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/checks/checks.hpp"
#include "harness/exchange/events.hpp"

namespace mqttspec::analyze {

class judging {
 public:
  /// A finding and where it showed.
  struct found {
    checks::violation v;
    std::uint64_t frame = 0;     // 0: not tied to a frame
    std::string packet;          // the packet's text, if a packet showed it
    std::optional<std::size_t> connection;  // index of the client's latest connection then
  };

  judging();
  ~judging();
  judging(const judging&) = delete;
  judging& operator=(const judging&) = delete;

  /// From now on `client` at `server` means the connection of this index. The strings
  /// must outlive this object.
  void named(const std::string* server, const std::string* client, std::size_t connection);
  /// One event for `m`; `e.client` and `server` must outlive this object, the rest of
  /// `e` is copied. `frame`: the frame that completed it (0: none).
  void event(checks::monitor* m, const std::string* server, const exchange::event& e, std::uint64_t frame);
  /// Waits for every event handed over and returns what was found, in the order found.
  /// What a checker threw on the judging thread is thrown again here.
  std::vector<found> finish();

 private:
  struct job;
  struct batch;
  void hand_over();
  void run();
  void judge(const batch& b, const job& j);

  std::unique_ptr<batch> filling_;
  // Batches waiting for the thread, and used ones for reuse.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<batch>> ready_, spare_;
  bool done_ = false;
  std::thread thread_;
  // The thread's own.
  std::map<std::pair<std::string, std::string>, std::size_t> latest_;
  std::vector<found> found_;
  std::exception_ptr failed_;  // then the rest is not judged
};

}  // namespace mqttspec::analyze

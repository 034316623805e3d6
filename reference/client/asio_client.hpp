// The reference client on a real TCP socket: the sans-I/O core driven by Asio C++20
// coroutines on one executor (the core is not thread-safe). A read loop feeds the
// core, writes leave in order, one steady_timer serves the core's arm_timer.
//
//   asio::io_context io;
//   asio::co_spawn(io, [&]() -> asio::awaitable<void> {
//     mqtt::client::asio_client c(io.get_executor(), opts);
//     auto r = co_await c.connect("127.0.0.1", 1883);
//     co_await c.subscribe("a/#", mqtt::qos::exactly_once);
//     co_await c.publish("a/b", "hi", mqtt::qos::at_least_once);
//     auto m = co_await c.receive();          // mqtt::client::message, or nullopt on timeout
//     co_await c.disconnect();
//   }, asio::detached);
//   io.run();
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core.hpp"

namespace mqtt::client {

/// How an operation ended: `error` empty on success; `reason` is the broker's code
/// (CONNACK, PUBACK/PUBREC/PUBCOMP); `codes` those of SUBACK/UNSUBACK.
struct op_result {
  std::string error;
  reason_code reason = reason_code::success;
  std::uint16_t packet_id = 0;
  std::vector<reason_code> codes;
  bool ok() const { return error.empty(); }

  static op_result failure(std::string why, reason_code rc = reason_code::success) {
    op_result r;
    r.error = std::move(why);
    r.reason = rc;
    return r;
  }
  static op_result success(reason_code rc = reason_code::success, std::uint16_t id = 0) {
    op_result r;
    r.reason = rc;
    r.packet_id = id;
    return r;
  }
};

class asio_client {
 public:
  using duration = std::chrono::steady_clock::duration;
  static constexpr duration default_timeout = std::chrono::seconds(10);

  asio_client(asio::any_io_executor ex, options opts);
  ~asio_client();
  asio_client(const asio_client&) = delete;
  asio_client& operator=(const asio_client&) = delete;

  /// TCP connect, CONNECT, and wait for CONNACK. Fails on a refusal, a closed
  /// connection or the timeout. May be called again after a disconnection (resume).
  asio::awaitable<op_result> connect(std::string host, std::uint16_t port, duration timeout = default_timeout);
  /// Completes when written (QoS 0) or acknowledged (PUBACK, PUBCOMP, failing PUBREC).
  asio::awaitable<op_result> publish(std::string topic, std::string payload, mqtt::qos q, bool retain = false,
                                     properties props = {}, duration timeout = default_timeout);
  asio::awaitable<op_result> subscribe(std::string filter, mqtt::qos q, duration timeout = default_timeout);
  asio::awaitable<op_result> unsubscribe(std::string filter, duration timeout = default_timeout);
  /// The next message received, or nullopt on timeout.
  asio::awaitable<std::optional<message>> receive(duration timeout = default_timeout);
  /// DISCONNECT, then wait (at most `timeout`) for the socket to close.
  asio::awaitable<void> disconnect(reason_code reason = reason_code::success, duration timeout = default_timeout);

  /// Every action of the core as it is applied (violations, disconnected, ...).
  void on_action(std::function<void(const action&)> f) { observer_ = std::move(f); }
  bool is_connected() const { return core_.is_connected(); }
  core& state() { return core_; }
  /// Violations the broker committed so far.
  const std::vector<protocol_violation>& violations() const { return violations_; }

 private:
  timestamp now() const;
  void apply(std::vector<action>& out);
  void flush();
  asio::awaitable<void> write_loop();
  asio::awaitable<void> read_loop(std::shared_ptr<bool> alive);
  asio::awaitable<void> timer_loop(std::shared_ptr<bool> alive);
  /// Waits until `done()` holds or the deadline passes; wakes on every applied batch.
  asio::awaitable<bool> wait_until(std::function<bool()> done, duration timeout);
  asio::awaitable<op_result> await_ack(submitted s, std::string_view packet, duration timeout);
  void wake();
  void close_socket();

  asio::any_io_executor ex_;
  core core_;
  asio::ip::tcp::socket sock_;
  asio::steady_timer timer_;
  asio::steady_timer linger_;  // cuts a peer that does not close after our FIN
  std::chrono::steady_clock::time_point epoch_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // cleared by the destructor
  std::function<void(const action&)> observer_;

  std::string pending_, writing_;
  bool writer_running_ = false;
  bool close_requested_ = false;
  bool socket_open_ = false;
  std::uint64_t generation_ = 0;  // connections so far: results of an older one are ignored

  std::optional<client::connected> connack_;
  std::optional<disconnected> last_disconnect_;
  std::map<std::uint16_t, reason_code> completed_;
  std::map<std::uint16_t, std::vector<reason_code>> acks_;
  std::set<std::uint16_t> dropped_;
  std::deque<message> inbox_;
  std::vector<protocol_violation> violations_;
  std::set<asio::steady_timer*> waiters_;
};

}  // namespace mqtt::client

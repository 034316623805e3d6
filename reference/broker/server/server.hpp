// The reference broker on real sockets: one acceptor and one coroutine per connection
// feeding the sans-I/O core, on one io_context thread (the core is not thread-safe).
//
//   asio::io_context io;
//   mqtt::broker::server s(io, cfg, {asio::ip::make_address("127.0.0.1"), 0}, log);
//   std::cout << s.local_endpoint().port();
//   io.run();   // until s.stop()
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "reference/broker/core.hpp"

namespace mqtt::broker {

class server {
 public:
  /// Receives each note of the core as "conn N: [MQTT-x] text"; null to drop them.
  using log_fn = std::function<void(const std::string&)>;

  /// Binds and listens at once, so a port-0 endpoint has its port when this returns.
  /// Throws asio::system_error when the address cannot be bound.
  server(asio::io_context& io, config cfg, const asio::ip::tcp::endpoint& where, log_fn log = {});
  ~server();

  asio::ip::tcp::endpoint local_endpoint() const;
  /// Stops accepting, closes every connection and the timer; io.run() then returns.
  void stop();

  std::size_t connection_count() const { return conns_.size(); }

 private:
  struct connection;
  using conn_ptr = std::shared_ptr<connection>;

  asio::awaitable<void> accept_loop();
  void wait_readable(conn_ptr c);
  void on_readable(conn_ptr c, std::error_code ec);
  asio::awaitable<void> write_loop(conn_ptr c);
  asio::awaitable<void> timer_loop();

  timestamp now() const;
  /// Carries out the core's actions, then flushes every connection they wrote to.
  void apply(std::vector<action>& out);
  void flush(connection& c);
  void close_socket(connection& c);

  asio::io_context& io_;
  core core_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer timer_;
  bool timer_armed_ = false;
  timestamp timer_at_{};
  std::chrono::steady_clock::time_point epoch_;
  log_fn log_;
  conn_id next_id_ = 1;
  bool stopped_ = false;
  std::unordered_map<conn_id, conn_ptr> conns_;
  std::vector<connection*> dirty_;  // connections with bytes queued by the last apply()
  std::vector<action> scratch_;     // reused action list: no allocation per read
  std::vector<conn_id> lost_;       // connections cut for not reading, to report to the core
};

}  // namespace mqtt::broker

// The reference broker on real sockets, feeding the sans-I/O core on one io_context
// thread (the core is not thread-safe).
//
//   asio::io_context io;
//   mqtt::broker::server s(io, cfg, {asio::ip::make_address("127.0.0.1"), 0}, log);
//   std::cout << s.local_endpoint().port();
//   io.run();   // until s.stop()
//
// Asio runs the loop, the acceptor, the timers and the signals; the client sockets are
// in the server's own epoll set, which Asio watches as one descriptor. An idle client
// then costs a few dozen bytes here (no pending operation, no reactor state per
// socket): see docs/broker.md, "Front end".
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "reference/broker/core.hpp"

namespace mqtt::broker {

class server {
 public:
  /// Receives each note of the core as "conn N: [MQTT-x] text"; null to drop them.
  using log_fn = std::function<void(const std::string&)>;

  /// Binds and listens at once, so a port-0 endpoint has its port when this returns.
  /// Throws asio::system_error when the address cannot be bound. The server must
  /// outlive io.run().
  server(asio::io_context& io, config cfg, const asio::ip::tcp::endpoint& where, log_fn log = {});
  ~server();

  asio::ip::tcp::endpoint local_endpoint() const;
  /// Stops accepting, closes every connection and the timer; io.run() then returns.
  void stop();

  std::size_t connection_count() const { return conns_.size() - lingering_; }

 private:
  /// Bytes the core queued that the kernel has not taken yet; allocated only then.
  struct outbox {
    std::string bytes;
    std::size_t sent = 0;  // bytes[0, sent) are written
  };
  /// One client socket, kept small: 10,000 idle ones should fit in a few hundred KiB.
  struct connection {
    int fd = -1;
    bool want_write = false;       // EPOLLOUT is registered: the outbox waits for room
    bool dirty = false;            // listed in dirty_
    bool close_requested = false;  // the core asked: close once the outbox is flushed
    bool closed = false;           // gone from the core's view; lingering until EOF or linger_time
    bool cut = false;              // the peer stopped reading: close now, without flushing
    std::unique_ptr<outbox> out;
  };
  using clock = std::chrono::steady_clock;
  using entry = std::pair<const conn_id, connection>;  // an element of conns_: stable while it lives

  void wait_accept();
  void accept_ready();
  void open(int fd);
  void wait_events();
  void poll_events();
  void on_readable(conn_id id);
  void on_writable(entry& e);
  void wait_linger();
  asio::awaitable<void> timer_loop();

  timestamp now() const;
  /// Carries out the core's actions, then flushes every connection they wrote to.
  void apply(std::vector<action>& out);
  void flush(entry& e);
  /// Writes what the outbox holds; false on an error other than a full socket buffer.
  bool write_out(connection& c);
  void set_want_write(entry& e, bool on);
  void close_socket(entry& e);
  /// Closes the socket and forgets the connection (the core is told by the caller).
  void drop(conn_id id);

  asio::io_context& io_;
  core core_;
  asio::ip::tcp::acceptor acceptor_;
  asio::posix::stream_descriptor poller_;  // the epoll set of the client sockets
  asio::steady_timer timer_;               // the core's timer
  asio::steady_timer linger_timer_;
  asio::steady_timer accept_pause_;        // out of descriptors: accept again later
  bool timer_armed_ = false;
  timestamp timer_at_{};
  bool linger_armed_ = false;
  clock::time_point epoch_;
  log_fn log_;
  conn_id next_id_ = 1;
  bool stopped_ = false;
  std::unordered_map<conn_id, connection> conns_;          // by the id the core knows them by
  std::size_t lingering_ = 0;                              // entries of conns_ with `closed`
  std::deque<std::pair<clock::time_point, conn_id>> linger_;  // close deadlines, oldest first
  std::vector<entry*> dirty_;       // connections with bytes queued by the last apply()
  std::vector<action> scratch_;     // reused action list: no allocation per read
  std::vector<conn_id> lost_;       // connections cut for not reading, to report to the core
};

}  // namespace mqtt::broker

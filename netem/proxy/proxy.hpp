// The real-time link: a TCP proxy in front of any broker that applies the same
// impairment chain as the virtual-time world, on the wall clock. One coroutine per
// direction per connection moves bytes in (reader) and one per direction delivers
// them when the link says they are due (writer). A direction with no impairment and
// nothing queued is written straight from the reader.
//
// One thread runs the io_context: the readers share one buffer.
//
//   asio::io_context io;
//   proxy p(io, {"127.0.0.1", 0}, {"127.0.0.1", 1883}, parse_link("satellite").specs, seed);
//   p.start();   // p.port() is the port it listens on
//   io.run();
#pragma once

#include <asio.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "netem/link.hpp"
#include "netem/pcap/capture.hpp"

namespace netem {

struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

/// "127.0.0.1:1883" or "[::1]:1883"; nullopt-like empty host on error.
host_port parse_host_port(std::string_view text, std::string* error);

class proxy {
 public:
  using conn_id = std::uint64_t;

  proxy(asio::io_context& io, host_port listen, host_port target, std::vector<impairment_spec> link_specs,
        std::uint64_t seed);
  ~proxy();

  /// Binds and starts accepting; returns "" or why not. The target is resolved here, once.
  std::string start();
  /// Before start(): bind with SO_REUSEPORT, so that proxies in several processes listen
  /// on one port and the kernel spreads the connections over them.
  void share_port() { share_port_ = true; }
  /// Before start(): number connections first, first + step, ... (default 1, 2, ...), so
  /// that ids, and the link seeds derived from them, differ between such processes.
  void number_connections(conn_id first, conn_id step) { next_ = first, step_ = step; }
  void stop();
  std::uint16_t port() const;

  /// Called when a client connection is accepted (after the broker side connects).
  void on_accept(std::function<void(conn_id)> f) { on_accept_ = std::move(f); }
  /// Called when the broker cannot be reached for an accepted client (which is reset).
  void on_target_error(std::function<void(const std::string&)> f) { on_target_error_ = std::move(f); }
  /// Writes every connection into a pcap file, tapped on the client side.
  /// `secrets`: passwords overwritten in the capture (see pcap/redact.hpp).
  std::string capture_to(const std::string& path, std::vector<std::string> secrets = {});

  /// Live changes to one connection's link, or to all (conn 0).
  std::string add_impairment(conn_id c, const impairment_spec& spec);
  void remove_impairment(conn_id c, const std::string& type, direction d = direction::both);
  /// Ends a connection as the network would: RST to both sides, or FIN.
  void cut(conn_id c, bool reset);

  std::size_t connections() const { return conns_.size(); }
  /// Microseconds since the proxy started: the link's clock.
  timestamp now() const;

 private:
  struct connection;
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<connection> c);
  asio::awaitable<void> reader(std::shared_ptr<connection> c, direction d);
  asio::awaitable<void> writer(std::shared_ptr<connection> c, direction d);
  /// Wakes d's writer if the link now has something due before it meant to wake.
  void wake_writer(connection& c, direction d);

  asio::io_context& io_;
  host_port listen_, target_;
  std::vector<impairment_spec> specs_;
  std::uint64_t seed_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::resolver::results_type targets_;
  bool share_port_ = false;
  std::chrono::steady_clock::time_point start_;
  std::map<conn_id, std::shared_ptr<connection>> conns_;
  conn_id next_ = 1, step_ = 1;
  std::vector<char> buf_;  // every reader reads into it, one at a time
  std::function<void(conn_id)> on_accept_;
  std::function<void(const std::string&)> on_target_error_;
  std::unique_ptr<capture> capture_;
};

}  // namespace netem

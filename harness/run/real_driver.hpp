// Real sockets to a broker through an in-process netem proxy, on the wall clock.
// Each case gets its own io_context and proxy, so cases run in parallel threads.
#pragma once

#include <asio.hpp>
#include <map>
#include <memory>

#include "driver.hpp"
#include "netem/proxy/proxy.hpp"

namespace mqttspec::run {

class real_driver final : public driver {
 public:
  /// `broker` is the target HOST:PORT. "" from start() or why the proxy could not start.
  real_driver(netem::host_port broker, std::uint64_t seed);
  ~real_driver() override;
  std::string start();
  std::string capture_to(const std::string& path, std::vector<std::string> secrets = {}) {
    return proxy_->capture_to(path, std::move(secrets));
  }

  timestamp now() const override;
  conn_id open(endpoint& e, const std::vector<netem::impairment_spec>& link, std::string& error) override;
  void send(conn_id c, std::string bytes) override;
  void close(conn_id c, bool reset) override;
  std::string add_impairment(conn_id c, const netem::impairment_spec& spec) override;
  void clear_impairments(conn_id c, const std::vector<netem::impairment_spec>& keep) override;
  void schedule(timestamp at, std::function<void()> f) override;
  bool run_until(timestamp until, const std::function<bool()>& done) override;
  std::vector<link_event> link_events() const override { return events_; }
  bool virtual_time() const override { return false; }

 private:
  struct socket_state;
  asio::awaitable<void> read_loop(std::shared_ptr<socket_state> s);

  asio::io_context io_;
  std::unique_ptr<netem::proxy> proxy_;
  std::chrono::steady_clock::time_point start_;
  std::map<conn_id, std::shared_ptr<socket_state>> sockets_;
  std::vector<link_event> events_;
  std::vector<netem::proxy::conn_id> accepted_;
  std::string target_error_;
};

}  // namespace mqttspec::run

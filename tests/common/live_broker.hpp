// The reference broker on a loopback port, on a thread of its own, for tests that
// need a real-socket broker in the test process.
#pragma once

#include <asio.hpp>
#include <string>
#include <thread>

#include "reference/broker/server/server.hpp"

namespace mqttspec::test_support {

struct live_broker {
  explicit live_broker(mqtt::broker::config cfg = {})
      : server(io, std::move(cfg), {asio::ip::make_address("127.0.0.1"), 0}), thread([this] { io.run(); }) {}
  ~live_broker() {
    asio::post(io, [this] { server.stop(); });
    thread.join();
  }
  std::uint16_t port() const { return server.local_endpoint().port(); }
  std::string where() const { return "127.0.0.1:" + std::to_string(port()); }

  asio::io_context io;
  mqtt::broker::server server;
  std::thread thread;
};

}  // namespace mqttspec::test_support

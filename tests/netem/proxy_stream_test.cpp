// The real-time proxy's pass-through path against a plain TCP peer (no broker): a
// receiver that stops reading holds the stream back without loss or reordering, in
// both directions, and proxies that share a port split the connections between them.
// Every wait is bounded.
#include <gtest/gtest.h>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <chrono>
#include <set>

#include "netem/proxy/proxy.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;
using asio::awaitable;
using asio::ip::tcp;
constexpr auto as_tuple = asio::experimental::as_tuple(asio::use_awaitable);

// 32 MiB: more than the socket buffers on both sides of the proxy hold, so the proxy
// finds its destination full and must wait.
std::string pattern() {
  std::string s(32 << 20, '\0');
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = char((i * 7 + i / 65521) % 251);
  return s;
}

awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(as_tuple);
}

// Sends `data` and a FIN, after `wait`.
awaitable<void> send_all(tcp::socket& s, const std::string& data, std::chrono::milliseconds wait) {
  co_await pause(wait);
  auto [ec, n] = co_await asio::async_write(s, asio::buffer(data), as_tuple);
  EXPECT_FALSE(ec) << ec.message();
  s.shutdown(tcp::socket::shutdown_send, ec);
}

// Everything up to the FIN, after not reading for `wait`.
awaitable<std::string> receive_all(tcp::socket& s, std::chrono::milliseconds wait) {
  co_await pause(wait);
  std::string got;
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), as_tuple);
    got.append(buf.data(), n);
    if (ec) {
      EXPECT_EQ(ec, asio::error::eof) << ec.message();
      co_return got;
    }
  }
}

// A proxy with no impairment between a client and a plain TCP server; `body` gets
// both ends. Bounded by `limit`.
void through_proxy(std::function<awaitable<void>(tcp::socket& client, tcp::socket& server)> body,
                   std::chrono::seconds limit = 30s) {
  asio::io_context io;
  tcp::acceptor server(io, {asio::ip::make_address("127.0.0.1"), 0});
  proxy p(io, {"127.0.0.1", 0}, {"127.0.0.1", server.local_endpoint().port()}, {}, 1);
  ASSERT_EQ(p.start(), "");
  bool done = false;
  asio::co_spawn(io, [&]() -> awaitable<void> {
    tcp::socket client(io);
    auto [cec] = co_await client.async_connect({asio::ip::make_address("127.0.0.1"), p.port()}, as_tuple);
    EXPECT_FALSE(cec) << cec.message();
    auto [aec, peer] = co_await server.async_accept(as_tuple);
    EXPECT_FALSE(aec) << aec.message();
    if (!cec && !aec) co_await body(client, peer);
    done = true;
    p.stop();
    io.stop();
  }, asio::detached);
  io.run_for(limit);
  EXPECT_TRUE(done) << "the test did not finish within " << limit.count() << " s";
}

TEST(proxy_stream, a_client_that_stops_reading_gets_every_byte_in_order_later) {
  const std::string data = pattern();
  through_proxy([&](tcp::socket& client, tcp::socket& server) -> awaitable<void> {
    asio::co_spawn(server.get_executor(), send_all(server, data, 0ms), asio::detached);
    const std::string got = co_await receive_all(client, 300ms);
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data) << "bytes lost or reordered";
  });
}

TEST(proxy_stream, a_server_that_stops_reading_gets_every_byte_in_order_later) {
  const std::string data = pattern();
  through_proxy([&](tcp::socket& client, tcp::socket& server) -> awaitable<void> {
    asio::co_spawn(client.get_executor(), send_all(client, data, 0ms), asio::detached);
    const std::string got = co_await receive_all(server, 300ms);
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data) << "bytes lost or reordered";
  });
}

TEST(proxy_stream, proxies_sharing_a_port_split_the_connections_and_number_them_apart) {
  asio::io_context io;
  tcp::acceptor server(io, {asio::ip::make_address("127.0.0.1"), 0});
  const host_port target{"127.0.0.1", server.local_endpoint().port()};
  proxy first(io, {"127.0.0.1", 0}, target, {}, 1);
  first.share_port();
  first.number_connections(1, 2);
  ASSERT_EQ(first.start(), "");
  proxy second(io, {"127.0.0.1", first.port()}, target, {}, 1);
  second.share_port();
  second.number_connections(2, 2);
  ASSERT_EQ(second.start(), "");
  std::set<proxy::conn_id> odd, even;
  first.on_accept([&](proxy::conn_id id) { odd.insert(id); });
  second.on_accept([&](proxy::conn_id id) { even.insert(id); });
  std::vector<tcp::socket> clients, peers;
  asio::co_spawn(io, [&]() -> awaitable<void> {
    for (;;) {
      auto [ec, s] = co_await server.async_accept(as_tuple);
      if (ec) co_return;
      peers.push_back(std::move(s));
    }
  }, asio::detached);
  for (int i = 0; i < 64; ++i) {
    clients.emplace_back(io);
    clients.back().connect({asio::ip::make_address("127.0.0.1"), first.port()});
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (odd.size() + even.size() < 64 && std::chrono::steady_clock::now() < deadline) io.run_for(10ms);
  EXPECT_EQ(odd.size() + even.size(), 64u);
  EXPECT_FALSE(odd.empty());  // 2^-63 that the kernel's hash sends all 64 to one
  EXPECT_FALSE(even.empty());
  for (auto id : odd) EXPECT_EQ(id % 2, 1u);
  for (auto id : even) EXPECT_EQ(id % 2, 0u);
  first.stop();
  second.stop();
  server.close();
  io.run_for(50ms);
}

}  // namespace
}  // namespace netem

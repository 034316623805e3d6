#include "bench_client.hpp"

#include <array>

namespace mqttspec::cli {

namespace {
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
// Shared by every client: reads are synchronous once a socket is readable.
thread_local std::array<char, 64 * 1024> read_buf;
}  // namespace

asio::awaitable<std::string> bench_client::connect(const asio::ip::tcp::endpoint& broker,
                                                   const std::string& client_id, std::uint16_t keep_alive_s) {
  auto [ec] = co_await sock_.async_connect(broker, use_tuple);
  if (ec) co_return "connect: " + ec.message();
  std::error_code ignored;
  sock_.set_option(asio::ip::tcp::no_delay(true), ignored);
  sock_.non_blocking(true, ignored);
  open_ = true;
  mqtt::connect c;
  c.version = version_;
  c.clean_start = true;
  c.keep_alive = keep_alive_s;
  c.client_id = client_id;
  queue(c);
  flush();
  // Wait for the CONNACK alone; later packets stay buffered in the decoder.
  for (;;) {
    auto r = decoder_.next();
    if (!r) co_return "CONNACK: " + mqtt::to_string(r.error());
    if (*r) {
      auto* ack = std::get_if<mqtt::connack>(&**r);
      if (!ack) co_return "expected CONNACK, got " + mqtt::to_string(**r, version_);
      if (ack->code != mqtt::reason_code::success) co_return "refused: " + mqtt::to_string(**r, version_);
      if (auto n = mqtt::number_of(ack->props, mqtt::property_id::receive_maximum)) receive_maximum_ = std::uint16_t(*n);
      co_return "";
    }
    auto [wec] = co_await sock_.async_wait(asio::ip::tcp::socket::wait_read, use_tuple);
    std::error_code rec;
    const std::size_t n = wec ? 0 : sock_.read_some(asio::buffer(read_buf), rec);
    if (wec || (rec && rec != asio::error::would_block)) {
      close();
      co_return "closed before CONNACK";
    }
    decoder_.feed(mqtt::bytes_view(read_buf.data(), n));
  }
}

asio::awaitable<void> bench_client::read_loop(packet_fn on_packet) {
  auto self = shared_from_this();
  std::error_code ec;
  while (open_) {
    // Packets that came with the CONNACK, or in the last read.
    for (;;) {
      auto r = decoder_.next();
      if (!r || !*r) {
        if (!r) ec = asio::error::invalid_argument;
        break;
      }
      on_packet(**r);
    }
    flush();
    if (ec) break;
    std::tie(ec) = co_await sock_.async_wait(asio::ip::tcp::socket::wait_read, use_tuple);
    if (ec) break;
    const std::size_t n = sock_.read_some(asio::buffer(read_buf), ec);
    if (ec == asio::error::would_block) ec = {};
    if (ec) break;
    decoder_.feed(mqtt::bytes_view(read_buf.data(), n));
  }
  close();
}

void bench_client::flush() {
  if (writer_running_ || pending_.empty() || !open_) return;
  std::error_code ec;
  const std::size_t n = sock_.write_some(asio::buffer(pending_), ec);
  if (ec && ec != asio::error::would_block) {
    pending_.clear();
    return;
  }
  pending_.erase(0, n);
  if (pending_.empty()) return;
  writer_running_ = true;
  asio::co_spawn(sock_.get_executor(), write_loop(), asio::detached);
}

asio::awaitable<void> bench_client::write_loop() {
  auto self = shared_from_this();
  while (!pending_.empty() && open_) {
    std::swap(pending_, writing_);
    auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(writing_), use_tuple);
    writing_.clear();
    if (ec) pending_.clear();
  }
  writer_running_ = false;
}

void bench_client::close() {
  open_ = false;
  std::error_code ignored;
  sock_.close(ignored);
}

}  // namespace mqttspec::cli

// One MQTT client connection of `mqttspec bench`, written directly on the codec:
// connect + CONNECT/CONNACK, a packet queue flushed in batches, and a read loop that
// hands each decoded packet to a callback. One io_context thread drives them all.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <functional>
#include <memory>
#include <string>

#include "reference/codec/codec.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqttspec::cli {

class bench_client : public std::enable_shared_from_this<bench_client> {
 public:
  using packet_fn = std::function<void(const mqtt::packet&)>;

  bench_client(asio::any_io_executor ex, mqtt::protocol_version v) : sock_(ex), decoder_(v), version_(v) {}

  /// TCP connect, CONNECT (clean, no will), wait for a successful CONNACK.
  /// Returns an empty string or what went wrong.
  asio::awaitable<std::string> connect(const asio::ip::tcp::endpoint& broker, const std::string& client_id,
                                       std::uint16_t keep_alive_s);

  /// Reads until the connection ends, calling `on_packet` for each packet and
  /// flushing what the callbacks queued once per read.
  asio::awaitable<void> read_loop(packet_fn on_packet);

  /// Appends a packet to the output; nothing is written before flush().
  void queue(const mqtt::packet& p) { mqtt::encode(p, version_, pending_); }
  void flush();
  void close();

  bool open() const { return open_; }
  /// 5.0: the broker's Receive Maximum from CONNACK (65535 when absent or 3.1.1).
  std::uint16_t receive_maximum() const { return receive_maximum_; }
  mqtt::protocol_version version() const { return version_; }

 private:
  asio::awaitable<void> write_loop();

  asio::ip::tcp::socket sock_;
  mqtt::stream_decoder decoder_;
  mqtt::protocol_version version_;
  std::string pending_, writing_;
  bool writer_running_ = false;
  bool open_ = false;
  std::uint16_t receive_maximum_ = 65535;
};

}  // namespace mqttspec::cli

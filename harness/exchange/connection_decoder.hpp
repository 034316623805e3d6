// Bytes to packets for one connection, both directions: framing is kept across
// chunks, and each whole packet is decoded with the connection's protocol version.
// Every source of an exchange decodes through this: a live case (case_client), a
// capture (harness/analyze) and, next, a replay.
//
//   exchange::connection_decoder d(mqtt::protocol_version::v5);
//   d.feed(/*from_broker=*/false, bytes, [&](const exchange::decoded& p) { ... });
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "reference/codec/codec.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqttspec::exchange {

/// One packet read from a direction. The views are valid during the callback only.
struct decoded {
  std::string_view bytes;           // the whole packet; empty after a framing error
  const mqtt::packet* packet;       // null when it did not decode
  const mqtt::decode_error* error;  // set when packet is null
  mqtt::protocol_version version;   // what it was read as
};

class connection_decoder {
 public:
  /// `follow_connect`: the client's CONNECT sets the version of both directions (a
  /// capture learns it there); a live case keeps the version it was given.
  explicit connection_decoder(mqtt::protocol_version v, bool follow_connect = false);

  /// Calls `emit(const decoded&)` for every whole packet `bytes` completes, in order.
  /// After a framing error (a length no packet can have) the direction cannot be
  /// resynchronised: each later call reports the error once and nothing else.
  template <class F>
  void feed(bool from_broker, std::string_view bytes, F&& emit) {
    std::string_view in = bytes;
    while (const decoded* d = next(from_broker, in)) emit(*d);
  }

  mqtt::protocol_version version() const { return version_; }
  void set_version(mqtt::protocol_version v);
  bool failed(bool from_broker) const { return (from_broker ? down_ : up_).failed; }
  /// Starts a direction afresh at a packet boundary (after bytes went missing).
  void restart(bool from_broker);
  /// Bytes of a direction held until their packet is whole.
  std::size_t buffered(bool from_broker) const { return (from_broker ? down_ : up_).stream.buffered(); }

 private:
  struct direction {
    mqtt::stream_decoder stream;
    bool failed = false;
    bool reported = false;  // the framing error was reported for the current chunk
  };
  /// The next packet of `in`, or null once `in` is used up (its tail is buffered).
  const decoded* next(bool from_broker, std::string_view& in);

  mqtt::protocol_version version_;
  bool follow_connect_;
  direction up_, down_;
  std::optional<std::uint8_t> connect_level_;  // of the client's last CONNECT
  mqtt::packet packet_;
  mqtt::decode_error error_;
  decoded out_{};
};

/// The protocol level byte of a CONNECT packet's bytes, if it has one.
std::optional<std::uint8_t> connect_level(std::string_view packet);

}  // namespace mqttspec::exchange

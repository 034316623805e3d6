// Incremental decoding of a byte stream: bytes arrive in any chunks, whole packets
// come out. The maximum packet size is enforced from the fixed header alone, before
// the body is buffered.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "codec.hpp"
#include "fixed_header.hpp"

namespace mqtt {

class stream_decoder {
 public:
  /// `max_packet_size` counts the whole packet, fixed header included (5.0 3.1.2.11.4).
  explicit stream_decoder(protocol_version v = protocol_version::v5,
                          std::uint32_t max_packet_size = varint_max_packet_size)
      : max_packet_size_(max_packet_size), version_(v) {}

  static constexpr std::uint32_t varint_max_packet_size = 268'435'455 + 5;

  /// A server learns the version from CONNECT; a client knows it from the start.
  void set_version(protocol_version v) { version_ = v; }
  protocol_version version() const { return version_; }
  void set_max_packet_size(std::uint32_t n) { max_packet_size_ = n; }

  /// Appends bytes received. Views returned earlier become invalid.
  void feed(bytes_view chunk);

  /// The next whole packet's bytes, or nullopt when more bytes are needed. The view
  /// stays valid until the next call to feed() or next_frame(). After an error the
  /// stream cannot be resynchronised: every later call returns the same error.
  result<std::optional<bytes_view>> next_frame();

  /// The same, reading from `in` after what was fed, without copying it: a packet
  /// that lies whole in `in` is returned as a view of `in`, and `in` is advanced past
  /// each packet returned. Only a packet split between chunks is copied, and only as
  /// much of `in` as completes it. Once this returns nullopt, feed() what is left of
  /// `in` (a partial packet) before `in` goes away. Read this way, a stream holds no
  /// buffer between packets.
  result<std::optional<bytes_view>> next_frame(bytes_view& in);

  /// next_frame() then decode(). The packet views the same bytes. A CONNECT sets
  /// the stream's version to the one it names.
  result<std::optional<packet>> next();

  /// Bytes consumed so far: the stream offset of the next packet.
  std::uint64_t offset() const { return consumed_; }
  /// Bytes buffered but not yet returned as a packet.
  std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  decode_error fail(decode_error e);
  /// The size of the packet that `avail` starts with, once its fixed header is whole.
  result<std::optional<std::size_t>> packet_size(bytes_view avail);

  // Kept small: a broker holds one per connection.
  std::string buf_;  // bytes fed and not yet returned, from pos_; released once all are returned
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;
  std::unique_ptr<const decode_error> error_;  // the first error, for every later call
  std::uint32_t max_packet_size_;
  protocol_version version_;
};

}  // namespace mqtt

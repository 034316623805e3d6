// Reading and writing the primitive data types of section 1.5 (both versions):
// integers, Variable Byte Integers, UTF-8 strings, binary data and string pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "error.hpp"
#include "types.hpp"

namespace mqtt {

/// A cursor over one packet's bytes. Every read checks the bounds and, on failure,
/// records a decode_error naming the field; later reads then fail too, so a parser
/// can read a whole header and test once.
class reader {
 public:
  /// `base` is the offset of `data` within the whole packet, for error offsets.
  reader(bytes_view data, protocol_version v, packet_type t, std::size_t base = 0)
      : data_(data), base_(base), version_(v), type_(t) {}

  bool u8(std::uint8_t& out, std::string_view field);
  bool u16(std::uint16_t& out, std::string_view field);
  bool u32(std::uint32_t& out, std::string_view field);
  bool varint(std::uint32_t& out, std::string_view field);
  /// A UTF-8 Encoded String, checked against the version's string rules.
  bool utf8(std::string_view& out, std::string_view field);
  bool binary(bytes_view& out, std::string_view field);
  /// Exactly `n` raw bytes.
  bool take(std::size_t n, bytes_view& out, std::string_view field);

  bytes_view rest() const { return data_.substr(pos_); }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  /// Offset of the next byte within the whole packet.
  std::size_t offset() const { return base_ + pos_; }
  void skip_rest() { pos_ = data_.size(); }

  protocol_version version() const { return version_; }
  packet_type type() const { return type_; }

  /// Records an error at the current offset (the first one wins) and returns false.
  bool fail(reason_code code, std::string_view spec_id, std::string what);
  bool fail_at(std::size_t offset, reason_code code, std::string_view spec_id, std::string what);
  bool failed() const { return error_.has_value(); }
  const decode_error& error() const { return *error_; }

  /// Picks the statement id of the version being read.
  std::string_view spec(std::string_view v311, std::string_view v5) const {
    return version_ == protocol_version::v5 ? v5 : v311;
  }

 private:
  bool need(std::size_t n, std::string_view field);

  bytes_view data_;
  std::size_t pos_ = 0;
  std::size_t base_;
  protocol_version version_;
  packet_type type_;
  std::optional<decode_error> error_;
};

/// Appends fields to a string, or, with no string, only counts their size: the same
/// emit function computes the remaining length and then writes the bytes.
class writer {
 public:
  writer() = default;  // counting only
  explicit writer(std::string& out) : out_(&out) {}

  void u8(std::uint8_t v);
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void varint(std::uint32_t v);
  /// Two-byte length, then the bytes (UTF-8 strings and binary data alike).
  void prefixed(std::string_view s);
  void raw(std::string_view s);

  std::size_t size() const { return size_; }

 private:
  std::string* out_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace mqtt

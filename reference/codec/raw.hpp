// A builder that writes any field with any value: the way to forge packets the
// validated codec refuses to produce (reserved flags, wrong lengths, bad UTF-8,
// non-minimal Variable Byte Integers, properties in the wrong place).
//
//   std::string bad = raw_builder().u16(1).str("a/#").u8(0x03).finish(0x82);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "property.hpp"

namespace mqtt {

class raw_builder {
 public:
  raw_builder& u8(std::uint8_t v);
  raw_builder& u16(std::uint16_t v);
  raw_builder& u32(std::uint32_t v);
  /// A Variable Byte Integer, padded to `width` bytes when given (non-minimal).
  raw_builder& varint(std::uint32_t v, std::size_t width = 0);
  /// Two-byte length prefix and the bytes; `length` overrides the prefix.
  raw_builder& str(std::string_view s, std::optional<std::uint16_t> length = std::nullopt);
  raw_builder& bytes(std::string_view s);
  /// A property list with its length, written as given (any order, duplicates).
  raw_builder& props(const properties& ps);

  std::size_t size() const { return body_.size(); }
  const std::string& body() const { return body_; }

  /// First byte (type and flags, any value), the true remaining length, the body.
  std::string finish(std::uint8_t first_byte) const;
  /// The same with a remaining length of the caller's choice, padded to `width`.
  std::string finish(std::uint8_t first_byte, std::uint32_t remaining_length, std::size_t width = 0) const;

 private:
  std::string body_;
};

}  // namespace mqtt

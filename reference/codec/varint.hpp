// Variable Byte Integer (3.1.1 section 2.2.3, 5.0 section 1.5.5): 7 bits a byte,
// high bit = more bytes follow, at most 4 bytes, at most 268,435,455.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "types.hpp"

namespace mqtt {

inline constexpr std::uint32_t varint_max = 268'435'455;

/// Bytes needed for the minimal encoding of `v` (1-4); `v` must be <= varint_max.
constexpr std::size_t varint_size(std::uint32_t v) {
  return v < 128 ? 1 : v < 16'384 ? 2 : v < 2'097'152 ? 3 : 4;
}

/// Appends the minimal encoding of `v`.
void put_varint(std::string& out, std::uint32_t v);

/// Appends `v` padded to exactly `width` bytes (1-4) with continuation bytes: a
/// non-minimal encoding, for forging packets. Values that do not fit are truncated.
void put_varint_padded(std::string& out, std::uint32_t v, std::size_t width);

enum class varint_status : std::uint8_t {
  ok,
  incomplete,   // the input ends before the last byte
  too_long,     // a 5th byte would be needed: more than 268,435,455
  non_minimal,  // more bytes than the value needs (MQTT-1.5.5-1 in 5.0)
};

struct varint_read {
  varint_status status;
  std::uint32_t value = 0;
  std::size_t size = 0;  // bytes consumed when ok
};

/// Reads a Variable Byte Integer at the start of `in`.
varint_read get_varint(bytes_view in);

}  // namespace mqtt

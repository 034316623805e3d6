// The fixed header (section 2.1 / 2.2): the raw view every decode starts from.
#pragma once

#include <cstdint>
#include <optional>

#include "error.hpp"
#include "types.hpp"

namespace mqtt {

struct fixed_header {
  std::uint8_t first = 0;            // type in the high nibble, flags in the low one
  std::uint32_t remaining_length = 0;
  std::uint8_t size = 0;             // bytes of the fixed header itself (2-5)

  packet_type type() const { return static_cast<packet_type>(first >> 4); }
  std::uint8_t flags() const { return first & 0x0f; }
  std::size_t packet_size() const { return size + std::size_t(remaining_length); }
};

/// Reads the fixed header at the start of `in`. nullopt: more bytes are needed.
/// Errors: a remaining length that is not a valid Variable Byte Integer.
/// Type and flags are not judged here; see check_type_and_flags.
result<std::optional<fixed_header>> read_fixed_header(bytes_view in, protocol_version v);

/// The packet type exists in `v` and its reserved flags hold the listed values.
status check_type_and_flags(const fixed_header& h, protocol_version v);

}  // namespace mqtt

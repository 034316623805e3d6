// Unaligned integer loads from captured bytes, in either byte order.
#pragma once

#include <cstdint>
#include <cstring>

namespace netem::wire {

inline std::uint16_t be16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint16_t>(u[0] << 8 | u[1]);
}
inline std::uint32_t be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return std::uint32_t(u[0]) << 24 | std::uint32_t(u[1]) << 16 | std::uint32_t(u[2]) << 8 | u[3];
}
inline std::uint16_t le16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint16_t>(u[1] << 8 | u[0]);
}
inline std::uint32_t le32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return std::uint32_t(u[3]) << 24 | std::uint32_t(u[2]) << 16 | std::uint32_t(u[1]) << 8 | u[0];
}
/// In the byte order of a capture file: `big` when it was written big-endian.
inline std::uint16_t u16(const char* p, bool big) { return big ? be16(p) : le16(p); }
inline std::uint32_t u32(const char* p, bool big) { return big ? be32(p) : le32(p); }

}  // namespace netem::wire

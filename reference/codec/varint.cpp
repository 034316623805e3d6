#include "varint.hpp"

namespace mqtt {

void put_varint(std::string& out, std::uint32_t v) {
  do {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(static_cast<char>(b));
  } while (v);
}

void put_varint_padded(std::string& out, std::uint32_t v, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    if (i + 1 < width) b |= 0x80;
    out.push_back(static_cast<char>(b));
  }
}

varint_read get_varint(bytes_view in) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i >= in.size()) return {varint_status::incomplete};
    auto b = static_cast<std::uint8_t>(in[i]);
    value |= std::uint32_t(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      // A last byte of zero after others means the value fitted in fewer bytes.
      if (i > 0 && b == 0) return {varint_status::non_minimal, value, i + 1};
      return {varint_status::ok, value, i + 1};
    }
  }
  return {varint_status::too_long};
}

}  // namespace mqtt

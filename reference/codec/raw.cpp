#include "raw.hpp"

#include "varint.hpp"

namespace mqtt {

raw_builder& raw_builder::u8(std::uint8_t v) {
  writer(body_).u8(v);
  return *this;
}

raw_builder& raw_builder::u16(std::uint16_t v) {
  writer(body_).u16(v);
  return *this;
}

raw_builder& raw_builder::u32(std::uint32_t v) {
  writer(body_).u32(v);
  return *this;
}

raw_builder& raw_builder::varint(std::uint32_t v, std::size_t width) {
  if (width == 0) put_varint(body_, v);
  else put_varint_padded(body_, v, width);
  return *this;
}

raw_builder& raw_builder::str(std::string_view s, std::optional<std::uint16_t> length) {
  u16(length.value_or(static_cast<std::uint16_t>(s.size())));
  body_.append(s);
  return *this;
}

raw_builder& raw_builder::bytes(std::string_view s) {
  body_.append(s);
  return *this;
}

raw_builder& raw_builder::props(const properties& ps) {
  writer w(body_);
  write_properties(w, ps);
  return *this;
}

std::string raw_builder::finish(std::uint8_t first_byte) const {
  return finish(first_byte, static_cast<std::uint32_t>(body_.size()));
}

std::string raw_builder::finish(std::uint8_t first_byte, std::uint32_t remaining_length, std::size_t width) const {
  std::string out(1, static_cast<char>(first_byte));
  if (width == 0) put_varint(out, remaining_length);
  else put_varint_padded(out, remaining_length, width);
  return out + body_;
}

}  // namespace mqtt

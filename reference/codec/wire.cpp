#include "wire.hpp"

#include "utf8.hpp"
#include "varint.hpp"

namespace mqtt {

bool reader::fail_at(std::size_t offset, reason_code code, std::string_view spec_id, std::string what) {
  if (!error_) error_ = decode_error{code, spec_id, std::string(to_string(type_)) + ": " + std::move(what), offset};
  return false;
}

bool reader::fail(reason_code code, std::string_view spec_id, std::string what) {
  return fail_at(offset(), code, spec_id, std::move(what));
}

bool reader::need(std::size_t n, std::string_view field) {
  if (error_) return false;
  if (remaining() >= n) return true;
  return fail(reason_code::malformed_packet, "",
              std::string(field) + " needs " + std::to_string(n) + " bytes but " + std::to_string(remaining()) +
                  " remain in the packet");
}

bool reader::u8(std::uint8_t& out, std::string_view field) {
  if (!need(1, field)) return false;
  out = static_cast<std::uint8_t>(data_[pos_++]);
  return true;
}

bool reader::u16(std::uint16_t& out, std::string_view field) {
  if (!need(2, field)) return false;
  out = std::uint16_t(std::uint8_t(data_[pos_]) << 8 | std::uint8_t(data_[pos_ + 1]));
  pos_ += 2;
  return true;
}

bool reader::u32(std::uint32_t& out, std::string_view field) {
  if (!need(4, field)) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) out = out << 8 | std::uint8_t(data_[pos_ + i]);
  pos_ += 4;
  return true;
}

bool reader::varint(std::uint32_t& out, std::string_view field) {
  if (error_) return false;
  auto r = get_varint(rest());
  switch (r.status) {
    case varint_status::ok:
      out = r.value;
      pos_ += r.size;
      return true;
    case varint_status::incomplete:
      return fail(reason_code::malformed_packet, "", std::string(field) + " is cut short by the end of the packet");
    case varint_status::too_long:  // the 4-byte limit of 1.5.5 carries no statement id
      return fail(reason_code::malformed_packet, "",
                  std::string(field) + " is a Variable Byte Integer longer than 4 bytes");
    case varint_status::non_minimal:
      return fail(reason_code::malformed_packet, spec("", "MQTT-1.5.5-1"),
                  std::string(field) + " does not use the minimum number of bytes");
  }
  return false;
}

bool reader::take(std::size_t n, bytes_view& out, std::string_view field) {
  if (!need(n, field)) return false;
  out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool reader::binary(bytes_view& out, std::string_view field) {
  std::uint16_t len;
  return u16(len, field) && take(len, out, field);
}

namespace {

// Printable ASCII (0x20-0x7e) is always valid and needs no per-character decoding;
// topics and client ids almost always are. Indexed and branch-free so it vectorises.
bool printable_ascii(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  unsigned char bad = 0;
  for (std::size_t i = 0; i < s.size(); ++i) bad |= static_cast<unsigned char>(p[i] - 0x20u) > 0x5eu;
  return !bad;
}

}  // namespace

bool reader::utf8(std::string_view& out, std::string_view field) {
  const std::size_t start = offset();
  if (!binary(out, field)) return false;
  if (printable_ascii(out)) return true;
  auto c = check_utf8(out);
  switch (c.status) {
    case utf8_status::ok:
      return true;
    case utf8_status::ill_formed:
      return fail_at(start + 2 + c.offset, reason_code::malformed_packet, spec("MQTT-1.5.3-1", "MQTT-1.5.4-1"),
                     std::string(field) + " is not well-formed UTF-8");
    case utf8_status::surrogate:
      return fail_at(start + 2 + c.offset, reason_code::malformed_packet, spec("MQTT-1.5.3-1", "MQTT-1.5.4-1"),
                     std::string(field) + " encodes a surrogate code point (U+D800..U+DFFF)");
    case utf8_status::null_char:
      return fail_at(start + 2 + c.offset, reason_code::malformed_packet, spec("MQTT-1.5.3-2", "MQTT-1.5.4-2"),
                     std::string(field) + " contains U+0000");
  }
  return false;
}

void writer::u8(std::uint8_t v) {
  if (out_) out_->push_back(static_cast<char>(v));
  size_ += 1;
}

void writer::u16(std::uint16_t v) {
  if (out_) {
    out_->push_back(static_cast<char>(v >> 8));
    out_->push_back(static_cast<char>(v & 0xff));
  }
  size_ += 2;
}

void writer::u32(std::uint32_t v) {
  if (out_)
    for (int shift = 24; shift >= 0; shift -= 8) out_->push_back(static_cast<char>((v >> shift) & 0xff));
  size_ += 4;
}

void writer::varint(std::uint32_t v) {
  if (out_) put_varint(*out_, v);
  size_ += varint_size(v);
}

void writer::prefixed(std::string_view s) {
  u16(static_cast<std::uint16_t>(s.size()));
  raw(s);
}

void writer::raw(std::string_view s) {
  if (out_) out_->append(s);
  size_ += s.size();
}

}  // namespace mqtt

// The pcapng half of capture_reader: sections, interfaces and the three packet blocks
// (enhanced, simple, obsolete); every other block type is skipped.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "capture_reader.hpp"
#include "file_buffer.hpp"
#include "wire_bytes.hpp"

namespace netem {

namespace {

constexpr std::uint32_t section_header = 0x0a0d0d0a;
constexpr std::uint32_t interface_description = 1;
constexpr std::uint32_t obsolete_packet = 2;
constexpr std::uint32_t simple_packet = 3;
constexpr std::uint32_t enhanced_packet = 6;
constexpr std::uint32_t systemd_journal = 9;
constexpr std::uint32_t custom = 0x0bad, custom_no_copy = 0x40000bad;
constexpr std::uint32_t byte_order_magic = 0x1a2b3c4d;

}  // namespace

bool capture_reader::read_section_header(const char* block, std::uint32_t length) {
  if (length < 28) return false;
  const std::uint16_t major = wire::u16(block + 12, big_);
  if (major != 1) {
    fail("unsupported pcapng version " + std::to_string(major));
    return true;
  }
  interfaces_.clear();  // interface ids count from 0 again in each section
  return true;
}

bool capture_reader::read_interface(const char* body, std::uint32_t length) {
  if (length < 8) return false;
  interface i{wire::u16(body, big_), wire::u32(body + 4, big_), false, 6, 0};
  // Options: code, length, value padded to 4 bytes; code 0 ends them.
  std::uint32_t at = 8;
  while (at + 4 <= length) {
    const std::uint16_t code = wire::u16(body + at, big_), size = wire::u16(body + at + 2, big_);
    at += 4;
    if (code == 0 || size > length - at) break;
    if (code == 9 && size >= 1) {  // if_tsresol
      const auto r = static_cast<unsigned char>(body[at]);
      i.binary_resolution = r & 0x80;
      i.exponent = r & 0x7f;
    } else if (code == 14 && size >= 8) {  // if_tsoffset, seconds
      const std::uint64_t hi = wire::u32(body + at, big_), lo = wire::u32(body + at + 4, big_);
      i.offset_s = static_cast<std::int64_t>(big_ ? hi << 32 | lo : lo << 32 | hi);
    }
    at += (size + 3u) & ~3u;
  }
  if ((i.binary_resolution && i.exponent > 63) || (!i.binary_resolution && i.exponent > 19)) {
    fail("interface " + std::to_string(interfaces_.size()) + ": unsupported timestamp resolution");
    return true;
  }
  interfaces_.push_back(i);
  return true;
}

std::chrono::microseconds capture_reader::pcapng_time(const interface& i, std::uint64_t ts) const {
  // Damaged files may hold any values: clamp rather than overflow (about 146,000 years).
  constexpr std::uint64_t limit = std::uint64_t(1) << 62;
  std::uint64_t us;
  if (i.binary_resolution) {
    const std::uint64_t whole = i.exponent ? ts >> i.exponent : ts;
    const std::uint64_t part = i.exponent ? ts & ((std::uint64_t(1) << i.exponent) - 1) : 0;
    us = whole > limit / 1'000'000 ? limit
                                   : whole * 1'000'000 + static_cast<std::uint64_t>(std::ldexp(
                                                             static_cast<long double>(part) * 1'000'000, -i.exponent));
  } else {
    std::uint64_t scale = 1;
    for (int e = std::min(i.exponent, 6); e < std::max(i.exponent, 6); ++e) scale *= 10;
    us = i.exponent > 6 ? ts / scale : ts > limit / scale ? limit : ts * scale;
  }
  const std::int64_t offset = std::clamp<std::int64_t>(i.offset_s, -(std::int64_t(1) << 40), std::int64_t(1) << 40);
  return std::chrono::microseconds(static_cast<std::int64_t>(std::min(us, limit)) + offset * 1'000'000);
}

std::optional<frame> capture_reader::next_pcapng() {
  for (;;) {
    const std::uint64_t at_byte = in_->offset();
    const auto where = [&] { return "block at byte " + std::to_string(at_byte); };
    std::size_t have = 0;
    const char* h = in_->peek(12, &have);
    if (!h) {
      if (have == 0 && in_->read_error().empty()) {
        done_ = true;
        return std::nullopt;
      }
      if (have == 0) return fail("read error at " + where() + ": " + in_->read_error());
      return fail("truncated " + where() + " (after frame " + std::to_string(number_) + "): " +
                  std::to_string(have) + " bytes left");
    }
    std::uint32_t type = wire::u32(h, big_);
    if (type == section_header) {  // a section may change the byte order
      const std::uint32_t magic = wire::le32(h + 8);
      if (magic != byte_order_magic && wire::be32(h + 8) != byte_order_magic)
        return fail(where() + ": section header without the byte-order magic");
      big_ = magic != byte_order_magic;
    }
    const std::uint32_t length = wire::u32(h + 4, big_);
    if (length < 12 || length % 4 != 0 || length > max_record)
      return fail("damaged " + where() + ": block length " + std::to_string(length));
    const char* b = in_->peek(length, &have);
    if (!b)
      return fail("truncated " + where() + " (after frame " + std::to_string(number_) + "): block needs " +
                  std::to_string(length) + " bytes, " + std::to_string(have) + " left");
    if (wire::u32(b + length - 4, big_) != length)
      return fail("damaged " + where() + ": trailing length differs from " + std::to_string(length));
    in_->skip(length);  // the bytes stay in the buffer until the next peek
    const char* body = b + 8;
    const std::uint32_t size = length - 12;
    const auto too_short = [&] { return fail("damaged " + where() + ": block too short for its type"); };
    const auto no_interface = [&](std::uint32_t id) {
      return fail(where() + ": packet on interface " + std::to_string(id) + ", but " +
                  std::to_string(interfaces_.size()) + " interfaces are described");
    };
    switch (type) {
      case section_header:
        if (!read_section_header(b, length)) return too_short();
        if (done_) return std::nullopt;
        break;
      case interface_description:
        if (!read_interface(body, size)) return too_short();
        if (done_) return std::nullopt;
        break;
      case enhanced_packet:
      case obsolete_packet: {
        if (size < 20) return too_short();
        const bool obsolete = type == obsolete_packet;
        const std::uint32_t id = obsolete ? wire::u16(body, big_) : wire::u32(body, big_);
        if (id >= interfaces_.size()) return no_interface(id);
        const std::uint64_t ts = std::uint64_t(wire::u32(body + 4, big_)) << 32 | wire::u32(body + 8, big_);
        const std::uint32_t caplen = wire::u32(body + 12, big_), original = wire::u32(body + 16, big_);
        if (caplen > size - 20) return fail("damaged " + where() + ": packet longer than its block");
        const interface& i = interfaces_[id];
        return make_frame(pcapng_time(i, ts), i.linktype, body + 20, caplen, original);
      }
      case simple_packet: {
        if (size < 4) return too_short();
        if (interfaces_.empty()) return no_interface(0);
        const std::uint32_t original = wire::u32(body, big_);
        std::uint32_t caplen = std::min(original, size - 4);
        if (interfaces_[0].snaplen) caplen = std::min(caplen, interfaces_[0].snaplen);
        return make_frame(last_at_, interfaces_[0].linktype, body + 4, caplen, original);
      }
      case systemd_journal:
      case custom:
      case custom_no_copy:
        ++number_;  // Wireshark shows these as frames: skipped, but counted so numbers match
        break;
      default:
        break;  // statistics, name resolution, decryption secrets, unknown blocks
    }
  }
}

}  // namespace netem

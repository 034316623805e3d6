#include "capture_reader.hpp"

#include <cerrno>
#include <cstring>

#include "file_buffer.hpp"
#include "wire_bytes.hpp"

namespace netem {

namespace {

constexpr std::uint32_t pcap_usec = 0xa1b2c3d4;
constexpr std::uint32_t pcap_nsec = 0xa1b23c4d;
constexpr std::uint32_t pcapng_section = 0x0a0d0d0a;  // the same in both byte orders

std::string hex_start(const char* p, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(p[i]);
    if (i) s += ' ';
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

}  // namespace

capture_reader::capture_reader(const std::string& path) : name_(path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error_ = path + ": " + std::strerror(errno);
    in_ = std::make_unique<file_buffer>(nullptr);
    done_ = true;
    return;
  }
  in_ = std::make_unique<file_buffer>(f);
  open();
}

capture_reader::capture_reader(FILE* f) : in_(std::make_unique<file_buffer>(f)), name_("capture") {
  if (!f) {
    error_ = "capture: no file";
    done_ = true;
    return;
  }
  open();
}

capture_reader::~capture_reader() = default;

std::string capture_reader::format() const {
  switch (kind_) {
    case kind::pcap: return "pcap";
    case kind::pcapng: return "pcapng";
    case kind::none: break;
  }
  return "";
}

std::nullopt_t capture_reader::fail(std::string why) {
  done_ = true;
  error_ = name_ + ": " + why;
  return std::nullopt;
}

void capture_reader::open() {
  std::size_t have = 0;
  const char* p = in_->peek(24, &have);
  if (!p && have == 0) {
    fail(in_->read_error().empty() ? "empty file, not a capture" : "cannot read: " + in_->read_error());
    return;
  }
  p = in_->peek(have);
  const std::uint32_t magic = have >= 4 ? wire::le32(p) : 0;
  if (magic == pcapng_section) {
    kind_ = kind::pcapng;  // the section header is read as the first block
    ok_ = true;
    return;
  }
  const bool pcap_le = magic == pcap_usec || magic == pcap_nsec;
  const bool pcap_be = wire::be32(p) == pcap_usec || wire::be32(p) == pcap_nsec;
  if (have < 4 || (!pcap_le && !pcap_be)) {
    fail("not a pcap or pcapng file (starts with " + hex_start(p, std::min<std::size_t>(have, 4)) + ")");
    return;
  }
  kind_ = kind::pcap;
  if (have < 24) {
    fail("truncated pcap file header: " + std::to_string(have) + " of 24 bytes");
    return;
  }
  big_ = pcap_be;
  nanoseconds_ = wire::u32(p, big_) == pcap_nsec;
  const std::uint16_t major = wire::u16(p + 4, big_);
  if (major != 2) {
    fail("unsupported pcap version " + std::to_string(major));
    return;
  }
  linktype_ = static_cast<int>(wire::u32(p + 20, big_) & 0xffff);  // upper bits: FCS length
  in_->skip(24);
  ok_ = true;
}

std::optional<frame> capture_reader::next() {
  if (done_) return std::nullopt;
  return kind_ == kind::pcap ? next_pcap() : next_pcapng();
}

frame capture_reader::make_frame(std::chrono::microseconds at, int linktype, const char* data,
                                 std::uint32_t caplen, std::uint32_t original) {
  ++number_;
  bytes_read_ += caplen;
  last_at_ = at;
  return frame{number_, at, linktype, std::string_view(data, caplen), original};
}

std::optional<frame> capture_reader::next_pcap() {
  const std::uint64_t at_byte = in_->offset();
  // Built only on an error: no allocation per frame.
  const auto where = [&] { return "frame " + std::to_string(number_ + 1) + " (byte " + std::to_string(at_byte) + ")"; };
  std::size_t have = 0;
  const char* h = in_->peek(16, &have);
  if (!h) {
    if (have == 0 && in_->read_error().empty()) {
      done_ = true;  // a clean end
      return std::nullopt;
    }
    if (have == 0) return fail("read error at " + where() + ": " + in_->read_error());
    return fail("truncated at " + where() + ": record header needs 16 bytes, " + std::to_string(have) + " left");
  }
  const std::uint32_t sec = wire::u32(h, big_), frac = wire::u32(h + 4, big_);
  const std::uint32_t caplen = wire::u32(h + 8, big_), original = wire::u32(h + 12, big_);
  if (caplen > max_record)
    return fail("damaged at " + where() + ": record claims " + std::to_string(caplen) + " bytes");
  const char* r = in_->peek(16 + std::size_t(caplen), &have);
  if (!r)
    return fail("truncated at " + where() + ": record needs " + std::to_string(caplen) + " bytes, " +
                std::to_string(have - 16) + " left");
  in_->skip(16 + std::size_t(caplen));  // the bytes stay in the buffer until the next peek
  const std::int64_t us = std::int64_t(sec) * 1'000'000 + (nanoseconds_ ? frac / 1000 : frac);
  return make_frame(std::chrono::microseconds(us), linktype_, r + 16, caplen, original);
}

}  // namespace netem

#include "frame_parser.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "wire_bytes.hpp"

namespace netem {

namespace {

constexpr std::uint16_t ether_ipv4 = 0x0800, ether_ipv6 = 0x86dd;
constexpr std::uint8_t ip_tcp = 6;

void say(std::string* note, const std::string& text) {
  if (!note) return;
  if (!note->empty()) *note += "; ";
  *note += text;
}

/// A header that does not fit in what was captured: cut by the snaplen, or a damaged frame.
std::nullopt_t short_frame(const frame& f, const char* what, std::size_t need, std::size_t have, std::string* note) {
  if (!note) return std::nullopt;
  const std::string n = "frame " + std::to_string(f.number);
  if (f.data.size() < f.original_length)
    say(note, n + " cut by snaplen: " + std::to_string(f.data.size()) + " of " + std::to_string(f.original_length) +
                  " bytes");
  else
    say(note, n + " truncated: " + what + " needs " + std::to_string(need) + " bytes, " + std::to_string(have) +
                  " captured");
  return std::nullopt;
}

std::nullopt_t malformed(const frame& f, const char* what, std::string* note) {
  if (note) say(note, "frame " + std::to_string(f.number) + ": malformed " + what);
  return std::nullopt;
}

address ip(const char* p, bool v6) {
  address a;
  a.v6 = v6;
  std::copy(p, p + (v6 ? 16 : 4), a.bytes.begin());
  return a;
}

}  // namespace

std::string to_string(const address& a, std::uint16_t port) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), text, sizeof text);
  return a.v6 ? "[" + std::string(text) + "]:" + std::to_string(port) : std::string(text) + ":" + std::to_string(port);
}

std::optional<tcp_segment> frame_parser::parse(const frame& f, std::string* note) {
  if (note) note->clear();
  if (fragments_.pending()) fragments_.expire(f.at, note);  // on every frame: time passes without fragments too
  const std::string_view d = f.data;
  std::size_t at = 0;
  int type = 0;  // an ethertype, also for the link types without one
  switch (f.linktype) {
    case linktype::ethernet:
      if (d.size() < 14) return short_frame(f, "Ethernet header", 14, d.size(), note);
      type = wire::be16(d.data() + 12);
      at = 14;
      // 802.1Q, 802.1ad and the older QinQ tag, possibly stacked.
      while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
        if (d.size() < at + 4) return short_frame(f, "VLAN tag", at + 4, d.size(), note);
        type = wire::be16(d.data() + at + 2);
        at += 4;
      }
      break;
    case linktype::linux_sll:
      if (d.size() < 16) return short_frame(f, "Linux cooked header", 16, d.size(), note);
      type = wire::be16(d.data() + 14);
      at = 16;
      break;
    case linktype::linux_sll2:
      if (d.size() < 20) return short_frame(f, "Linux cooked v2 header", 20, d.size(), note);
      type = wire::be16(d.data());
      at = 20;
      break;
    case linktype::null:
    case linktype::loop: {
      if (d.size() < 4) return short_frame(f, "loopback header", 4, d.size(), note);
      // DLT_NULL's family is in the capturing machine's byte order: try both.
      const std::uint32_t be = wire::be32(d.data());
      const std::uint32_t le = f.linktype == linktype::null ? wire::le32(d.data()) : be;
      const auto is = [&](std::uint32_t family) { return be == family || le == family; };
      type = is(2) ? ether_ipv4 : (is(24) || is(28) || is(30)) ? ether_ipv6 : 0;  // AF_INET; AF_INET6 on BSDs, macOS, Linux
      at = 4;
      break;
    }
    case linktype::raw_12:
    case linktype::raw_14:
    case linktype::raw:
    case linktype::ipv4:
    case linktype::ipv6:
      if (d.empty()) return short_frame(f, "IP header", 1, 0, note);
      switch (static_cast<unsigned char>(d[0]) >> 4) {
        case 4: type = ether_ipv4; break;
        case 6: type = ether_ipv6; break;
        default: return malformed(f, "IP header (version neither 4 nor 6)", note);
      }
      break;
    default:
      say(note, "unsupported link type " + std::to_string(f.linktype));
      return std::nullopt;
  }
  const std::string_view p = d.substr(at);
  if (type == ether_ipv4) return ipv4(f, p, note);
  if (type == ether_ipv6) return ipv6(f, p, note);
  return std::nullopt;  // ARP, LLDP, ...: not ours to mention
}

std::optional<tcp_segment> frame_parser::ipv4(const frame& f, std::string_view p, std::string* note) {
  if (p.size() < 20) return short_frame(f, "IPv4 header", 20, p.size(), note);
  const auto first = static_cast<unsigned char>(p[0]);
  const std::size_t header = (first & 15u) * 4;
  if (first >> 4 != 4 || header < 20) return malformed(f, "IPv4 header", note);
  if (p.size() < header) return short_frame(f, "IPv4 header", header, p.size(), note);
  std::size_t total = wire::be16(p.data() + 2);
  if (total == 0) total = p.size();  // segmentation offload: the length is filled in later
  if (total < header) return malformed(f, "IPv4 header", note);
  if (total > p.size()) return short_frame(f, "IPv4 packet", total, p.size(), note);
  p = p.substr(0, total);  // without Ethernet padding
  if (static_cast<std::uint8_t>(p[9]) != ip_tcp) return std::nullopt;
  const address src = ip(p.data() + 12, false), dst = ip(p.data() + 16, false);
  std::string_view payload = p.substr(header);
  const std::uint16_t fragment = wire::be16(p.data() + 6);
  const bool more = fragment & 0x2000;
  const std::uint32_t offset = (fragment & 0x1fffu) * 8;
  if (more || offset) {
    const ip_fragments::key k{false, src.bytes, dst.bytes, wire::be16(p.data() + 4), ip_tcp};
    const auto whole = fragments_.add(k, offset, more, payload, f.at, note);
    if (!whole) return std::nullopt;
    payload = *whole;
  }
  return tcp(f, src, dst, payload, note);
}

std::optional<tcp_segment> frame_parser::ipv6(const frame& f, std::string_view p, std::string* note) {
  if (p.size() < 40) return short_frame(f, "IPv6 header", 40, p.size(), note);
  if (static_cast<unsigned char>(p[0]) >> 4 != 6) return malformed(f, "IPv6 header", note);
  std::size_t length = wire::be16(p.data() + 4);
  if (length == 0) length = p.size() - 40;  // a jumbogram, or segmentation offload
  if (40 + length > p.size()) return short_frame(f, "IPv6 packet", 40 + length, p.size(), note);
  const address src = ip(p.data() + 8, true), dst = ip(p.data() + 24, true);
  auto next = static_cast<std::uint8_t>(p[6]);
  std::string_view rest = p.substr(40, length);
  bool reassembled = false;
  for (;;) {
    switch (next) {
      case ip_tcp:
        return tcp(f, src, dst, rest, note);
      case 0:    // hop-by-hop options
      case 43:   // routing
      case 60:   // destination options
      case 51: {  // authentication header: its length counts 4-byte units, minus 2
        if (rest.size() < 2) return short_frame(f, "IPv6 extension header", 2, rest.size(), note);
        const std::size_t size = next == 51 ? (static_cast<std::uint8_t>(rest[1]) + 2u) * 4
                                            : (static_cast<std::uint8_t>(rest[1]) + 1u) * 8;
        if (rest.size() < size) return short_frame(f, "IPv6 extension header", size, rest.size(), note);
        next = static_cast<std::uint8_t>(rest[0]);
        rest.remove_prefix(size);
        break;
      }
      case 44: {  // fragment
        if (rest.size() < 8) return short_frame(f, "IPv6 fragment header", 8, rest.size(), note);
        const auto inner = static_cast<std::uint8_t>(rest[0]);
        const std::uint16_t field = wire::be16(rest.data() + 2);
        const std::uint32_t offset = field & 0xfff8u;
        const bool more = field & 1;
        const std::string_view data = rest.substr(8);
        if (offset == 0 && !more) {  // an atomic fragment: the whole datagram
          next = inner;
          rest = data;
          break;
        }
        if (reassembled) return malformed(f, "IPv6 packet (fragment inside a fragment)", note);
        if (inner != ip_tcp && inner != 60) return std::nullopt;  // not TCP: not held
        const ip_fragments::key k{true, src.bytes, dst.bytes, wire::be32(rest.data() + 4), inner};
        const auto whole = fragments_.add(k, offset, more, data, f.at, note);
        if (!whole) return std::nullopt;
        reassembled = true;
        next = inner;
        rest = *whole;
        break;
      }
      default:
        return std::nullopt;  // UDP, ICMPv6, ESP, no next header, ...
    }
  }
}

std::optional<tcp_segment> frame_parser::tcp(const frame& f, const address& src, const address& dst,
                                             std::string_view p, std::string* note) {
  if (p.size() < 20) return short_frame(f, "TCP header", 20, p.size(), note);
  const std::size_t header = (static_cast<unsigned char>(p[12]) >> 4) * 4u;
  if (header < 20) return malformed(f, "TCP header", note);
  if (p.size() < header) return short_frame(f, "TCP header", header, p.size(), note);
  return tcp_segment{src,
                     dst,
                     wire::be16(p.data()),
                     wire::be16(p.data() + 2),
                     wire::be32(p.data() + 4),
                     wire::be32(p.data() + 8),
                     static_cast<std::uint8_t>(p[13]),
                     p.substr(header)};
}

}  // namespace netem

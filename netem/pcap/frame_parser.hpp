// From a captured frame to its TCP segment: the link layer (Ethernet with VLAN tags,
// Linux cooked v1 and v2, raw IP, BSD loopback), IPv4 with options and IPv6 with
// extension headers, fragments of either reassembled, then the TCP header.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "capture_reader.hpp"
#include "ip_fragments.hpp"

namespace netem {

struct address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
  auto operator<=>(const address&) const = default;
};

/// "127.0.0.1:1883", "[::1]:1883"
std::string to_string(const address& a, std::uint16_t port);

struct tcp_segment {
  address src, dst;
  std::uint16_t sport, dport;
  std::uint32_t seq, ack;
  std::uint8_t flags;         // FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10
  std::string_view payload;  // valid until the next parse()
};

namespace tcp_flag {
constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10;
}

/// LINKTYPE_* values this parser reads (as written in capture files).
namespace linktype {
constexpr int null = 0, ethernet = 1, raw_12 = 12, raw_14 = 14, raw = 101, loop = 108, linux_sll = 113,
              ipv4 = 228, ipv6 = 229, linux_sll2 = 276;
}

class frame_parser {
 public:
  /// The TCP segment of a frame, or nullopt (not TCP, not IP, fragment held for reassembly,
  /// unsupported link type, truncated). `note` (when set) says why a frame was skipped in a
  /// way the user should hear about ("unsupported link type 147", "IPv6 fragment dropped",
  /// "frame 12 cut by snaplen: 40 of 1514 bytes"); it is left empty otherwise.
  std::optional<tcp_segment> parse(const frame& f, std::string* note);

  /// Fragments still waiting for the rest of their datagram.
  const ip_fragments& fragments() const { return fragments_; }

 private:
  std::optional<tcp_segment> ipv4(const frame& f, std::string_view p, std::string* note);
  std::optional<tcp_segment> ipv6(const frame& f, std::string_view p, std::string* note);
  std::optional<tcp_segment> tcp(const frame& f, const address& src, const address& dst, std::string_view p,
                                 std::string* note);

  ip_fragments fragments_;
};

}  // namespace netem

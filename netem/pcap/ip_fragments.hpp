// IPv4 and IPv6 fragment reassembly with bounded memory: at most `max_datagrams`
// incomplete datagrams and `max_bytes` held, each for at most `timeout` of capture
// time; what is given up is reported through a note, never silently.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netem {

class ip_fragments {
 public:
  using timestamp = std::chrono::microseconds;
  struct key {
    bool v6;
    std::array<std::uint8_t, 16> src, dst;
    std::uint32_t id;    // Identification: 16 bits in IPv4, 32 in IPv6
    std::uint8_t proto;  // IPv4 protocol, or the IPv6 fragment header's next header
    bool operator==(const key&) const = default;
  };

  explicit ip_fragments(std::size_t max_datagrams = 64, std::size_t max_bytes = 4 << 20,
                        timestamp timeout = std::chrono::seconds(30));

  /// One fragment: `offset` in bytes into the datagram's payload, `more` = more fragments
  /// follow. Returns the whole payload when this fragment completes it (valid until the next
  /// add()); nullopt while it is incomplete or when it had to be dropped. `note` gets why
  /// anything was dropped.
  std::optional<std::string_view> add(const key& k, std::uint32_t offset, bool more, std::string_view data,
                                      timestamp at, std::string* note);

  /// Gives up on datagrams that began more than `timeout` before `at`.
  void expire(timestamp at, std::string* note);

  /// Datagrams still incomplete, and the bytes they hold.
  std::size_t pending() const { return held_.size(); }
  std::size_t pending_bytes() const { return bytes_; }
  /// Datagrams given up so far (timed out, over a limit, or inconsistent).
  std::uint64_t dropped() const { return dropped_; }

  /// A datagram may not exceed this: 65535 minus the smallest IPv4 header.
  static constexpr std::uint32_t max_payload = 65515;

 private:
  struct datagram {
    key k;
    timestamp first_at;
    std::string bytes;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> have;  // received [begin, end), sorted, merged
    std::optional<std::uint32_t> total;                         // known once the last fragment came
  };
  void drop(std::size_t i, const char* why, std::string* note);

  std::size_t max_datagrams_, max_bytes_;
  timestamp timeout_;
  std::vector<datagram> held_;  // few: searched linearly
  std::size_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
  std::string done_;  // the last completed payload
};

}  // namespace netem

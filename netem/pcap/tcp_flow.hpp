// One TCP connection drawn into a capture: synthetic Ethernet/IPv4/TCP headers with
// a SYN/SYN-ACK/ACK opening, correct sequence and acknowledgement numbers, data cut
// at the MSS, and FIN or RST at the end. The broker side always uses port 1883, so
// Wireshark dissects MQTT whatever port was really used.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pcap_file.hpp"

namespace netem {

struct endpoint {
  std::uint32_t ip;  // host order: 10.0.0.1 = 0x0a000001
  std::uint16_t port;
};

/// "10.0.0.1:1883"
std::string to_string(endpoint e);

class tcp_flow {
 public:
  using timestamp = std::chrono::microseconds;

  /// `client` opens the connection to `server`. Nothing is written until open().
  /// `secrets` (may be null): redacted from the client's data (see redact.hpp).
  tcp_flow(pcap_file& out, endpoint client, endpoint server, const std::vector<std::string>* secrets = nullptr);

  /// SYN, SYN-ACK, ACK.
  void open(timestamp at);
  /// Data from the client (upstream) or the server (downstream), with the other
  /// side's acknowledgement right after.
  void data(timestamp at, bool from_client, std::string_view bytes);
  /// FIN from one side, answered by the other side's FIN-ACK and a final ACK.
  void fin(timestamp at, bool from_client);
  /// RST from one side: the flow ends.
  void rst(timestamp at, bool from_client);

  bool ended() const { return ended_; }
  endpoint client() const { return client_; }

  static constexpr std::size_t mss = 1460;

 private:
  struct side {
    endpoint ep;
    std::uint32_t seq;  // next sequence number this side sends
    bool fin_sent = false;
  };
  void segment(timestamp at, side& from, side& to, std::uint8_t flags, std::string_view payload);

  pcap_file& out_;
  endpoint client_;
  const std::vector<std::string>* secrets_;
  side c_, s_;
  bool ended_ = false;
};

}  // namespace netem

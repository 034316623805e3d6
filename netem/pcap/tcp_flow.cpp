#include "tcp_flow.hpp"

#include "redact.hpp"

namespace netem {

namespace {

constexpr std::uint8_t fin_flag = 0x01, syn_flag = 0x02, rst_flag = 0x04, psh_flag = 0x08, ack_flag = 0x10;

void put16(std::string& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<char>(v >> 8);
  b[at + 1] = static_cast<char>(v & 0xff);
}

void put32(std::string& b, std::size_t at, std::uint32_t v) {
  put16(b, at, static_cast<std::uint16_t>(v >> 16));
  put16(b, at + 2, static_cast<std::uint16_t>(v & 0xffff));
}

// RFC 1071 ones' complement sum.
std::uint32_t sum16(std::string_view b, std::uint32_t acc = 0) {
  for (std::size_t i = 0; i + 1 < b.size(); i += 2)
    acc += std::uint32_t(std::uint8_t(b[i]) << 8 | std::uint8_t(b[i + 1]));
  if (b.size() % 2) acc += std::uint32_t(std::uint8_t(b.back()) << 8);
  return acc;
}

std::uint16_t fold(std::uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<std::uint16_t>(~acc & 0xffff);
}

// Initial sequence numbers derived from the endpoints: deterministic per flow.
std::uint32_t isn(endpoint e) { return (e.ip * 2654435761u) ^ (std::uint32_t(e.port) << 16) ^ 0x5eed; }

}  // namespace

std::string to_string(endpoint e) {
  return std::to_string(e.ip >> 24) + "." + std::to_string((e.ip >> 16) & 0xff) + "." +
         std::to_string((e.ip >> 8) & 0xff) + "." + std::to_string(e.ip & 0xff) + ":" + std::to_string(e.port);
}

tcp_flow::tcp_flow(pcap_file& out, endpoint client, endpoint server, const std::vector<std::string>* secrets)
    : out_(out), client_(client), secrets_(secrets), c_{client, isn(client)}, s_{server, isn(server) ^ isn(client)} {}

void tcp_flow::segment(timestamp at, side& from, side& to, std::uint8_t flags, std::string_view payload) {
  std::string f(14 + 20 + 20, '\0');
  // Ethernet: locally administered MACs made from the IPs, type IPv4.
  const auto mac = [&](std::size_t pos, std::uint32_t ip) {
    f[pos] = 0x02;
    f[pos + 1] = 0x00;
    put32(f, pos + 2, ip);
  };
  mac(0, to.ep.ip);
  mac(6, from.ep.ip);
  put16(f, 12, 0x0800);
  // IPv4 header.
  const std::size_t ip = 14;
  f[ip] = 0x45;
  put16(f, ip + 2, static_cast<std::uint16_t>(20 + 20 + payload.size()));
  put16(f, ip + 6, 0x4000);  // don't fragment
  f[ip + 8] = 64;            // TTL
  f[ip + 9] = 6;             // TCP
  put32(f, ip + 12, from.ep.ip);
  put32(f, ip + 16, to.ep.ip);
  put16(f, ip + 10, fold(sum16(std::string_view(f).substr(ip, 20))));
  // TCP header.
  const std::size_t tcp = ip + 20;
  put16(f, tcp, from.ep.port);
  put16(f, tcp + 2, to.ep.port);
  put32(f, tcp + 4, from.seq);
  put32(f, tcp + 8, (flags & ack_flag) ? to.seq : 0);
  f[tcp + 12] = 0x50;  // 5 words, no options
  f[tcp + 13] = static_cast<char>(flags);
  put16(f, tcp + 14, 65535);
  f.append(payload);
  // Checksum over the pseudo-header, the TCP header and the payload.
  std::string pseudo(12, '\0');
  put32(pseudo, 0, from.ep.ip);
  put32(pseudo, 4, to.ep.ip);
  pseudo[9] = 6;
  put16(pseudo, 10, static_cast<std::uint16_t>(20 + payload.size()));
  put16(f, tcp + 16, fold(sum16(std::string_view(f).substr(tcp), sum16(pseudo))));
  out_.write(at, f);
  from.seq += static_cast<std::uint32_t>(payload.size()) + ((flags & (syn_flag | fin_flag)) ? 1 : 0);
}

void tcp_flow::open(timestamp at) {
  segment(at, c_, s_, syn_flag, {});
  segment(at, s_, c_, syn_flag | ack_flag, {});
  segment(at, c_, s_, ack_flag, {});
}

void tcp_flow::data(timestamp at, bool from_client, std::string_view bytes) {
  if (ended_ || bytes.empty()) return;
  std::string clean;
  if (from_client && secrets_ && !secrets_->empty()) bytes = clean = redact(bytes, *secrets_);
  side& from = from_client ? c_ : s_;
  side& to = from_client ? s_ : c_;
  for (std::size_t pos = 0; pos < bytes.size(); pos += mss)
    segment(at, from, to, psh_flag | ack_flag, bytes.substr(pos, mss));
  segment(at, to, from, ack_flag, {});
}

void tcp_flow::fin(timestamp at, bool from_client) {
  if (ended_) return;
  side& from = from_client ? c_ : s_;
  side& to = from_client ? s_ : c_;
  if (from.fin_sent) return;
  from.fin_sent = true;
  segment(at, from, to, fin_flag | ack_flag, {});
  segment(at, to, from, ack_flag, {});
  if (to.fin_sent) ended_ = true;
}

void tcp_flow::rst(timestamp at, bool from_client) {
  if (ended_) return;
  segment(at, from_client ? c_ : s_, from_client ? s_ : c_, rst_flag | ack_flag, {});
  ended_ = true;
}

}  // namespace netem

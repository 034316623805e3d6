#include "stream_sync.hpp"

#include "reference/codec/fixed_header.hpp"

namespace mqttspec::exchange {

namespace {

// Bytes looked at for a boundary before giving up on a stretch of the stream.
constexpr std::size_t max_scan = 64 * 1024;

}  // namespace

bool plausible_first_byte(std::uint8_t b) {
  mqtt::fixed_header h;
  h.first = b;
  return static_cast<bool>(mqtt::check_type_and_flags(h, mqtt::protocol_version::v5));
}

std::optional<std::size_t> plausible_packet(std::string_view data) {
  // Version 5 knows every type (AUTH included); its flag rules are those of 3.1.1.
  auto h = mqtt::read_fixed_header(data, mqtt::protocol_version::v5);
  if (!h || !*h) return std::nullopt;
  if (!mqtt::check_type_and_flags(**h, mqtt::protocol_version::v5)) return std::nullopt;
  return (*h)->packet_size();
}

boundary find_boundary(std::string_view data, std::optional<mqtt::protocol_version> v) {
  const auto decodes = [&](std::string_view packet) {
    if (v) return static_cast<bool>(mqtt::decode(packet, *v));
    return mqtt::decode(packet, mqtt::protocol_version::v5) || mqtt::decode(packet, mqtt::protocol_version::v311);
  };
  const std::size_t end = std::min(data.size(), max_scan);
  for (std::size_t i = 0; i < end; ++i) {
    const auto rest = data.substr(i);
    auto size = plausible_packet(rest);
    if (!size) {
      // A known type whose length is cut short: wait for the rest of the header.
      if (rest.size() < 5 && plausible_first_byte(static_cast<std::uint8_t>(rest[0]))) return {boundary::kind::need_more, i};
      continue;
    }
    if (*size > rest.size()) {
      // A packet that runs past what we have: wait for it unless it is absurd.
      if (*size <= max_scan) return {boundary::kind::need_more, i};
      continue;
    }
    if (!decodes(rest.substr(0, *size))) continue;
    const auto after = rest.substr(*size);
    if (after.empty() || plausible_packet(after) || after.size() < 2) return {boundary::kind::found, i};
  }
  return {data.size() > max_scan ? boundary::kind::none : boundary::kind::need_more, end};
}

namespace {

// Votes of the whole packets at the start of one direction. A packet that decodes in
// one version only decides. So does a PUBLISH that decodes in both with 5.0
// properties: a 3.1.1 payload is seldom a valid property block. One with empty 5.0
// properties, against a 3.1.1 payload starting with their zero length byte, leans to 5.0.
void vote(std::string_view data, int& v5_only, int& v311_only, int& leans_v5) {
  for (int n = 0; n < 32 && !data.empty(); ++n) {
    auto size = plausible_packet(data);
    if (!size || *size > data.size()) return;
    const auto packet = data.substr(0, *size);
    const auto as5 = mqtt::decode(packet, mqtt::protocol_version::v5);
    const auto as311 = mqtt::decode(packet, mqtt::protocol_version::v311);
    if (as5 && !as311) ++v5_only;
    if (as311 && !as5) ++v311_only;
    if (as5 && as311) {
      const auto* p5 = std::get_if<mqtt::publish>(&*as5);
      const auto* p311 = std::get_if<mqtt::publish>(&*as311);
      if (p5 && p311 && !p5->props.empty()) ++v5_only;
      else if (p5 && p311 && !p311->payload.empty() && p311->payload[0] == '\0') ++leans_v5;
    }
    data.remove_prefix(*size);
  }
}

}  // namespace

std::optional<mqtt::protocol_version> guess_version(std::string_view client, std::string_view server,
                                                    std::size_t* decisive) {
  int v5 = 0, v311 = 0, leans_v5 = 0;
  vote(client, v5, v311, leans_v5);
  vote(server, v5, v311, leans_v5);
  // Three PUBLISHes leaning the same way tell as much as one that decides.
  if (v5 + v311 == 0 && leans_v5 >= 3) v5 = 1;
  if (decisive) *decisive = static_cast<std::size_t>(v5 + v311);
  if (v5 > 0 && v311 == 0) return mqtt::protocol_version::v5;
  if (v311 > 0 && v5 == 0) return mqtt::protocol_version::v311;
  if (v5 != v311) return v5 > v311 ? mqtt::protocol_version::v5 : mqtt::protocol_version::v311;
  return std::nullopt;
}

}  // namespace mqttspec::exchange

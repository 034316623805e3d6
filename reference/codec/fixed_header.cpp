#include "fixed_header.hpp"

#include "packets/fields.hpp"
#include "varint.hpp"

namespace mqtt {

result<std::optional<fixed_header>> read_fixed_header(bytes_view in, protocol_version v) {
  if (in.empty()) return std::optional<fixed_header>{};
  fixed_header h;
  h.first = static_cast<std::uint8_t>(in[0]);
  auto r = get_varint(in.substr(1));
  const bool v5 = v == protocol_version::v5;
  switch (r.status) {
    case varint_status::incomplete:
      return std::optional<fixed_header>{};
    case varint_status::too_long:
      return decode_error{reason_code::malformed_packet, "",
                          "remaining length is longer than 4 bytes (over 268,435,455)", 1};
    case varint_status::non_minimal:
      return decode_error{reason_code::malformed_packet, v5 ? "MQTT-1.5.5-1" : "",
                          "remaining length does not use the minimum number of bytes", 1};
    case varint_status::ok:
      break;
  }
  h.remaining_length = r.value;
  h.size = static_cast<std::uint8_t>(1 + r.size);
  return std::optional<fixed_header>{h};
}

status check_type_and_flags(const fixed_header& h, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  const auto t = h.type();
  if (t == packet_type::reserved || (t == packet_type::auth && !v5))
    return decode_error{reason_code::malformed_packet, "",
                        "packet type " + std::to_string(int(t)) + " is reserved in MQTT " + std::string(to_string(v)),
                        0};
  if (t == packet_type::publish) return ok();  // DUP, QoS and RETAIN are judged by PUBLISH
  const bool two = t == packet_type::pubrel || t == packet_type::subscribe || t == packet_type::unsubscribe;
  const std::uint8_t want = two ? 0x2 : 0x0;
  if (h.flags() == want) return ok();
  std::string_view id = v5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-2";
  switch (t) {
    case packet_type::pubrel: id = "MQTT-3.6.1-1"; break;
    case packet_type::subscribe: id = "MQTT-3.8.1-1"; break;
    case packet_type::unsubscribe: id = "MQTT-3.10.1-1"; break;
    case packet_type::disconnect: id = "MQTT-3.14.1-1"; break;
    case packet_type::auth: id = "MQTT-3.15.1-1"; break;
    default: break;
  }
  static constexpr const char* bits[] = {"0000", "0001", "0010", "0011", "0100", "0101", "0110", "0111",
                                         "1000", "1001", "1010", "1011", "1100", "1101", "1110", "1111"};
  return decode_error{reason_code::malformed_packet, id,
                      "reserved flags of " + std::string(to_string(t)) + " must be " + bits[want] + ", not " +
                          bits[h.flags()],
                      0};
}

}  // namespace mqtt

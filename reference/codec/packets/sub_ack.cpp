#include "sub_ack.hpp"

namespace mqtt {

namespace {

constexpr bool has_codes(packet_type t, protocol_version v) {
  return t == packet_type::suback || v == protocol_version::v5;
}

bool valid_311_suback_code(reason_code c) {
  auto b = static_cast<std::uint8_t>(c);
  return b <= 2 || b == 0x80;
}

}  // namespace

template <packet_type T>
bool parse(reader& r, std::uint8_t, sub_ack<T>& p) {
  if (!r.u16(p.packet_id, "packet identifier")) return false;
  if (r.version() == protocol_version::v5 && !read_properties(r, p.props)) return false;
  if (!has_codes(T, r.version())) {
    if (!r.at_end()) return r.fail(reason_code::malformed_packet, "", "remaining length must be 2 in 3.1.1");
    return true;
  }
  for (char c : r.rest()) p.codes.push_back(static_cast<reason_code>(static_cast<std::uint8_t>(c)));
  r.skip_rest();
  return true;
}

template <packet_type T>
status check(const sub_ack<T>& p, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  if (p.packet_id == 0)
    return violation(T, reason_code::protocol_error, v5 ? "MQTT-2.2.1-6" : "MQTT-2.3.1-7",
                     "packet identifier 0 cannot match any packet sent");
  if (v5)
    if (auto s = check_properties(p.props, location_of(T), 2); !s) return s;
  if (!has_codes(T, v)) return ok();
  if (p.codes.empty()) {
    // 3.1.1's MQTT-3.8.4-6 is about delivered QoS; 3.8.4-5 asks for a code per filter.
    std::string_view id = T == packet_type::unsuback ? "MQTT-3.11.3-2" : v5 ? "MQTT-3.8.4-6" : "MQTT-3.8.4-5";
    return violation(T, reason_code::protocol_error, id, "no reason code");
  }
  for (auto c : p.codes) {
    const bool good = v5 ? allowed_in(c, T) : valid_311_suback_code(c);
    if (!good) {
      std::string_view id = T == packet_type::suback ? "MQTT-3.9.3-2" : "MQTT-3.11.3-2";
      return violation(T, reason_code::protocol_error, id,
                       "code " + hex_byte(std::uint8_t(c)) + " is not defined for " + std::string(to_string(T)));
    }
  }
  return ok();
}

template <packet_type T>
void emit(writer& w, const sub_ack<T>& p, protocol_version v) {
  w.u16(p.packet_id);
  if (v == protocol_version::v5) write_properties(w, p.props);
  if (!has_codes(T, v)) return;
  for (auto c : p.codes) w.u8(static_cast<std::uint8_t>(c));
}

template <packet_type T>
void fields(field_list& out, const sub_ack<T>& p, protocol_version v) {
  out.emplace_back("id", std::to_string(p.packet_id));
  if (!has_codes(T, v)) return;
  std::string list;
  for (auto c : p.codes) list += (list.empty() ? "" : " ") + (v == protocol_version::v5 ? name(c) : hex_byte(std::uint8_t(c)));
  out.emplace_back("codes", "[" + list + "]");
  if (v == protocol_version::v5 && !p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

#define MQTT_INSTANTIATE(T)                                                   \
  template bool parse(reader&, std::uint8_t, sub_ack<T>&);                    \
  template status check(const sub_ack<T>&, protocol_version);                 \
  template void emit(writer&, const sub_ack<T>&, protocol_version);           \
  template void fields(field_list&, const sub_ack<T>&, protocol_version);
MQTT_INSTANTIATE(packet_type::suback)
MQTT_INSTANTIATE(packet_type::unsuback)
#undef MQTT_INSTANTIATE

}  // namespace mqtt

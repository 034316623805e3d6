#include "pub_response.hpp"

namespace mqtt {

namespace {

// "MUST use one of the <type> Reason Codes" (5.0 sections 3.4.2 to 3.7.2).
constexpr std::string_view reason_code_rule(packet_type t) {
  switch (t) {
    case packet_type::puback: return "MQTT-3.4.2-1";
    case packet_type::pubrec: return "MQTT-3.5.2-1";
    case packet_type::pubrel: return "MQTT-3.6.2-1";
    default: return "MQTT-3.7.2-1";
  }
}

}  // namespace

template <packet_type T>
bool parse(reader& r, std::uint8_t, pub_response<T>& p) {
  if (!r.u16(p.packet_id, "packet identifier")) return false;
  if (r.version() == protocol_version::v311) {
    if (!r.at_end()) return r.fail(reason_code::malformed_packet, "", "remaining length must be 2 in 3.1.1");
    return true;
  }
  return parse_reason_tail(r, p.code, p.props);
}

template <packet_type T>
status check(const pub_response<T>& p, protocol_version v) {
  if (p.packet_id == 0)
    return violation(T, reason_code::protocol_error, v == protocol_version::v5 ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6",
                     "packet identifier 0 cannot match any packet sent");
  if (v == protocol_version::v311) return ok();
  if (!allowed_in(p.code, T))
    return violation(T, reason_code::protocol_error, reason_code_rule(T),
                     "reason code " + hex_byte(std::uint8_t(p.code)) + " is not defined for " + std::string(to_string(T)),
                     2);
  return check_properties(p.props, location_of(T), 3);
}

template <packet_type T>
void emit(writer& w, const pub_response<T>& p, protocol_version v) {
  w.u16(p.packet_id);
  if (v == protocol_version::v311) return;
  emit_reason_tail(w, p.code, p.props);
}

template <packet_type T>
void fields(field_list& out, const pub_response<T>& p, protocol_version v) {
  out.emplace_back("id", std::to_string(p.packet_id));
  if (v == protocol_version::v311) return;
  out.emplace_back("rc", name(p.code));
  if (!p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

#define MQTT_INSTANTIATE(T)                                                        \
  template bool parse(reader&, std::uint8_t, pub_response<T>&);                    \
  template status check(const pub_response<T>&, protocol_version);                 \
  template void emit(writer&, const pub_response<T>&, protocol_version);           \
  template void fields(field_list&, const pub_response<T>&, protocol_version);
MQTT_INSTANTIATE(packet_type::puback)
MQTT_INSTANTIATE(packet_type::pubrec)
MQTT_INSTANTIATE(packet_type::pubrel)
MQTT_INSTANTIATE(packet_type::pubcomp)
#undef MQTT_INSTANTIATE

}  // namespace mqtt

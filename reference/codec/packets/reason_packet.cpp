#include "reason_packet.hpp"

namespace mqtt {

template <packet_type T>
bool parse(reader& r, std::uint8_t, reason_packet<T>& p) {
  if (r.version() == protocol_version::v311) {
    if (r.at_end()) return true;
    return r.fail(reason_code::malformed_packet, "", "remaining length must be 0 in 3.1.1");
  }
  return parse_reason_tail(r, p.code, p.props);
}

template <packet_type T>
status check(const reason_packet<T>& p, protocol_version v) {
  if (v == protocol_version::v311) return ok();
  if (!allowed_in(p.code, T))
    return violation(T, reason_code::protocol_error, T == packet_type::auth ? "MQTT-3.15.2-1" : "MQTT-3.14.2-1",
                     "reason code " + hex_byte(std::uint8_t(p.code)) + " is not defined for " +
                         std::string(to_string(T)));
  return check_properties(p.props, location_of(T), 1);
}

template <packet_type T>
void emit(writer& w, const reason_packet<T>& p, protocol_version v) {
  if (v == protocol_version::v311) return;
  emit_reason_tail(w, p.code, p.props);
}

template <packet_type T>
void fields(field_list& out, const reason_packet<T>& p, protocol_version v) {
  if (v == protocol_version::v311) return;
  out.emplace_back("rc", name(p.code));
  if (!p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

#define MQTT_INSTANTIATE(T)                                                         \
  template bool parse(reader&, std::uint8_t, reason_packet<T>&);                    \
  template status check(const reason_packet<T>&, protocol_version);                 \
  template void emit(writer&, const reason_packet<T>&, protocol_version);           \
  template void fields(field_list&, const reason_packet<T>&, protocol_version);
MQTT_INSTANTIATE(packet_type::disconnect)
MQTT_INSTANTIATE(packet_type::auth)
#undef MQTT_INSTANTIATE

}  // namespace mqtt

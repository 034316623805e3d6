#include "connack.hpp"

namespace mqtt {

bool parse(reader& r, std::uint8_t, connack& p) {
  std::uint8_t ack_flags, code;
  if (!r.u8(ack_flags, "connect acknowledge flags") || !r.u8(code, "reason code")) return false;
  if (ack_flags & 0xfe)
    return r.fail_at(r.offset() - 2, reason_code::malformed_packet, r.spec("", "MQTT-3.2.2-1"),
                     "reserved bits 7-1 of the acknowledge flags are not 0: " + hex_byte(ack_flags));
  p.session_present = ack_flags & 0x01;
  p.code = static_cast<reason_code>(code);
  if (r.version() == protocol_version::v5) {
    if (!read_properties(r, p.props)) return false;
  }
  if (!r.at_end()) return r.fail(reason_code::malformed_packet, "", "bytes follow the last field");
  return true;
}

// Offsets count from the variable header (acknowledge flags = 0); decode adds the fixed header.
status check(const connack& p, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  const auto code = static_cast<std::uint8_t>(p.code);
  if (v5 && !allowed_in(p.code, packet_type::connack))
    return violation(packet_type::connack, reason_code::protocol_error, "MQTT-3.2.2-8",
                     "reason code " + hex_byte(code) + " is not a Connect Reason Code", 1);
  if (!v5 && code > 5)
    return violation(packet_type::connack, reason_code::protocol_error, "",
                     "return code " + hex_byte(code) + " is reserved", 1);
  if (p.session_present && code != 0)
    return violation(packet_type::connack, reason_code::protocol_error, v5 ? "MQTT-3.2.2-6" : "MQTT-3.2.2-4",
                     "session present is 1 with a non-zero code", 0);
  if (v5) return check_properties(p.props, property_location::connack, 2);
  return ok();
}

void emit(writer& w, const connack& p, protocol_version v) {
  w.u8(p.session_present ? 1 : 0);
  w.u8(static_cast<std::uint8_t>(p.code));
  if (v == protocol_version::v5) write_properties(w, p.props);
}

void fields(field_list& out, const connack& p, protocol_version v) {
  out.emplace_back("session_present", p.session_present ? "1" : "0");
  if (v == protocol_version::v5) {
    out.emplace_back("rc", name(p.code));
    if (!p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
  } else {
    out.emplace_back("rc", std::to_string(static_cast<int>(p.code)));
  }
}

}  // namespace mqtt

// The reason code and properties that end 5.0 acknowledgements, DISCONNECT and AUTH
// (sections 3.4.2.1, 3.14.2.1, 3.15.2.1: both may be omitted, meaning 0x00 and none).
#include "fields.hpp"

namespace mqtt {

bool parse_reason_tail(reader& r, reason_code& code, properties& props) {
  if (r.at_end()) return true;
  std::uint8_t rc;
  if (!r.u8(rc, "reason code")) return false;
  code = static_cast<reason_code>(rc);
  if (r.at_end()) return true;
  if (!read_properties(r, props)) return false;
  if (!r.at_end()) return r.fail(reason_code::malformed_packet, "", "bytes follow the properties");
  return true;
}

void emit_reason_tail(writer& w, reason_code code, const properties& props) {
  // The shortest form the spec allows.
  if (code == reason_code::success && props.empty()) return;
  w.u8(static_cast<std::uint8_t>(code));
  if (props.empty()) return;
  write_properties(w, props);
}

}  // namespace mqtt

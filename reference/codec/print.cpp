// Small text helpers shared by the packet printers.
#include <cstdio>

#include "packets/fields.hpp"

namespace mqtt {

std::string_view to_string(protocol_version v) { return v == protocol_version::v5 ? "5" : "3.1.1"; }

std::string_view to_string(packet_type t) {
  static constexpr std::string_view names[] = {"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC",
                                               "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE",
                                               "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};
  return names[static_cast<std::uint8_t>(t) & 0xf];
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string size_text(std::size_t n) { return std::to_string(n) + "B"; }

std::string hex_byte(std::uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b);
  return buf;
}

decode_error violation(packet_type t, reason_code code, std::string_view spec_id, std::string what,
                       std::size_t offset) {
  return decode_error{code, spec_id, std::string(to_string(t)) + ": " + std::move(what), offset};
}

std::string to_string(const decode_error& e) {
  std::string out;
  if (!e.spec_id.empty()) out += std::string(e.spec_id) + ": ";
  out += e.what + " (" + name(e.code) + " at byte " + std::to_string(e.offset) + ")";
  return out;
}

}  // namespace mqtt

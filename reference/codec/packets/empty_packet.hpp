// PINGREQ and PINGRESP (sections 3.12, 3.13): a fixed header and nothing else.
#pragma once

#include "fields.hpp"

namespace mqtt {

template <packet_type Type>
struct empty_packet {
  static constexpr packet_type type = Type;
  friend bool operator==(const empty_packet&, const empty_packet&) = default;
};

using pingreq = empty_packet<packet_type::pingreq>;
using pingresp = empty_packet<packet_type::pingresp>;

template <packet_type T>
bool parse(reader& r, std::uint8_t, empty_packet<T>&) {
  if (r.at_end()) return true;
  return r.fail(reason_code::malformed_packet, "", "remaining length must be 0");
}
template <packet_type T>
status check(const empty_packet<T>&, protocol_version) { return ok(); }
template <packet_type T>
void emit(writer&, const empty_packet<T>&, protocol_version) {}
template <packet_type T>
constexpr std::uint8_t flags(const empty_packet<T>&) { return 0; }
template <packet_type T>
void fields(field_list&, const empty_packet<T>&, protocol_version) {}

}  // namespace mqtt

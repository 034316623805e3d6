// DISCONNECT (section 3.14) and AUTH (section 3.15, 5.0 only): a reason code and
// properties, both omitted when the code is 0x00 and there are no properties.
#pragma once

#include "fields.hpp"

namespace mqtt {

template <packet_type Type>
struct reason_packet {
  static constexpr packet_type type = Type;
  reason_code code = reason_code::success;  // 5.0 only
  properties props;                         // 5.0 only

  friend bool operator==(const reason_packet&, const reason_packet&) = default;
};

using disconnect = reason_packet<packet_type::disconnect>;
using auth = reason_packet<packet_type::auth>;

template <packet_type T>
bool parse(reader& r, std::uint8_t flags, reason_packet<T>& p);
template <packet_type T>
status check(const reason_packet<T>& p, protocol_version v);
template <packet_type T>
void emit(writer& w, const reason_packet<T>& p, protocol_version v);
template <packet_type T>
constexpr std::uint8_t flags(const reason_packet<T>&) { return 0; }
template <packet_type T>
void fields(field_list& out, const reason_packet<T>& p, protocol_version v);

}  // namespace mqtt

// PUBACK, PUBREC, PUBREL and PUBCOMP (sections 3.4-3.7): one shape, four types.
#pragma once

#include "fields.hpp"

namespace mqtt {

template <packet_type Type>
struct pub_response {
  static constexpr packet_type type = Type;
  std::uint16_t packet_id = 0;
  reason_code code = reason_code::success;  // 5.0 only
  properties props;                         // 5.0 only

  friend bool operator==(const pub_response&, const pub_response&) = default;
};

using puback = pub_response<packet_type::puback>;
using pubrec = pub_response<packet_type::pubrec>;
using pubrel = pub_response<packet_type::pubrel>;
using pubcomp = pub_response<packet_type::pubcomp>;

template <packet_type T>
bool parse(reader& r, std::uint8_t flags, pub_response<T>& p);
template <packet_type T>
status check(const pub_response<T>& p, protocol_version v);
template <packet_type T>
void emit(writer& w, const pub_response<T>& p, protocol_version v);
template <packet_type T>
constexpr std::uint8_t flags(const pub_response<T>&) { return T == packet_type::pubrel ? 0x2 : 0x0; }
template <packet_type T>
void fields(field_list& out, const pub_response<T>& p, protocol_version v);

}  // namespace mqtt

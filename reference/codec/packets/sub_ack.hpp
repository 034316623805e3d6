// SUBACK (section 3.9) and UNSUBACK (section 3.11): a packet identifier and one
// reason code per topic filter (UNSUBACK has none in 3.1.1).
#pragma once

#include "fields.hpp"

namespace mqtt {

template <packet_type Type>
struct sub_ack {
  static constexpr packet_type type = Type;
  std::uint16_t packet_id = 0;
  properties props;                // 5.0 only
  std::vector<reason_code> codes;  // SUBACK in 3.1.1: return codes 0x00-0x02, 0x80

  friend bool operator==(const sub_ack&, const sub_ack&) = default;
};

using suback = sub_ack<packet_type::suback>;
using unsuback = sub_ack<packet_type::unsuback>;

template <packet_type T>
bool parse(reader& r, std::uint8_t flags, sub_ack<T>& p);
template <packet_type T>
status check(const sub_ack<T>& p, protocol_version v);
template <packet_type T>
void emit(writer& w, const sub_ack<T>& p, protocol_version v);
template <packet_type T>
constexpr std::uint8_t flags(const sub_ack<T>&) { return 0; }
template <packet_type T>
void fields(field_list& out, const sub_ack<T>& p, protocol_version v);

}  // namespace mqtt

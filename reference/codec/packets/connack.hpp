// CONNACK (section 3.2).
#pragma once

#include "fields.hpp"

namespace mqtt {

struct connack {
  static constexpr packet_type type = packet_type::connack;
  bool session_present = false;
  /// 5.0 Connect Reason Code; in 3.1.1 the Connect Return Code (0-5) in the same byte.
  reason_code code = reason_code::success;
  properties props;  // 5.0 only

  friend bool operator==(const connack&, const connack&) = default;
};

bool parse(reader& r, std::uint8_t flags, connack& p);
status check(const connack& p, protocol_version v);
void emit(writer& w, const connack& p, protocol_version v);
constexpr std::uint8_t flags(const connack&) { return 0; }
void fields(field_list& out, const connack& p, protocol_version v);

}  // namespace mqtt

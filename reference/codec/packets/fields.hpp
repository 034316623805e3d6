// What every packet file provides to the codec: parse (structure), check (rules),
// emit (body bytes), flags (fixed header low nibble) and fields (for printing).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../error.hpp"
#include "../property.hpp"
#include "../types.hpp"
#include "../wire.hpp"

namespace mqtt {

/// Named values of a packet in wire order, printed on one line or as a dump.
using field_list = std::vector<std::pair<std::string, std::string>>;

/// "a/b" with quotes, non-printable bytes as \xNN.
std::string quoted(std::string_view s);
/// "5B" for payload sizes.
std::string size_text(std::size_t n);
std::string hex_byte(std::uint8_t b);

/// The optional tail of 5.0 acknowledgements, DISCONNECT and AUTH: a reason code,
/// then properties, each omitted when the code is 0x00 and there are none.
bool parse_reason_tail(reader& r, reason_code& code, properties& props);
void emit_reason_tail(writer& w, reason_code code, const properties& props);

/// A decode_error for a packet that parsed but breaks a rule.
decode_error violation(packet_type t, reason_code code, std::string_view spec_id, std::string what,
                       std::size_t offset = 0);

}  // namespace mqtt

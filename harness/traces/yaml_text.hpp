// Small pieces of YAML text for the scenarios `replay --to-yaml` writes: strings that
// survive any bytes a capture holds, and numbers without noise. (Bytes that cannot be
// text go as hex: mqtt::to_hex.)
#pragma once

#include <string>
#include <string_view>

namespace mqttspec::traces {

/// Can `s` be written as a YAML string and read back as the same bytes? (Well-formed
/// UTF-8 without U+0000; anything else goes as hex.)
bool yaml_text_ok(std::string_view s);

/// `s` double-quoted, control characters and line separators escaped. Needs yaml_text_ok(s).
std::string quoted(std::string_view s);

/// "0.25", "3", "1.5": a number with at most three decimals.
std::string number(double x);

}  // namespace mqttspec::traces

// Hex text as scenario authors write it: "30 05 | 00 03 61 2f 62", any case, with
// spaces, newlines and '|' field separators ignored.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mqtt {

struct hex_parse {
  bool ok = false;
  std::string bytes;
  std::size_t error_at = 0;  // character offset of the problem
  std::string error;         // "odd number of hex digits", "'g' is not a hex digit"
};

hex_parse parse_hex(std::string_view text);

}  // namespace mqtt

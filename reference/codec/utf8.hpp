// UTF-8 Encoded String rules (3.1.1 section 1.5.3, 5.0 section 1.5.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mqtt {

enum class utf8_status : std::uint8_t {
  ok,
  ill_formed,  // not well-formed UTF-8 (RFC 3629): bad lead, bad continuation, overlong, > U+10FFFF
  surrogate,   // encodes U+D800..U+DFFF
  null_char,   // encodes U+0000
};

struct utf8_check_result {
  utf8_status status = utf8_status::ok;
  std::size_t offset = 0;       // where the first problem starts
  bool control_chars = false;   // U+0001..U+001F or U+007F..U+009F: a SHOULD NOT
  bool non_characters = false;  // U+FFFE, U+FFFF and the like: a SHOULD NOT
};

/// Checks every rule; BOM (EF BB BF) is an ordinary character and never stripped.
utf8_check_result check_utf8(std::string_view s);

}  // namespace mqtt

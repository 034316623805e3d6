#include "hex.hpp"

namespace mqtt {

namespace {

int digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool separator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '|' || c == ','; }

}  // namespace

hex_parse parse_hex(std::string_view text) {
  hex_parse r;
  int high = -1;
  std::size_t high_at = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (separator(c)) {
      if (high >= 0) {
        r.error_at = high_at;
        r.error = "a byte needs two hex digits";
        return r;
      }
      continue;
    }
    const int d = digit(c);
    if (d < 0) {
      r.error_at = i;
      r.error = std::string("'") + c + "' is not a hex digit";
      return r;
    }
    if (high < 0) {
      high = d;
      high_at = i;
    } else {
      r.bytes.push_back(static_cast<char>(high << 4 | d));
      high = -1;
    }
  }
  if (high >= 0) {
    r.error_at = high_at;
    r.error = "a byte needs two hex digits";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace mqtt

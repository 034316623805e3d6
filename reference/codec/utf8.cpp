#include "utf8.hpp"

namespace mqtt {

namespace {

bool is_control(std::uint32_t cp) { return (cp >= 0x01 && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f); }

bool is_non_character(std::uint32_t cp) {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

}  // namespace

utf8_check_result check_utf8(std::string_view s) {
  utf8_check_result r;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t start = i;
    std::uint32_t cp = p[i];
    if (cp < 0x80) {
      ++i;
      if (cp == 0) return {utf8_status::null_char, start, r.control_chars, r.non_characters};
      if (is_control(cp)) r.control_chars = true;
      continue;
    }
    std::size_t len;
    std::uint32_t min;
    if ((cp & 0xe0) == 0xc0) { len = 2; cp &= 0x1f; min = 0x80; }
    else if ((cp & 0xf0) == 0xe0) { len = 3; cp &= 0x0f; min = 0x800; }
    else if ((cp & 0xf8) == 0xf0) { len = 4; cp &= 0x07; min = 0x10000; }
    else return {utf8_status::ill_formed, start, r.control_chars, r.non_characters};
    if (n - i < len) return {utf8_status::ill_formed, start, r.control_chars, r.non_characters};
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return {utf8_status::ill_formed, start, r.control_chars, r.non_characters};
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    i += len;
    if (cp < min || cp > 0x10ffff) return {utf8_status::ill_formed, start, r.control_chars, r.non_characters};
    if (cp >= 0xd800 && cp <= 0xdfff) return {utf8_status::surrogate, start, r.control_chars, r.non_characters};
    if (is_control(cp)) r.control_chars = true;
    if (is_non_character(cp)) r.non_characters = true;
  }
  return r;
}

}  // namespace mqtt

#include "redact.hpp"

namespace netem {

std::string redact(std::string_view bytes, const std::vector<std::string>& secrets) {
  std::string out(bytes);
  for (const auto& s : secrets) {
    if (s.empty() || s.size() > 0xffff) continue;
    std::string prefixed;
    prefixed += static_cast<char>(s.size() >> 8);
    prefixed += static_cast<char>(s.size() & 0xff);
    prefixed += s;
    for (auto at = out.find(prefixed); at != std::string::npos; at = out.find(prefixed, at + prefixed.size()))
      out.replace(at + 2, s.size(), s.size(), '*');
  }
  return out;
}

}  // namespace netem

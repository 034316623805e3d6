// Secrets out of captures and hex dumps: a password travels in CONNECT as a 2-byte
// length and its bytes; every such occurrence is overwritten with '*', so the capture
// still decodes and shows where the password was, but not what it was.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netem {

std::string redact(std::string_view bytes, const std::vector<std::string>& secrets);

}  // namespace netem

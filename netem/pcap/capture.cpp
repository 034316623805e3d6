#include "capture.hpp"

namespace netem {

capture::capture(const std::string& path, timestamp epoch) : file_(path, epoch) {}

tcp_flow& capture::new_flow() {
  const auto n = static_cast<std::uint32_t>(flows_.size()) + 1;
  const endpoint client{0x0a010000 + n, static_cast<std::uint16_t>(49152 + n % 16384)};
  flows_.push_back(std::make_unique<tcp_flow>(file_, client, broker, &secrets_));
  return *flows_.back();
}

}  // namespace netem

#include "stop.hpp"

#include <atomic>

namespace mqttspec::run {

namespace {
std::atomic<std::uint8_t> reason{0};
static_assert(std::atomic<std::uint8_t>::is_always_lock_free, "set from a signal handler");
}  // namespace

void request_stop(stop_reason why) {
  std::uint8_t none = 0;
  reason.compare_exchange_strong(none, static_cast<std::uint8_t>(why));
}

stop_reason stop_requested() { return static_cast<stop_reason>(reason.load()); }

void reset_stop() { reason.store(0); }

}  // namespace mqttspec::run

// Why a run ends before its last case: the user interrupted it (SIGINT, SIGTERM), or
// the broker stopped answering. One flag per process, set from a signal handler or a
// worker, read by the runner between cases and by the real driver while it waits.
#pragma once

#include <cstdint>

namespace mqttspec::run {

enum class stop_reason : std::uint8_t { none, interrupted, broker_silent };

/// Async-signal-safe. The first reason set wins.
void request_stop(stop_reason why);
stop_reason stop_requested();
/// For a new run in the same process (tests).
void reset_stop();

}  // namespace mqttspec::run

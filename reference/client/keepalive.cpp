// Timers: the CONNACK wait, PINGREQ after keep_alive seconds of silence from us
// (MQTT-3.1.2-20 / MQTT-3.1.2-23), and a broker that does not answer it.
#include "state.hpp"

namespace mqtt::client {

std::optional<timestamp> core::impl::next_deadline() const {
  if (phase_ == phase::connecting) return connack_deadline_;
  if (phase_ != phase::connected) return std::nullopt;
  if (ping_deadline_) return ping_deadline_;
  if (keep_alive_ == 0) return std::nullopt;
  return last_sent_ + std::chrono::seconds(keep_alive_);
}

void core::impl::check_timers(std::vector<action>& out) {
  if (phase_ == phase::connecting && connack_deadline_ && now_ >= *connack_deadline_) {
    end_connection(reason_code::unspecified_error, origin::local, "no CONNACK in time", true, out);
    return;
  }
  if (phase_ != phase::connected) return;
  if (ping_deadline_) {
    if (now_ >= *ping_deadline_)
      end_connection(reason_code::keep_alive_timeout, origin::local, "no PINGRESP in time: the broker is gone", true,
                     out);
    return;
  }
  if (keep_alive_ > 0 && now_ >= last_sent_ + std::chrono::seconds(keep_alive_)) {
    send(pingreq{}, out);
    ping_deadline_ = now_ + opts_.pingresp_timeout;
  }
}

void core::impl::rearm(bool force, std::vector<action>& out) {
  const auto at = next_deadline();
  if (!at) return;
  // The driver keeps the earliest time it holds; a later deadline is re-armed when that fires.
  if (!force && armed_ && *armed_ <= *at) return;
  armed_ = at;
  out.push_back(arm_timer{*at});
}

}  // namespace mqtt::client

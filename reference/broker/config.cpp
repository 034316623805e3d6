// The fault table: names for --fault, what each breaks, and the ids it breaks.
#include "config.hpp"

namespace mqtt::broker {

const std::vector<fault_info>& all_faults() {
  static const std::vector<fault_info> table = {
      {fault::no_will, "no-will", "never publish wills", "MQTT-3.1.2-8"},
      {fault::ignore_keepalive, "ignore-keepalive", "never close a connection whose keep alive lapsed",
       "MQTT-3.1.2-24 (3.1.1), MQTT-3.1.2-22 (5.0)"},
      {fault::qos2_twice, "qos2-twice", "deliver every QoS 2 message twice",
       "MQTT-4.3.3-2 (3.1.1), MQTT-4.3.3-10 (5.0)"},
      {fault::drop_retained, "drop-retained", "never store retained messages", "MQTT-3.3.1-5"},
      {fault::wrong_suback_qos, "wrong-suback-qos", "grant QoS 2 in SUBACK whatever was requested",
       "MQTT-3.8.4-5 (3.1.1), MQTT-3.8.4-7 (5.0)"},
      {fault::reorder, "reorder", "deliver queued messages to each subscriber newest first",
       "MQTT-4.6.0-6 (3.1.1), MQTT-4.6.0-5 (5.0)"},
      {fault::no_dup_on_redelivery, "no-dup-on-redelivery", "redeliver unacknowledged PUBLISHes with DUP 0",
       "MQTT-3.3.1-1"},
      {fault::will_on_disconnect, "will-on-disconnect", "publish the will after a normal DISCONNECT",
       "MQTT-3.1.2-10, MQTT-3.14.4-3"},
      {fault::session_present_always_0, "session-present-always-0",
       "CONNACK Session Present 0 even with a stored session", "MQTT-3.2.2-2 (3.1.1), MQTT-3.2.2-3 (5.0)"},
      {fault::no_retain_flag_on_subscribe, "no-retain-flag-on-subscribe",
       "send retained messages on subscribe with RETAIN 0", "MQTT-3.3.1-8 (3.1.1), MQTT-3.3.1-9 (5.0)"},
      {fault::accept_second_connect, "accept-second-connect", "ignore a second CONNECT", "MQTT-3.1.0-2"},
      {fault::accept_reserved_flags, "accept-reserved-flags", "accept packets with wrong reserved flags",
       "MQTT-2.2.2-2 (3.1.1), MQTT-2.1.3-1 (5.0)"},
  };
  return table;
}

std::optional<fault> parse_fault(std::string_view name) {
  for (const auto& f : all_faults()) {
    if (f.name == name) return f.f;
    // Accept snake_case too: "no_will".
    if (f.name.size() == name.size()) {
      bool same = true;
      for (std::size_t i = 0; i < name.size() && same; ++i)
        same = f.name[i] == name[i] || (f.name[i] == '-' && name[i] == '_');
      if (same) return f.f;
    }
  }
  return std::nullopt;
}

std::string_view fault_name(fault f) {
  for (const auto& i : all_faults())
    if (i.f == f) return i.name;
  return "unknown";
}

}  // namespace mqtt::broker

#include "reason_code.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>

namespace mqtt {

std::string name(reason_code rc) {
  switch (rc) {
#define X(n) case reason_code::n: return #n;
    X(success) X(granted_qos_1) X(granted_qos_2) X(disconnect_with_will_message) X(no_matching_subscribers)
    X(no_subscription_existed) X(continue_authentication) X(re_authenticate) X(unspecified_error)
    X(malformed_packet) X(protocol_error) X(implementation_specific_error) X(unsupported_protocol_version)
    X(client_identifier_not_valid) X(bad_user_name_or_password) X(not_authorized) X(server_unavailable)
    X(server_busy) X(banned) X(server_shutting_down) X(bad_authentication_method) X(keep_alive_timeout)
    X(session_taken_over) X(topic_filter_invalid) X(topic_name_invalid) X(packet_identifier_in_use)
    X(packet_identifier_not_found) X(receive_maximum_exceeded) X(topic_alias_invalid) X(packet_too_large)
    X(message_rate_too_high) X(quota_exceeded) X(administrative_action) X(payload_format_invalid)
    X(retain_not_supported) X(qos_not_supported) X(use_another_server) X(server_moved)
    X(shared_subscriptions_not_supported) X(connection_rate_exceeded) X(maximum_connect_time)
    X(subscription_identifiers_not_supported) X(wildcard_subscriptions_not_supported)
#undef X
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "unknown_0x%02x", static_cast<unsigned>(rc));
  return buf;
}

namespace {

using codes = std::initializer_list<std::uint8_t>;

// Per-packet tables of 5.0 sections 3.2.2.2, 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1,
// 3.9.3, 3.11.3, 3.14.2.1 and 3.15.2.1.
constexpr codes connack_codes{0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
                              0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f};
constexpr codes puback_codes{0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
constexpr codes pubrel_codes{0x00, 0x92};
constexpr codes suback_codes{0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2};
constexpr codes unsuback_codes{0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91};
constexpr codes disconnect_codes{0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94,
                                 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2};
constexpr codes auth_codes{0x00, 0x18, 0x19};

bool in(codes list, reason_code rc) {
  return std::find(list.begin(), list.end(), static_cast<std::uint8_t>(rc)) != list.end();
}

class category : public std::error_category {
 public:
  const char* name() const noexcept override { return "mqtt.reason_code"; }
  std::string message(int c) const override { return mqtt::name(static_cast<reason_code>(c)); }
};

}  // namespace

bool allowed_in(reason_code rc, packet_type t) {
  switch (t) {
    case packet_type::connack: return in(connack_codes, rc);
    case packet_type::puback:
    case packet_type::pubrec: return in(puback_codes, rc);
    case packet_type::pubrel:
    case packet_type::pubcomp: return in(pubrel_codes, rc);
    case packet_type::suback: return in(suback_codes, rc);
    case packet_type::unsuback: return in(unsuback_codes, rc);
    case packet_type::disconnect: return in(disconnect_codes, rc);
    case packet_type::auth: return in(auth_codes, rc);
    default: return false;
  }
}

const std::error_category& reason_category() {
  static const category c;
  return c;
}

std::error_code make_error_code(reason_code rc) { return {static_cast<int>(rc), reason_category()}; }

}  // namespace mqtt

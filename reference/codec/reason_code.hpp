// MQTT 5.0 reason codes (section 2.4) as an error-code enum, plus the table of which
// codes each packet may carry.
#pragma once

#include <cstdint>
#include <string_view>
#include <system_error>

#include "types.hpp"

namespace mqtt {

enum class reason_code : std::uint8_t {
  success = 0x00,  // also normal_disconnection and granted_qos_0
  granted_qos_1 = 0x01,
  granted_qos_2 = 0x02,
  disconnect_with_will_message = 0x04,
  no_matching_subscribers = 0x10,
  no_subscription_existed = 0x11,
  continue_authentication = 0x18,
  re_authenticate = 0x19,
  unspecified_error = 0x80,
  malformed_packet = 0x81,
  protocol_error = 0x82,
  implementation_specific_error = 0x83,
  unsupported_protocol_version = 0x84,
  client_identifier_not_valid = 0x85,
  bad_user_name_or_password = 0x86,
  not_authorized = 0x87,
  server_unavailable = 0x88,
  server_busy = 0x89,
  banned = 0x8a,
  server_shutting_down = 0x8b,
  bad_authentication_method = 0x8c,
  keep_alive_timeout = 0x8d,
  session_taken_over = 0x8e,
  topic_filter_invalid = 0x8f,
  topic_name_invalid = 0x90,
  packet_identifier_in_use = 0x91,
  packet_identifier_not_found = 0x92,
  receive_maximum_exceeded = 0x93,
  topic_alias_invalid = 0x94,
  packet_too_large = 0x95,
  message_rate_too_high = 0x96,
  quota_exceeded = 0x97,
  administrative_action = 0x98,
  payload_format_invalid = 0x99,
  retain_not_supported = 0x9a,
  qos_not_supported = 0x9b,
  use_another_server = 0x9c,
  server_moved = 0x9d,
  shared_subscriptions_not_supported = 0x9e,
  connection_rate_exceeded = 0x9f,
  maximum_connect_time = 0xa0,
  subscription_identifiers_not_supported = 0xa1,
  wildcard_subscriptions_not_supported = 0xa2,
};

inline constexpr reason_code normal_disconnection = reason_code::success;
inline constexpr reason_code granted_qos_0 = reason_code::success;

/// snake_case name of the code ("malformed_packet"); "unknown_0xNN" for others.
std::string name(reason_code rc);

/// True when `rc` is one of the codes 5.0 defines for packets of type `t`
/// (Table 2-6 and the per-packet reason code tables of chapter 3).
bool allowed_in(reason_code rc, packet_type t);

/// The category that makes `reason_code` usable as a std::error_code.
const std::error_category& reason_category();
std::error_code make_error_code(reason_code rc);

/// 3.1.1 CONNACK return codes (section 3.2.2.3).
enum class connack_return_code : std::uint8_t {
  accepted = 0,
  unacceptable_protocol_version = 1,
  identifier_rejected = 2,
  server_unavailable = 3,
  bad_user_name_or_password = 4,
  not_authorized = 5,
};

}  // namespace mqtt

template <>
struct std::is_error_code_enum<mqtt::reason_code> : std::true_type {};

// Basic wire enumerations shared by every packet of MQTT 3.1.1 and 5.0.
#pragma once

#include <cstdint>
#include <string_view>

namespace mqtt {

/// Protocol Level byte of CONNECT (3.1.1 section 3.1.2.2, 5.0 section 3.1.2.2).
enum class protocol_version : std::uint8_t { v311 = 4, v5 = 5 };

/// "3.1.1" or "5".
std::string_view to_string(protocol_version v);

/// Control packet type, the high nibble of the fixed header's first byte.
enum class packet_type : std::uint8_t {
  reserved = 0,
  connect = 1,
  connack = 2,
  publish = 3,
  puback = 4,
  pubrec = 5,
  pubrel = 6,
  pubcomp = 7,
  subscribe = 8,
  suback = 9,
  unsubscribe = 10,
  unsuback = 11,
  pingreq = 12,
  pingresp = 13,
  disconnect = 14,
  auth = 15,  // 5.0 only; reserved in 3.1.1
};

/// Upper-case name as the spec writes it: "PUBLISH".
std::string_view to_string(packet_type t);

enum class qos : std::uint8_t { at_most_once = 0, at_least_once = 1, exactly_once = 2 };

/// Bytes as they travel; binary data and payloads are views like strings.
using bytes_view = std::string_view;

}  // namespace mqtt

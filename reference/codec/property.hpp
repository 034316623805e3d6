// MQTT 5.0 properties (section 2.2.2): the 27 identifiers, their wire types, and one
// table saying where each may appear and how often. Properties stay an ordered list,
// so duplicates and odd orders survive decoding and can be forged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "types.hpp"
#include "wire.hpp"

namespace mqtt {

enum class property_id : std::uint8_t {
  payload_format_indicator = 0x01,
  message_expiry_interval = 0x02,
  content_type = 0x03,
  response_topic = 0x08,
  correlation_data = 0x09,
  subscription_identifier = 0x0b,
  session_expiry_interval = 0x11,
  assigned_client_identifier = 0x12,
  server_keep_alive = 0x13,
  authentication_method = 0x15,
  authentication_data = 0x16,
  request_problem_information = 0x17,
  will_delay_interval = 0x18,
  request_response_information = 0x19,
  response_information = 0x1a,
  server_reference = 0x1c,
  reason_string = 0x1f,
  receive_maximum = 0x21,
  topic_alias_maximum = 0x22,
  topic_alias = 0x23,
  maximum_qos = 0x24,
  retain_available = 0x25,
  user_property = 0x26,
  maximum_packet_size = 0x27,
  wildcard_subscription_available = 0x28,
  subscription_identifier_available = 0x29,
  shared_subscription_available = 0x2a,
};

enum class property_type : std::uint8_t { byte, two_byte, four_byte, varint, utf8, binary, utf8_pair };

/// Where a property list sits: a packet type, or the Will Properties of CONNECT.
enum class property_location : std::uint8_t {
  connect = 1, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe, suback,
  unsubscribe, unsuback, disconnect = 14, auth = 15, will = 16,
};

constexpr property_location location_of(packet_type t) { return static_cast<property_location>(t); }

/// One row of the property table (Table 2-4 of the spec).
struct property_info {
  property_id id;
  std::string_view name;  // snake_case
  property_type type;
  std::uint32_t locations;  // bit i set: allowed in property_location i
  bool repeatable;          // user_property; subscription_identifier in PUBLISH only
  std::uint32_t min = 0, max = 0;  // range of integer values; max 0 = any
};

/// The row for `id`, or nullptr for an identifier the spec does not define.
const property_info* find_property_info(std::uint8_t id);
const property_info& info(property_id id);
bool allowed_in(property_id id, property_location where);

/// One property as it was on the wire: integer types use `number`, strings and binary
/// data use `text`, a user property (string pair) uses `text` as name and `value`.
struct property {
  property_id id;
  std::uint32_t number = 0;
  std::string_view text;
  std::string_view value;

  friend bool operator==(const property&, const property&) = default;
};

using properties = std::vector<property>;

/// The first property with this id, or nullptr.
const property* find(const properties& ps, property_id id);
/// The number of the first property with this id.
std::optional<std::uint32_t> number_of(const properties& ps, property_id id);
/// The string or binary data of the first property with this id.
std::optional<std::string_view> text_of(const properties& ps, property_id id);

/// Reads a property length and the properties after it. Structural errors only
/// (unknown id, wrong type, truncation, bad UTF-8): a Malformed Packet.
bool read_properties(reader& r, properties& out, std::string_view field = "properties");

/// Rules a well-formed list can still break: placement, duplicates, value ranges.
/// Placement errors are malformed (2.2.2.2); duplicates and bad values are protocol errors.
status check_properties(const properties& ps, property_location where, std::size_t offset = 0);

/// Wire size of the list without its length prefix.
std::size_t properties_size(const properties& ps);
/// Writes the property length and the list.
void write_properties(writer& w, const properties& ps);

/// `payload_format_indicator=1 user_property=("k","v")`
std::string to_string(const properties& ps);

}  // namespace mqtt

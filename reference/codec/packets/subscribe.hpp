// SUBSCRIBE (section 3.8) and UNSUBSCRIBE (section 3.10).
#pragma once

#include "fields.hpp"

namespace mqtt {

/// One Topic Filter with its Subscription Options byte (5.0 section 3.8.3.1).
struct subscription {
  std::string_view filter;
  mqtt::qos max_qos = qos::at_most_once;
  bool no_local = false;               // 5.0 only
  bool retain_as_published = false;    // 5.0 only
  std::uint8_t retain_handling = 0;    // 5.0 only: 0, 1 or 2

  friend bool operator==(const subscription&, const subscription&) = default;
};

struct subscribe {
  static constexpr packet_type type = packet_type::subscribe;
  std::uint16_t packet_id = 0;
  properties props;  // 5.0 only
  std::vector<subscription> topics;

  friend bool operator==(const subscribe&, const subscribe&) = default;
};

struct unsubscribe {
  static constexpr packet_type type = packet_type::unsubscribe;
  std::uint16_t packet_id = 0;
  properties props;  // 5.0 only
  std::vector<std::string_view> filters;

  friend bool operator==(const unsubscribe&, const unsubscribe&) = default;
};

bool parse(reader& r, std::uint8_t flags, subscribe& p);
status check(const subscribe& p, protocol_version v);
void emit(writer& w, const subscribe& p, protocol_version v);
constexpr std::uint8_t flags(const subscribe&) { return 0x2; }
void fields(field_list& out, const subscribe& p, protocol_version v);

bool parse(reader& r, std::uint8_t flags, unsubscribe& p);
status check(const unsubscribe& p, protocol_version v);
void emit(writer& w, const unsubscribe& p, protocol_version v);
constexpr std::uint8_t flags(const unsubscribe&) { return 0x2; }
void fields(field_list& out, const unsubscribe& p, protocol_version v);

}  // namespace mqtt

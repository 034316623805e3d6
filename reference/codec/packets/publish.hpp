// PUBLISH (section 3.3): topic and payload are views into the decoded bytes.
#pragma once

#include "fields.hpp"

namespace mqtt {

struct publish {
  static constexpr packet_type type = packet_type::publish;
  bool dup = false;
  mqtt::qos qos = qos::at_most_once;
  bool retain = false;
  std::string_view topic;
  std::uint16_t packet_id = 0;  // present only when qos > 0
  properties props;             // 5.0 only
  bytes_view payload;

  friend bool operator==(const publish&, const publish&) = default;
};

bool parse(reader& r, std::uint8_t flags, publish& p);
status check(const publish& p, protocol_version v);
void emit(writer& w, const publish& p, protocol_version v);
std::uint8_t flags(const publish& p);
void fields(field_list& out, const publish& p, protocol_version v);

}  // namespace mqtt

// CONNECT (section 3.1). The packet names its own protocol version: the decoder
// reads the Protocol Level and ignores the version it was given.
#pragma once

#include <optional>

#include "fields.hpp"

namespace mqtt {

struct will_message {
  std::string_view topic;
  bytes_view payload;
  mqtt::qos qos = qos::at_most_once;
  bool retain = false;
  properties props;  // 5.0 only: Will Properties

  friend bool operator==(const will_message&, const will_message&) = default;
};

struct connect {
  static constexpr packet_type type = packet_type::connect;
  protocol_version version = protocol_version::v5;
  bool clean_start = true;  // CleanSession in 3.1.1
  std::uint16_t keep_alive = 60;  // seconds
  properties props;  // 5.0 only
  std::string_view client_id;
  std::optional<will_message> will;
  std::optional<std::string_view> user_name;
  std::optional<bytes_view> password;

  friend bool operator==(const connect&, const connect&) = default;
};

/// Reads the protocol name and level at the start of a CONNECT body, so the rest can
/// be decoded with the right version. Fails with unsupported_protocol_version.
result<protocol_version> peek_connect_version(bytes_view body, std::size_t base);

bool parse(reader& r, std::uint8_t flags, connect& p);
status check(const connect& p, protocol_version v);
/// Writes the version `p.version` says, whatever `v` is.
void emit(writer& w, const connect& p, protocol_version v);
constexpr std::uint8_t flags(const connect&) { return 0; }
void fields(field_list& out, const connect& p, protocol_version v);

}  // namespace mqtt

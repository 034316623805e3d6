// Reading MQTT from the middle of a byte stream: a capture that starts after the
// connection did, or bytes lost to a gap. Where does the next packet begin, and
// which protocol version is this?
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "reference/codec/codec.hpp"

namespace mqttspec::exchange {

/// What find_boundary() saw.
struct boundary {
  enum class kind { found, need_more, none } what = kind::none;
  std::size_t offset = 0;  // found: the first packet starts here
};

/// The first offset of `data` where a packet of version `v` (either version when
/// none is given) starts that decodes whole and is followed by the end of `data` or
/// by another plausible fixed header. need_more: a candidate runs past the end.
boundary find_boundary(std::string_view data, std::optional<mqtt::protocol_version> v);

/// A known packet type with the fixed flags of its type.
bool plausible_first_byte(std::uint8_t b);

/// The size of the packet `data` starts with when its fixed header is plausible
/// (a known type with its fixed flags, a well-formed length); nullopt otherwise or
/// when the header is cut.
std::optional<std::size_t> plausible_packet(std::string_view data);

/// The version under which the whole packets at the start of `client` and `server`
/// (each from a packet boundary) decode; nullopt when they do not tell (all decode
/// under both, or neither). `decisive` counts the packets that told.
std::optional<mqtt::protocol_version> guess_version(std::string_view client, std::string_view server,
                                                    std::size_t* decisive = nullptr);

}  // namespace mqttspec::exchange

// Whole packets: bytes -> validated packet, packet -> bytes, packet -> text.
//
//   auto p = mqtt::decode(bytes, mqtt::protocol_version::v5);
//   if (!p) report(p.error());   // names the rule broken: "MQTT-3.8.1-1: ..."
//
// Decoded packets hold views into `bytes`: keep the bytes alive as long as the packet.
#pragma once

#include <string>

#include "packet.hpp"

namespace mqtt {

/// Decodes exactly one whole packet (fixed header included) in two phases: parse,
/// which finds Malformed Packets, then check, which finds Protocol Errors. A CONNECT
/// is decoded with the version its Protocol Level names, whatever `v` is.
result<packet> decode(bytes_view bytes, protocol_version v);

/// Only the second phase: the rules a packet breaks, for packets built in code.
status check(const packet& p, protocol_version v);

/// Appends the packet's bytes. Encodes what it is given, valid or not (duplicate
/// properties, zero packet ids, a reason code of the wrong packet), so tests can forge.
void encode(const packet& p, protocol_version v, std::string& out);
std::string encode(const packet& p, protocol_version v);
/// Bytes the packet takes on the wire, fixed header included.
std::size_t encoded_size(const packet& p, protocol_version v);

/// One line: PUBLISH qos=1 dup=0 retain=0 id=7 topic="a/b" payload=5B props=[...]
std::string to_string(const packet& p, protocol_version v);
/// The fields to_string() prints, as (name, value) pairs: "qos" "1", "topic" "\"a/b\"".
field_list fields_of(const packet& p, protocol_version v);
/// One field per line, indented, with the bytes in hex when given.
std::string dump(const packet& p, protocol_version v, bytes_view bytes = {});

/// Space-separated lower-case hex: "30 05 00 03 61 2f 62".
std::string to_hex(bytes_view bytes);

}  // namespace mqtt

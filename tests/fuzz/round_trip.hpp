// What every fuzz target checks about a packet the codec accepted.
#pragma once

#include <cstddef>
#include <cstdint>

#include "reference/codec/codec.hpp"

namespace mqtt::fuzz {

/// The input's first byte: bit 0 picks the version (1: 5.0, 0: 3.1.1), bits 1-7 a
/// chunk size of 1-128 bytes for targets that cut the stream.
struct input_options {
  protocol_version version;
  std::size_t chunk;
};
input_options read_options(std::uint8_t first);

/// Encoding `p` gives bytes that decode to an equal packet, and encoding that packet
/// again gives the same bytes; encoded_size() agrees and printing works. Prints what
/// differs and aborts otherwise, so libFuzzer saves the input.
void check_round_trip(const packet& p, protocol_version v);

/// Prints the message and the bytes, then aborts.
[[noreturn]] void fail(const char* what, bytes_view bytes);

}  // namespace mqtt::fuzz

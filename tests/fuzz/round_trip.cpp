#include "round_trip.hpp"

#include <cstdio>
#include <cstdlib>

namespace mqtt::fuzz {

input_options read_options(std::uint8_t first) {
  return {(first & 1) ? protocol_version::v5 : protocol_version::v311, std::size_t(first >> 1) + 1};
}

void fail(const char* what, bytes_view bytes) {
  std::fprintf(stderr, "round trip: %s\n  bytes: %s\n", what, to_hex(bytes.substr(0, 512)).c_str());
  std::abort();
}

void check_round_trip(const packet& p, protocol_version v) {
  // A CONNECT is written and read with the version it names.
  if (const auto* c = std::get_if<connect>(&p)) v = c->version;
  const std::string once = encode(p, v);
  if (once.size() != encoded_size(p, v)) fail("encoded_size() differs from the encoded bytes", once);
  auto again = decode(once, v);
  if (!again) {
    std::fprintf(stderr, "%s\n  original: %s\n", to_string(again.error()).c_str(), to_string(p, v).c_str());
    fail("the re-encoded packet does not decode", once);
  }
  if (*again != p) {
    std::fprintf(stderr, "  original: %s\n  re-read:  %s\n", to_string(p, v).c_str(), to_string(*again, v).c_str());
    fail("the re-encoded packet decodes to a different packet", once);
  }
  const std::string twice = encode(*again, v);
  if (twice != once) fail("encoding the re-read packet gives different bytes", twice);
  // Printing must cope with anything the decoder accepts.
  if (to_string(p, v).empty() || dump(p, v, once).empty()) fail("empty text for a packet", once);
}

}  // namespace mqtt::fuzz

// mqtt::decode of one whole packet: no crash on any bytes, and every packet it
// accepts survives encode -> decode -> encode unchanged.
#include "round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto opts = mqtt::fuzz::read_options(data[0]);
  const mqtt::bytes_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  auto p = mqtt::decode(bytes, opts.version);
  if (!p) {
    // The offset points into the packet, or just past it for a cut fixed header.
    if (p.error().offset > bytes.size()) mqtt::fuzz::fail("error offset beyond the packet", bytes);
    (void)to_string(p.error());
    return 0;
  }
  mqtt::fuzz::check_round_trip(*p, opts.version);
  return 0;
}

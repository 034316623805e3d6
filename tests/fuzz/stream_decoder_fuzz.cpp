// mqtt::stream_decoder over any bytes in chunks of 1-128 bytes: no crash, the same
// packets and error as when the stream is fed whole, and every packet accepted
// survives encode -> decode -> encode unchanged.
#include <string>
#include <vector>

#include "reference/codec/stream_decoder.hpp"
#include "round_trip.hpp"

namespace {

// What a stream decodes to: each packet's bytes, then the error or leftover bytes.
struct outcome {
  std::vector<std::string> frames;
  std::string error;  // "code@offset", empty when the stream ended cleanly
  std::size_t left_over = 0;

  bool operator==(const outcome&) const = default;
};

// Drains `d`; returns false once it has failed.
bool drain(mqtt::stream_decoder& d, mqtt::bytes_view stream, outcome& out) {
  for (;;) {
    const auto at = d.offset();
    auto r = d.next();
    if (!r) {
      out.error = std::to_string(int(r.error().code)) + "@" + std::to_string(r.error().offset);
      if (r.error().offset > stream.size()) mqtt::fuzz::fail("error offset beyond the stream", stream);
      return false;
    }
    if (!*r) return true;
    if (d.offset() <= at || d.offset() > stream.size()) mqtt::fuzz::fail("offset did not advance", stream);
    mqtt::fuzz::check_round_trip(**r, d.version());
    out.frames.emplace_back(stream.substr(at, d.offset() - at));
  }
}

outcome run(mqtt::bytes_view stream, mqtt::protocol_version v, std::size_t chunk) {
  mqtt::stream_decoder d(v);
  outcome out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    d.feed(stream.substr(at, chunk));
    if (!drain(d, stream, out)) return out;
  }
  out.left_over = d.buffered();
  if (d.offset() + d.buffered() != stream.size()) mqtt::fuzz::fail("bytes lost", stream);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto opts = mqtt::fuzz::read_options(data[0]);
  const mqtt::bytes_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  const outcome cut = run(stream, opts.version, opts.chunk);
  if (!(cut == run(stream, opts.version, stream.size() + 1)))
    mqtt::fuzz::fail("cutting the stream changed what it decodes to", stream);
  return 0;
}

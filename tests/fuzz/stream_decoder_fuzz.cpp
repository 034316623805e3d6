// mqtt::stream_decoder over any bytes in chunks of 1-128 bytes: no crash, the same
// packets and error as when the stream is fed whole, and every packet accepted
// survives encode -> decode -> encode unchanged. Read in place (next_frame(in), as the
// broker reads), the chunks give the same packets and error too.
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

// The same through next_frame(in): each chunk in storage of its own that is gone after
// its round (ASan sees any view kept too long), decoded as the broker does.
outcome run_in_place(mqtt::bytes_view stream, mqtt::protocol_version v, std::size_t chunk) {
  mqtt::stream_decoder d(v);
  outcome out;
  auto failed = [&](const mqtt::decode_error& e, std::uint64_t offset) {
    out.error = std::to_string(int(e.code)) + "@" + std::to_string(offset);
    return out;
  };
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    const std::string own(stream.substr(at, chunk));
    mqtt::bytes_view in = own;
    for (;;) {
      const auto start = d.offset();
      auto f = d.next_frame(in);
      if (!f) return failed(f.error(), f.error().offset);
      if (!*f) break;
      if (**f != stream.substr(start, d.offset() - start)) mqtt::fuzz::fail("in place: wrong frame bytes", stream);
      auto p = mqtt::decode(**f, d.version());
      if (!p) return failed(p.error(), start + p.error().offset);
      if (auto* c = std::get_if<mqtt::connect>(&*p)) d.set_version(c->version);
      out.frames.emplace_back(**f);
    }
    d.feed(in);
  }
  out.left_over = d.buffered();
  if (d.offset() + d.buffered() != stream.size()) mqtt::fuzz::fail("in place: bytes lost", stream);
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
  if (!(cut == run_in_place(stream, opts.version, opts.chunk)))
    mqtt::fuzz::fail("reading the chunks in place changed what they decode to", stream);
  return 0;
}

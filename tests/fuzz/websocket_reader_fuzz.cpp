// The WebSocket reader on arbitrary bytes: a valid upgrade (so that frames are reached)
// or the input itself as the upgrade, then the input cut into client and server
// segments at points the input chooses. Besides crashes it checks that no empty MQTT
// bytes come out and that nothing comes out after a failure.
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/analyze/websocket_reader.hpp"

namespace {

const std::string request =
    "GET / HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
const std::string response =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Protocol: mqtt\r\n\r\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::uint8_t control = data[0];
  mqttspec::analyze::websocket_reader ws;
  std::uint64_t sum = 0;
  ws.attach([&](bool, std::string_view b, std::uint64_t, mqttspec::checks::timestamp) {
    if (b.empty() || ws.failed()) __builtin_trap();
    for (char c : b) sum += static_cast<unsigned char>(c);
  });
  if (control & 1) {  // upgraded: the input is frames
    ws.data(false, request, 0, {});
    ws.data(true, response, 0, {});
  }
  // Segments of 1 to 64 bytes, the side of each from the bits of the control byte.
  std::size_t cut = (control >> 1) % 64 + 1, i = 0;
  for (std::uint64_t frame = 1; !in.empty(); ++frame, ++i) {
    const auto n = std::min(cut, in.size());
    ws.data((control >> (i % 7)) & 1, in.substr(0, n), frame, {});
    in.remove_prefix(n);
    cut = cut % 61 + 3;
  }
  ws.take_facts();
  ws.take_notes();
  static volatile std::uint64_t read;  // keeps the bytes read, so each is really touched
  read = sum;
  return 0;
}

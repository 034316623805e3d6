#include "connection_decoder.hpp"

namespace mqttspec::exchange {

std::optional<std::uint8_t> connect_level(std::string_view packet) {
  std::size_t i = 1;
  while (i < packet.size() && i < 5 && (static_cast<std::uint8_t>(packet[i]) & 0x80)) ++i;  // remaining length
  ++i;
  if (i + 2 > packet.size()) return std::nullopt;
  const std::size_t name = (static_cast<std::uint8_t>(packet[i]) << 8) | static_cast<std::uint8_t>(packet[i + 1]);
  i += 2 + name;
  if (i >= packet.size()) return std::nullopt;
  return static_cast<std::uint8_t>(packet[i]);
}

connection_decoder::connection_decoder(mqtt::protocol_version v, bool follow_connect)
    : version_(v), follow_connect_(follow_connect), up_{mqtt::stream_decoder(v)}, down_{mqtt::stream_decoder(v)} {}

void connection_decoder::set_version(mqtt::protocol_version v) {
  version_ = v;
  up_.stream.set_version(v);
  down_.stream.set_version(v);
}

void connection_decoder::restart(bool from_broker) {
  auto& d = from_broker ? down_ : up_;
  d = direction{mqtt::stream_decoder(version_)};
}

const decoded* connection_decoder::next(bool from_broker, std::string_view& in) {
  auto& d = from_broker ? down_ : up_;
  if (d.failed) {
    // Once per chunk, as the bytes that cannot be read arrive.
    if (d.reported) {
      d.reported = false;
      return nullptr;
    }
    d.reported = true;
    in = {};
    out_ = {{}, nullptr, &error_, version_};
    return &out_;
  }
  auto f = d.stream.next_frame(in);
  if (!f) {
    d.failed = d.reported = true;
    error_ = f.error();
    in = {};
    out_ = {{}, nullptr, &error_, version_};
    return &out_;
  }
  if (!*f) {
    d.stream.feed(in);  // the start of a packet still to come
    in = {};
    return nullptr;
  }
  const std::string_view frame = **f;
  auto version = version_;
  if (!from_broker && !frame.empty() && static_cast<std::uint8_t>(frame[0]) == 0x10) {
    connect_level_ = connect_level(frame);
    if (follow_connect_ && connect_level_ && *connect_level_ >= 3 && *connect_level_ <= 5) {
      set_version(*connect_level_ == 5 ? mqtt::protocol_version::v5 : mqtt::protocol_version::v311);
      version = version_;
    }
  }
  auto p = mqtt::decode(frame, version);
  // To a CONNECT of a level it does not know, a broker may answer in its own format:
  // a 3.1.1 CONNACK (20 02 00 01) is read as one, and the case judges it.
  if (!p && from_broker && connect_level_ && *connect_level_ != 4 && *connect_level_ != 5 && frame.size() == 4 &&
      frame[0] == 0x20 && frame[1] == 0x02) {
    version = mqtt::protocol_version::v311;
    p = mqtt::decode(frame, version);
  }
  if (p) {
    packet_ = std::move(*p);
    out_ = {frame, &packet_, nullptr, version};
  } else {
    error_ = p.error();
    out_ = {frame, nullptr, &error_, version};
  }
  return &out_;
}

}  // namespace mqttspec::exchange

// Writes the seed corpus of a fuzz target: valid packets of every type in both
// versions, encoded by the codec, each file starting with the option byte the
// targets read (bit 0: version, bits 1-7: chunk size - 1). capture_reader_fuzz's
// seeds are the committed captures of tests/data/captures.
//
//   make_corpus stream_decoder_fuzz|packet_decode_fuzz|capture_reader_fuzz|websocket_reader_fuzz DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "reference/codec/codec.hpp"

namespace {

using namespace std::literals;
using mqtt::property_id;
using mqtt::qos;
using mqtt::reason_code;

using sample = std::pair<std::string, mqtt::packet>;

const std::string payload_300(300, 'p');  // remaining length in two bytes

std::vector<sample> samples(mqtt::protocol_version v) {
  const bool v5 = v == mqtt::protocol_version::v5;
  // Properties appear only in 5.0 packets.
  const auto props = [&](mqtt::properties ps) { return v5 ? ps : mqtt::properties{}; };
  const auto code = [&](reason_code c) { return v5 ? c : reason_code::success; };
  const mqtt::properties user{{property_id::user_property, 0, "k", "v"}};
  std::vector<sample> s;
  s.emplace_back("connect", mqtt::connect{v, true, 60, props({{property_id::session_expiry_interval, 30, {}, {}}}),
                                          "id", std::nullopt, std::nullopt, std::nullopt});
  s.emplace_back("connect-will-auth",
                 mqtt::connect{v, false, 0, props(user), "",
                               mqtt::will_message{"w/t", "bye", qos::exactly_once, true,
                                                  props({{property_id::will_delay_interval, 9, {}, {}}})},
                               "u"sv, "p"sv});
  s.emplace_back("connack", mqtt::connack{v5, v5 ? reason_code::success : reason_code{5},
                                          props({{property_id::assigned_client_identifier, 0, "x", {}},
                                                 {property_id::maximum_qos, 1, {}, {}}})});
  s.emplace_back("publish-qos0", mqtt::publish{false, qos::at_most_once, true, "a/b", 0, {}, "hello"});
  s.emplace_back("publish-qos1", mqtt::publish{true, qos::at_least_once, false, "a", 1,
                                               props({{property_id::payload_format_indicator, 1, {}, {}},
                                                      {property_id::correlation_data, 0, "c", {}}}),
                                               payload_300});
  s.emplace_back("publish-qos2", mqtt::publish{false, qos::exactly_once, false, "x/y/z", 2,
                                               props({{property_id::subscription_identifier, 5, {}, {}}}), ""});
  s.emplace_back("puback", mqtt::puback{1, code(reason_code::no_matching_subscribers), props(user)});
  s.emplace_back("pubrec", mqtt::pubrec{2, code(reason_code::success), {}});
  s.emplace_back("pubrel", mqtt::pubrel{2, code(reason_code::packet_identifier_not_found), {}});
  s.emplace_back("pubcomp", mqtt::pubcomp{2, code(reason_code::success),
                                          props({{property_id::reason_string, 0, "done", {}}})});
  s.emplace_back("subscribe", mqtt::subscribe{3, props({{property_id::subscription_identifier, 7, {}, {}}}),
                                              {{"a/+", qos::at_least_once, v5, v5, v5 ? std::uint8_t(1) : std::uint8_t(0)},
                                               {"#", qos::exactly_once}}});
  s.emplace_back("suback", mqtt::suback{3, props(user), {reason_code::granted_qos_1, reason_code::unspecified_error}});
  s.emplace_back("unsubscribe", mqtt::unsubscribe{4, props(user), {"a/+", "#"}});
  s.emplace_back("unsuback",
                 mqtt::unsuback{4, {}, v5 ? std::vector<reason_code>{reason_code::success} : std::vector<reason_code>{}});
  s.emplace_back("pingreq", mqtt::pingreq{});
  s.emplace_back("pingresp", mqtt::pingresp{});
  s.emplace_back("disconnect", mqtt::disconnect{code(reason_code::server_shutting_down), {}});
  if (v5) s.emplace_back("auth", mqtt::auth{reason_code::re_authenticate,
                                            {{property_id::authentication_method, 0, "SCRAM", {}},
                                             {property_id::authentication_data, 0, "\x01\x02"sv, {}}}});
  return s;
}

// Copies every capture of tests/data/captures; 0 when there are none (a broken checkout).
std::size_t copy_captures(const std::filesystem::path& dir) {
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(MQTTSPEC_SOURCE_DIR "/tests/data/captures")) {
    const auto ext = e.path().extension();
    if (ext != ".pcap" && ext != ".pcapng") continue;
    std::filesystem::copy_file(e.path(), dir / e.path().filename(),
                               std::filesystem::copy_options::overwrite_existing);
    ++files;
  }
  return files;
}

void write(const std::filesystem::path& file, std::uint8_t options, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.put(static_cast<char>(options));
  out << bytes;
}

// A WebSocket binary frame of `payload`, masked when `masked` (RFC 6455 section 5.2).
std::string ws_frame(const std::string& payload, bool masked) {
  std::string f(1, '\x82');
  const char m = masked ? '\x80' : '\0';
  if (payload.size() < 126) {
    f += static_cast<char>(m | static_cast<char>(payload.size()));
  } else {
    f += static_cast<char>(m | 126);
    f += static_cast<char>(payload.size() >> 8);
    f += static_cast<char>(payload.size() & 0xff);
  }
  if (!masked) return f + payload;
  const char key[4] = {'\x11', '\x22', '\x33', '\x44'};
  f.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ key[i % 4]);
  return f;
}

// websocket_reader_fuzz: bit 0 set, the input is frames after an upgrade; clear, it
// starts with the upgrade itself. Bits 1-7 choose the segments and their sides.
std::size_t websocket_corpus(const std::filesystem::path& dir) {
  std::size_t files = 0;
  std::string frames, masked;
  for (const auto& [name, p] : samples(mqtt::protocol_version::v5)) {
    const auto bytes = mqtt::encode(p, mqtt::protocol_version::v5);
    frames += ws_frame(bytes, false);
    masked += ws_frame(bytes, true);
  }
  write(dir / "frames", 1, frames);
  write(dir / "masked", 1 | 4 << 1, masked);
  write(dir / "upgrade", 0,
        "GET / HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Protocol: mqtt\r\n\r\n" + masked);
  files += 3;
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr,
                 "usage: make_corpus stream_decoder_fuzz|packet_decode_fuzz|capture_reader_fuzz|websocket_reader_fuzz "
                 "DIR\n");
    return 2;
  }
  const std::string target = argv[1];
  const std::filesystem::path dir = argv[2];
  if (target == "capture_reader_fuzz") {
    std::filesystem::create_directories(dir);
    const std::size_t files = copy_captures(dir);
    std::printf("make_corpus: %zu files in %s\n", files, dir.c_str());
    return files ? 0 : 1;
  }
  if (target == "websocket_reader_fuzz") {
    std::filesystem::create_directories(dir);
    const std::size_t files = websocket_corpus(dir);
    std::printf("make_corpus: %zu files in %s\n", files, dir.c_str());
    return 0;
  }
  if (target != "stream_decoder_fuzz" && target != "packet_decode_fuzz") {
    std::fprintf(stderr, "make_corpus: unknown target %s\n", target.c_str());
    return 2;
  }
  std::filesystem::create_directories(dir);
  std::size_t files = 0;
  for (auto v : {mqtt::protocol_version::v311, mqtt::protocol_version::v5}) {
    const std::uint8_t version_bit = v == mqtt::protocol_version::v5 ? 1 : 0;
    const std::string tag = v == mqtt::protocol_version::v5 ? "v5-" : "v311-";
    std::string stream;
    for (const auto& [name, p] : samples(v)) {
      const std::string bytes = mqtt::encode(p, v);
      if (!mqtt::decode(bytes, v)) {
        std::fprintf(stderr, "make_corpus: sample %s%s does not decode\n", tag.c_str(), name.c_str());
        return 1;
      }
      stream += bytes;
      // Single packets: whole for the packet target, in 3-byte chunks for the stream target.
      write(dir / (tag + name), std::uint8_t(version_bit | (target == "packet_decode_fuzz" ? 0 : 2 << 1)), bytes);
      ++files;
    }
    if (target == "stream_decoder_fuzz")
      for (std::uint8_t chunk : {1, 7, 64, 128}) {
        write(dir / (tag + "stream-" + std::to_string(chunk)), std::uint8_t(version_bit | (chunk - 1) << 1), stream);
        ++files;
      }
  }
  std::printf("make_corpus: %zu files in %s\n", files, dir.c_str());
  return 0;
}

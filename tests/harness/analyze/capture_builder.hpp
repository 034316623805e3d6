// Writes small captures for analyzer tests with the project's own pcap writer: one
// TCP flow per connection, MQTT bytes given as hex.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "netem/pcap/tcp_flow.hpp"
#include "reference/codec/hex.hpp"

namespace mqttspec::analyze::testing {

class capture_builder {
 public:
  explicit capture_builder(const std::string& name)
      : path_((std::filesystem::temp_directory_path() / ("mqttspec-analyze-" + name + ".pcap")).string()),
        file_(std::make_unique<netem::pcap_file>(path_, std::chrono::seconds(1'700'000'000))) {}
  ~capture_builder() { std::filesystem::remove(path_); }

  /// A new flow from client n to `server_port`; `handshake`: draw the SYNs.
  netem::tcp_flow& flow(std::uint32_t n, bool handshake = true, std::uint16_t server_port = 1883) {
    flows_.push_back(std::make_unique<netem::tcp_flow>(*file_, netem::endpoint{0x0a010000 + n, std::uint16_t(40000 + n)},
                                                       netem::endpoint{0x0a000001, server_port}));
    if (handshake) flows_.back()->open(now());
    return *flows_.back();
  }
  /// Bytes from hex, at the next tick of the capture's clock.
  void send(netem::tcp_flow& f, bool from_client, const std::string& hex) {
    auto parsed = mqtt::parse_hex(hex);
    ASSERT_TRUE(parsed.ok) << hex << ": " << parsed.error;
    f.data(now(), from_client, parsed.bytes);
  }
  netem::tcp_flow::timestamp now() { return std::chrono::milliseconds(10 * ++tick_); }
  /// Skips capture time.
  void wait_s(int seconds) { tick_ += seconds * 100; }
  /// Flushes and returns the file's path.
  const std::string& done() {
    file_->flush();
    return path_;
  }

 private:
  std::string path_;
  std::unique_ptr<netem::pcap_file> file_;
  std::vector<std::unique_ptr<netem::tcp_flow>> flows_;
  int tick_ = 0;
};

// Packets used by the tests, as hex.
inline const char* connect_311(const char* id_hex4) {  // client id of 4 bytes
  static std::string s;
  s = std::string("10 10 00 04 4d 51 54 54 04 02 00 3c 00 04 ") + id_hex4;
  return s.c_str();
}
inline constexpr const char* connack_311 = "20 02 00 00";
inline constexpr const char* connack_5 = "20 03 00 00 00";
inline constexpr const char* disconnect = "e0 00";

}  // namespace mqttspec::analyze::testing

// A pcap file written with libpcap's dumper (DLT_EN10MB), so Wireshark and tshark
// read it as they read any capture. libpcap is loaded on the first file (libpcap.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace netem {

struct libpcap;

class pcap_file {
 public:
  /// Opens `path` for writing; check ok() and error(). `epoch` is added to every
  /// timestamp written: the world's time zero as Unix time.
  explicit pcap_file(const std::string& path, std::chrono::microseconds epoch = {});
  ~pcap_file();
  pcap_file(const pcap_file&) = delete;
  pcap_file& operator=(const pcap_file&) = delete;

  bool ok() const { return dumper_ != nullptr; }
  const std::string& error() const { return error_; }

  /// One Ethernet frame at `at` (time since the epoch).
  void write(std::chrono::microseconds at, std::string_view frame);
  void flush();

 private:
  const libpcap* lib_ = nullptr;
  void* pcap_ = nullptr;  // pcap_t*
  void* dumper_ = nullptr;  // pcap_dumper_t*
  std::string error_;
  std::chrono::microseconds epoch_;
};

}  // namespace netem

// A capture of many client connections to one broker, each its own TCP flow from its
// own address: client n is 10.1.x.y (n+1 in the low bits), the broker 10.0.0.1:1883.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tcp_flow.hpp"

namespace netem {

class capture {
 public:
  using timestamp = std::chrono::microseconds;

  /// `epoch` is added to every timestamp: the world's time zero as Unix time.
  capture(const std::string& path, timestamp epoch);

  bool ok() const { return file_.ok(); }
  const std::string& error() const { return file_.error(); }

  /// A new flow for the next client; open() it to draw the handshake.
  tcp_flow& new_flow();
  std::size_t flow_count() const { return flows_.size(); }
  tcp_flow& flow(std::size_t i) { return *flows_.at(i); }

  void flush() { file_.flush(); }
  /// Passwords to overwrite in every flow opened from now on.
  void redact(std::vector<std::string> secrets) { secrets_ = std::move(secrets); }

  static constexpr endpoint broker{0x0a000001, 1883};

 private:
  pcap_file file_;
  std::vector<std::unique_ptr<tcp_flow>> flows_;
  std::vector<std::string> secrets_;
};

}  // namespace netem

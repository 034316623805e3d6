// A tcp_reassembler sink for tests that writes every call as one line.
#pragma once

#include <string>
#include <vector>

#include "netem/pcap/tcp_reassembler.hpp"

namespace netem::testing_only {

using events = std::vector<std::string>;

// Every call as one line: "data #1 0 hello", "gap #1 0 5", "close #1 1 rst", ...
struct recorder : tcp_reassembler::sink {
  events log;
  std::string prefix(const char* what, const tcp_reassembler::connection& c) {
    return std::string(what) + " #" + std::to_string(c.id);
  }
  void on_open(const tcp_reassembler::connection& c) override {
    log.push_back(prefix("open", c) + " " + to_string(c.a, c.a_port) + " " + to_string(c.b, c.b_port) +
                  (c.handshake_seen ? " handshake" : " midstream"));
  }
  void on_data(const tcp_reassembler::connection& c, int side, std::string_view b, std::uint64_t,
               tcp_reassembler::timestamp) override {
    log.push_back(prefix("data", c) + " " + std::to_string(side) + " " + std::string(b));
  }
  void on_gap(const tcp_reassembler::connection& c, int side, std::uint64_t n, std::uint64_t,
              tcp_reassembler::timestamp) override {
    log.push_back(prefix("gap", c) + " " + std::to_string(side) + " " + std::to_string(n));
  }
  void on_conflict(const tcp_reassembler::connection& c, int side, std::uint64_t off, std::uint64_t,
                   tcp_reassembler::timestamp) override {
    log.push_back(prefix("conflict", c) + " " + std::to_string(side) + " @" + std::to_string(off));
  }
  void on_close(const tcp_reassembler::connection& c, int side, bool reset, std::uint64_t,
                tcp_reassembler::timestamp) override {
    log.push_back(prefix("close", c) + " " + std::to_string(side) + (reset ? " rst" : " fin"));
  }
  void on_end(const tcp_reassembler::connection& c, tcp_reassembler::timestamp) override {
    log.push_back(prefix("end", c));
  }
};

}  // namespace netem::testing_only

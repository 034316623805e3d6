// Every TCP connection of a capture goes through the judge: it tells which are MQTT
// (ports, a CONNECT, a WebSocket upgrade), reads them (connection_reader,
// websocket_reader) and hands their packets to the checkers (judging), filling the
// analysis's connections and findings.
#pragma once

#include <memory>

#include "analysis.hpp"
#include "analyzer.hpp"
#include "netem/pcap/tcp_reassembler.hpp"

namespace mqttspec::analyze {

class capture_judge : public netem::tcp_reassembler::sink {
 public:
  /// The capture ended at `end`: rules about what never happened are judged now, and
  /// the connections and findings go into the analysis.
  virtual void finish(timestamp end) = 0;
};

std::unique_ptr<capture_judge> make_judge(analysis& a, const options& o);

}  // namespace mqttspec::analyze

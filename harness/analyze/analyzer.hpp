// `mqttspec analyze`: a capture file in, its MQTT connections judged by the same
// checkers as a live run (checks::monitor, fed through harness/exchange), out an
// analysis. Streamed: memory follows the connections open at once, not the file size.
//
//   analyze::options o;                  // port 1883, the version from CONNECT
//   std::string error;
//   auto a = analyze::analyze_file("field.pcapng", o, error);   // error: could not read at all
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis.hpp"
#include "harness/checks/checks.hpp"

namespace mqttspec::analyze {

struct options {
  std::vector<std::uint16_t> ports{1883};  // server ports of MQTT flows
  std::vector<std::uint16_t> ws_ports;     // server ports of MQTT over WebSocket
  std::optional<mqtt::protocol_version> protocol;  // for connections the capture has no CONNECT of
  std::size_t timeline = 0;  // packets kept per connection for reports (0: none)
  checks::options checks;
};

/// Reads and judges `path`. `error` is set (and the analysis empty) when the file
/// cannot be read at all; a file cut short is judged up to the cut (analysis.error).
analysis analyze_file(const std::string& path, const options& o, std::string& error);

}  // namespace mqttspec::analyze

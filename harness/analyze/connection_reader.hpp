// One MQTT connection of a capture, bytes in, packets out: the version from CONNECT,
// the --protocol option or the packets themselves; a stream that starts mid-packet or
// loses bytes to a gap is resynchronised on the next plausible packet boundary.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis.hpp"
#include "harness/exchange/connection_decoder.hpp"

namespace mqttspec::analyze {

class connection_reader {
 public:
  /// emit(packet, from_server, frame, at) for each packet, in order.
  using emit_fn = std::function<void(const exchange::decoded&, bool, std::uint64_t, timestamp)>;

  /// `mid_stream`: the capture did not see the connection open, so both directions may
  /// start inside a packet and no CONNECT will name the version; `protocol` is the
  /// user's answer to that (else the packets decide). A connection seen from its start
  /// waits for its CONNECT; if bytes go missing before it, it is read as mid-stream.
  connection_reader(connection& summary, bool mid_stream, std::optional<mqtt::protocol_version> protocol,
                    emit_fn emit);

  void data(bool from_server, std::string_view bytes, std::uint64_t frame, timestamp at);
  /// Bytes of one direction went missing.
  void gap(bool from_server, std::uint64_t missing);
  /// The connection is over: what waits for a version decision is read now.
  void end();

 private:
  struct held {
    bool from_server;
    std::string bytes;
    std::uint64_t frame;
    timestamp at;
  };
  struct direction {
    bool resync = false;  // looking for a packet boundary
    std::string hold;     // bytes looked at while resynchronising
    std::uint64_t skipped = 0;
  };
  void decide(mqtt::protocol_version v, const char* how);
  void read(bool from_server, std::string_view bytes, std::uint64_t frame, timestamp at);
  void decode(bool from_server, std::string_view bytes, std::uint64_t frame, timestamp at);
  void note(std::string text);

  connection& summary_;
  emit_fn emit_;
  exchange::connection_decoder decoder_;
  bool mid_stream_;
  std::optional<mqtt::protocol_version> protocol_;
  bool decided_;
  std::vector<held> waiting_;  // until the version is known
  std::size_t waiting_bytes_ = 0;
  direction client_, server_;
};

}  // namespace mqttspec::analyze

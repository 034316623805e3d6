// Two exchanges of one connection compared as the spec lets them differ: a recorded
// one (a golden trace, a capture being replayed) and one just observed. Allowed to
// differ, and not reported:
//  - Packet Identifiers, renumbered consistently per flow: the id a PUBLISH,
//    SUBSCRIBE or UNSUBSCRIBE starts a flow with maps to the observed one, and every
//    packet of that flow must carry the mapped id;
//  - client ids and topic names, through the caller's normalisers (a run's namespace);
//  - the order of properties, except User Properties among themselves (MQTT-3.3.2-18:
//    a forwarded PUBLISH keeps their order);
//  - how the two directions interleave (each direction is compared in its own order);
//  - times, within `time_tolerance` of the same offset from the first packet;
//  - the number of PINGREQ and PINGRESP, within `ping_slack` per direction (and, for
//    replays, one per Keep Alive of the exchange's length).
// Everything else is compared field by field (the codec's fields_of) and payloads
// byte for byte; a packet one side has and the other has not is "missing" or "extra".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reference/codec/codec.hpp"

namespace mqttspec::traces {

using timestamp = std::chrono::microseconds;

/// One packet of an exchange. The packet's views must stay valid during compare().
struct packet_record {
  timestamp at{};
  bool from_broker = false;
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  mqtt::packet packet;
  std::uint64_t frame = 0;  // its frame in the trace or capture, 0 if none
};

struct difference {
  std::string packet;    // "PUBLISH", or "PINGREQ" for a count
  std::string field;     // "qos", "payload", "id", "time", "count", "missing", "extra"
  std::string recorded;  // the value on each side ("" when the side has no packet)
  std::string observed;
  std::uint64_t recorded_frame = 0, observed_frame = 0;
};

struct compare_options {
  /// Applied to both sides' client ids, and topic names and filters (identity if unset).
  std::function<std::string(std::string_view)> client_id, topic;
  /// Unset: times are not compared.
  std::optional<timestamp> time_tolerance;
  std::size_t ping_slack = 1;
  /// Replays: a client pings when its keep-alive asks, and an exchange that took
  /// longer has more pings. Each direction may then differ by one more ping per Keep
  /// Alive (the CONNACK's Server Keep Alive, else the CONNECT's) of the longer exchange.
  bool ping_slack_from_keepalive = false;
};

/// What differs between the two exchanges, in the recorded exchange's order.
std::vector<difference> compare(const std::vector<packet_record>& recorded, const std::vector<packet_record>& observed,
                                const compare_options& o = {});

/// "PUBLISH qos: 1 -> 2 (frames 12, 14)".
std::string to_string(const difference& d);

}  // namespace mqttspec::traces

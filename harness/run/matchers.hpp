// Matching a received packet against an expect step's field and property matchers.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/model.hpp"
#include "reference/codec/packet.hpp"

namespace mqttspec::run {

/// The comparable fields of a packet as text: topic, payload, qos, retain, dup, id,
/// rc, session_present, codes. `strip` removes the case's topic prefix.
std::map<std::string, std::string> fields_of(const mqtt::packet& p, mqtt::protocol_version v,
                                             const std::function<std::string_view(std::string_view)>& strip);

/// The lower-case packet type name of an expect step ("publish") for a packet.
std::string type_name(const mqtt::packet& p);

/// Why `p` does not match; nullopt when it does.
std::optional<std::string> mismatch(const scenario::expect_packet_step& e, const mqtt::packet& p,
                                    mqtt::protocol_version v,
                                    const std::function<std::string_view(std::string_view)>& strip);

/// Does one matcher accept `actual` (nullopt: absent)? `field` picks the comparison:
/// reason codes by name or number, booleans as 0/1/true/false, numbers numerically.
bool accepts(const scenario::matcher& m, const std::optional<std::string>& actual, const std::string& field);

/// 3.1.1 CONNACK return codes written as numbers (0x02) become the 5.0 names the
/// decoded CONNACK is compared by, so both spellings work.
void normalize_v311_connack(scenario::expect_packet_step& e);

/// The expectation written out: "publish topic=a/b qos=one_of(1,2)".
std::string describe(const scenario::expect_packet_step& e);
std::string describe(const scenario::matcher& m);

}  // namespace mqttspec::run

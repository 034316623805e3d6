// Readers for the values scenarios share: properties, reason codes, matchers, hex,
// links and time windows. Internal to the loader; each reports its own problems.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reader.hpp"

namespace mqttspec::scenario::detail {

using user_properties = std::vector<std::pair<std::string, std::string>>;

/// Every property name of the 5.0 table ("payload_format_indicator", ...).
const std::vector<std::string_view>& property_names();

/// Every reason code name (with the aliases normal_disconnection and granted_qos_0).
const std::vector<std::string_view>& reason_code_names();

/// A reason code name, "0x87" or "135"; reports an unknown one at `at`.
bool check_reason_code(reader& r, const std::string& text, const position& at);

/// Properties to send: `{ name: value, user_property: [[k, v], ...] }`.
bool read_properties(reader& r, const entry& e, std::map<std::string, std::string>& out, user_properties& users);

/// What a matched field holds, to check the values a matcher names.
enum class value_kind : std::uint8_t { text, boolean, qos, packet_id, reason_code, number, codes };

/// A field matcher: a value, any, {regex}, {one_of}, {range}; `present`/`absent`
/// only where `presence` is allowed (properties).
std::optional<matcher> read_matcher(reader& r, const entry& e, value_kind kind, bool presence = false);

/// Property matchers by name, whatever their order.
std::optional<std::vector<property_match>> read_property_matches(reader& r, const entry& e);

/// Hex bytes from a scalar; `start` is where the hex begins in `text` (the scalar's
/// substituted text), so a bad digit is reported at its own column.
std::optional<std::string> read_hex(reader& r, const YAML::Node& n, const position& at, const std::string& text,
                                    std::size_t start);

/// A case's or client's link: a profile name, a map of settings, or both.
std::optional<std::vector<netem::impairment_spec>> read_link(reader& r, const entry& e);

/// Link settings of a link step (with optional up./down. prefixes), as one impairment.
/// Reports unknown keys, bad values, and settings of several impairment types.
std::optional<netem::impairment_spec> read_link_settings(reader& r, const std::vector<entry>& settings,
                                                         const position& step_at);

/// `within_s: hi` or `within_s: [lo, hi]`.
std::optional<std::pair<double, double>> read_within(reader& r, const entry& e);

}  // namespace mqttspec::scenario::detail

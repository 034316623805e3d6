// The keys the loader accepts in each kind of map, so the JSON Schema
// (scenarios/scenario.schema.json) can be checked against them.
#pragma once

#include <string_view>
#include <vector>

namespace mqttspec::scenario {

struct key_table {
  std::string_view context;  // "scenario", "client", "step.publish", "expect.puback", ...
  std::vector<std::string_view> keys;
};

/// Every context with its keys. Link settings come from netem's impairment table.
const std::vector<key_table>& key_tables();

/// The keys of one context (empty for an unknown context).
const std::vector<std::string_view>& keys_of(std::string_view context);

/// Link settings: netem's keys ("latency_ms", ...), without the up./down. prefixes.
const std::vector<std::string_view>& link_setting_keys();

/// Client verbs: connect, subscribe, ..., expect.
const std::vector<std::string_view>& verbs();

/// Packet types an `expect TYPE` step can wait for (what a broker sends).
const std::vector<std::string_view>& expectable_types();

/// Capabilities `requires:` may name.
const std::vector<std::string_view>& capabilities();

}  // namespace mqttspec::scenario

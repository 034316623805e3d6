// Scenario property maps ({session_expiry_interval: "30"}) to codec properties.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reference/codec/property.hpp"

namespace mqttspec::run {

/// Builds properties by name; strings are stored with `keep` so the views stay valid.
/// Returns "" or the first unknown name / bad value.
std::string build_properties(const std::map<std::string, std::string>& named,
                             const std::vector<std::pair<std::string, std::string>>& user,
                             const std::function<std::string_view(std::string)>& keep, mqtt::properties& out);

/// The property whose snake_case name is `name`, or nullptr.
const mqtt::property_info* property_by_name(std::string_view name);

/// A reason code by name ("not_authorized", "granted_qos_1") or number ("0x87", "135").
std::optional<mqtt::reason_code> reason_by_name(std::string_view text);

}  // namespace mqttspec::run

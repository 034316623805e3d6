// A JSON Schema validator for the subset reports/schemas/run.schema.json uses: type,
// enum, required, properties, additionalProperties, items, minimum, maximum, pattern,
// anyOf and local $ref.
// Any other validation keyword is an error, so the schema cannot silently outgrow it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mqttspec::test {

/// Every violation as "/json/pointer: what", empty when `doc` conforms.
std::vector<std::string> validate(const nlohmann::json& schema, const nlohmann::json& doc);

}  // namespace mqttspec::test

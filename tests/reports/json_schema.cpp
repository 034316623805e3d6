#include "json_schema.hpp"

#include <regex>
#include <set>

namespace mqttspec::test {

namespace {

using json = nlohmann::json;

const std::set<std::string> annotations{"$schema", "$id", "$defs", "title", "description", "$comment"};

bool has_type(const json& v, const std::string& t) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  if (t == "number") return v.is_number();
  if (t == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == double(std::int64_t(v.get<double>())));
  return false;
}

// 64-bit integers compared exactly (a double rounds 2^53 + 1 down to 2^53).
long double exact(const json& n) {
  if (n.is_number_unsigned()) return static_cast<long double>(n.get<std::uint64_t>());
  if (n.is_number_integer()) return static_cast<long double>(n.get<std::int64_t>());
  return static_cast<long double>(n.get<double>());
}

struct validator {
  const json& root;
  std::vector<std::string> errors;

  const json& resolve(const std::string& ref, const std::string& at) {
    static const json empty = json::object();
    if (ref.rfind("#/", 0) != 0) {
      errors.push_back(at + ": only local $ref is supported: " + ref);
      return empty;
    }
    const json::json_pointer p(ref.substr(1));
    if (!root.contains(p)) {
      errors.push_back(at + ": $ref to nowhere: " + ref);
      return empty;
    }
    return root.at(p);
  }

  void check(const json& schema, const json& v, const std::string& at) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) errors.push_back(at + ": not allowed here");
      return;
    }
    for (const auto& [key, rule] : schema.items()) {
      if (annotations.count(key)) continue;
      if (key == "$ref") {
        check(resolve(rule.get<std::string>(), at), v, at);
      } else if (key == "type") {
        bool ok = false;
        for (const auto& t : rule.is_array() ? rule : json::array({rule})) ok = ok || has_type(v, t.get<std::string>());
        if (!ok) errors.push_back(at + ": expected type " + rule.dump() + ", got " + v.type_name());
      } else if (key == "enum") {
        bool found = false;
        for (const auto& e : rule) found = found || e == v;
        if (!found) errors.push_back(at + ": " + v.dump() + " is not one of " + rule.dump());
      } else if (key == "minimum") {
        if (v.is_number() && exact(v) < exact(rule)) errors.push_back(at + ": below the minimum " + rule.dump());
      } else if (key == "maximum") {
        if (v.is_number() && exact(v) > exact(rule)) errors.push_back(at + ": above the maximum " + rule.dump());
      } else if (key == "pattern") {
        if (v.is_string() && !std::regex_search(v.get<std::string>(), std::regex(rule.get<std::string>())))
          errors.push_back(at + ": " + v.dump() + " does not match " + rule.dump());
      } else if (key == "anyOf") {
        bool any = false;
        for (const auto& sub : rule) {
          validator inner{root, {}};
          inner.check(sub, v, at);
          any = any || inner.errors.empty();
        }
        if (!any) errors.push_back(at + ": " + v.dump() + " matches none of anyOf");
      } else if (key == "required") {
        if (v.is_object())
          for (const auto& name : rule)
            if (!v.contains(name.get<std::string>())) errors.push_back(at + ": missing required \"" + name.get<std::string>() + "\"");
      } else if (key == "properties") {
        if (v.is_object())
          for (const auto& [name, sub] : rule.items())
            if (v.contains(name)) check(sub, v[name], at + "/" + name);
      } else if (key == "additionalProperties") {
        if (!v.is_object()) continue;
        const json& props = schema.contains("properties") ? schema["properties"] : json::object();
        for (const auto& [name, value] : v.items())
          if (!props.contains(name)) {
            if (rule.is_boolean() && !rule.get<bool>()) errors.push_back(at + ": unexpected property \"" + name + "\"");
            else check(rule, value, at + "/" + name);
          }
      } else if (key == "items") {
        if (v.is_array())
          for (std::size_t i = 0; i < v.size(); ++i) check(rule, v[i], at + "/" + std::to_string(i));
      } else {
        errors.push_back(at + ": the schema uses \"" + key + "\", which this validator does not support");
      }
    }
  }
};

}  // namespace

std::vector<std::string> validate(const nlohmann::json& schema, const nlohmann::json& doc) {
  validator v{schema, {}};
  v.check(schema, doc, "");
  return v.errors;
}

}  // namespace mqttspec::test

#include "properties.hpp"

#include <charconv>

namespace mqttspec::run {

const mqtt::property_info* property_by_name(std::string_view name) {
  for (int id = 0; id < 256; ++id)
    if (const auto* pi = mqtt::find_property_info(static_cast<std::uint8_t>(id)); pi && pi->name == name) return pi;
  return nullptr;
}

std::optional<mqtt::reason_code> reason_by_name(std::string_view text) {
  unsigned v = 0;
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const auto digits = hex ? text.substr(2) : text;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, hex ? 16 : 10);
  if (ec == std::errc() && end == digits.data() + digits.size() && v < 256) return static_cast<mqtt::reason_code>(v);
  if (text == "normal_disconnection" || text == "granted_qos_0") return mqtt::reason_code::success;
  for (int c = 0; c < 256; ++c)
    if (mqtt::name(static_cast<mqtt::reason_code>(c)) == text) return static_cast<mqtt::reason_code>(c);
  return std::nullopt;
}

std::string build_properties(const std::map<std::string, std::string>& named,
                             const std::vector<std::pair<std::string, std::string>>& user,
                             const std::function<std::string_view(std::string)>& keep, mqtt::properties& out) {
  for (const auto& [name, value] : named) {
    const auto* pi = property_by_name(name);
    if (!pi) return "unknown property '" + name + "'";
    mqtt::property p{pi->id, 0, {}, {}};
    switch (pi->type) {
      case mqtt::property_type::utf8:
      case mqtt::property_type::binary: p.text = keep(value); break;
      case mqtt::property_type::utf8_pair: return "user_property takes a list of [name, value] pairs";
      default: {
        std::uint64_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || end != value.data() + value.size() || n > 0xffffffffu)
          return name + ": '" + value + "' is not a number";
        p.number = static_cast<std::uint32_t>(n);
      }
    }
    out.push_back(p);
  }
  for (const auto& [k, v] : user) out.push_back({mqtt::property_id::user_property, 0, keep(k), keep(v)});
  return {};
}

}  // namespace mqttspec::run

#include "matchers.hpp"

#include <charconv>
#include <regex>

#include "properties.hpp"

namespace mqttspec::run {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<double> number(const std::string& s) {
  if (s == "true") return 1;
  if (s == "false") return 0;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && end == s.data() + s.size()) return v;
  if (s.starts_with("0x"))
    if (auto rc = reason_by_name(s)) return double(static_cast<int>(*rc));
  return std::nullopt;
}

bool is_code(const std::string& field) { return field == "rc" || field == "codes"; }

// Two values equal as the field compares them.
bool same(const std::string& expected, const std::string& actual, const std::string& field) {
  if (is_code(field)) {
    auto a = reason_by_name(expected), b = reason_by_name(actual);
    if (a && b) return *a == *b;
  }
  auto a = number(expected), b = number(actual);
  if (a && b && field != "payload" && field != "topic") return *a == *b;
  return expected == actual;
}

// 3.1.1 CONNACK return codes as the 5.0 reason codes that mean the same, so
// scenarios name refusals one way for both versions.
mqtt::reason_code v311_connack_as_v5(mqtt::reason_code rc) {
  using mqtt::reason_code;
  switch (static_cast<std::uint8_t>(rc)) {
    case 0: return reason_code::success;
    case 1: return reason_code::unsupported_protocol_version;
    case 2: return reason_code::client_identifier_not_valid;
    case 3: return reason_code::server_unavailable;
    case 4: return reason_code::bad_user_name_or_password;
    case 5: return reason_code::not_authorized;
    default: return rc;
  }
}

std::string codes_text(const std::vector<mqtt::reason_code>& cs) {
  std::string out;
  for (auto c : cs) out += (out.empty() ? "" : ",") + mqtt::name(c);
  return out;
}

}  // namespace

std::string type_name(const mqtt::packet& p) { return lower(mqtt::to_string(mqtt::type_of(p))); }

std::map<std::string, std::string> fields_of(const mqtt::packet& p, mqtt::protocol_version v,
                                             const std::function<std::string_view(std::string_view)>& strip) {
  std::map<std::string, std::string> f;
  const bool v5 = v == mqtt::protocol_version::v5;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, mqtt::publish>) {
          f["topic"] = std::string(strip(x.topic));
          f["payload"] = std::string(x.payload);
          f["qos"] = std::to_string(int(x.qos));
          f["retain"] = x.retain ? "1" : "0";
          f["dup"] = x.dup ? "1" : "0";
          if (x.qos != mqtt::qos::at_most_once) f["id"] = std::to_string(x.packet_id);
        } else if constexpr (std::is_same_v<T, mqtt::connack>) {
          f["session_present"] = x.session_present ? "1" : "0";
          f["rc"] = mqtt::name(v5 ? x.code : v311_connack_as_v5(x.code));
        } else if constexpr (std::is_same_v<T, mqtt::suback> || std::is_same_v<T, mqtt::unsuback>) {
          f["id"] = std::to_string(x.packet_id);
          f["codes"] = codes_text(x.codes);
        } else if constexpr (std::is_same_v<T, mqtt::puback> || std::is_same_v<T, mqtt::pubrec> ||
                             std::is_same_v<T, mqtt::pubrel> || std::is_same_v<T, mqtt::pubcomp>) {
          f["id"] = std::to_string(x.packet_id);
          f["rc"] = mqtt::name(x.code);
        } else if constexpr (std::is_same_v<T, mqtt::disconnect> || std::is_same_v<T, mqtt::auth>) {
          f["rc"] = mqtt::name(x.code);
        }
      },
      p);
  return f;
}

bool accepts(const scenario::matcher& m, const std::optional<std::string>& actual, const std::string& field) {
  using k = scenario::matcher::kind;
  switch (m.what) {
    case k::any: return true;
    case k::present: return actual.has_value();
    case k::absent: return !actual.has_value();
    case k::exact: return actual && !m.values.empty() && same(m.values[0], *actual, field);
    case k::one_of:
      if (!actual) return false;
      for (const auto& v : m.values)
        if (same(v, *actual, field)) return true;
      return false;
    case k::regex:
      try {
        return actual && !m.values.empty() && std::regex_search(*actual, std::regex(m.values[0]));
      } catch (const std::regex_error&) {
        return false;  // the loader rejects bad expressions; never throw here
      }
    case k::range: {
      if (!actual || m.values.size() != 2) return false;
      auto a = number(*actual), lo = number(m.values[0]), hi = number(m.values[1]);
      return a && lo && hi && *lo <= *a && *a <= *hi;
    }
  }
  return false;
}

namespace {

const mqtt::properties* props_of(const mqtt::packet& p) {
  return std::visit(
      [](const auto& x) -> const mqtt::properties* {
        if constexpr (requires { x.props; }) return &x.props;
        else return nullptr;
      },
      p);
}

std::optional<std::string> property_mismatch(const scenario::property_match& pm, const mqtt::properties& ps) {
  const auto* pi = property_by_name(pm.name);
  if (!pi) return "unknown property " + pm.name;
  std::vector<std::string> values;
  for (const auto& p : ps) {
    if (p.id != pi->id) continue;
    if (pi->type == mqtt::property_type::utf8_pair) {
      values.push_back(std::string(p.text));
      values.push_back(std::string(p.value));
    } else if (pi->type == mqtt::property_type::utf8 || pi->type == mqtt::property_type::binary) {
      values.push_back(std::string(p.text));
    } else {
      values.push_back(std::to_string(p.number));
    }
  }
  const auto& m = pm.value;
  using k = scenario::matcher::kind;
  if (pi->type == mqtt::property_type::utf8_pair && m.what == k::exact) {
    if (values == m.values) return std::nullopt;
    std::string got;
    for (std::size_t i = 0; i + 1 < values.size(); i += 2) got += "(" + values[i] + "," + values[i + 1] + ")";
    return pm.name + " is [" + got + "]";
  }
  std::optional<std::string> actual;
  if (!values.empty()) actual = values.front();
  if (accepts(m, actual, pm.name)) return std::nullopt;
  return pm.name + " is " + (actual ? *actual : "absent") + ", expected " + describe(m);
}

}  // namespace

std::optional<std::string> mismatch(const scenario::expect_packet_step& e, const mqtt::packet& p,
                                    mqtt::protocol_version v,
                                    const std::function<std::string_view(std::string_view)>& strip) {
  if (type_name(p) != e.type) return "a " + type_name(p) + ", not a " + e.type;
  const auto f = fields_of(p, v, strip);
  for (const auto& [name, m] : e.fields) {
    auto it = f.find(name);
    std::optional<std::string> actual;
    if (it != f.end()) actual = it->second;
    if (!accepts(m, actual, name))
      return name + " is " + (actual ? "'" + *actual + "'" : "absent") + ", expected " + describe(m);
  }
  if (!e.properties.empty()) {
    static const mqtt::properties none;
    const auto* ps = props_of(p);
    for (const auto& pm : e.properties)
      if (auto why = property_mismatch(pm, ps ? *ps : none)) return why;
  }
  return std::nullopt;
}

void normalize_v311_connack(scenario::expect_packet_step& e) {
  auto it = e.fields.find("rc");
  if (e.type != "connack" || it == e.fields.end()) return;
  for (auto& v : it->second.values)
    if (auto n = number(v); n && *n <= 5) v = mqtt::name(v311_connack_as_v5(static_cast<mqtt::reason_code>(int(*n))));
}

std::string describe(const scenario::matcher& m) {
  using k = scenario::matcher::kind;
  const auto list = [&] {
    std::string s;
    for (const auto& v : m.values) s += (s.empty() ? "" : ",") + v;
    return s;
  };
  switch (m.what) {
    case k::exact: return m.values.empty() ? "''" : "'" + m.values[0] + "'";
    case k::any: return "any";
    case k::present: return "present";
    case k::absent: return "absent";
    case k::regex: return "regex(" + list() + ")";
    case k::one_of: return "one_of(" + list() + ")";
    case k::range: return "range(" + list() + ")";
  }
  return "?";
}

std::string describe(const scenario::expect_packet_step& e) {
  std::string out = e.type;
  for (const auto& [name, m] : e.fields) out += " " + name + "=" + describe(m);
  for (const auto& pm : e.properties) out += " " + pm.name + "=" + describe(pm.value);
  return out;
}

}  // namespace mqttspec::run

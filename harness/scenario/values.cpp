#include "values.hpp"

#include <algorithm>
#include <charconv>
#include <regex>

#include "harness/scenario/keys.hpp"
#include "netem/profile.hpp"
#include "reference/codec/hex.hpp"
#include "reference/codec/property.hpp"
#include "reference/codec/reason_code.hpp"

namespace mqttspec::scenario::detail {

namespace {

const mqtt::property_info* property_by_name(std::string_view name) {
  for (int id = 0; id < 256; ++id)
    if (const auto* p = mqtt::find_property_info(std::uint8_t(id)); p && p->name == name) return p;
  return nullptr;
}

std::uint32_t max_of(mqtt::property_type t) {
  switch (t) {
    case mqtt::property_type::byte: return 0xff;
    case mqtt::property_type::two_byte: return 0xffff;
    case mqtt::property_type::varint: return 268'435'455;
    default: return 0xffff'ffff;
  }
}

bool is_integer(mqtt::property_type t) {
  return t == mqtt::property_type::byte || t == mqtt::property_type::two_byte ||
         t == mqtt::property_type::four_byte || t == mqtt::property_type::varint;
}

// A property name known to the table; reports an unknown one.
const mqtt::property_info* known_property(reader& r, const entry& e) {
  const auto* p = property_by_name(e.key);
  if (!p) r.report(e.key_at, "unknown property '" + e.key + "'" + did_you_mean(e.key, property_names()));
  return p;
}

// `[[k, v], ...]`: the pairs of user properties.
std::optional<user_properties> read_pairs(reader& r, const entry& e) {
  if (!e.value.IsSequence()) {
    r.report(e.value_at, "expected a list of [name, value] pairs, got " + describe(e.value));
    return std::nullopt;
  }
  user_properties out;
  bool ok = true;
  for (const auto& pair : e.value) {
    const position at = r.at(pair, e.value_at);
    if (!pair.IsSequence() || pair.size() != 2) {
      r.report(at, "expected a [name, value] pair, got " + describe(pair));
      ok = false;
      continue;
    }
    auto k = r.text(pair[0], r.at(pair[0], at));
    auto v = r.text(pair[1], r.at(pair[1], at));
    if (k && v) out.emplace_back(*k, *v);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

bool check_value(reader& r, value_kind kind, const std::string& v, const position& at) {
  const YAML::Node n(v);
  switch (kind) {
    case value_kind::text: return true;
    case value_kind::boolean:
      if (v == "true" || v == "false" || v == "0" || v == "1") return true;
      r.report(at, "expected true, false, 0 or 1, got '" + v + "'");
      return false;
    case value_kind::qos: return r.integer(n, at, 0, 2).has_value();
    case value_kind::packet_id: return r.integer(n, at, 0, 65535).has_value();
    case value_kind::number: {
      double d = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      if (!v.empty() && ec == std::errc() && end == v.data() + v.size()) return true;
      r.report(at, "expected a number, got '" + v + "'" + did_you_mean(v, {"any", "present", "absent"}));
      return false;
    }
    case value_kind::reason_code:
    case value_kind::codes: return check_reason_code(r, v, at);
  }
  return false;
}

}  // namespace

const std::vector<std::string_view>& property_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> n;
    for (int id = 0; id < 256; ++id)
      if (const auto* p = mqtt::find_property_info(std::uint8_t(id))) n.push_back(p->name);
    return n;
  }();
  return names;
}

const std::vector<std::string_view>& reason_code_names() {
  static const std::vector<std::string> owned = [] {
    std::vector<std::string> n{"normal_disconnection", "granted_qos_0"};
    for (int v = 0; v < 256; ++v)
      if (auto s = mqtt::name(mqtt::reason_code(v)); !s.starts_with("unknown")) n.push_back(s);
    return n;
  }();
  static const std::vector<std::string_view> names(owned.begin(), owned.end());
  return names;
}

bool check_reason_code(reader& r, const std::string& text, const position& at) {
  if (reason_code_value(text)) return true;
  r.report(at, "unknown reason code '" + text + "'" + did_you_mean(text, reason_code_names()));
  return false;
}

bool read_properties(reader& r, const entry& e, std::map<std::string, std::string>& out, user_properties& users) {
  auto entries = r.any_map(e.value, e.value_at);
  if (!entries) return false;
  bool ok = true;
  for (const auto& p : *entries) {
    const auto* info = known_property(r, p);
    if (!info) {
      ok = false;
    } else if (info->id == mqtt::property_id::user_property) {
      if (auto pairs = read_pairs(r, p)) users.insert(users.end(), pairs->begin(), pairs->end());
      else ok = false;
    } else if (is_integer(info->type)) {
      if (auto v = r.integer(p.value, p.value_at, 0, max_of(info->type))) out[p.key] = std::to_string(*v);
      else ok = false;
    } else if (auto v = r.text(p.value, p.value_at)) {
      out[p.key] = *v;
    } else {
      ok = false;
    }
  }
  return ok;
}

std::optional<matcher> read_matcher(reader& r, const entry& e, value_kind kind, bool presence) {
  matcher m;
  m.at = e.value_at;
  if (e.value.IsScalar()) {
    auto t = r.text(e.value, e.value_at);
    if (!t) return std::nullopt;
    if (*t == "any") return m.what = matcher::kind::any, m;
    if (*t == "present" || *t == "absent") {
      if (!presence) {
        r.report(e.value_at, "'" + *t + "' applies to properties only");
        return std::nullopt;
      }
      return m.what = *t == "present" ? matcher::kind::present : matcher::kind::absent, m;
    }
    if (kind == value_kind::codes) {
      r.report(e.value_at, "expected a list of reason codes, got '" + *t + "'");
      return std::nullopt;
    }
    if (!check_value(r, kind, *t, e.value_at)) return std::nullopt;
    m.values = {*t};
    return m;
  }
  if (e.value.IsSequence() && kind == value_kind::codes) {
    auto codes = r.text_list(e.value, e.value_at);
    if (!codes) return std::nullopt;
    for (const auto& c : *codes)
      if (!check_reason_code(r, c, e.value_at)) return std::nullopt;
    m.values = *codes;
    return m;
  }
  if (!e.value.IsMap()) {
    r.report(e.value_at, "expected a value or a matcher ({ regex }, { one_of }, { range }), got " + describe(e.value));
    return std::nullopt;
  }
  auto keys = r.map(e.value, e.value_at, "a matcher", keys_of("matcher"));
  if (!keys) return std::nullopt;
  if (keys->size() != 1) {
    // Unknown keys are reported already.
    if (keys->size() == e.value.size()) r.report(e.value_at, "a matcher takes exactly one of: regex, one_of, range");
    return std::nullopt;
  }
  const entry& k = keys->front();
  if (k.key == "regex") {
    auto t = r.text(k.value, k.value_at, "a regular expression");
    if (!t) return std::nullopt;
    try {
      std::regex check(*t);
    } catch (const std::regex_error&) {
      r.report(k.value_at, "bad regular expression '" + *t + "'");
      return std::nullopt;
    }
    m.what = matcher::kind::regex;
    m.values = {*t};
    return m;
  }
  auto list = r.text_list(k.value, k.value_at);
  if (!list) return std::nullopt;
  if (k.key == "one_of") {
    if (list->empty()) {
      r.report(k.value_at, "one_of needs at least one value");
      return std::nullopt;
    }
    for (const auto& v : *list)
      if (!check_value(r, kind == value_kind::codes ? value_kind::reason_code : kind, v, k.value_at))
        return std::nullopt;
    m.what = matcher::kind::one_of;
    m.values = *list;
    return m;
  }
  // range
  if (list->size() != 2) {
    r.report(k.value_at, "range needs [lo, hi]");
    return std::nullopt;
  }
  auto lo = r.number(YAML::Node((*list)[0]), k.value_at, -1e18, 1e18);
  auto hi = r.number(YAML::Node((*list)[1]), k.value_at, -1e18, 1e18);
  if (!lo || !hi) return std::nullopt;
  if (*lo > *hi) {
    r.report(k.value_at, "range: lo " + (*list)[0] + " is greater than hi " + (*list)[1]);
    return std::nullopt;
  }
  m.what = matcher::kind::range;
  m.values = *list;
  return m;
}

std::optional<std::vector<property_match>> read_property_matches(reader& r, const entry& e) {
  auto entries = r.any_map(e.value, e.value_at);
  if (!entries) return std::nullopt;
  std::vector<property_match> out;
  bool ok = true;
  for (const auto& p : *entries) {
    const auto* info = known_property(r, p);
    if (!info) {
      ok = false;
      continue;
    }
    if (info->id == mqtt::property_id::user_property && p.value.IsSequence()) {
      auto pairs = read_pairs(r, p);
      if (!pairs) {
        ok = false;
        continue;
      }
      matcher m;
      m.at = p.value_at;
      for (const auto& [k, v] : *pairs) m.values.push_back(k), m.values.push_back(v);
      out.push_back({p.key, m});
      continue;
    }
    auto m = read_matcher(r, p, is_integer(info->type) ? value_kind::number : value_kind::text, true);
    if (m) out.push_back({p.key, *m});
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> read_hex(reader& r, const YAML::Node& n, const position& at, const std::string& text,
                                    std::size_t start) {
  const auto parsed = mqtt::parse_hex(std::string_view(text).substr(start));
  if (!parsed.ok) {
    r.report(r.at_char(n, at, text, start + parsed.error_at), "bad hex: " + parsed.error);
    return std::nullopt;
  }
  if (parsed.bytes.empty()) {
    r.report(at, "no bytes to send");
    return std::nullopt;
  }
  return parsed.bytes;
}

namespace {

// The key a netem error message is about ("latency: jitter_ms: 'x' is not a number").
const entry* named_in(const std::string& error, const std::vector<entry>& settings) {
  for (const auto& s : settings) {
    std::string bare = s.key.substr(s.key.find('.') == std::string::npos ? 0 : s.key.find('.') + 1);
    if (error.find(bare + ":") != std::string::npos || error.find("'" + bare + "'") != std::string::npos) return &s;
  }
  return nullptr;
}

// Builds "k=v,..." from settings, checking each key; then parses and builds each
// impairment so bad values are caught at load time.
std::optional<std::vector<netem::impairment_spec>> parse_settings(reader& r, const std::string& profile,
                                                                  const std::vector<entry>& settings,
                                                                  const position& at) {
  std::string text = profile;
  bool ok = true;
  for (const auto& s : settings) {
    std::string bare = s.key;
    if (bare.starts_with("up.")) bare.erase(0, 3);
    else if (bare.starts_with("down.")) bare.erase(0, 5);
    const auto& known = link_setting_keys();
    if (bare != "blackhole" && std::find(known.begin(), known.end(), bare) == known.end()) {
      r.report(s.key_at, "unknown link setting '" + s.key + "'" + did_you_mean(bare, known));
      ok = false;
      continue;
    }
    if (bare == "blackhole") {
      auto b = r.boolean(s.value, s.value_at);
      if (!b) ok = false;
      else if (*b) text += (text.empty() ? "" : ",") + s.key;
      continue;
    }
    auto v = r.text(s.value, s.value_at);
    if (!v) ok = false;
    else text += (text.empty() ? "" : ",") + s.key + "=" + *v;
  }
  if (!ok) return std::nullopt;
  auto parsed = netem::parse_link(text);
  if (!parsed.error.empty()) {
    const entry* s = named_in(parsed.error, settings);
    r.report(s ? s->value_at : at, parsed.error);
    return std::nullopt;
  }
  return parsed.specs;
}

}  // namespace

std::optional<std::vector<netem::impairment_spec>> read_link(reader& r, const entry& e) {
  if (e.value.IsScalar()) {
    auto t = r.text(e.value, e.value_at);
    if (!t) return std::nullopt;
    return parse_settings(r, *t, {}, e.value_at);
  }
  auto entries = r.any_map(e.value, e.value_at);
  if (!entries) return std::nullopt;
  std::string profile;
  std::vector<entry> settings;
  for (const auto& s : *entries) {
    if (s.key != "profile") {
      settings.push_back(s);
    } else if (auto t = r.text(s.value, s.value_at)) {
      profile = *t;
    } else {
      return std::nullopt;
    }
  }
  return parse_settings(r, profile, settings, e.value_at);
}

std::optional<netem::impairment_spec> read_link_settings(reader& r, const std::vector<entry>& settings,
                                                         const position& step_at) {
  auto specs = parse_settings(r, "", settings, step_at);
  if (!specs) return std::nullopt;
  if (specs->size() != 1) {
    r.report(step_at, "a link step changes one impairment; split these settings into several steps");
    return std::nullopt;
  }
  return specs->front();
}

std::optional<std::pair<double, double>> read_within(reader& r, const entry& e) {
  constexpr double day = 86400;
  if (e.value.IsScalar()) {
    auto hi = r.number(e.value, e.value_at, 0, day);
    if (!hi) return std::nullopt;
    return std::pair{0.0, *hi};
  }
  if (!e.value.IsSequence() || e.value.size() != 2) {
    r.report(e.value_at, "expected a number or [lo, hi], got " + describe(e.value));
    return std::nullopt;
  }
  auto lo = r.number(e.value[0], r.at(e.value[0], e.value_at), 0, day);
  auto hi = r.number(e.value[1], r.at(e.value[1], e.value_at), 0, day);
  if (!lo || !hi) return std::nullopt;
  if (*lo > *hi) {
    r.report(e.value_at, "within_s: lo " + e.value[0].Scalar() + " is greater than hi " + e.value[1].Scalar());
    return std::nullopt;
  }
  return std::pair{*lo, *hi};
}

}  // namespace mqttspec::scenario::detail

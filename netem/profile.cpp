#include "profile.hpp"

#include <charconv>
#include <cmath>
#include <map>

namespace netem {

const std::vector<profile>& profiles() {
  static const std::vector<profile> all{
      {"none", "no impairment", ""},
      {"lan", "a wired LAN", "latency_ms=0.2,jitter_ms=0.05"},
      {"wifi", "a good Wi-Fi link", "latency_ms=3,jitter_ms=2,loss_pct=0.2"},
      {"flaky-wifi", "Wi-Fi at the edge of range: bursts of loss",
       "latency_ms=8,jitter_ms=15,jitter_distribution=pareto,p_pct=2,r_pct=25,loss_bad_pct=60"},
      {"lossy-3g", "a congested 3G link", "latency_ms=120,jitter_ms=40,jitter_distribution=normal,loss_pct=3,rate_kbps=750"},
      {"satellite", "geostationary satellite", "latency_ms=300,jitter_ms=20,loss_pct=1,rate_kbps=2000"},
      {"sliced", "every byte in its own segment", "slice_bytes=1"},
  };
  return all;
}

namespace {

// Which impairment a key belongs to.
const std::map<std::string, std::string, std::less<>>& key_types() {
  static const std::map<std::string, std::string, std::less<>> m = [] {
    std::map<std::string, std::string, std::less<>> k;
    for (const auto& t : impairment_types())
      for (auto key : t.keys)
        if (key != "rto_ms") k.emplace(std::string(key), std::string(t.type));
    k["blackhole"] = "blackhole";
    return k;
  }();
  return m;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    auto i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) break;
    s.remove_prefix(i + 1);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Counts of bytes and on/off switches: the impairments truncate, so 1.5 would pass
// as 1 without this check.
bool whole_number_key(std::string_view key) {
  return key == "slice_bytes" || key == "queue_bytes" || key == "slice_random";
}

bool whole_number(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec != std::errc() || end != text.data() + text.size() || v == std::floor(v);
}

// The range and type of every value, checked by building each impairment once: the
// same rules and messages for --link, the proxy and scenario files.
std::string check(const std::vector<impairment_spec>& specs) {
  for (const auto& s : specs) {
    for (const auto& [key, value] : s.attributes)
      if (whole_number_key(key) && !whole_number(value))
        return s.type + ": " + key + ": " + value + " is not a whole number";
    if (auto made = make_impairment(s, 0); !made.error.empty()) return made.error;
  }
  return {};
}

}  // namespace

parsed_link parse_link(std::string_view text) {
  parsed_link r;
  // One spec per (type, direction), in the order first named.
  std::vector<impairment_spec> specs;
  const auto spec_for = [&](const std::string& type, direction d) -> impairment_spec& {
    for (auto& s : specs)
      if (s.type == type && s.dir == d) return s;
    specs.push_back({type, d, {}, {}});
    return specs.back();
  };
  std::vector<std::string_view> items = split(text, ',');
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string_view item = trim(items[i]);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    std::string key(trim(item.substr(0, eq)));
    direction d = direction::both;
    if (key.starts_with("up.")) d = direction::upstream, key.erase(0, 3);
    else if (key.starts_with("down.")) d = direction::downstream, key.erase(0, 5);
    if (eq == std::string_view::npos && key != "blackhole") {
      const profile* p = nullptr;
      for (const auto& x : profiles())
        if (x.name == item) p = &x;
      if (!p) {
        std::string known;
        for (const auto& x : profiles()) known += (known.empty() ? "" : ", ") + std::string(x.name);
        r.error = "unknown link profile '" + std::string(item) + "' (known: " + known + ")";
        return r;
      }
      auto expanded = split(p->settings, ',');
      items.insert(items.begin() + std::ptrdiff_t(i) + 1, expanded.begin(), expanded.end());
      continue;
    }
    if (key.empty()) {
      r.error = "link setting '" + std::string(item) + "' has no name";
      return r;
    }
    auto t = key_types().find(key);
    if (t == key_types().end()) {
      r.error = "unknown link setting '" + key + "'";
      return r;
    }
    if (key == "blackhole") {
      if (eq != std::string_view::npos) {
        r.error = "blackhole takes no value: write 'blackhole' alone";
        return r;
      }
      spec_for(t->second, d);
      continue;
    }
    const std::string value(trim(eq == std::string_view::npos ? "" : item.substr(eq + 1)));
    if (value.empty()) {
      r.error = t->second + ": " + key + ": no value (write " + key + "=VALUE)";
      return r;
    }
    spec_for(t->second, d).attributes[key] = value;
  }
  if (r.error = check(specs); !r.error.empty()) return r;
  r.specs = std::move(specs);
  return r;
}

}  // namespace netem

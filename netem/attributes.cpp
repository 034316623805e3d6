#include "attributes.hpp"

#include <charconv>
#include <cmath>

namespace netem {

double attributes::number(const std::string& key, double fallback, double lo, double hi) {
  read_.insert(key);
  auto it = a_.find(key);
  if (it == a_.end()) return fallback;
  const std::string& text = it->second;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    if (error_.empty()) error_ = key + ": '" + text + "' is not a number";
    return fallback;
  }
  if (v < lo || v > hi) {
    if (error_.empty())
      error_ = key + ": " + text + " is outside " + std::to_string(lo).substr(0, std::to_string(lo).find('.')) +
               ".." + std::to_string(hi).substr(0, std::to_string(hi).find('.'));
    return fallback;
  }
  return v;
}

std::string attributes::choice(const std::string& key, const std::string& fallback,
                               const std::set<std::string>& allowed) {
  read_.insert(key);
  auto it = a_.find(key);
  if (it == a_.end()) return fallback;
  if (allowed.count(it->second)) return it->second;
  if (error_.empty()) {
    error_ = key + ": '" + it->second + "' is not one of";
    for (const auto& a : allowed) error_ += " " + a;
  }
  return fallback;
}

std::string attributes::error() {
  if (!error_.empty()) return error_;
  for (const auto& [k, v] : a_)
    if (!read_.count(k)) return "unknown attribute '" + k + "'";
  return {};
}

}  // namespace netem

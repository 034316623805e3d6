// Reading an impairment's attributes with range checks: a bad value is an error
// naming the key, never a silent default.
#pragma once

#include <map>
#include <set>
#include <string>

namespace netem {

class attributes {
 public:
  explicit attributes(const std::map<std::string, std::string>& a) : a_(a) {}

  /// The number under `key` (or `fallback` when absent), checked to be in [lo, hi].
  double number(const std::string& key, double fallback, double lo, double hi);
  /// The text under `key`, which must be one of `allowed`.
  std::string choice(const std::string& key, const std::string& fallback, const std::set<std::string>& allowed);

  /// The first problem met, after checking no key went unread: "" when all is well.
  std::string error();

 private:
  const std::map<std::string, std::string>& a_;
  std::set<std::string> read_;
  std::string error_;
};

}  // namespace netem

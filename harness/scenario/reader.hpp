// Reading YAML nodes with positions: typed scalars, maps with known keys and
// did-you-mean suggestions, ${name} parameter substitution. Internal to the loader.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/scenario/loader.hpp"

namespace mqttspec::scenario::detail {

using parameter_values = std::vector<std::pair<std::string, std::string>>;  // name -> value, declared order

std::size_t edit_distance(std::string_view a, std::string_view b);
/// " (did you mean 'x'?)" for the closest candidate within reach, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);
/// "a, b, c".
std::string join(const std::vector<std::string_view>& words);

/// A map entry with where its key and value are written.
struct entry {
  std::string key;
  position key_at;
  position value_at;
  YAML::Node value;
};

class reader {
 public:
  reader(std::string file, std::string_view source, std::vector<problem>& out, parameter_values params);

  /// Where a node is written; `fallback` for nodes without a place of their own
  /// (an empty value after "key:").
  position at(const YAML::Node& n, const position& fallback = {}) const;
  position at(const YAML::Mark& m) const;
  void report(const position& at, std::string message);

  /// The text of a scalar with ${name} replaced; nullopt (reported) for anything else.
  std::optional<std::string> text(const YAML::Node& n, const position& at, std::string_view expected = "a string");
  std::optional<bool> boolean(const YAML::Node& n, const position& at);
  std::optional<double> number(const YAML::Node& n, const position& at, double lo, double hi);
  std::optional<std::int64_t> integer(const YAML::Node& n, const position& at, std::int64_t lo, std::int64_t hi);
  /// A sequence of scalars.
  std::optional<std::vector<std::string>> text_list(const YAML::Node& n, const position& at);

  /// The entries of a map, in order. Reports a node that is not a map (a null node is
  /// an empty map), keys not in `known` (with a suggestion), and duplicate keys.
  /// Entries with unknown keys are left out.
  std::optional<std::vector<entry>> map(const YAML::Node& n, const position& at, std::string_view what,
                                        const std::vector<std::string_view>& known);
  /// Like map() but keeps every key: the caller checks them.
  std::optional<std::vector<entry>> any_map(const YAML::Node& n, const position& at);

  /// The position of character `offset` of a scalar's text (after substitution),
  /// when the text is written as-is on one line; else the scalar's position.
  position at_char(const YAML::Node& n, const position& at, std::string_view value, std::size_t offset) const;

  const parameter_values& params() const { return params_; }
  const std::string& file() const { return file_; }

 private:
  std::optional<std::string> substitute(const std::string& s, const position& at);

  std::string file_;
  std::string_view source_;
  std::vector<problem>& out_;
  parameter_values params_;
};

/// "a map", "a list", "'abc'", "nothing": what a node is, for messages.
std::string describe(const YAML::Node& n);

}  // namespace mqttspec::scenario::detail

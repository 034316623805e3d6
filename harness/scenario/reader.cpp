#include "reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace mqttspec::scenario::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two neighbours ("titel") is one edit.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Within a third of the word (at least 1, at most 3) counts as a typo, not a new word.
  if (word.size() < 3) return "";  // any one-letter name is one edit from any other
  const std::size_t reach = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::string_view best;
  std::size_t best_distance = reach + 1;
  for (auto c : candidates) {
    // The word itself is no suggestion: it is valid elsewhere, not here (a matcher in a one_of).
    if (c == word) return "";
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  // A word missing its unit ("latency" for "latency_ms") is a typo too.
  if (best.empty())
    for (auto c : candidates)
      if (c.size() > word.size() && c.starts_with(word) && c[word.size()] == '_') best = c;
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out;
}

std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
    default: return "nothing";
  }
}

namespace {

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

reader::reader(std::string file, std::string_view source, std::vector<problem>& out, parameter_values params)
    : file_(std::move(file)), source_(source), out_(out), params_(std::move(params)) {}

position reader::at(const YAML::Mark& m) const {
  if (m.is_null() || m.line < 0) return {file_, 1, 1};
  return {file_, m.line + 1, m.column + 1};
}

position reader::at(const YAML::Node& n, const position& fallback) const {
  const YAML::Mark m = n.Mark();
  if (m.is_null() || m.line < 0) return fallback.line ? fallback : position{file_, 1, 1};
  // An empty value ("key:" then a newline) is marked where the next token starts;
  // only an explicit null (~, null) has a place of its own.
  if (n.IsNull() && fallback.line) {
    const auto rest = m.pos >= 0 && std::size_t(m.pos) < source_.size() ? source_.substr(std::size_t(m.pos))
                                                                        : std::string_view();
    if (!rest.starts_with("~") && !rest.starts_with("null") && !rest.starts_with("Null") && !rest.starts_with("NULL"))
      return fallback;
  }
  return at(m);
}

void reader::report(const position& at, std::string message) { out_.push_back({at, std::move(message)}); }

std::optional<std::string> reader::substitute(const std::string& s, const position& at) {
  std::string out;
  bool ok = true;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto open = s.find("${", i);
    const auto close = open == std::string::npos ? std::string::npos : s.find('}', open);
    if (close == std::string::npos) break;
    out.append(s, i, open - i);
    const std::string name = s.substr(open + 2, close - open - 2);
    auto it = std::find_if(params_.begin(), params_.end(), [&](const auto& p) { return p.first == name; });
    if (it != params_.end()) {
      out += it->second;
    } else {
      std::vector<std::string_view> names;
      for (const auto& p : params_) names.push_back(p.first);
      report(at, "undefined parameter '" + name + "'" + did_you_mean(name, names));
      ok = false;
    }
    i = close + 1;
  }
  out.append(s, std::min(i, s.size()));
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> reader::text(const YAML::Node& n, const position& at, std::string_view expected) {
  if (!n.IsScalar()) {
    report(at, "expected " + std::string(expected) + ", got " + describe(n));
    return std::nullopt;
  }
  return substitute(n.Scalar(), at);
}

std::optional<bool> reader::boolean(const YAML::Node& n, const position& at) {
  auto t = text(n, at, "true or false");
  if (!t) return std::nullopt;
  if (*t == "true" || *t == "True" || *t == "TRUE") return true;
  if (*t == "false" || *t == "False" || *t == "FALSE") return false;
  report(at, "expected true or false, got '" + *t + "'");
  return std::nullopt;
}

std::optional<double> reader::number(const YAML::Node& n, const position& at, double lo, double hi) {
  const std::string expected = "a number in " + number_text(lo) + ".." + number_text(hi);
  auto t = text(n, at, expected);
  if (!t) return std::nullopt;
  double v = 0;
  const char* end = t->data() + t->size();
  auto [ptr, ec] = std::from_chars(t->data(), end, v);
  if (ec != std::errc() || ptr != end || t->empty() || v < lo || v > hi) {
    report(at, "expected " + expected + ", got '" + *t + "'");
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> reader::integer(const YAML::Node& n, const position& at, std::int64_t lo,
                                            std::int64_t hi) {
  const std::string expected = "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  auto t = text(n, at, expected);
  if (!t) return std::nullopt;
  std::int64_t v = 0;
  const char* end = t->data() + t->size();
  auto [ptr, ec] = std::from_chars(t->data(), end, v);
  if (ec != std::errc() || ptr != end || t->empty() || v < lo || v > hi) {
    report(at, "expected " + expected + ", got '" + *t + "'");
    return std::nullopt;
  }
  return v;
}

std::optional<std::vector<std::string>> reader::text_list(const YAML::Node& n, const position& at) {
  if (!n.IsSequence()) {
    report(at, "expected a list, got " + describe(n));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : n) {
    auto t = text(item, this->at(item, at));
    if (t) out.push_back(*t);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<entry>> reader::any_map(const YAML::Node& n, const position& at) {
  if (n.IsNull()) return std::vector<entry>{};
  if (!n.IsMap()) {
    report(at, "expected a map, got " + describe(n));
    return std::nullopt;
  }
  std::vector<entry> out;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const position key_at = this->at(it->first, at);
    if (!it->first.IsScalar()) {
      report(key_at, "expected a key name, got " + describe(it->first));
      continue;
    }
    const std::string key = it->first.Scalar();
    if (std::any_of(out.begin(), out.end(), [&](const entry& e) { return e.key == key; })) {
      report(key_at, "duplicate key '" + key + "'");
      continue;
    }
    out.push_back({key, key_at, this->at(it->second, key_at), it->second});
  }
  return out;
}

std::optional<std::vector<entry>> reader::map(const YAML::Node& n, const position& at, std::string_view what,
                                              const std::vector<std::string_view>& known) {
  auto all = any_map(n, at);
  if (!all) return std::nullopt;
  std::vector<entry> out;
  for (auto& e : *all) {
    if (std::find(known.begin(), known.end(), e.key) != known.end()) {
      out.push_back(std::move(e));
      continue;
    }
    std::string hint = did_you_mean(e.key, known);
    if (hint.empty()) hint = " (expected one of: " + join(known) + ")";
    report(e.key_at, "unknown key '" + e.key + "' in " + std::string(what) + hint);
  }
  return out;
}

position reader::at_char(const YAML::Node& n, const position& at, std::string_view value,
                         std::size_t offset) const {
  const YAML::Mark m = n.Mark();
  if (m.is_null() || m.pos < 0 || std::size_t(m.pos) >= source_.size() || offset >= value.size()) return at;
  std::size_t start = std::size_t(m.pos);
  if (source_[start] == '"' || source_[start] == '\'') ++start;
  const std::string_view head = value.substr(0, offset + 1);
  if (head.find('\n') != std::string_view::npos || source_.substr(start, head.size()) != head) return at;
  return {file_, m.line + 1, m.column + 1 + int(start - std::size_t(m.pos)) + int(offset)};
}

}  // namespace mqttspec::scenario::detail

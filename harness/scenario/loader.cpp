#include "loader.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <sstream>

#include "harness/scenario/keys.hpp"
#include "metadata.hpp"
#include "reference/codec/reason_code.hpp"

namespace mqttspec::scenario {

using detail::entry;
using detail::parameter_values;
using detail::reader;

std::string to_string(const problem& p) {
  if (p.at.line == 0) return p.at.file + ": " + p.message;
  return p.at.file + ":" + std::to_string(p.at.line) + ":" + std::to_string(p.at.col) + ": " + p.message;
}

std::optional<std::uint8_t> reason_code_value(std::string_view text) {
  if (text == "normal_disconnection" || text == "granted_qos_0") return 0;
  unsigned value = 0;
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const std::string_view digits = hex ? text.substr(2) : text;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
  if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size())
    return value <= 0xff ? std::optional<std::uint8_t>(std::uint8_t(value)) : std::nullopt;
  for (int v = 0; v < 256; ++v)
    if (mqtt::name(mqtt::reason_code(v)) == text) return std::uint8_t(v);
  return std::nullopt;
}

std::vector<test_case> cases_of(const std::vector<scenario>& scenarios) {
  std::vector<test_case> out;
  for (const auto& s : scenarios)
    for (auto v : s.protocols) out.push_back({s.id + "@" + std::string(mqtt::to_string(v)), &s, v});
  return out;
}

namespace {

constexpr std::size_t max_combinations = 256;

// The parameters block: names with their values, in the order written.
std::vector<std::pair<std::string, std::vector<std::string>>> read_parameters(reader& r, const YAML::Node& root) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (!root.IsMap()) return out;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() != "parameters") continue;
    const position key_at = r.at(it->first);
    auto entries = r.any_map(it->second, r.at(it->second, key_at));
    if (!entries) return {};
    for (const auto& e : *entries) {
      const bool identifier = !e.key.empty() && std::all_of(e.key.begin(), e.key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      });
      if (!identifier) {
        r.report(e.key_at, "a parameter name is letters, digits and _, got '" + e.key + "'");
        return {};
      }
      auto values = r.text_list(e.value, e.value_at);
      if (!values) return {};
      if (values->empty()) {
        r.report(e.value_at, "parameter '" + e.key + "' needs at least one value");
        return {};
      }
      out.emplace_back(e.key, *values);
    }
    break;
  }
  return out;
}

// Every combination, the first parameter varying slowest.
std::vector<parameter_values> combinations(const std::vector<std::pair<std::string, std::vector<std::string>>>& ps) {
  std::vector<parameter_values> out{{}};
  for (const auto& [name, values] : ps) {
    std::vector<parameter_values> next;
    for (const auto& partial : out)
      for (const auto& v : values) {
        next.push_back(partial);
        next.back().emplace_back(name, v);
        if (next.size() > max_combinations) return next;
      }
    out = std::move(next);
  }
  return out;
}

void sort_problems(std::vector<problem>& ps) {
  // Each parameter combination reports the same problems again: keep the first.
  std::set<std::tuple<std::string, int, int, std::string>> seen;
  std::vector<problem> once;
  for (auto& p : ps)
    if (seen.emplace(p.at.file, p.at.line, p.at.col, p.message).second) once.push_back(std::move(p));
  std::stable_sort(once.begin(), once.end(), [](const problem& a, const problem& b) {
    return std::tie(a.at.file, a.at.line, a.at.col) < std::tie(b.at.file, b.at.line, b.at.col);
  });
  ps = std::move(once);
}

// One file's text, without the check for ids used twice.
void load_one(std::string_view text, const std::string& file, const spec::spec_table& table, load_result& res) {
  std::vector<problem> problems;
  std::vector<scenario> found;
  try {
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(std::string(text));
    } catch (const YAML::ParserException& e) {
      problems.push_back({{file, e.mark.line + 1, e.mark.column + 1}, "syntax error: " + e.msg});
    }
    reader top(file, text, problems, {});
    if (problems.empty() && (docs.empty() || docs[0].IsNull())) {
      top.report({file, 1, 1}, "empty file: expected a scenario (a map with id, title, protocol, spec, steps)");
    } else if (problems.empty()) {
      if (docs.size() > 1) top.report(top.at(docs[1]), "one scenario per file: this is a second document");
      const auto params = read_parameters(top, docs[0]);
      const auto combos = combinations(params);
      if (combos.size() > max_combinations) {
        top.report(top.at(docs[0]), "parameters make more than " + std::to_string(max_combinations) + " cases");
      } else if (problems.empty()) {
        for (const auto& combo : combos) {
          reader r(file, text, problems, combo);
          const std::size_t before = problems.size();
          auto s = detail::read_scenario(r, docs[0], table);
          if (!s || problems.size() != before) continue;
          std::string suffix;
          for (const auto& [k, v] : combo) {
            suffix += (suffix.empty() ? "[" : ",") + k + "=" + v;
            s->parameters[k] = v;
          }
          if (!suffix.empty()) s->id += suffix + "]";
          found.push_back(std::move(*s));
        }
      }
    }
  } catch (const std::exception& e) {  // yaml-cpp may throw on input it cannot represent
    problems.push_back({{file, 1, 1}, std::string("cannot read the file: ") + e.what()});
  }
  sort_problems(problems);
  if (problems.empty()) res.scenarios.insert(res.scenarios.end(), found.begin(), found.end());
  res.problems.insert(res.problems.end(), problems.begin(), problems.end());
  res.files.push_back(file);
}

// An id used twice is a problem at the second; the first stays.
void check_duplicate_ids(load_result& res) {
  std::map<std::string, position> first;
  std::vector<scenario> kept;
  for (auto& s : res.scenarios) {
    auto [it, inserted] = first.emplace(s.id, s.at);
    if (inserted) {
      kept.push_back(std::move(s));
      continue;
    }
    const auto& f = it->second;
    res.problems.push_back({s.at, "duplicate id '" + s.id + "' (first at " + f.file + ":" +
                                      std::to_string(f.line) + ":" + std::to_string(f.col) + ")"});
  }
  res.scenarios = std::move(kept);
}

}  // namespace

load_result load_text(std::string_view text, const std::string& file, const spec::spec_table& table) {
  load_result res;
  load_one(text, file, table, res);
  check_duplicate_ids(res);
  return res;
}

load_result load_paths(const std::vector<std::string>& paths, const spec::spec_table& table) {
  namespace fs = std::filesystem;
  load_result res;
  for (const auto& path : paths) {
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(path, ec)) {
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        const auto ext = it->path().extension();
        if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path().string());
      }
      std::sort(files.begin(), files.end());
      if (ec) res.problems.push_back({{path, 0, 0}, "cannot list the directory: " + ec.message()});
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      res.problems.push_back({{path, 0, 0}, "no such file or directory"});
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in) {
        res.problems.push_back({{file, 0, 0}, "cannot read the file"});
        res.files.push_back(file);
        continue;
      }
      load_one(text.str(), file, table, res);
    }
  }
  check_duplicate_ids(res);
  return res;
}

}  // namespace mqttspec::scenario

#include "topic.hpp"

#include "reference/codec/utf8.hpp"

namespace mqtt::topic {

namespace {

constexpr std::string_view share_prefix = "$share/";
constexpr std::size_t max_bytes = 65535;

bool is_v5(protocol_version v) { return v == protocol_version::v5; }

/// Rules shared by names and filters: length, U+0000, UTF-8.
std::optional<problem> check_string(std::string_view s, protocol_version v) {
  if (s.empty()) return problem{"MQTT-4.7.3-1", "empty (at least one character is required)"};
  if (s.size() > max_bytes)
    return problem{"MQTT-4.7.3-3", std::to_string(s.size()) + " bytes (at most 65535 are allowed)"};
  // U+0000 is checked before the rest of UTF-8 so it is reported under the topic rule.
  if (auto at = s.find('\0'); at != std::string_view::npos)
    return problem{"MQTT-4.7.3-2", "U+0000 at byte " + std::to_string(at)};
  const auto utf8 = check_utf8(s);
  const std::string_view utf8_id = is_v5(v) ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1";
  if (utf8.status == utf8_status::ill_formed)
    return problem{utf8_id, "ill-formed UTF-8 at byte " + std::to_string(utf8.offset)};
  if (utf8.status == utf8_status::surrogate)
    return problem{utf8_id, "UTF-16 surrogate encoded at byte " + std::to_string(utf8.offset)};
  return std::nullopt;
}

/// The wildcard rules of a (non-shared) filter, one level at a time.
std::optional<problem> check_levels(std::string_view filter, protocol_version v) {
  const std::string_view hash_id = is_v5(v) ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2";
  const std::string_view plus_id = is_v5(v) ? "MQTT-4.7.1-2" : "MQTT-4.7.1-3";
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = filter.find('/', start);
    const bool last = slash == std::string_view::npos;
    const std::string_view level = filter.substr(start, last ? std::string_view::npos : slash - start);
    if (level.find('#') != std::string_view::npos) {
      if (level != "#") return problem{hash_id, "'#' not alone in level \"" + std::string(level) + "\""};
      if (!last) return problem{hash_id, "'#' is not the last level"};
    }
    if (level.find('+') != std::string_view::npos && level != "+")
      return problem{plus_id, "'+' not alone in level \"" + std::string(level) + "\""};
    if (last) return std::nullopt;
    start = slash + 1;
  }
}

/// Iterates the levels of a topic: "a//b" is "a", "", "b"; "a/" is "a", "".
struct level_cursor {
  std::string_view s;
  std::size_t pos = 0;
  bool done = false;

  std::string_view next() {
    const std::size_t slash = s.find('/', pos);
    if (slash == std::string_view::npos) {
      done = true;
      return s.substr(pos);
    }
    const std::string_view level = s.substr(pos, slash - pos);
    pos = slash + 1;
    return level;
  }
};

}  // namespace

std::optional<problem> check_name(std::string_view name, protocol_version v) {
  if (auto p = check_string(name, v)) return p;
  if (auto at = name.find_first_of("+#"); at != std::string_view::npos)
    return problem{is_v5(v) ? "MQTT-4.7.0-1" : "MQTT-4.7.1-1",
                   std::string("wildcard '") + name[at] + "' in a topic name at byte " + std::to_string(at)};
  return std::nullopt;
}

std::optional<problem> check_filter(std::string_view filter, protocol_version v) {
  if (auto p = check_string(filter, v)) return p;
  if (is_v5(v)) {
    if (auto shared = parse_shared(filter)) {
      if (shared->group.empty()) return problem{"MQTT-4.8.2-1", "empty ShareName"};
      if (auto at = shared->group.find_first_of("+#"); at != std::string_view::npos)
        return problem{"MQTT-4.8.2-2", std::string("'") + shared->group[at] + "' in ShareName"};
      // parse_shared stops the group at the first '/', so a missing filter shows up as
      // either no '/' after the group or nothing after that '/'.
      if (filter.size() == share_prefix.size() + shared->group.size())
        return problem{"MQTT-4.8.2-2", "ShareName not followed by '/'"};
      if (shared->filter.empty()) return problem{"MQTT-4.8.2-2", "no Topic Filter after the ShareName"};
      return check_levels(shared->filter, v);
    }
  }
  return check_levels(filter, v);
}

bool matches(std::string_view filter, std::string_view name) {
  if (name.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#'))) return false;
  level_cursor f{filter};
  level_cursor n{name};
  for (;;) {
    if (f.done) return n.done;
    const std::string_view fl = f.next();
    if (fl == "#") return true;  // valid filters have '#' last: it takes the rest, even nothing
    if (n.done) return false;
    const std::string_view nl = n.next();
    if (fl != "+" && fl != nl) return false;
  }
}

bool has_wildcard(std::string_view filter) { return filter.find_first_of("+#") != std::string_view::npos; }

std::optional<shared_filter> parse_shared(std::string_view filter) {
  if (!filter.starts_with(share_prefix)) return std::nullopt;
  const std::string_view rest = filter.substr(share_prefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return shared_filter{rest, {}};
  return shared_filter{rest.substr(0, slash), rest.substr(slash + 1)};
}

}  // namespace mqtt::topic

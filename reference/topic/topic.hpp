// Topic names and topic filters (3.1.1 section 4.7, 5.0 section 4.7): validation,
// matching, and shared subscriptions ($share/{group}/{filter}, 5.0 section 4.8.2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mqtt::topic {

/// Why a name or filter is invalid, with the statement it breaks; empty when valid.
struct problem {
  std::string_view spec_id;  // e.g. "MQTT-4.7.1-2"
  std::string what;
};

/// A Topic Name of a PUBLISH: at least one character, no wildcards, UTF-8 rules,
/// at most 65,535 bytes.
std::optional<problem> check_name(std::string_view name);

/// A Topic Filter of SUBSCRIBE/UNSUBSCRIBE: '#' only last and alone in its level,
/// '+' alone in its level, at least one character; a $share filter needs a
/// non-empty group without wildcards or '/' and a filter after it.
std::optional<problem> check_filter(std::string_view filter);

/// Does `filter` match `name`? '+' one level, '#' this level and all below (also the
/// parent: "a/#" matches "a"), and names starting with '$' are not matched by a filter
/// starting with a wildcard (MQTT-4.7.2-1). `filter` must not be a $share filter.
bool matches(std::string_view filter, std::string_view name);

struct shared_filter {
  std::string_view group;
  std::string_view filter;  // the part after $share/{group}/
};

/// Splits "$share/g/a/b" into {"g", "a/b"}; nullopt when `filter` is not shared.
/// Call check_filter first: this does not validate.
std::optional<shared_filter> parse_shared(std::string_view filter);

}  // namespace mqtt::topic

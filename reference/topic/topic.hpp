// Topic names and topic filters (3.1.1 section 4.7, 5.0 section 4.7): validation,
// matching, and shared subscriptions ($share/{group}/{filter}, 5.0 section 4.8.2).
// https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901241
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reference/codec/types.hpp"

namespace mqtt::topic {

/// Why a name or filter is invalid, with the statement it breaks; empty when valid.
/// The ids differ between versions (a wildcard in a Topic Name is MQTT-4.7.1-1 in
/// 3.1.1 but MQTT-4.7.0-1 in 5.0), hence the version argument of the checks.
struct problem {
  std::string_view spec_id;  // e.g. "MQTT-4.7.1-2"
  std::string what;
};

/// A Topic Name of a PUBLISH. Rules, in the order they are checked:
///   at least one character           MQTT-4.7.3-1
///   at most 65,535 bytes             MQTT-4.7.3-3
///   no U+0000                        MQTT-4.7.3-2
///   well-formed UTF-8, no surrogates MQTT-1.5.3-1 (3.1.1) / MQTT-1.5.4-1 (5.0)
///   no '+' or '#'                    MQTT-4.7.1-1 (3.1.1) / MQTT-4.7.0-1 (5.0)
/// A leading '$' is allowed: only the Server may publish such names, which is the
/// caller's rule, not a syntax rule.
std::optional<problem> check_name(std::string_view name, protocol_version v = protocol_version::v5);

/// A Topic Filter of SUBSCRIBE/UNSUBSCRIBE. The first four rules of check_name, then:
///   5.0 only, when it starts with "$share/": a non-empty ShareName (MQTT-4.8.2-1)
///   without '/', '+' or '#', followed by '/' and a non-empty filter (MQTT-4.8.2-2);
///   the rest is then checked as a filter of its own;
///   '#' alone in its level and last  MQTT-4.7.1-2 (3.1.1) / MQTT-4.7.1-1 (5.0)
///   '+' alone in its level           MQTT-4.7.1-3 (3.1.1) / MQTT-4.7.1-2 (5.0)
/// In 3.1.1 "$share/g/a" is an ordinary filter that matches only the name "$share/g/a".
std::optional<problem> check_filter(std::string_view filter, protocol_version v = protocol_version::v5);

/// Does `filter` match `name`? Byte for byte and case-sensitive (MQTT-4.7.3-4); '+'
/// is exactly one level, possibly empty ("+/+" matches "/"); '#' is this level and
/// all below, also the parent ("a/#" matches "a"); names starting with '$' are not
/// matched by a filter starting with a wildcard (MQTT-4.7.2-1).
/// Both must be valid (check_filter, check_name); `filter` must not be a $share
/// filter: match its parse_shared(...)->filter instead.
bool matches(std::string_view filter, std::string_view name);

/// True when `filter` contains '+' or '#' (so it can match more than one name).
bool has_wildcard(std::string_view filter);

struct shared_filter {
  std::string_view group;
  std::string_view filter;  // the part after $share/{group}/
};

/// Splits "$share/g/a/b" into {"g", "a/b"}; nullopt when `filter` does not start with
/// "$share/". 5.0 only: a 3.1.1 caller should not call it. Call check_filter first:
/// this does not validate ("$share/g" gives {"g", ""}).
std::optional<shared_filter> parse_shared(std::string_view filter);

}  // namespace mqtt::topic

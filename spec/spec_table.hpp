// The normative statements of MQTT 3.1.1 and 5.0 (spec/*.tsv), so scenarios and
// reports can check and print the ids they cite.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reference/codec/types.hpp"

namespace mqttspec::spec {

/// A data folder of the project (spec, scenarios), found at run time so no path of the
/// build machine is compiled in: `folder` in the working directory, else in the checkout
/// (or share/mqttspec/ of the install) the running binary lives in; the folder must hold
/// `marker`. "" when not found.
std::string locate_data(const std::string& folder, const std::string& marker);

struct statement {
  std::string id;       // "MQTT-3.1.2-24"
  std::string section;  // "3.1.2"
  std::string section_title;
  std::string text;
};

class spec_table {
 public:
  /// Reads mqtt-3.1.1-normative.tsv and mqtt-5.0-normative.tsv from `dir`.
  /// A missing or unreadable file leaves that version empty and sets error().
  static spec_table load(const std::string& dir);

  /// The table in default_dir(). Loaded once.
  static const spec_table& builtin();

  /// The default directory: $MQTTSPEC_SPEC_DIR, else spec/ as locate_data finds it.
  static std::string default_dir();

  bool exists(mqtt::protocol_version v, std::string_view id) const;
  /// The statement text, or "" for an unknown id.
  std::string_view text(mqtt::protocol_version v, std::string_view id) const;
  /// The section number ("3.1.2"), or "" for an unknown id.
  std::string_view section(mqtt::protocol_version v, std::string_view id) const;
  const statement* find(mqtt::protocol_version v, std::string_view id) const;
  /// Every id of a version, in file order (numeric).
  std::vector<std::string> ids(mqtt::protocol_version v) const;

  /// "" when both files were read.
  const std::string& error() const { return error_; }

 private:
  std::map<mqtt::protocol_version, std::vector<statement>> rows_;
  std::map<mqtt::protocol_version, std::map<std::string, std::size_t, std::less<>>> index_;
  std::string error_;
};

}  // namespace mqttspec::spec

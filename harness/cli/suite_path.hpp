// Where the scenarios are when --suite is not given, found at run time so that no
// path of the machine that built the binary is compiled into it.
#pragma once

#include <string>

namespace mqttspec::cli {

/// $MQTTSPEC_SCENARIOS; else ./scenarios; else the scenarios/ folder of the checkout
/// (or share/mqttspec/scenarios of the install) the binary lives in.
std::string default_suite();

/// `path` relative to the working directory, for messages and reports.
std::string shown_path(const std::string& path);

}  // namespace mqttspec::cli

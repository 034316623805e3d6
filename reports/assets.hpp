// The files of reports/assets, embedded at build time (see embed_assets.cmake).
#pragma once

#include <string_view>

namespace mqttspec::reports {

/// The content of reports/assets/NAME, or "" when there is no such file.
std::string_view asset(std::string_view name);

}  // namespace mqttspec::reports

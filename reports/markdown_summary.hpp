// A GitHub step summary (Markdown): verdict counts and what did not pass.
#pragma once

#include <string>

#include "exit_policy.hpp"
#include "run_document.hpp"

namespace mqttspec::reports {

std::string markdown_summary(const json& run, const exit_policy& policy);

/// Appends to the file, as $GITHUB_STEP_SUMMARY expects; "" or why not.
std::string append_summary(const std::string& path, const json& run, const exit_policy& policy);

}  // namespace mqttspec::reports

// The subcommands of `mqttspec`. Each takes the arguments after its name and
// returns the process exit status: 0 success, 1 a failure found, 2 usage or input error.
#pragma once

#include <string>
#include <vector>

namespace mqttspec::cli {

int analyze_command(const std::vector<std::string>& args);
int decode_command(const std::vector<std::string>& args);
int broker_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int proxy_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int list_command(const std::vector<std::string>& args);
/// `mqttspec record ... --traces DIR`: run, and keep each case's exchange as its golden trace.
int record_command(const std::vector<std::string>& args);
/// `mqttspec replay CAPTURE`: a capture's clients against a broker, or --to-yaml.
int replay_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);

}  // namespace mqttspec::cli

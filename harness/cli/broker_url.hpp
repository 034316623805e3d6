// The broker to test, from --broker and the credential options:
// mqtt://[USER[:PASS]@]HOST:PORT. Credentials may also come from --username and
// --password, or MQTTSPEC_USERNAME and MQTTSPEC_PASSWORD (kept out of `ps` and logs).
#pragma once

#include <optional>
#include <string>

namespace mqttspec::cli {

struct broker_url {
  std::string host_port;  // "127.0.0.1:1883", "[::1]:1883"
  std::optional<std::string> username, password;
};

/// "" or why `url` is not a broker URL this version can test.
std::string parse_broker_url(const std::string& url, broker_url& out);

/// The URL as it may be shown: never the password.
std::string shown(const broker_url& b);

}  // namespace mqttspec::cli

#include "broker_url.hpp"

namespace mqttspec::cli {

namespace {

// %XX escapes, so a password may hold '@' or ':'.
std::optional<std::string> unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
      return std::nullopt;
    out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

}  // namespace

std::string parse_broker_url(const std::string& url, broker_url& out) {
  std::string rest = url;
  if (rest.starts_with("mqtt://")) rest = rest.substr(7);
  else if (auto p = rest.find("://"); p != std::string::npos)
    return "--broker: '" + rest.substr(0, p) + "://' is not supported yet; use mqtt://HOST:PORT";
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string who = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = who.find(':');
    auto user = unescape(who.substr(0, colon));
    auto pass = colon == std::string::npos ? std::optional<std::string>("") : unescape(who.substr(colon + 1));
    if (!user || !pass) return "--broker: a bad %-escape in the user or password";
    if (!user->empty()) out.username = *user;
    if (colon != std::string::npos) out.password = *pass;
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos) return "--broker must be mqtt://[USER[:PASS]@]HOST:PORT";
  out.host_port = rest;
  return {};
}

std::string shown(const broker_url& b) {
  std::string s = "mqtt://";
  if (b.username) s += *b.username + (b.password ? ":***" : "") + "@";
  return s + b.host_port;
}

}  // namespace mqttspec::cli

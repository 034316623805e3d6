// websocket: a broker that serves MQTT over WebSocket selects the "mqtt" subprotocol
// (MQTT-6.0.0-4) and sends MQTT only in binary data frames (MQTT-6.0.0-1). The client's
// side of the same rules (it offers "mqtt", MQTT-6.0.0-3; binary frames) is in
// client_rules, for captures.
#include <string>

#include "checks.hpp"
#include "spec_ids.hpp"

namespace mqttspec::checks {

/// A comma-separated Sec-WebSocket-Protocol list holds `name` (tokens are case-sensitive).
bool lists_subprotocol(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    auto token = list.substr(0, comma);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token == name) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

namespace {

class websocket final : public checker {
 public:
  std::string_view name() const override { return "websocket"; }
  void on_packet(const observed&) override {}

  void on_websocket(timestamp at, const std::string& client, std::uint64_t, const websocket_fact& f) override {
    using kind = websocket_fact::kind;
    if (f.what == kind::selected && f.text != "mqtt")
      report(at, client, ids::websocket_selects_mqtt.v5,
             f.text.empty() ? "the server's upgrade answer selects no WebSocket subprotocol, not \"mqtt\""
                            : "the server selected the WebSocket subprotocol \"" + f.text + "\", not \"mqtt\"");
    if (f.what == kind::text_frame && f.from_broker)
      report(at, client, ids::websocket_binary.v5, "the server sent MQTT in a WebSocket text frame, not binary");
  }
};

}  // namespace

std::unique_ptr<checker> make_websocket(const options&) { return std::make_unique<websocket>(); }

}  // namespace mqttspec::checks

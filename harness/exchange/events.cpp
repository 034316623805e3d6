#include "events.hpp"

#include <algorithm>

namespace mqttspec::exchange {

void sort(std::vector<event>& events) {
  std::stable_sort(events.begin(), events.end(), [](const event& a, const event& b) {
    if (a.at != b.at) return a.at < b.at;
    return a.seq != b.seq ? a.seq < b.seq : a.what < b.what;
  });
}

void feed(checks::monitor& m, const event& e) {
  static const std::string nobody;
  const std::string& client = e.client ? *e.client : nobody;
  switch (e.what) {
    case event::kind::joined:
      m.on_joined(e.at, client, e.connection);
      break;
    case event::kind::websocket:
      if (e.websocket) m.on_websocket(e.at, client, e.connection, *e.websocket);
      break;
    case event::kind::link:
      m.on_link_event(e.at, client, e.link);
      break;
    case event::kind::end:
      m.on_connection_end(e.at, client, e.connection, e.by_broker);
      break;
    case event::kind::packet:
      if (e.packet)
        m.on_packet({e.at, client, e.connection, e.from_broker, e.version, *e.packet, e.bytes, {}});
      else if (e.error)
        m.on_malformed(e.at, client, e.connection, e.from_broker, e.version, *e.error, e.bytes);
      break;
  }
}

}  // namespace mqttspec::exchange

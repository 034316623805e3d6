// Packets for the trace tests, with the fields those tests vary.
#pragma once

#include <cstdint>
#include <string_view>

#include "reference/codec/codec.hpp"

namespace mqttspec::traces::test {

inline mqtt::connect connect(std::string_view id, std::uint16_t keepalive = 60) {
  mqtt::connect c;
  c.client_id = id;
  c.keep_alive = keepalive;
  return c;
}

inline mqtt::publish publish(std::string_view topic, std::string_view payload, mqtt::qos q = mqtt::qos::at_most_once,
                             std::uint16_t id = 0) {
  mqtt::publish p;
  p.topic = topic, p.payload = payload, p.qos = q, p.packet_id = id;
  return p;
}

template <class T>
T ack(std::uint16_t id) {
  T a;
  a.packet_id = id;
  return a;
}

}  // namespace mqttspec::traces::test

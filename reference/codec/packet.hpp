// Every control packet of MQTT 3.1.1 and 5.0 as one variant.
#pragma once

#include <variant>

#include "packets/connack.hpp"
#include "packets/connect.hpp"
#include "packets/empty_packet.hpp"
#include "packets/pub_response.hpp"
#include "packets/publish.hpp"
#include "packets/reason_packet.hpp"
#include "packets/sub_ack.hpp"
#include "packets/subscribe.hpp"

namespace mqtt {

using packet = std::variant<connect, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe, suback,
                            unsubscribe, unsuback, pingreq, pingresp, disconnect, auth>;

inline packet_type type_of(const packet& p) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::type; }, p);
}

}  // namespace mqtt

// Section 6: the subprotocol offered and selected, and binary data frames, judged from
// the facts a WebSocket reader reports; the broker's side by `websocket`, the
// client's by `client_rules`.
#include "script.hpp"

namespace mqttspec::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using kind = websocket_fact::kind;

std::vector<std::string> ids_of(checker& c, std::vector<websocket_fact> facts) {
  for (const auto& f : facts) c.on_websocket(timestamp{}, "c", 1, f);
  std::vector<violation> out;
  c.finish(timestamp{}, out);
  std::vector<std::string> ids;
  for (const auto& v : out) ids.push_back(v.spec_id);
  return ids;
}

TEST(websocket, the_broker_selects_mqtt_and_sends_binary_frames) {
  const websocket_fact offered{kind::offered, false, "mqtt"};
  EXPECT_THAT(ids_of(*make_websocket({}), {offered, {kind::selected, true, "mqtt"}}), IsEmpty());
  EXPECT_THAT(ids_of(*make_websocket({}), {offered, {kind::selected, true, ""}}), ElementsAre("MQTT-6.0.0-4"));
  EXPECT_THAT(ids_of(*make_websocket({}), {offered, {kind::selected, true, "mqttv3.1"}}), ElementsAre("MQTT-6.0.0-4"));
  EXPECT_THAT(ids_of(*make_websocket({}), {{kind::text_frame, true, ""}}), ElementsAre("MQTT-6.0.0-1"));
  EXPECT_THAT(ids_of(*make_websocket({}), {{kind::text_frame, false, ""}}), IsEmpty()) << "the client's: client_rules";
}

TEST(websocket, the_client_offers_mqtt_and_sends_binary_frames) {
  EXPECT_THAT(ids_of(*make_client_rules({}), {{kind::offered, false, "mqttv3.1, mqtt"}}), IsEmpty());
  EXPECT_THAT(ids_of(*make_client_rules({}), {{kind::offered, false, "mqttv3.1"}}), ElementsAre("MQTT-6.0.0-3"));
  EXPECT_THAT(ids_of(*make_client_rules({}), {{kind::offered, false, ""}}), ElementsAre("MQTT-6.0.0-3"));
  EXPECT_THAT(ids_of(*make_client_rules({}), {{kind::text_frame, false, ""}}), ElementsAre("MQTT-6.0.0-1"));
  EXPECT_THAT(ids_of(*make_client_rules({}), {{kind::selected, true, "x"}}), IsEmpty()) << "the broker's: websocket";
}

TEST(websocket, subprotocol_lists_are_comma_separated_tokens) {
  EXPECT_TRUE(lists_subprotocol("mqtt", "mqtt"));
  EXPECT_TRUE(lists_subprotocol(" mqttv3.1 ,\tmqtt ", "mqtt"));
  EXPECT_FALSE(lists_subprotocol("mqttv3.1", "mqtt"));
  EXPECT_FALSE(lists_subprotocol("MQTT", "mqtt"));
  EXPECT_FALSE(lists_subprotocol("", "mqtt"));
}

}  // namespace
}  // namespace mqttspec::checks::testing

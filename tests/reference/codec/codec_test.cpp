// The whole-packet API: decode, encode, encoded_size, check, to_string, dump, to_hex,
// framing errors, and one packet of every type round-tripping in each version.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "reference/codec/codec.hpp"

namespace {

using namespace std::literals;
using mqtt::packet_type;
using mqtt::property_id;
using mqtt::protocol_version;
using mqtt::reason_code;

// One packet of every type that exists in `v`, each with a non-default field or two.
std::vector<mqtt::packet> one_of_each(protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  std::vector<mqtt::packet> out{
      mqtt::connect{.version = v, .keep_alive = 30, .client_id = "c"},
      mqtt::connack{.session_present = true},
      mqtt::publish{.qos = mqtt::qos::exactly_once, .retain = true, .topic = "a/b", .packet_id = 3, .payload = "p"},
      mqtt::puback{.packet_id = 1},
      mqtt::pubrec{.packet_id = 2},
      mqtt::pubrel{.packet_id = 3},
      mqtt::pubcomp{.packet_id = 4},
      mqtt::subscribe{.packet_id = 5, .topics = {{.filter = "a/#", .max_qos = mqtt::qos::at_least_once}}},
      mqtt::suback{.packet_id = 5, .codes = {reason_code::granted_qos_1}},
      mqtt::unsubscribe{.packet_id = 6, .filters = {"a/#"}},
      v5 ? mqtt::unsuback{.packet_id = 6, .codes = {reason_code::success}} : mqtt::unsuback{.packet_id = 6},
      mqtt::pingreq{},
      mqtt::pingresp{},
      mqtt::disconnect{},
  };
  if (v5) {
    out.push_back(mqtt::disconnect{.code = reason_code::server_busy, .props = {{property_id::reason_string, 0, "x"}}});
    out.push_back(mqtt::auth{.code = reason_code::re_authenticate,
                             .props = {{property_id::authentication_method, 0, "m"}}});
  }
  return out;
}

TEST(codec, every_type_round_trips_in_both_versions) {
  for (auto v : {protocol_version::v311, protocol_version::v5}) {
    const auto packets = one_of_each(v);
    EXPECT_EQ(packets.size(), v == protocol_version::v5 ? 16u : 14u);
    for (const auto& p : packets) {
      SCOPED_TRACE(std::string(mqtt::to_string(v)) + " " + mqtt::to_string(p, v));
      const std::string wire = mqtt::encode(p, v);
      EXPECT_EQ(mqtt::encoded_size(p, v), wire.size());
      ASSERT_FALSE(wire.empty());
      EXPECT_EQ(static_cast<std::uint8_t>(wire[0]) >> 4, static_cast<int>(mqtt::type_of(p)));
      const auto decoded = mqtt::decode(wire, v);
      ASSERT_TRUE(decoded) << mqtt::to_hex(wire) << ": " << mqtt::to_string(decoded.error());
      EXPECT_TRUE(*decoded == p) << mqtt::to_string(*decoded, v);
      EXPECT_EQ(mqtt::to_hex(mqtt::encode(*decoded, v)), mqtt::to_hex(wire));
      EXPECT_TRUE(mqtt::check(p, v));
      EXPECT_TRUE(mqtt::to_string(p, v).starts_with(mqtt::to_string(mqtt::type_of(p))));
    }
  }
}

TEST(codec, encode_appends_to_what_is_there) {
  const mqtt::packet p = mqtt::pubrel{.packet_id = 0x0102};
  std::string out(4, '\xa5');
  mqtt::encode(p, protocol_version::v311, out);
  mqtt::encode(p, protocol_version::v311, out);
  //                                         junk            CP  RL  PID     CP  RL  PID
  EXPECT_EQ(mqtt::to_hex(out), mqtt::to_hex("\xa5\xa5\xa5\xa5\x62\x02\x01\x02\x62\x02\x01\x02"sv));
}

TEST(codec, connect_is_decoded_with_its_own_version) {
  const mqtt::packet p = mqtt::connect{.version = protocol_version::v5, .client_id = "c"};
  const std::string wire = mqtt::encode(p, protocol_version::v5);
  const auto decoded = mqtt::decode(wire, protocol_version::v311);
  ASSERT_TRUE(decoded) << mqtt::to_string(decoded.error());
  EXPECT_EQ(std::get<mqtt::connect>(*decoded).version, protocol_version::v5);
}

TEST(codec, empty_or_cut_fixed_header) {
  for (auto in : {""sv, "\x30"sv, "\x30\x80"sv}) {
    const auto r = mqtt::decode(in, protocol_version::v5);
    ASSERT_FALSE(r) << mqtt::to_hex(in);
    EXPECT_EQ(r.error().code, reason_code::malformed_packet);
    EXPECT_EQ(r.error().spec_id, "");
    EXPECT_EQ(r.error().offset, in.size());
    EXPECT_EQ(r.error().what, "the packet ends inside its fixed header");
  }
}

TEST(codec, remaining_length_longer_than_the_bytes) {
  //                           CP  RL  TL      a
  const auto r = mqtt::decode("\x30\x05\x00\x03\x61"sv, protocol_version::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::malformed_packet);
  EXPECT_EQ(r.error().spec_id, "");
  EXPECT_EQ(r.error().offset, 1u);
  EXPECT_EQ(r.error().what, "remaining length says 5 bytes but 3 follow the fixed header");
}

TEST(codec, remaining_length_shorter_than_the_bytes) {
  //                           CP  RL  extra
  const auto r = mqtt::decode("\xc0\x00\x00"sv, protocol_version::v5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, reason_code::malformed_packet);
  EXPECT_EQ(r.error().offset, 1u);
  EXPECT_EQ(r.error().what, "remaining length says 0 bytes but 1 follow the fixed header");
}

TEST(codec, check_finds_rules_broken_by_built_packets) {
  const mqtt::packet p = mqtt::suback{.packet_id = 1, .codes = {static_cast<reason_code>(0x03)}};
  const auto s = mqtt::check(p, protocol_version::v311);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, reason_code::protocol_error);
  EXPECT_EQ(s.error().spec_id, "MQTT-3.9.3-2");
  EXPECT_EQ(s.error().what, "SUBACK: code 0x03 is not defined for SUBACK");
}

TEST(codec, to_string_is_one_line) {
  const mqtt::packet p =
      mqtt::publish{.qos = mqtt::qos::at_least_once, .topic = "a/b", .packet_id = 7, .payload = "hello"};
  EXPECT_EQ(mqtt::to_string(p, protocol_version::v311), R"(PUBLISH qos=1 dup=0 retain=0 id=7 topic="a/b" payload=5B)");
  // Quotes, backslashes and non-printable bytes are escaped.
  const mqtt::packet odd = mqtt::unsubscribe{.packet_id = 1, .filters = {"q\"\\\x7f"}};
  EXPECT_EQ(mqtt::to_string(odd, protocol_version::v311), R"(UNSUBSCRIBE id=1 filters=["q\"\\\x7f"])");
}

TEST(codec, dump_has_one_field_a_line_and_the_hex) {
  const mqtt::packet p =
      mqtt::publish{.qos = mqtt::qos::at_least_once, .topic = "a/b", .packet_id = 7, .payload = "hi"};
  const std::string wire = mqtt::encode(p, protocol_version::v311);
  EXPECT_EQ(mqtt::dump(p, protocol_version::v311, wire),
            "PUBLISH (MQTT 3.1.1)\n"
            "  qos: 1\n"
            "  dup: 0\n"
            "  retain: 0\n"
            "  id: 7\n"
            "  topic: \"a/b\"\n"
            "  payload: 2B\n"
            "  payload bytes: \"hi\"\n"
            "  hex: 32 09 00 03 61 2f 62 00 07 68 69\n");
  EXPECT_EQ(mqtt::dump(mqtt::pingreq{}, protocol_version::v5), "PINGREQ (MQTT 5)\n");
}

TEST(codec, dump_names_the_version_a_connect_carries) {
  const mqtt::packet p = mqtt::connect{.version = protocol_version::v311, .client_id = "c"};
  EXPECT_TRUE(mqtt::dump(p, protocol_version::v5).starts_with("CONNECT (MQTT 3.1.1)\n"));
}

TEST(codec, to_hex) {
  EXPECT_EQ(mqtt::to_hex(""sv), "");
  EXPECT_EQ(mqtt::to_hex("\x00"sv), "00");
  EXPECT_EQ(mqtt::to_hex("\x30\x05\xff\xa0\x0f"sv), "30 05 ff a0 0f");
}

TEST(codec, decode_error_to_string) {
  const auto r = mqtt::decode("\x80\x00"sv, protocol_version::v311);
  ASSERT_FALSE(r);
  EXPECT_EQ(mqtt::to_string(r.error()),
            "MQTT-3.8.1-1: reserved flags of SUBSCRIBE must be 0010, not 0000 (malformed_packet at byte 0)");
  const auto cut = mqtt::decode("\xc0\x01"sv, protocol_version::v311);
  ASSERT_FALSE(cut);
  EXPECT_EQ(mqtt::to_string(cut.error()),
            "remaining length says 1 bytes but 0 follow the fixed header (malformed_packet at byte 1)");
}

TEST(reason_codes, names_and_error_codes) {
  EXPECT_EQ(mqtt::name(reason_code::malformed_packet), "malformed_packet");
  EXPECT_EQ(mqtt::name(mqtt::normal_disconnection), "success");
  EXPECT_EQ(mqtt::name(static_cast<reason_code>(0x05)), "unknown_0x05");
  const std::error_code ec = reason_code::protocol_error;
  EXPECT_EQ(ec, reason_code::protocol_error);
  EXPECT_EQ(ec.value(), 0x82);
  EXPECT_EQ(ec.message(), "protocol_error");
  EXPECT_STREQ(ec.category().name(), "mqtt.reason_code");
}

TEST(reason_codes, per_packet_tables) {
  EXPECT_TRUE(mqtt::allowed_in(reason_code::disconnect_with_will_message, packet_type::disconnect));
  EXPECT_FALSE(mqtt::allowed_in(reason_code::disconnect_with_will_message, packet_type::auth));
  EXPECT_TRUE(mqtt::allowed_in(reason_code::no_matching_subscribers, packet_type::pubrec));
  EXPECT_FALSE(mqtt::allowed_in(reason_code::no_matching_subscribers, packet_type::pubrel));
  EXPECT_TRUE(mqtt::allowed_in(reason_code::packet_identifier_not_found, packet_type::pubcomp));
  EXPECT_FALSE(mqtt::allowed_in(reason_code::granted_qos_2, packet_type::unsuback));
  EXPECT_TRUE(mqtt::allowed_in(reason_code::shared_subscriptions_not_supported, packet_type::suback));
  EXPECT_FALSE(mqtt::allowed_in(reason_code::success, packet_type::pingreq));
}

}  // namespace

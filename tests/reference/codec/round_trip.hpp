// The round trip every packet test makes (STYLE item 9): encode gives `wire`, decode
// gives the same fields, re-encode gives `wire`, encoding appends after junk without
// touching it, and the one-line form is `text`.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reference/codec/codec.hpp"

inline void expect_round_trip(const mqtt::packet& p, mqtt::protocol_version v, std::string_view wire,
                              std::string_view text) {
  EXPECT_EQ(mqtt::to_hex(mqtt::encode(p, v)), mqtt::to_hex(wire));
  EXPECT_EQ(mqtt::encoded_size(p, v), wire.size());
  const auto decoded = mqtt::decode(wire, v);
  ASSERT_TRUE(decoded) << mqtt::to_string(decoded.error());
  EXPECT_TRUE(*decoded == p) << "decoded: " << mqtt::to_string(*decoded, v) << "\nbuilt:   " << mqtt::to_string(p, v);
  EXPECT_EQ(mqtt::to_hex(mqtt::encode(*decoded, v)), mqtt::to_hex(wire));
  const std::string junk(6, '\xa5');
  std::string out = junk;
  mqtt::encode(p, v, out);
  EXPECT_EQ(mqtt::to_hex(out), mqtt::to_hex(junk + std::string(wire)));
  EXPECT_EQ(mqtt::to_string(p, v), text);
}

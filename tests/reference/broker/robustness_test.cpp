// Every malformed or forbidden packet closes only its own connection (5.0: after a
// DISCONNECT with the reason code), and the broker keeps serving the others.
#include "harness.hpp"

namespace mqtt::broker::test {
namespace {

struct bad_case {
  const char* name;
  protocol_version v;
  const char* hex;
  reason_code code;  // 5.0 DISCONNECT reason code
};

class broker_robustness : public ::testing::TestWithParam<bad_case> {};

//                                                     type RL   body
INSTANTIATE_TEST_SUITE_P(
    malformed, broker_robustness,
    ::testing::Values(
        bad_case{"pingreq_flags_v5", v5, "c1 00", reason_code::malformed_packet},
        bad_case{"pingreq_length_v5", v5, "c0 01 | 00", reason_code::malformed_packet},
        bad_case{"subscribe_flags_v5", v5, "80 06 | 00 01 00 00 01 61", reason_code::malformed_packet},
        bad_case{"publish_qos3_v5", v5, "36 05 | 00 01 61 00 01", reason_code::malformed_packet},
        bad_case{"publish_wildcard_v5", v5, "30 04 | 00 01 23 00", reason_code::topic_name_invalid},
        bad_case{"varint_overlong_v5", v5, "30 ff ff ff ff 7f", reason_code::malformed_packet},
        bad_case{"connack_from_client_v5", v5, "20 03 | 00 00 00", reason_code::protocol_error},
        bad_case{"pingreq_flags_v311", v311, "c1 00", reason_code::malformed_packet},
        bad_case{"subscribe_empty_v311", v311, "82 02 | 00 01", reason_code::malformed_packet},
        bad_case{"publish_qos3_v311", v311, "36 05 | 00 01 61 00 01", reason_code::malformed_packet},
        bad_case{"auth_in_v311", v311, "f0 00", reason_code::malformed_packet},
        bad_case{"truncated_string_v311", v311, "30 03 | 00 05 61", reason_code::malformed_packet}),
    [](const auto& i) { return std::string(i.param.name); });

TEST_P(broker_robustness, closes_only_the_offender) {
  const auto& bc = GetParam();
  sim s;
  auto& good = s.connected(bc.v, "good");
  good.subscribe("t", qos::at_least_once);
  auto& bad = s.connected(bc.v, "bad");
  bad.raw(bc.hex, true);
  EXPECT_TRUE(bad.closed());
  if (bc.v == v5) {
    auto d = bad.expect<disconnect>();
    if (std::string_view(bc.name) != "publish_wildcard_v5" && std::string_view(bc.name) != "subscribe_empty_v311") {
      EXPECT_EQ(d.code, bc.code);
    }
  }
  EXPECT_TRUE(bad.nothing());
  EXPECT_FALSE(s.notes().empty());
  // The others keep working.
  auto& pub = s.connected(bc.v, "pub");
  pub.publish("t", "still here", qos::at_least_once, 1);
  pub.expect<puback>();
  EXPECT_EQ(good.expect<publish>().payload, "still here");
  EXPECT_EQ(s.broker().connection_count(), 2u);
}

TEST(broker_robustness_chunks, bytes_in_any_chunking) {
  sim s;
  auto& sub = s.connected(v5, "s");
  sub.subscribe("t", qos::at_most_once);
  auto& pub = s.connected(v5, "p");
  mqtt::publish p;
  p.topic = "t";
  p.payload = "split";
  const std::string bytes = encode(p, v5);
  for (char ch : bytes) pub.raw(std::string_view(&ch, 1));
  EXPECT_EQ(sub.expect<publish>().payload, "split");
}

TEST(broker_robustness_chunks, garbage_before_connect_closes_silently) {
  sim s;
  auto& c = s.open(v5);
  c.raw("ff ff ff ff ff", true);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(c.nothing());
}

}  // namespace
}  // namespace mqtt::broker::test

// Broken scenario files and the exact problems the loader reports for each.
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"

namespace mqttspec::scenario {
namespace {

struct broken {
  const char* name;
  const char* yaml;
  const char* problems;  // "line:col: message" per line
};

// Most files differ from this valid one in one line.
//   id: t/x / title: t / protocol: [5] / spec: [MQTT-3.1.0-1] / clients: a / steps: a connects
const broken files[] = {
    {"unknown_top_key_suggests",
     R"(titel: t
)",
     R"(1:1: unknown key 'titel' in the scenario (did you mean 'title'?)
1:1: missing key 'id'
1:1: missing key 'title'
1:1: missing key 'protocol'
1:1: missing key 'spec'
1:1: missing key 'steps'
)"},
    {"unknown_top_key_lists",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect
extra: 1
)",
     R"(9:1: unknown key 'extra' in the scenario (expected one of: id, title, quote, protocol, spec, tags, requires, timeout_s, namespace, parameters, link, clients, steps)
)"},
    {"unknown_client_key",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: { keepalive: 10 }
steps:
  - a: connect
)",
     R"(6:8: unknown key 'keepalive' in a client (did you mean 'keepalive_s'?)
)"},
    {"bad_hex_inline_quoted",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: { raw: true }
steps:
  - a: send "10 0g 00"
)",
     R"(8:18: bad hex: 'g' is not a hex digit
)"},
    {"bad_hex_odd_digit",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: { raw: true }
steps:
  - a: send
    hex: "30 | 0"
)",
     R"(9:16: bad hex: a byte needs two hex digits
)"},
    {"bad_hex_inline_plain",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: { raw: true }
steps:
  - a: send 30 02 zz
)",
     R"(8:19: bad hex: 'z' is not a hex digit
)"},
    {"unknown_spec_id",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.2-99]
clients:
  a: {}
steps:
  - a: connect
)",
     R"(4:8: unknown spec id 'MQTT-3.1.2-99' for MQTT 5 (did you mean 'MQTT-3.1.2-9'?)
)"},
    {"spec_id_of_other_version",
     R"(id: t/x
title: t
protocol: [3.1.1, 5]
spec: [MQTT-3.1.2-25]
clients:
  a: {}
steps:
  - a: connect
)",
     R"(4:8: unknown spec id 'MQTT-3.1.2-25' for MQTT 3.1.1 (it is an MQTT 5 id: give the ids per version)
)"},
    {"spec_map_misses_version",
     R"(id: t/x
title: t
protocol: [3.1.1, 5]
spec:
  3.1.1: [MQTT-3.1.2-24]
clients:
  a: {}
steps:
  - a: connect
)",
     R"(5:3: no spec ids for MQTT 5
)"},
    {"undefined_client",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  watcher: {}
steps:
  - wacher: connect
)",
     R"(8:5: undefined client 'wacher' (did you mean 'watcher'?)
)"},
    {"undefined_link_client",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - link: b
    blackhole: true
)",
     R"(8:11: undefined client 'b'
)"},
    {"unknown_verb",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: conect
)",
     R"(8:8: unknown verb 'conect' (did you mean 'connect'?)
)"},
    {"unknown_packet_type",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect pubak
)",
     R"(8:8: unknown packet type 'pubak' (did you mean 'puback'?)
)"},
    {"client_packet_type",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect subscribe
)",
     R"(8:8: a broker never sends subscribe
)"},
    {"unknown_property",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: { properties: { sesion_expiry_interval: 30 } }
steps:
  - a: connect
)",
     R"(6:22: unknown property 'sesion_expiry_interval' (did you mean 'session_expiry_interval'?)
)"},
    {"unknown_reason_code",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: disconnect
    rc: not_authorised
)",
     R"(9:9: unknown reason code 'not_authorised' (did you mean 'not_authorized'?)
)"},
    {"unknown_link_setting",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
link: { latency: 100 }
clients:
  a: {}
steps:
  - a: connect
)",
     R"(5:9: unknown link setting 'latency' (did you mean 'latency_ms'?)
)"},
    {"unknown_link_profile",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
link: sattelite
clients:
  a: {}
steps:
  - a: connect
)",
     R"(5:7: unknown link profile 'sattelite' (known: none, lan, wifi, flaky-wifi, lossy-3g, satellite, sliced)
)"},
    {"bad_link_value",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
link: { latency_ms: fast }
clients:
  a: {}
steps:
  - a: connect
)",
     R"(5:21: latency: latency_ms: 'fast' is not a number
)"},
    {"within_reversed",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect
    within_s: [3, 2]
)",
     R"(9:15: within_s: lo 3 is greater than hi 2
)"},
    {"syntax_error_flow",
     R"(id: t/x
title: t
protocol: [5
spec: [MQTT-3.1.0-1]
)",
     R"(4:5: syntax error: end of sequence flow not found
)"},
    {"qos_out_of_range",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: publish
    topic: a/b
    qos: 3
)",
     R"(10:10: expected an integer in 0..2, got '3'
)"},
    {"bool_wrong",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: { clean_start: yes }
steps:
  - a: connect
)",
     R"(6:21: expected true or false, got 'yes'
)"},
    {"number_wrong",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
timeout_s: soon
clients:
  a: {}
steps:
  - a: connect
)",
     R"(5:12: expected a number in 0.001..86400, got 'soon'
)"},
    {"unknown_protocol",
     R"(id: t/x
title: t
protocol: [4]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect
)",
     R"(3:12: unknown protocol version '4' (expected 3.1.1 or 5)
)"},
    {"unknown_capability",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
requires: [qos3]
clients:
  a: {}
steps:
  - a: connect
)",
     R"(5:11: unknown capability 'qos3' (did you mean 'qos1'?)
)"},
    {"unknown_suback_code",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: subscribe
    filter: a/#
    qos: 1
    expect: [granted_qos_7]
)",
     R"(11:13: unknown reason code 'granted_qos_7' (did you mean 'granted_qos_0'?)
)"},
    {"bad_regex",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect publish
    topic: { regex: "a(" }
)",
     R"(9:21: bad regular expression 'a('
)"},
    {"unknown_matcher_key",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect publish
    qos: { ranges: [0, 1] }
)",
     R"(9:12: unknown key 'ranges' in a matcher (did you mean 'range'?)
)"},
    {"unknown_code_in_one_of",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect puback
    rc: { one_of: [success, no_subscribers] }
)",
     R"(9:19: unknown reason code 'no_subscribers'
)"},
    {"undefined_parameter",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
parameters: { qos: [0, 1] }
clients:
  a: {}
steps:
  - a: publish
    topic: a
    qos: ${qso}
)",
     R"(11:10: undefined parameter 'qso' (did you mean 'qos'?)
)"},
    {"unknown_outcome_type",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect close
    or: [disconect malformed_packet]
)",
     R"(9:10: unknown packet type 'disconect' (did you mean 'disconnect'?)
)"},
    {"unknown_step_key",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: publish
    topic: a
    qso: 1
)",
     R"(10:5: unknown key 'qso' in a publish step (did you mean 'qos'?)
)"},
    {"empty_link_step",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - link: a
)",
     R"(8:5: a link step needs one of: blackhole, clear, reset, close, or a link setting
)"},
    {"negative_wait",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - wait: -1
)",
     R"(8:11: expected a number in 0..86400, got '-1'
)"},
    {"duplicate_client",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
  a: {}
steps:
  - a: connect
)",
     R"(7:3: duplicate key 'a'
)"},
    {"clients_not_map",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients: [a, b]
steps:
  - a: connect
)",
     R"(5:10: expected a map, got a list
)"},
    {"for_s_zero",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect nothing
    for_s: 0
)",
     R"(9:12: expected a number in 0.001..86400, got '0'
)"},
    {"property_matcher_typo",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect publish
    properties: { topic_alias: absnt }
)",
     R"(9:32: expected a number, got 'absnt' (did you mean 'absent'?)
)"},
    {"step_without_actor",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - within_s: 2
    a: connect
)",
     R"(8:5: a step starts with its actor (a client's name, link or wait), not 'within_s'
)"},
    {"syntax_error_map",
     R"(a: b: c
)",
     R"(1:5: syntax error: illegal map value
)"},
    {"root_not_map",
     R"(- just
- a list
)",
     R"(1:1: expected a map, got a list
)"},
    {"empty_file",
     R"(
)",
     R"(1:1: empty file: expected a scenario (a map with id, title, protocol, spec, steps)
)"},
    {"bool_field_matcher",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect publish
    retain: maybe
)",
     R"(9:13: expected true, false, 0 or 1, got 'maybe'
)"},
    {"link_step_two_types",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - link: a
    latency_ms: 100
    loss_pct: 2
)",
     R"(8:5: a link step changes one impairment; split these settings into several steps
)"},
    {"verb_extra_word",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect now
)",
     R"(8:8: unexpected 'now' after 'connect'
)"},
};

class broken_file : public testing::TestWithParam<broken> {};

TEST_P(broken_file, reports_exact_problems) {
  const auto r = load_text(GetParam().yaml, "f.yaml");
  std::string got;
  for (const auto& p : r.problems) got += to_string(p).substr(std::string("f.yaml:").size()) + "\n";
  EXPECT_EQ(got, GetParam().problems);
  EXPECT_TRUE(r.scenarios.empty());
}

INSTANTIATE_TEST_SUITE_P(loader, broken_file, testing::ValuesIn(files),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(broken_file, table_is_large) { EXPECT_GE(std::size(files), 30u); }

}  // namespace
}  // namespace mqttspec::scenario

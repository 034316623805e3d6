// Broken scenario files (values, matchers, syntax) and the exact problems reported.
#include "broken_file.hpp"

namespace mqttspec::scenario {
namespace {

// Most files differ from this valid one in one line.
//   id: t/x / title: t / protocol: [5] / spec: [MQTT-3.1.0-1] / clients: a / steps: a connects
const broken files[] = {
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
    {"matcher_word_inside_one_of_is_not_suggested_as_itself",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: expect publish
    properties: { topic_alias: { one_of: [absent, 1] } }
)",
     R"(9:42: expected a number, got 'absent'
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

class broken_value_file : public testing::TestWithParam<broken> {};

TEST_P(broken_value_file, reports_exact_problems) { expect_problems(GetParam()); }

INSTANTIATE_TEST_SUITE_P(loader, broken_value_file, testing::ValuesIn(files),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace

std::size_t broken_values_count() { return std::size(files); }

}  // namespace mqttspec::scenario

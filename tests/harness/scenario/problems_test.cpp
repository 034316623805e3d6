// Broken scenario files (metadata, clients, hex, spec ids) and the exact problems reported.
#include "broken_file.hpp"

namespace mqttspec::scenario {
namespace {

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
     R"(9:1: unknown key 'extra' in the scenario (expected one of: id, title, quote, protocol, spec, tags, requires, timeout_s, namespace, samples, stagger_s, parameters, link, clients, steps)
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
};

class broken_file : public testing::TestWithParam<broken> {};

TEST_P(broken_file, reports_exact_problems) { expect_problems(GetParam()); }

INSTANTIATE_TEST_SUITE_P(loader, broken_file, testing::ValuesIn(files),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(broken_file, tables_are_large) { EXPECT_GE(std::size(files) + broken_values_count(), 30u); }

}  // namespace
}  // namespace mqttspec::scenario

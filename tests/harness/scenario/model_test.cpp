// The loader fills the model as docs/scenarios.md says: the whole example, every
// step and matcher kind, parameters, reason codes (directories: directory_test.cpp).
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"

namespace mqttspec::scenario {
namespace {

using mqtt::protocol_version;

scenario load_one(const std::string& text) {
  auto r = load_text(text, "t.yaml");
  std::string problems;
  for (const auto& p : r.problems) problems += to_string(p) + "\n";
  EXPECT_EQ(problems, "");
  EXPECT_EQ(r.scenarios.size(), 1u);
  return r.scenarios.empty() ? scenario{} : r.scenarios.front();
}

const char* whole_example = R"(id: will/keepalive-timeout
title: The broker publishes the will when the client's keepalive lapses
protocol: [3.1.1, 5]
spec:
  3.1.1: [MQTT-3.1.2-8, MQTT-3.1.2-24]
  5: [MQTT-3.1.2-8, MQTT-3.1.2-22]
tags: [will, keepalive]
link: { latency_ms: 150, jitter_ms: 30 }
clients:
  watcher: {}
  victim: { keepalive_s: 10, will: { topic: status/victim, payload: offline, qos: 1 } }
steps:
  - watcher: connect
  - watcher: subscribe
    filter: status/#
    qos: 1
  - victim: connect
  - link: victim
    blackhole: true                # both directions silently dropped: half-open
  - watcher: expect publish
    topic: status/victim
    payload: offline
    qos: 1
    within_s: [15, 16.5]           # 1.5 x keepalive, plus the link's latency
)";

TEST(model, whole_example_of_the_docs) {
  const scenario s = load_one(whole_example);
  EXPECT_EQ(s.id, "will/keepalive-timeout");
  EXPECT_EQ(s.at.line, 1);
  EXPECT_EQ(s.at.col, 5);
  EXPECT_EQ(s.title, "The broker publishes the will when the client's keepalive lapses");
  EXPECT_EQ(s.protocols, (std::vector{protocol_version::v311, protocol_version::v5}));
  EXPECT_EQ(s.spec.at(protocol_version::v311), (std::vector<std::string>{"MQTT-3.1.2-8", "MQTT-3.1.2-24"}));
  EXPECT_EQ(s.spec.at(protocol_version::v5), (std::vector<std::string>{"MQTT-3.1.2-8", "MQTT-3.1.2-22"}));
  EXPECT_EQ(s.tags, (std::vector<std::string>{"will", "keepalive"}));
  EXPECT_EQ(s.timeout_s, 60);
  EXPECT_TRUE(s.namespaced);
  ASSERT_EQ(s.link.size(), 1u);
  EXPECT_EQ(s.link[0].type, "latency");
  EXPECT_EQ(s.link[0].attributes, (std::map<std::string, std::string>{{"jitter_ms", "30"}, {"latency_ms", "150"}}));

  ASSERT_EQ(s.clients.size(), 2u);
  EXPECT_EQ(s.clients[0].name, "watcher");
  EXPECT_FALSE(s.clients[0].will);
  EXPECT_EQ(s.clients[0].keepalive_s, 60);
  const client_spec& victim = s.clients[1];
  EXPECT_EQ(victim.name, "victim");
  EXPECT_EQ(victim.at.line, 11);
  EXPECT_EQ(victim.keepalive_s, 10);
  ASSERT_TRUE(victim.will);
  EXPECT_EQ(victim.will->topic, "status/victim");
  EXPECT_EQ(victim.will->payload, "offline");
  EXPECT_EQ(victim.will->qos, 1);
  EXPECT_FALSE(victim.raw);
  EXPECT_TRUE(victim.clean_start);

  ASSERT_EQ(s.steps.size(), 5u);
  EXPECT_EQ(s.steps[0].actor, "watcher");
  EXPECT_TRUE(std::holds_alternative<connect_step>(s.steps[0].what));
  const auto& sub = std::get<subscribe_step>(s.steps[1].what);
  ASSERT_EQ(sub.topics.size(), 1u);
  EXPECT_EQ(sub.topics[0].filter, "status/#");
  EXPECT_EQ(sub.topics[0].qos, 1);
  EXPECT_EQ(s.steps[2].actor, "victim");
  EXPECT_EQ(s.steps[3].actor, "victim");
  const auto& link = std::get<link_step>(s.steps[3].what);
  ASSERT_TRUE(link.add);
  EXPECT_EQ(link.add->type, "blackhole");
  EXPECT_EQ(link.add->dir, netem::direction::both);
  const auto& expect = std::get<expect_packet_step>(s.steps[4].what);
  EXPECT_EQ(expect.type, "publish");
  EXPECT_EQ(expect.fields.at("topic").values, std::vector<std::string>{"status/victim"});
  EXPECT_EQ(expect.fields.at("payload").values, std::vector<std::string>{"offline"});
  EXPECT_EQ(expect.fields.at("qos").what, matcher::kind::exact);
  EXPECT_EQ(expect.fields.at("qos").values, std::vector<std::string>{"1"});
  EXPECT_EQ(s.steps[4].within_s, (std::pair{15.0, 16.5}));
  EXPECT_EQ(s.steps[4].at.line, 20);
  EXPECT_EQ(s.steps[4].at.col, 5);

  const auto cases = cases_of(std::vector<scenario>{s});
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].id, "will/keepalive-timeout@3.1.1");
  EXPECT_EQ(cases[1].id, "will/keepalive-timeout@5");
}

const char* header = R"(id: t/kinds
title: every kind
protocol: [5]
spec: [MQTT-3.1.0-1]
timeout_s: 5
namespace: false
requires: [qos2, retain]
quote: A sentence.
clients:
  c: { client_id: "", clean_start: false, user: u, password: p, link: satellite,
       properties: { session_expiry_interval: 30, user_property: [[k, v]] } }
  r: { raw: true, link: { profile: lan, up.loss_pct: 5 } }
steps:
)";

TEST(model, metadata_and_clients) {
  const scenario s = load_one(std::string(header) + "  - wait: 1\n");
  EXPECT_EQ(s.timeout_s, 5);
  EXPECT_FALSE(s.namespaced);
  EXPECT_EQ(s.requires_, (std::vector<std::string>{"qos2", "retain"}));
  EXPECT_EQ(s.quote, "A sentence.");
  const client_spec& c = s.clients[0];
  EXPECT_EQ(c.client_id, "");
  EXPECT_FALSE(c.clean_start);
  EXPECT_EQ(c.user, "u");
  EXPECT_EQ(c.password, "p");
  EXPECT_EQ(c.properties, (std::map<std::string, std::string>{{"session_expiry_interval", "30"}}));
  EXPECT_EQ(c.user_properties, (std::vector<std::pair<std::string, std::string>>{{"k", "v"}}));
  ASSERT_TRUE(c.link);
  EXPECT_EQ(c.link->size(), 3u);  // satellite: latency, loss, rate
  const client_spec& r = s.clients[1];
  EXPECT_TRUE(r.raw);
  ASSERT_TRUE(r.link);
  ASSERT_EQ(r.link->size(), 2u);
  EXPECT_EQ((*r.link)[1].type, "loss");
  EXPECT_EQ((*r.link)[1].dir, netem::direction::upstream);
}

TEST(model, every_step_kind) {
  const scenario s = load_one(std::string(header) + R"(  - c: connect
    clean_start: true
    expect: { session_present: 1, rc: success, properties: { receive_maximum: { range: [1, 10] } } }
  - c: subscribe
    filters: [{ filter: a/b, qos: 1, no_local: true }, { filter: c, qos: 0, retain_handling: 2 }]
    properties: { subscription_identifier: 7 }
    expect: [granted_qos_1, 0x00]
  - c: unsubscribe
    filters: [a/b, c]
    wait: false
  - c: publish
    topic: a/b
    payload_hex: "00 ff"
    qos: 2
    retain: true
    properties: { message_expiry_interval: 30 }
  - r: publish
    topic: a
    id: 7
    dup: true
  - c: disconnect
    rc: disconnect_with_will_message
  - c: close
  - r: reset
  - r: send
    hex: "c0 | 00"
  - r: send 'e0 00'
  - c: expect nothing
    for_s: 3
  - c: expect no publish
  - r: expect close
    or: [disconnect malformed_packet, connack 0x84, close]
    non_strict: [disconnect protocol_error]
  - link: c
    partition_ms: 5000
  - link: c
    latency_ms: 400
    direction: down
  - link: c
    clear: true
  - link: r
    reset: true
  - link: r
    close: true
  - wait: 2.5
    within_s: 3
)");
  ASSERT_EQ(s.steps.size(), 19u);
  const auto& connect = std::get<connect_step>(s.steps[0].what);
  EXPECT_EQ(connect.clean_start, true);
  EXPECT_EQ(connect.expect.at("session_present").values, std::vector<std::string>{"1"});
  EXPECT_EQ(connect.expect.at("rc").values, std::vector<std::string>{"success"});
  ASSERT_EQ(connect.expect_properties.size(), 1u);
  EXPECT_EQ(connect.expect_properties[0].name, "receive_maximum");
  EXPECT_EQ(connect.expect_properties[0].value.what, matcher::kind::range);
  EXPECT_EQ(connect.expect_properties[0].value.values, (std::vector<std::string>{"1", "10"}));

  const auto& sub = std::get<subscribe_step>(s.steps[1].what);
  ASSERT_EQ(sub.topics.size(), 2u);
  EXPECT_TRUE(sub.topics[0].no_local);
  EXPECT_EQ(sub.topics[0].qos, 1);
  EXPECT_EQ(sub.topics[1].retain_handling, 2);
  EXPECT_EQ(sub.properties.at("subscription_identifier"), "7");
  EXPECT_EQ(sub.expect, (std::vector<std::string>{"granted_qos_1", "0x00"}));

  const auto& unsub = std::get<unsubscribe_step>(s.steps[2].what);
  EXPECT_EQ(unsub.filters, (std::vector<std::string>{"a/b", "c"}));
  EXPECT_FALSE(unsub.wait);

  const auto& pub = std::get<publish_step>(s.steps[3].what);
  EXPECT_EQ(pub.payload, std::string("\x00\xff", 2));
  EXPECT_EQ(pub.qos, 2);
  EXPECT_TRUE(pub.retain);
  EXPECT_EQ(pub.properties.at("message_expiry_interval"), "30");
  const auto& raw_pub = std::get<publish_step>(s.steps[4].what);
  EXPECT_EQ(raw_pub.id, 7);
  EXPECT_TRUE(raw_pub.dup);

  EXPECT_EQ(std::get<disconnect_step>(s.steps[5].what).rc, "disconnect_with_will_message");
  EXPECT_FALSE(std::get<close_step>(s.steps[6].what).reset);
  EXPECT_TRUE(std::get<close_step>(s.steps[7].what).reset);
  EXPECT_EQ(std::get<send_step>(s.steps[8].what).bytes, std::string("\xc0\x00", 2));
  EXPECT_EQ(std::get<send_step>(s.steps[8].what).hex, "c0 | 00");
  EXPECT_EQ(std::get<send_step>(s.steps[9].what).bytes, std::string("\xe0\x00", 2));

  const auto& nothing = std::get<expect_nothing_step>(s.steps[10].what);
  EXPECT_FALSE(nothing.type);
  EXPECT_EQ(nothing.for_s, 3);
  EXPECT_EQ(std::get<expect_nothing_step>(s.steps[11].what).type, "publish");
  const auto& close = std::get<expect_close_step>(s.steps[12].what);
  EXPECT_EQ(close.also_allowed, (std::vector<std::string>{"disconnect malformed_packet", "connack 0x84", "close"}));
  EXPECT_EQ(close.non_strict, std::vector<std::string>{"disconnect protocol_error"});

  const auto& partition = std::get<link_step>(s.steps[13].what);
  ASSERT_TRUE(partition.add);
  EXPECT_EQ(partition.add->type, "partition");
  EXPECT_EQ(partition.add->attributes.at("partition_ms"), "5000");
  const auto& latency = std::get<link_step>(s.steps[14].what);
  EXPECT_EQ(latency.add->type, "latency");
  EXPECT_EQ(latency.add->dir, netem::direction::downstream);
  EXPECT_TRUE(std::get<link_step>(s.steps[15].what).clear);
  EXPECT_TRUE(std::get<link_step>(s.steps[16].what).reset);
  EXPECT_TRUE(std::get<link_step>(s.steps[17].what).close);
  EXPECT_EQ(std::get<wait_step>(s.steps[18].what).seconds, 2.5);
  EXPECT_EQ(s.steps[18].actor, "");
  EXPECT_EQ(s.steps[18].within_s, (std::pair{0.0, 3.0}));
}

TEST(model, every_matcher_kind) {
  const scenario s = load_one(std::string(header) + R"(  - c: expect publish
    topic: { regex: "^a/.*" }
    payload: hello
    qos: { one_of: [1, 2] }
    retain: false
    dup: any
    properties:
      user_property: [[k, v], [k2, v2]]
      message_expiry_interval: { range: [1, 30] }
      topic_alias: absent
      content_type: present
  - c: expect puback
    id: 7
    rc: { one_of: [success, no_matching_subscribers] }
  - c: expect suback
    codes: [granted_qos_1, 0x80]
  - c: expect connack
    session_present: true
    rc: 0x87
)");
  const auto& e = std::get<expect_packet_step>(s.steps[0].what);
  EXPECT_EQ(e.fields.at("topic").what, matcher::kind::regex);
  EXPECT_EQ(e.fields.at("topic").values, std::vector<std::string>{"^a/.*"});
  EXPECT_EQ(e.fields.at("payload").what, matcher::kind::exact);
  EXPECT_EQ(e.fields.at("qos").what, matcher::kind::one_of);
  EXPECT_EQ(e.fields.at("qos").values, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(e.fields.at("retain").values, std::vector<std::string>{"false"});
  EXPECT_EQ(e.fields.at("dup").what, matcher::kind::any);
  ASSERT_EQ(e.properties.size(), 4u);
  EXPECT_EQ(e.properties[0].name, "user_property");
  EXPECT_EQ(e.properties[0].value.values, (std::vector<std::string>{"k", "v", "k2", "v2"}));
  EXPECT_EQ(e.properties[1].value.what, matcher::kind::range);
  EXPECT_EQ(e.properties[2].value.what, matcher::kind::absent);
  EXPECT_EQ(e.properties[3].value.what, matcher::kind::present);
  const auto& ack = std::get<expect_packet_step>(s.steps[1].what);
  EXPECT_EQ(ack.type, "puback");
  EXPECT_EQ(ack.fields.at("id").values, std::vector<std::string>{"7"});
  EXPECT_EQ(ack.fields.at("rc").values, (std::vector<std::string>{"success", "no_matching_subscribers"}));
  const auto& suback = std::get<expect_packet_step>(s.steps[2].what);
  EXPECT_EQ(suback.fields.at("codes").values, (std::vector<std::string>{"granted_qos_1", "0x80"}));
  EXPECT_EQ(std::get<expect_packet_step>(s.steps[3].what).fields.at("rc").values, std::vector<std::string>{"0x87"});
}

TEST(model, parameters_make_one_case_per_combination) {
  auto r = load_text(R"(id: pub/qos-${qos}
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
parameters: { qos: [0, 1, 2], retain: [false, true] }
clients: { c: {} }
steps:
  - c: publish
    topic: t/${qos}
    qos: ${qos}
    retain: ${retain}
)",
                     "p.yaml");
  ASSERT_TRUE(r.problems.empty());
  ASSERT_EQ(r.scenarios.size(), 6u);
  EXPECT_EQ(r.scenarios[0].id, "pub/qos-0[qos=0,retain=false]");
  EXPECT_EQ(r.scenarios[1].id, "pub/qos-0[qos=0,retain=true]");
  EXPECT_EQ(r.scenarios[5].id, "pub/qos-2[qos=2,retain=true]");
  const auto& last = r.scenarios[5];
  EXPECT_EQ(last.parameters, (std::map<std::string, std::string>{{"qos", "2"}, {"retain", "true"}}));
  const auto& pub = std::get<publish_step>(last.steps[0].what);
  EXPECT_EQ(pub.topic, "t/2");
  EXPECT_EQ(pub.qos, 2);
  EXPECT_TRUE(pub.retain);
}

TEST(model, a_bad_value_of_one_combination_is_reported_once) {
  auto r = load_text(R"(id: p/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
parameters: { qos: [1, 3], retain: [false, true] }
clients: { c: {} }
steps:
  - c: publish
    topic: t
    qos: ${qos}
)",
                     "p.yaml");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(to_string(r.problems[0]), "p.yaml:10:10: expected an integer in 0..2, got '3'");
  EXPECT_TRUE(r.scenarios.empty());
}

TEST(model, reason_code_values) {
  EXPECT_EQ(reason_code_value("not_authorized"), 0x87);
  EXPECT_EQ(reason_code_value("0x87"), 0x87);
  EXPECT_EQ(reason_code_value("135"), 0x87);
  EXPECT_EQ(reason_code_value("normal_disconnection"), 0);
  EXPECT_EQ(reason_code_value("granted_qos_2"), 2);
  EXPECT_FALSE(reason_code_value("0x100"));
  EXPECT_FALSE(reason_code_value("nope"));
}

}  // namespace
}  // namespace mqttspec::scenario

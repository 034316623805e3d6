// Every rule of the exchange matcher: what it allows stays silent, a real difference
// next to it is caught.
#include "harness/traces/compare.hpp"
#include "packets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mqttspec::traces {
namespace {

using ::testing::IsEmpty;
using mqtt::qos;

// A short exchange builder: packets at 10 ms steps unless a time is given.
struct exchange {
  std::vector<packet_record> packets;
  std::int64_t ms = 0;
  exchange& client(mqtt::packet p, std::int64_t at = -1) { return add(false, std::move(p), at); }
  exchange& broker(mqtt::packet p, std::int64_t at = -1) { return add(true, std::move(p), at); }
  exchange& add(bool from_broker, mqtt::packet p, std::int64_t at) {
    ms = at >= 0 ? at : ms + 10;
    packets.push_back({std::chrono::milliseconds(ms), from_broker, mqtt::protocol_version::v5, std::move(p),
                       packets.size() + 1});
    return *this;
  }
};

using test::ack;
using test::connect;
using test::publish;

// A QoS 2 publish from the client and a QoS 1 delivery to it, with the given ids.
exchange flows(std::uint16_t client_id, std::uint16_t broker_id, std::uint16_t pubrel_id = 0) {
  exchange e;
  e.client(connect("c")).broker(mqtt::connack{});
  e.client(publish("t", "x", qos::exactly_once, client_id)).broker(ack<mqtt::pubrec>(client_id));
  e.client(ack<mqtt::pubrel>(pubrel_id ? pubrel_id : client_id)).broker(ack<mqtt::pubcomp>(client_id));
  e.broker(publish("t", "y", qos::at_least_once, broker_id)).client(ack<mqtt::puback>(broker_id));
  return e;
}

std::vector<std::string> fields(const std::vector<difference>& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.packet + " " + x.field);
  return out;
}

TEST(trace_compare, the_same_exchange_has_no_difference) {
  auto e = flows(1, 1);
  EXPECT_THAT(compare(e.packets, e.packets), IsEmpty());
}

TEST(trace_compare, packet_ids_may_be_renumbered_consistently) {
  EXPECT_THAT(compare(flows(1, 1).packets, flows(7, 300).packets), IsEmpty());
  // The PUBREL of the client's flow carries another id than its PUBLISH.
  const auto d = compare(flows(1, 1).packets, flows(7, 300, 8).packets);
  EXPECT_THAT(fields(d), ::testing::ElementsAre("PUBREL id"));
  EXPECT_EQ(d[0].recorded_frame, 5u);
}

TEST(trace_compare, an_answer_with_the_wrong_id_is_caught) {
  auto wrong = flows(7, 300);
  std::get<mqtt::pubcomp>(wrong.packets[5].packet).packet_id = 9;
  EXPECT_THAT(fields(compare(flows(1, 1).packets, wrong.packets)), ::testing::ElementsAre("PUBCOMP id"));
}

TEST(trace_compare, client_ids_and_topics_go_through_the_normalisers) {
  exchange a, b;
  a.client(connect("ms-aaa-1-c")).client(publish("ms/aaa/1/t", "x"));
  b.client(connect("ms-bbb-1-c")).client(publish("ms/bbb/1/t", "x"));
  compare_options o;
  o.client_id = [](std::string_view s) { return std::string(s.substr(s.rfind('-') + 1)); };
  o.topic = [](std::string_view s) { return std::string(s.substr(s.rfind('/') + 1)); };
  EXPECT_THAT(compare(a.packets, b.packets, o), IsEmpty());
  EXPECT_THAT(fields(compare(a.packets, b.packets)), ::testing::ElementsAre("CONNECT client_id", "PUBLISH topic"));
  exchange c;
  c.client(connect("ms-bbb-1-c")).client(publish("ms/bbb/1/u", "x"));
  EXPECT_THAT(fields(compare(a.packets, c.packets, o)), ::testing::ElementsAre("PUBLISH topic"));
}

TEST(trace_compare, property_order_is_free_but_user_properties_keep_theirs) {
  using mqtt::property_id;
  const auto with = [](std::vector<mqtt::property> props) {
    auto p = publish("t", "x");
    p.props = std::move(props);
    exchange e;
    e.broker(p);
    return e;
  };
  const mqtt::property expiry{property_id::message_expiry_interval, 10, {}, {}};
  const mqtt::property type{property_id::content_type, 0, "text/plain", {}};
  const mqtt::property u1{property_id::user_property, 0, "k", "1"};
  const mqtt::property u2{property_id::user_property, 0, "k", "2"};
  EXPECT_THAT(compare(with({expiry, type, u1, u2}).packets, with({u1, type, u2, expiry}).packets), IsEmpty());
  EXPECT_THAT(fields(compare(with({expiry, u1, u2}).packets, with({expiry, u2, u1}).packets)),
              ::testing::ElementsAre("PUBLISH props"));
}

TEST(trace_compare, payloads_are_compared_byte_for_byte) {
  exchange a, b;
  a.broker(publish("t", "hello"));
  b.broker(publish("t", "hellO"));
  const auto d = compare(a.packets, b.packets);
  ASSERT_THAT(fields(d), ::testing::ElementsAre("PUBLISH payload"));
  EXPECT_EQ(d[0].recorded, "\"hello\" (5 bytes)");
  EXPECT_EQ(d[0].observed, "\"hellO\" (5 bytes)");
}

TEST(trace_compare, fields_differ) {
  exchange a, b;
  a.broker(publish("t", "x", qos::at_least_once, 1));
  b.broker(publish("t", "x", qos::exactly_once, 1));
  const auto d = compare(a.packets, b.packets);
  ASSERT_THAT(fields(d), ::testing::ElementsAre("PUBLISH qos"));
  EXPECT_EQ(to_string(d[0]), "PUBLISH qos: 1 -> 2 (frames 1, 1)");
}

TEST(trace_compare, directions_may_interleave_differently) {
  exchange a, b;
  a.client(publish("t", "1")).broker(publish("u", "2")).client(publish("t", "3"));
  b.broker(publish("u", "2")).client(publish("t", "1")).client(publish("t", "3"));
  EXPECT_THAT(compare(a.packets, b.packets), IsEmpty());
  exchange c;  // within a direction, order counts
  c.client(publish("t", "3")).broker(publish("u", "2")).client(publish("t", "1"));
  EXPECT_THAT(fields(compare(a.packets, c.packets)), ::testing::ElementsAre("PUBLISH payload", "PUBLISH payload"));
}

TEST(trace_compare, a_packet_more_or_less_is_extra_or_missing) {
  exchange a, b;
  a.client(connect("c")).broker(mqtt::connack{}).broker(publish("t", "x")).client(mqtt::disconnect{});
  b.client(connect("c")).broker(mqtt::connack{}).client(mqtt::disconnect{}).broker(publish("t", "late"))
      .broker(publish("t", "x"));
  EXPECT_THAT(fields(compare(a.packets, b.packets)), ::testing::ElementsAre("PUBLISH extra"));
  EXPECT_THAT(fields(compare(b.packets, a.packets)), ::testing::ElementsAre("PUBLISH missing"));
}

TEST(trace_compare, times_count_only_beyond_the_tolerance) {
  exchange a, b, c;
  a.client(connect("c"), 0).broker(mqtt::connack{}, 100);
  b.client(connect("c"), 5000).broker(mqtt::connack{}, 5150);  // 50 ms later, from its own start
  c.client(connect("c"), 0).broker(mqtt::connack{}, 400);
  compare_options o;
  o.time_tolerance = std::chrono::milliseconds(100);
  EXPECT_THAT(compare(a.packets, b.packets, o), IsEmpty());
  EXPECT_THAT(fields(compare(a.packets, c.packets, o)), ::testing::ElementsAre("CONNACK time"));
  EXPECT_THAT(compare(a.packets, c.packets), IsEmpty()) << "no tolerance: times are not compared";
}

TEST(trace_compare, ping_counts_may_differ_by_the_slack) {
  const auto pings = [](int n) {
    exchange e;
    e.client(connect("c")).broker(mqtt::connack{});
    for (int i = 0; i < n; ++i) e.client(mqtt::pingreq{}).broker(mqtt::pingresp{});
    return e;
  };
  EXPECT_THAT(compare(pings(3).packets, pings(4).packets), IsEmpty());
  EXPECT_THAT(fields(compare(pings(3).packets, pings(5).packets)), ::testing::ElementsAre("PINGREQ count", "PINGRESP count"));
}

TEST(trace_compare, a_replay_may_ping_once_more_per_keep_alive) {
  // 10 s with Keep Alive 2: a slack of 1, and 10 / 2 + 1 more.
  const auto pings = [](int n) {
    exchange e;
    auto c = connect("c");
    c.keep_alive = 2;
    e.client(c, 0).broker(mqtt::connack{}, 1);
    for (int i = 0; i < n; ++i) e.client(mqtt::pingreq{}, 100 + i).broker(mqtt::pingresp{}, 200 + i);
    e.client(mqtt::disconnect{}, 10'000);
    return e;
  };
  compare_options o;
  o.ping_slack_from_keepalive = true;
  EXPECT_THAT(compare(pings(0).packets, pings(7).packets, o), IsEmpty());
  EXPECT_THAT(fields(compare(pings(0).packets, pings(8).packets, o)), ::testing::ElementsAre("PINGREQ count", "PINGRESP count"));
  EXPECT_THAT(fields(compare(pings(0).packets, pings(7).packets)), ::testing::ElementsAre("PINGREQ count", "PINGRESP count"))
      << "golden traces keep the fixed slack";
}

}  // namespace
}  // namespace mqttspec::traces

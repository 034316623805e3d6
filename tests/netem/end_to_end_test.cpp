// End to end in virtual time: reference client cores <-> lossy, slow links <-> the
// reference broker core. QoS 1 and QoS 2 streams of 10,000 messages each cross 10 %
// loss and 300 ms latency while partitions and half-open cuts force reconnects;
// persistent sessions must keep every QoS 1 message, every QoS 2 message exactly
// once, and the order of each stream.
#include <gtest/gtest.h>

#include <charconv>
#include <chrono>
#include <cstdio>

#include "netem/world/core_peer.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;
using mqtt::protocol_version;
using mqtt::qos;

constexpr int messages_per_stream = 10'000;

std::vector<impairment_spec> lossy_slow_link() {
  return {{"latency", direction::both, {{"latency_ms", "300"}}, {}},
          {"loss", direction::both, {{"loss_pct", "10"}}, {}}};
}

int seq_of(mqtt::bytes_view payload) {
  int v = -1;
  std::from_chars(payload.data(), payload.data() + payload.size(), v);
  return v;
}

// Counts PUBLISH packets with DUP 1 in what a client sends (each send_bytes holds
// whole packets, so one decoder over all of them frames correctly).
struct dup_counter {
  explicit dup_counter(protocol_version v) : decoder(v) {}
  void feed(const std::string& bytes) {
    decoder.feed(bytes);
    while (auto f = decoder.next_frame()) {
      if (!*f) break;
      const auto b = static_cast<std::uint8_t>((**f)[0]);
      if ((b >> 4) == 3 && (b & 0x08)) ++dups;
    }
  }
  mqtt::stream_decoder decoder;
  int dups = 0;
};

struct stream_log {
  std::vector<int> seqs;  // in arrival order, duplicates included
  int dup_flagged = 0;    // arrivals with DUP 1
};

class end_to_end : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(end_to_end, qos1_and_qos2_streams_survive_loss_latency_partitions_and_reconnects) {
  const auto wall_start = std::chrono::steady_clock::now();
  mqtt::broker::config cfg;
  cfg.max_queued_messages = 100'000;  // the subscriber is offline for seconds at 50 messages/s
  world w(GetParam(), cfg);

  mqtt::client::options po;
  po.version = protocol_version::v5;
  po.client_id = "publisher";
  po.clean_start = false;
  po.session_expiry = 3600;
  po.keep_alive = 5;
  po.pingresp_timeout = 3s;
  po.inflight_window = 100;
  mqtt::client::options so;
  so.version = protocol_version::v311;  // both protocol versions on one broker
  so.client_id = "subscriber";
  so.clean_start = false;  // CleanSession 0: a persistent session
  so.keep_alive = 5;
  so.pingresp_timeout = 3s;

  core_peer pub(w, po, lossy_slow_link()), sub(w, so, lossy_slow_link());
  bool running = true;
  int pub_connects = 0, sub_connects = 0, pub_resumed = 0, sub_resumed = 0, subscribed = 0;
  std::size_t completed = 0;
  int pubcomp_not_found = 0;
  dup_counter pub_dups(protocol_version::v5);
  stream_log q1, q2;

  pub.on_action = [&](const mqtt::client::action& a) {
    if (auto* s = std::get_if<mqtt::client::send_bytes>(&a)) pub_dups.feed(s->bytes);
    if (auto* c = std::get_if<mqtt::client::connected>(&a)) pub_resumed += c->connack.session_present;
    if (auto* p = std::get_if<mqtt::client::published>(&a)) {
      // A PUBREL resent after a reconnect may find the flow already complete at the
      // broker, whose PUBCOMP was lost with the old connection: 0x92 "not an error
      // during recovery" (5.0 section 3.7.2.1).
      if (p->reason == mqtt::reason_code::packet_identifier_not_found) ++pubcomp_not_found;
      else EXPECT_EQ(p->reason, mqtt::reason_code::success);
      ++completed;
    }
    if (auto* d = std::get_if<mqtt::client::publish_dropped>(&a)) ADD_FAILURE() << "publisher dropped: " << d->why;
    if (std::get_if<mqtt::client::disconnected>(&a) && running)
      w.at(w.now() + 1s, [&] { ++pub_connects, pub.connect(); });
  };
  sub.on_action = [&](const mqtt::client::action& a) {
    if (auto* c = std::get_if<mqtt::client::connected>(&a)) {
      sub_resumed += c->connack.session_present;
      if (!c->connack.session_present) {
        ++subscribed;
        sub.command([](auto& core, auto now, auto& out) {
          core.subscribe({{"seq/#", qos::exactly_once}}, {}, now, out);
        });
      }
    }
    if (auto* m = std::get_if<mqtt::client::message>(&a)) {
      auto& log = m->publish.topic == "seq/1" ? q1 : q2;
      log.seqs.push_back(seq_of(m->publish.payload));
      log.dup_flagged += m->publish.dup;
      EXPECT_EQ(m->publish.qos, m->publish.topic == "seq/1" ? qos::at_least_once : qos::exactly_once);
    }
    if (auto* v = std::get_if<mqtt::client::protocol_violation>(&a)) ADD_FAILURE() << v->spec_id << " " << v->text;
    if (std::get_if<mqtt::client::disconnected>(&a) && running)
      w.at(w.now() + 1s, [&] { ++sub_connects, sub.connect(); });
  };

  ++sub_connects, sub.connect();
  w.run_until(2s);  // the subscription is in place before the first message
  ++pub_connects, pub.connect();

  // One QoS 1 and one QoS 2 message every 20 ms: 200 s of traffic, queued by the core
  // whenever the window is full or the publisher is between connections.
  std::function<void(int)> publish_next = [&](int i) {
    const std::string payload = std::to_string(i);
    pub.command([&](auto& core, auto now, auto& out) {
      EXPECT_TRUE(core.publish("seq/1", payload, qos::at_least_once, false, {}, now, out).ok());
      EXPECT_TRUE(core.publish("seq/2", payload, qos::exactly_once, false, {}, now, out).ok());
    });
    if (i + 1 < messages_per_stream) w.at(w.now() + 20ms, [&, i] { publish_next(i + 1); });
  };
  w.at(3s, [&] { publish_next(0); });

  // Cuts. A 20 s partition outlasts keepalive (5 s) + PINGRESP timeout (3 s): the client
  // gives up and reconnects while its old connection is still half-open at the broker.
  const auto partition = [&](core_peer& p, int ms) {
    EXPECT_EQ(w.add_impairment(p.conn(), {"partition", direction::both, {{"partition_ms", std::to_string(ms)}}, {}}), "");
  };
  // A half-open cut: the client's socket dies, and neither its FIN nor anything else
  // reaches the broker, which learns only from the new connection (session takeover).
  const auto blackhole_and_drop = [&](core_peer& p) {
    EXPECT_EQ(w.add_impairment(p.conn(), {"blackhole", direction::both, {}, {}}), "");
    p.drop();
  };
  w.at(20s, [&] { partition(pub, 20'000); });
  w.at(60s, [&] { partition(sub, 20'000); });
  w.at(100s, [&] { partition(pub, 15'000), partition(sub, 15'000); });
  w.at(140s, [&] { blackhole_and_drop(pub); });
  w.at(160s, [&] { blackhole_and_drop(sub); });
  w.at(180s, [&] { partition(pub, 2'000), partition(sub, 2'000); });  // shorter than detection: no reconnect

  const auto distinct = [](const std::vector<int>& v) {
    std::vector<bool> seen(messages_per_stream, false);
    int n = 0;
    for (int s : v)
      if (s >= 0 && s < messages_per_stream && !seen[std::size_t(s)]) seen[std::size_t(s)] = true, ++n;
    return n;
  };
  const auto limit = 3600s;
  while (w.now() < limit && !(completed == 2u * messages_per_stream && distinct(q1.seqs) == messages_per_stream &&
                              distinct(q2.seqs) == messages_per_stream))
    w.run_until(w.now() + 1s);
  const auto finished_at = w.now();
  w.run_until(w.now() + 60s);  // late duplicates would show up here
  running = false;

  ASSERT_LT(finished_at, limit) << "q1 " << distinct(q1.seqs) << " q2 " << distinct(q2.seqs) << " completed "
                                << completed;
  // QoS 2: every message exactly once, in order.
  ASSERT_EQ(q2.seqs.size(), std::size_t(messages_per_stream));
  for (int i = 0; i < messages_per_stream; ++i) ASSERT_EQ(q2.seqs[std::size_t(i)], i);
  // QoS 1: every message at least once; a duplicate is a resend of one already seen, so
  // first arrivals are in publishing order.
  EXPECT_EQ(distinct(q1.seqs), messages_per_stream);
  int next_new = 0;
  for (int s : q1.seqs) {
    ASSERT_LE(s, next_new) << "QoS 1 message " << s << " overtook " << next_new;
    if (s == next_new) ++next_new;
  }
  // The cuts did what they were meant to: reconnects that resumed the sessions, and
  // resends with DUP 1 from the publisher.
  EXPECT_GE(pub_connects, 4);
  EXPECT_GE(sub_connects, 4);
  EXPECT_EQ(pub_resumed, pub_connects - 1);
  EXPECT_EQ(sub_resumed, sub_connects - 1);
  EXPECT_EQ(subscribed, 1);
  EXPECT_GT(pub_dups.dups, 0);
  EXPECT_EQ(pub.core().inflight_count() + pub.core().queued_count(), 0u);

  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::printf("seed %llu: done at %.1f s virtual in %.2f s wall; publisher %d connections (%d DUP resends), "
              "subscriber %d connections; QoS 1 duplicates %zu (%d with DUP), QoS 2 DUP arrivals %d, PUBCOMP 0x92 %d\n",
              static_cast<unsigned long long>(GetParam()), double(finished_at.count()) / 1e6, wall, pub_connects,
              pub_dups.dups, sub_connects, q1.seqs.size() - std::size_t(messages_per_stream), q1.dup_flagged,
              q2.dup_flagged, pubcomp_not_found);
}

INSTANTIATE_TEST_SUITE_P(seeds, end_to_end, ::testing::Values(1u, 2u));

// The will of a client cut off by a blackhole goes out 1.5 x keepalive after the broker
// last heard from it (MQTT-3.1.2-8, 3.1.2-24), seen by a watcher one link delay later.
// The victim's link has 300 ms latency and 10 % loss each way, so its last packet reaches
// the broker 300 ms plus 0, 200, 600, ... ms of retransmission after it was sent.
TEST(end_to_end_will, blackholed_client_will_at_one_and_a_half_keepalive_over_a_lossy_link) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    world w(seed);
    mqtt::client::options vo;
    vo.client_id = "victim";
    vo.keep_alive = 10;
    vo.will = mqtt::client::will{"status/victim", "offline", qos::at_least_once, false, {}};
    mqtt::client::options wo;
    wo.client_id = "watcher";
    wo.keep_alive = 0;
    core_peer victim(w, vo, lossy_slow_link()), watcher(w, wo);
    std::optional<timestamp> will_at, victim_gave_up;
    timestamp last_sent{0};
    victim.on_action = [&](const mqtt::client::action& a) {
      if (std::get_if<mqtt::client::send_bytes>(&a)) last_sent = w.now();
      if (std::get_if<mqtt::client::disconnected>(&a)) victim_gave_up = w.now();
    };
    watcher.on_action = [&](const mqtt::client::action& a) {
      if (std::get_if<mqtt::client::connected>(&a))
        watcher.command([](auto& c, auto now, auto& out) { c.subscribe({{"status/#", qos::at_least_once}}, {}, now, out); });
      if (auto* m = std::get_if<mqtt::client::message>(&a)) {
        EXPECT_EQ(m->publish.payload, "offline");
        will_at = w.now();
      }
    };
    watcher.connect();
    victim.connect();
    // Some traffic, then the cut at a time that is not a multiple of the keepalive.
    w.at(7s, [&] { victim.command([](auto& c, auto now, auto& out) { c.publish("x", "y", qos::at_least_once, false, {}, now, out); }); });
    timestamp cut_at = 23'700ms;
    timestamp sent_before_cut{0};
    w.at(cut_at, [&] {
      sent_before_cut = last_sent;
      EXPECT_EQ(w.add_impairment(victim.conn(), {"blackhole", direction::both, {}, {}}), "");
    });
    w.run_until(120s);
    ASSERT_TRUE(will_at) << "seed " << seed;
    // The last bytes before the cut left 3.7 s before it at least (PINGREQ every 10 s
    // after 7 s: 17 s; the cut at 23.7 s), so they reached the broker before the cut
    // unless lost 4 times in a row (200 + 400 + 800 + 1600 ms of retransmission).
    const timestamp broker_heard_min = sent_before_cut + 300ms, broker_heard_max = broker_heard_min + 1400ms;
    EXPECT_GE(*will_at, broker_heard_min + 15s) << "seed " << seed;
    EXPECT_LE(*will_at, broker_heard_max + 15s) << "seed " << seed;
    // The victim hears nothing of it; its own keepalive finds the broker gone: a
    // PINGREQ 10 s after its last packet, unanswered for pingresp_timeout (10 s).
    ASSERT_TRUE(victim_gave_up) << "seed " << seed;
    EXPECT_EQ(*victim_gave_up, sent_before_cut + 10s + 10s) << "seed " << seed;
  }
}

}  // namespace
}  // namespace netem

// Leaving a real broker clean: retained messages and sessions a run left behind are
// gone after clean_broker, on the reference broker and on Debian's mosquitto; a broker
// that never answers costs a bounded wait.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <asio.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "harness/run/cleanup.hpp"
#include "tests/common/live_broker.hpp"
#include "reference/codec/stream_decoder.hpp"
#include "tests/common/mosquitto_process.hpp"

namespace mqttspec::run {
namespace {

using namespace std::chrono_literals;
using mqtt::protocol_version;
using tcp = asio::ip::tcp;

using mqttspec::test_support::mosquitto_path;

using mqttspec::test_support::live_broker;

using mosquitto = mqttspec::test_support::mosquitto_process;

// Accepts connections, reads what comes and answers nothing: a hung broker.
struct silent_broker {
  silent_broker() : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread = std::thread([this] { io.run(); });
  }
  ~silent_broker() {
    asio::post(io, [this] { io.stop(); });
    thread.join();
  }
  void accept() {
    acceptor.async_accept([this](std::error_code ec, tcp::socket s) {
      if (ec) return;
      drain(std::make_shared<tcp::socket>(std::move(s)));
      accept();
    });
  }
  void drain(std::shared_ptr<tcp::socket> s) {
    s->async_read_some(asio::buffer(sink), [this, s](std::error_code ec, std::size_t) {
      if (!ec) drain(s);
    });
  }
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
  asio::io_context io;
  tcp::acceptor acceptor;
  std::array<char, 4096> sink;
  std::thread thread;
};

// A test client on one socket: packets out, packets in with a deadline.
class wire {
 public:
  wire(std::uint16_t port, protocol_version v) : sock_(io_), dec_(v), v_(v) {
    sock_.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  /// The broker's end of the next connection to `a`.
  wire(tcp::acceptor& a, protocol_version v) : sock_(a.accept(io_)), dec_(v), v_(v) {}
  void send(const mqtt::packet& p) { asio::write(sock_, asio::buffer(mqtt::encode(p, v_))); }
  /// The next packet within `wait`, or nullopt; it views bytes valid until the next read.
  std::optional<mqtt::packet> read(std::chrono::milliseconds wait = 2000ms) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      auto p = dec_.next();
      if (!p) {
        ADD_FAILURE() << "undecodable: " << to_string(p.error());
        return std::nullopt;
      }
      if (*p) return **p;
      std::error_code ec;
      std::size_t n = 0;
      bool done = false;
      sock_.async_read_some(asio::buffer(buf_), [&](std::error_code e, std::size_t k) {
        ec = e, n = k, done = true;
      });
      io_.restart();
      io_.run_until(deadline);
      if (!done) {
        sock_.cancel();
        io_.restart();
        io_.run();
        return std::nullopt;
      }
      if (ec) return std::nullopt;
      dec_.feed(mqtt::bytes_view(buf_.data(), n));
    }
  }
  /// CONNECT; the CONNACK (failing the test without one).
  mqtt::connack connect(const std::string& id, bool clean, std::uint32_t expiry = 0) {
    mqtt::connect c;
    c.version = v_;
    c.client_id = id;
    c.clean_start = clean;
    if (v_ == protocol_version::v5 && expiry > 0) {
      mqtt::property p;
      p.id = mqtt::property_id::session_expiry_interval;
      p.number = expiry;
      c.props.push_back(p);
    }
    send(c);
    auto p = read();
    const auto* ack = p ? std::get_if<mqtt::connack>(&*p) : nullptr;
    if (!ack) {
      ADD_FAILURE() << "no CONNACK for " << id;
      return {};
    }
    mqtt::connack out = *ack;
    out.props.clear();  // they view the read buffer
    return out;
  }
  void disconnect() {
    send(mqtt::disconnect{});
    while (read(1000ms)) {
    }  // until the broker closes: it has then filed the session
  }

 private:
  asio::io_context io_;
  tcp::socket sock_;
  mqtt::stream_decoder dec_;
  protocol_version v_;
  std::array<char, 4096> buf_;
};

const std::vector<std::string> topics = {"cleanup/a", "cleanup/b/c", "cleanup/d"};
const std::vector<std::string> ids = {"mqttspec-cleanup-x", "mqttspec-cleanup-y"};

// What a run leaves: a retained message on each topic, a session with a subscription for each id.
void leave_state(std::uint16_t port, protocol_version v) {
  for (const auto& id : ids) {
    wire w(port, v);
    EXPECT_EQ(w.connect(id, false, 300).code, mqtt::reason_code::success);
    mqtt::subscribe s;
    s.packet_id = 1;
    s.topics.push_back({"elsewhere/#", mqtt::qos::at_least_once});
    w.send(s);
    auto ack = w.read();
    EXPECT_TRUE(ack && std::holds_alternative<mqtt::suback>(*ack));
    w.disconnect();
  }
  wire w(port, v);
  w.connect("mqttspec-cleanup-publisher", true);
  std::uint16_t id = 0;
  for (const auto& t : topics) {
    mqtt::publish p;
    p.qos = mqtt::qos::at_least_once;
    p.retain = true;
    p.topic = t;
    p.packet_id = ++id;
    p.payload = "left behind";
    w.send(p);
    auto ack = w.read();
    EXPECT_TRUE(ack && std::holds_alternative<mqtt::puback>(*ack)) << t;
  }
  w.disconnect();
}

// Retained messages a subscription to '#' receives within ~300 ms.
std::vector<std::string> retained(std::uint16_t port, protocol_version v) {
  wire w(port, v);
  w.connect("mqttspec-cleanup-watcher", true);
  mqtt::subscribe s;
  s.packet_id = 1;
  s.topics.push_back({"#", mqtt::qos::at_least_once});
  w.send(s);
  std::vector<std::string> got;
  while (auto p = w.read(300ms))
    if (auto* m = std::get_if<mqtt::publish>(&*p)) {
      got.emplace_back(m->topic);
      if (m->packet_id) w.send(mqtt::puback{m->packet_id});
    }
  w.disconnect();
  return got;
}

// Whether each id still has a session; asks with clean session 0, which keeps it (5.0: expiry 300).
std::vector<bool> sessions(std::uint16_t port, protocol_version v) {
  std::vector<bool> out;
  for (const auto& id : ids) {
    wire w(port, v);
    out.push_back(w.connect(id, false, 300).session_present);
    w.disconnect();
  }
  return out;
}

void check_cleanup(std::uint16_t port, protocol_version v) {
  leave_state(port, v);
  // The broker did keep them: otherwise this test would prove nothing.
  ASSERT_EQ(retained(port, v).size(), topics.size());
  ASSERT_EQ(sessions(port, v), std::vector<bool>(ids.size(), true));
  // Wildcard and empty topics, an empty id and duplicates are skipped.
  auto with_noise = topics;
  with_noise.insert(with_noise.end(), {"cleanup/+", "cleanup/#", "", topics[0]});
  auto ids_noise = ids;
  ids_noise.insert(ids_noise.end(), {"", ids[1]});
  const auto r = clean_broker({"127.0.0.1:" + std::to_string(port), v}, with_noise, ids_noise);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.retained_cleared, topics.size());
  EXPECT_EQ(r.sessions_cleared, ids.size());
  EXPECT_EQ(retained(port, v), std::vector<std::string>{});
  EXPECT_EQ(sessions(port, v), std::vector<bool>(ids.size(), false));
}

class cleanup : public ::testing::TestWithParam<protocol_version> {};
INSTANTIATE_TEST_SUITE_P(versions, cleanup, ::testing::Values(protocol_version::v311, protocol_version::v5),
                         [](const auto& i) { return i.param == protocol_version::v5 ? "v5" : "v311"; });

TEST_P(cleanup, leaves_the_reference_broker_without_retained_messages_or_sessions) {
  live_broker b;
  check_cleanup(b.port(), GetParam());
}

TEST_P(cleanup, leaves_mosquitto_without_retained_messages_or_sessions) {
  if (!std::filesystem::exists(mosquitto_path)) GTEST_SKIP() << "no " << mosquitto_path;
  mosquitto broker;
  ASSERT_TRUE(broker.ready()) << "mosquitto did not start on port " << broker.port();
  check_cleanup(broker.port(), GetParam());
}

// A scripted 5.0 broker with Receive Maximum 3 that acknowledges in batches: the
// cleanup must never have more than 3 PUBLISH packets unacknowledged.
TEST(cleanup_window, keeps_within_the_brokers_receive_maximum) {
  asio::io_context io;
  tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  std::vector<std::string> many;
  for (int i = 0; i < 40; ++i) many.push_back("cleanup/many/" + std::to_string(i));
  std::size_t most = 0, acked = 0;
  std::thread broker([&] {
    wire w(a, protocol_version::v5);
    w.read();  // CONNECT
    mqtt::connack ack;
    mqtt::property rm;
    rm.id = mqtt::property_id::receive_maximum;
    rm.number = 3;
    ack.props.push_back(rm);
    w.send(ack);
    for (;;) {
      // Take what comes until a pause, then acknowledge all of it.
      std::vector<std::uint16_t> pending;
      while (auto p = w.read(pending.empty() ? 2000ms : 30ms)) {
        const auto* m = std::get_if<mqtt::publish>(&*p);
        if (!m) break;
        pending.push_back(m->packet_id);
      }
      if (pending.empty()) break;
      most = std::max(most, pending.size());
      for (auto id : pending) w.send(mqtt::puback{id});
      acked += pending.size();
    }
  });
  const auto r = clean_broker({"127.0.0.1:" + std::to_string(a.local_endpoint().port()), protocol_version::v5}, many, {});
  broker.join();
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.retained_cleared, many.size());
  EXPECT_EQ(acked, many.size());
  EXPECT_EQ(most, 3u);
}

TEST_P(cleanup, a_refused_client_id_is_reported_and_the_others_are_still_cleared) {
  if (!std::filesystem::exists(mosquitto_path)) GTEST_SKIP() << "no " << mosquitto_path;
  mosquitto broker("clientid_prefixes mqttspec-\n");
  ASSERT_TRUE(broker.ready()) << "mosquitto did not start on port " << broker.port();
  const auto r = clean_broker({"127.0.0.1:" + std::to_string(broker.port()), GetParam()}, {"cleanup/a"},
                              {"mqttspec-a", "other-b", "mqttspec-c"});
  EXPECT_EQ(r.sessions_cleared, 2u);
  EXPECT_EQ(r.retained_cleared, 1u);
  EXPECT_NE(r.error.find("client id \"other-b\": the broker answered CONNECT with CONNACK"), std::string::npos)
      << r.error;
  EXPECT_EQ(r.error.find("mqttspec-a"), std::string::npos) << r.error;
}

TEST_P(cleanup, gives_up_on_a_broker_that_never_answers) {
  silent_broker b;
  const auto start = std::chrono::steady_clock::now();
  const auto r = clean_broker({"127.0.0.1:" + std::to_string(b.port()), GetParam()}, topics, ids, 1);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 3s);
  EXPECT_GE(took, 900ms);
  EXPECT_EQ(r.retained_cleared, 0u);
  EXPECT_EQ(r.sessions_cleared, 0u);
  EXPECT_EQ(r.error, "the broker at 127.0.0.1:" + std::to_string(b.port()) +
                         " answered nothing for 1 s: gave up with 0 of 3 retained topics and 0 of 2 sessions cleared");
}

TEST_P(cleanup, says_when_nothing_listens) {
  std::uint16_t port = 0;
  {
    asio::io_context io;
    tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  const auto r = clean_broker({"127.0.0.1:" + std::to_string(port), GetParam()}, topics, ids);
  EXPECT_EQ(r.sessions_cleared, 0u);
  EXPECT_NE(r.error.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos) << r.error;
}

TEST(cleanup_nothing, needs_no_connection) {
  const auto r = clean_broker({"127.0.0.1:1", protocol_version::v5}, {"a/#", ""}, {""});
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.retained_cleared + r.sessions_cleared, 0u);
}

}  // namespace
}  // namespace mqttspec::run

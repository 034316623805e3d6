// The Asio front end against a real broker: Debian's mosquitto, started on an
// ephemeral loopback port for the test and killed after it.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "reference/client/asio_client.hpp"
#include "tests/common/mosquitto_process.hpp"

namespace mqtt::client::test {
namespace {

using namespace std::chrono_literals;
using mqttspec::test_support::mosquitto_path;

using mosquitto = mqttspec::test_support::mosquitto_process;

class asio_client_mosquitto : public ::testing::TestWithParam<protocol_version> {};
INSTANTIATE_TEST_SUITE_P(versions, asio_client_mosquitto,
                         ::testing::Values(protocol_version::v311, protocol_version::v5),
                         [](const auto& i) { return i.param == protocol_version::v5 ? "v5" : "v311"; });

TEST_P(asio_client_mosquitto, publishes_qos_0_1_2_to_itself) {
  if (!std::filesystem::exists(mosquitto_path)) GTEST_SKIP() << "no " << mosquitto_path;
  mosquitto broker;
  ASSERT_TRUE(broker.ready()) << "mosquitto did not start on port " << broker.port();

  options o;
  o.version = GetParam();
  o.client_id = "mqttspec-asio-" + std::string(GetParam() == protocol_version::v5 ? "5" : "311");
  o.keep_alive = 30;
  asio::io_context io;
  bool finished = false;
  std::vector<std::string> payloads;
  std::vector<mqtt::qos> qoses;
  std::vector<reason_code> acks;
  std::vector<protocol_violation> violations;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio_client c(io.get_executor(), o);
        auto r = co_await c.connect("127.0.0.1", broker.port(), 5s);
        EXPECT_TRUE(r.ok()) << r.error;
        if (!r.ok()) co_return;
        auto s = co_await c.subscribe("mqttspec/client/#", qos::exactly_once, 5s);
        EXPECT_TRUE(s.ok()) << s.error;
        EXPECT_EQ(s.codes, std::vector<reason_code>{reason_code::granted_qos_2});
        for (auto q : {qos::at_most_once, qos::at_least_once, qos::exactly_once}) {
          auto p = co_await c.publish("mqttspec/client/t", "m" + std::to_string(int(q)), q, false, {}, 5s);
          EXPECT_TRUE(p.ok()) << p.error;
          acks.push_back(p.reason);
        }
        for (int i = 0; i < 3; ++i) {
          auto m = co_await c.receive(5s);
          if (!m) break;
          payloads.emplace_back(m->publish.payload);
          qoses.push_back(m->publish.qos);
        }
        co_await c.disconnect(reason_code::success, 5s);
        EXPECT_FALSE(c.is_connected());
        violations = c.violations();
        finished = true;
      },
      asio::detached);
  io.run_for(30s);
  EXPECT_TRUE(finished);
  EXPECT_EQ(payloads, (std::vector<std::string>{"m0", "m1", "m2"}));
  EXPECT_EQ(qoses, (std::vector<mqtt::qos>{qos::at_most_once, qos::at_least_once, qos::exactly_once}));
  // QoS 0 completes without a code; mosquitto has a subscriber, so no "no matching subscribers".
  EXPECT_EQ(acks, (std::vector<reason_code>{reason_code::success, reason_code::success, reason_code::success}));
  EXPECT_TRUE(violations.empty()) << violations.front().spec_id << " " << violations.front().text;
}

}  // namespace
}  // namespace mqtt::client::test

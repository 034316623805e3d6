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

extern char** environ;

namespace mqtt::client::test {
namespace {

using namespace std::chrono_literals;
constexpr const char* mosquitto_path = "/usr/sbin/mosquitto";

/// mosquitto on 127.0.0.1:port() while the object lives.
class mosquitto {
 public:
  mosquitto() {
    {
      // A port the kernel just handed out is free; it stays so long enough for the broker to bind it.
      asio::io_context io;
      asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
      port_ = a.local_endpoint().port();
    }
    dir_ = std::filesystem::temp_directory_path() / ("mqttspec-client-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const auto conf = dir_ / "mosquitto.conf";
    std::ofstream(conf) << "listener " << port_ << " 127.0.0.1\nallow_anonymous true\npersistence false\n";
    const std::string conf_s = conf.string();
    char* argv[] = {const_cast<char*>(mosquitto_path), const_cast<char*>("-c"), const_cast<char*>(conf_s.c_str()),
                    nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, mosquitto_path, &fa, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    // Ready when it accepts a connection (at most 5 s).
    for (int i = 0; i < 100 && pid_ > 0; ++i) {
      asio::io_context io;
      asio::ip::tcp::socket s(io);
      std::error_code ec;
      s.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
      if (!ec) {
        ready_ = true;
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  ~mosquitto() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  bool ready() const { return ready_; }
  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool ready_ = false;
  std::filesystem::path dir_;
};

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

// Debian's mosquitto on a loopback port of its own, for the tests that need a real
// broker: started by the constructor, stopped by the destructor.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

extern char** environ;

namespace mqttspec::test_support {

inline constexpr const char* mosquitto_path = "/usr/sbin/mosquitto";

// mosquitto on 127.0.0.1:port() while the object lives; `extra` goes into its config.
class mosquitto_process {
 public:
  explicit mosquitto_process(const std::string& extra = "") {
    {
      // A port the kernel just handed out is free; it stays so long enough for the broker to bind it.
      asio::io_context io;
      asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
      port_ = a.local_endpoint().port();
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("mqttspec-mosquitto-" + std::to_string(::getpid()) + "-" + std::to_string(port_));
    std::filesystem::create_directories(dir_);
    const auto conf = dir_ / "mosquitto.conf";
    std::ofstream(conf) << "listener " << port_ << " 127.0.0.1\nallow_anonymous true\npersistence false\n" << extra;
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
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~mosquitto_process() {
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

}  // namespace mqttspec::test_support

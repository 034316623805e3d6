#include "interrupt.hpp"

#include <unistd.h>

#include <csignal>

#include "harness/run/stop.hpp"

namespace mqttspec::cli {

namespace {

volatile std::sig_atomic_t received = 0;

void on_signal(int sig) {
  if (received) _exit(128 + sig);  // the second one: at once
  received = sig;
  run::request_stop(run::stop_reason::interrupted);
  constexpr char msg[] = "\nmqttspec: interrupted: finishing the cases in flight and writing the reports "
                         "(again to quit at once)\n";
  [[maybe_unused]] auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int interrupted_by() { return received; }

}  // namespace mqttspec::cli

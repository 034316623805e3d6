#include "proxy_workers.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace mqttspec::cli {

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

std::string describe(int status) {
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

// A worker's one line on the start pipe: "ok PORT" or "error: WHY". Gives up when the
// worker dies first or says nothing for 10 s.
std::string await_line(int fd, pid_t pid) {
  std::string line;
  const auto deadline = steady::now() + 10s;
  while (steady::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) == 1) {
      char ch;
      if (::read(fd, &ch, 1) != 1) break;
      if (ch == '\n') return line;
      line += ch;
      continue;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return "error: " + describe(status) + " before listening";
  }
  return "error: did not start within 10 s";
}

// Until every worker has ended: SIGINT or SIGTERM goes to each (then SIGKILL after 5 s);
// a worker that ends unasked is reported and the others go on. 1 if any failed.
int supervise(std::vector<pid_t>& pids, const sigset_t& signals) {
  bool stopping = false, failed = false;
  steady::time_point kill_at;
  auto alive = [&] { return std::count_if(pids.begin(), pids.end(), [](pid_t p) { return p != 0; }); };
  while (alive() > 0) {
    siginfo_t info;
    const timespec tick{0, 100'000'000};  // also reaps a SIGCHLD that came before the wait
    const int sig = sigtimedwait(&signals, &info, &tick);
    if ((sig == SIGINT || sig == SIGTERM) && !stopping) {
      stopping = true;
      kill_at = steady::now() + 5s;
      for (pid_t p : pids)
        if (p) ::kill(p, SIGTERM);
    }
    int status = 0;
    for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
      auto it = std::find(pids.begin(), pids.end(), pid);
      if (it == pids.end()) continue;
      *it = 0;
      if (stopping && WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;
      failed = true;
      std::cerr << "mqttspec proxy: worker " << (it - pids.begin()) << " (pid " << pid << ") " << describe(status);
      if (!stopping) std::cerr << "; its connections are lost, workers left: " << alive();
      std::cerr << std::endl;
    }
    if (stopping && steady::now() > kill_at)
      for (pid_t p : pids)
        if (p) ::kill(p, SIGKILL);
  }
  return failed ? 1 : 0;
}

}  // namespace

int run_proxy_workers(const proxy_setup& s, unsigned workers) {
  // Blocked before the first fork: the parent takes them with sigtimedwait, and a
  // worker unblocks them once its own handler is installed (serve_proxy).
  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGINT, SIGTERM, SIGCHLD}) sigaddset(&signals, sig);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  int start[2];
  if (::pipe(start) != 0) return std::cerr << "mqttspec proxy: pipe: " << strerror(errno) << "\n", 1;
  const pid_t parent = ::getpid();
  std::vector<pid_t> pids;
  std::uint16_t port = s.listen.port;
  std::string failure;
  std::cout.flush();
  // Worker 0 binds first (perhaps port 0) and says which port; the others bind that one.
  for (unsigned k = 0; k < workers && failure.empty(); ++k) {
    const pid_t pid = ::fork();
    if (pid < 0) {
      failure = std::string("fork: ") + strerror(errno);
      break;
    }
    if (pid == 0) {
      ::close(start[0]);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // no worker outlives a parent killed outright
      if (::getppid() != parent) std::exit(1);
      proxy_setup own = s;
      own.listen.port = port;
      const int fd = start[1];
      return serve_proxy(own, k, workers, [fd](const std::string& e, std::uint16_t p) {
        const std::string line = e.empty() ? "ok " + std::to_string(p) + "\n" : "error: " + e + "\n";
        [[maybe_unused]] auto n = ::write(fd, line.data(), line.size());
        ::close(fd);
      });
    }
    pids.push_back(pid);
    const std::string line = await_line(start[0], pid);
    if (line.rfind("ok ", 0) == 0) port = static_cast<std::uint16_t>(std::stoul(line.substr(3)));
    else failure = "worker " + std::to_string(k) + ": " + line.substr(line.rfind("error: ", 0) == 0 ? 7 : 0);
  }
  ::close(start[0]);
  ::close(start[1]);
  if (!failure.empty()) {
    std::cerr << "mqttspec proxy: " << failure << "\n";
    for (pid_t p : pids) ::kill(p, SIGKILL);
    for (pid_t p : pids) ::waitpid(p, nullptr, 0);
    return 2;
  }
  std::cout << listening_line(s, port) << ", " << workers << " workers (pids";
  for (pid_t p : pids) std::cout << " " << p;
  std::cout << ")" << std::endl;
  return supervise(pids, signals);
}

}  // namespace mqttspec::cli

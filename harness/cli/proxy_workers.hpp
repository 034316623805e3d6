// `mqttspec proxy` as one process, or as --workers N processes that listen on one port
// (SO_REUSEPORT): each worker has its own descriptors, open-file limit and event loop,
// so one machine holds more connections than one process may open.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "netem/proxy/proxy.hpp"

namespace mqttspec::cli {

struct proxy_setup {
  netem::host_port listen, target;
  std::vector<netem::impairment_spec> link;
  std::string link_text, pcap;
  std::uint64_t seed = 1;
};

/// Told once a proxy listens ("" and its port) or could not start (the error).
using proxy_ready = std::function<void(const std::string& error, std::uint16_t port)>;

/// Serves one proxy, worker `worker` of `workers`, until SIGINT or SIGTERM; the exit status.
int serve_proxy(const proxy_setup& s, unsigned worker, unsigned workers, const proxy_ready& ready);

/// "listening on HOST:PORT -> HOST:PORT link ... seed N"
std::string listening_line(const proxy_setup& s, std::uint16_t port);

/// Forks `workers` processes that serve on one port, prints the listening line once,
/// forwards SIGINT and SIGTERM, and reports a worker that dies. In a worker it returns
/// that worker's exit status, in the parent the command's.
int run_proxy_workers(const proxy_setup& s, unsigned workers);

}  // namespace mqttspec::cli

// The virtual-time world with the embedded reference broker as a driver.
#pragma once

#include <map>
#include <memory>

#include "driver.hpp"
#include "netem/world/world.hpp"

namespace mqttspec::run {

class sim_driver final : public driver {
 public:
  sim_driver(std::uint64_t seed, mqtt::broker::config cfg);
  ~sim_driver() override;

  /// Writes the case's connections into a pcap (client-side tap).
  std::string capture_to(const std::string& path, std::vector<std::string> secrets = {}) {
    return world_.capture_to(path, netem::tap_side::client, netem::world::default_epoch, std::move(secrets));
  }
  netem::world& world() { return world_; }

  timestamp now() const override { return world_.now(); }
  conn_id open(endpoint& e, const std::vector<netem::impairment_spec>& link, std::string& error) override;
  void send(conn_id c, std::string bytes) override { world_.send(c, std::move(bytes)); }
  void close(conn_id c, bool reset) override { world_.close(c, reset); }
  std::string add_impairment(conn_id c, const netem::impairment_spec& spec) override {
    return world_.add_impairment(c, spec);
  }
  void clear_impairments(conn_id c, const std::vector<netem::impairment_spec>& keep) override;
  void schedule(timestamp at, std::function<void()> f) override { world_.at(at, std::move(f)); }
  bool run_until(timestamp until, const std::function<bool()>& done) override;
  std::vector<link_event> link_events() const override;
  bool virtual_time() const override { return true; }

 private:
  struct adapter;
  netem::world world_;
  std::map<conn_id, std::unique_ptr<adapter>> adapters_;
};

}  // namespace mqttspec::run

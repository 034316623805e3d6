#include "sim_driver.hpp"

namespace mqttspec::run {

// The world speaks to netem::peer; the runner's clients are run::endpoints.
struct sim_driver::adapter final : netem::peer {
  explicit adapter(endpoint& e) : e_(e) {}
  void on_bytes(std::string_view bytes, netem::timestamp now) override { e_.on_bytes(bytes, now); }
  void on_closed(netem::timestamp now, bool reset) override { e_.on_closed(now, reset); }
  endpoint& e_;
};

sim_driver::sim_driver(std::uint64_t seed, mqtt::broker::config cfg) : world_(seed, std::move(cfg)) {}

sim_driver::~sim_driver() = default;

driver::conn_id sim_driver::open(endpoint& e, const std::vector<netem::impairment_spec>& link, std::string&) {
  auto a = std::make_unique<adapter>(e);
  const auto id = world_.connect(*a, link);
  adapters_.emplace(id, std::move(a));
  return id;
}

void sim_driver::clear_impairments(conn_id c, const std::vector<netem::impairment_spec>& keep) {
  for (const auto& t : netem::impairment_types()) world_.remove_impairment(c, std::string(t.type));
  for (const auto& s : keep) world_.add_impairment(c, s);
}

bool sim_driver::run_until(timestamp until, const std::function<bool()>& done) {
  if (done()) return true;
  while (world_.advance(until))
    if (done()) return true;
  return done();
}

std::vector<link_event> sim_driver::link_events() const {
  std::vector<link_event> out;
  for (const auto& e : world_.events()) out.push_back({e.at, e.conn, e.what});
  for (const auto& [id, a] : adapters_)
    if (const auto* l = world_.link_of(id))
      for (const auto& d : l->trace()) out.push_back({d.at, id, d.impairment + ": " + d.what});
  std::stable_sort(out.begin(), out.end(), [](const link_event& a, const link_event& b) { return a.at < b.at; });
  return out;
}

}  // namespace mqttspec::run

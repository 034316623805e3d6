// keepalive: when a client with Keep Alive K > 0 goes silent because the runner cut
// its link (link_event::blackhole), the broker closes the connection within 1.5 K of
// the last packet it got. Judged only after a blackhole, so a client that merely
// sends slowly is never misjudged; the deadline gets options::keepalive_tolerance on
// top for the link's latency and timer granularity. A restore before the deadline
// cancels the check. 5.0: a Server Keep Alive in CONNACK replaces K. A close after
// the deadline but within another 1.5 K is late: non-strict.
#include <map>
#include <unordered_map>
#include <optional>

#include "checks.hpp"
#include "spec_ids.hpp"

namespace mqttspec::checks {
namespace {

struct connection_state {
  std::string client;
  mqtt::protocol_version version = mqtt::protocol_version::v5;
  std::uint32_t keepalive_s = 0;
  timestamp last_from_client{};
  std::optional<timestamp> deadline;  // set by a blackhole
  bool done = false;                  // ended, reported or cancelled
};

std::string seconds(timestamp t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

class keepalive final : public checker {
 public:
  explicit keepalive(const options& opts) : opts_(opts) {}
  std::string_view name() const override { return "keepalive"; }

  void on_packet(const observed& o) override {
    auto& c = conns_[o.connection_key];
    if (c.client.empty()) c.client = o.client;
    c.version = o.version;
    current_[o.client_key] = o.connection;
    if (!o.from_broker) {
      if (!c.deadline) c.last_from_client = o.at;  // after a blackhole nothing reaches the broker
      if (const auto* p = std::get_if<mqtt::connect>(&o.packet)) c.keepalive_s = p->keep_alive;
    } else if (const auto* p = std::get_if<mqtt::connack>(&o.packet)) {
      if (auto k = mqtt::number_of(p->props, mqtt::property_id::server_keep_alive)) c.keepalive_s = *k;
    }
  }

  void on_link_event(timestamp at, const std::string& client, link_event e) override {
    auto cur = current_.find(client_key(client));
    if (cur == current_.end()) return;
    auto& c = conns_[connection_key(client, cur->second)];
    if (c.done || c.keepalive_s == 0) return;
    if (e == link_event::blackhole && !c.deadline) {
      // 1.5 K in microseconds, from the last packet that got through.
      c.deadline = c.last_from_client + timestamp(c.keepalive_s * 1'500'000LL) + opts_.keepalive_tolerance;
    } else if (e == link_event::restore && c.deadline && at < *c.deadline) {
      c.deadline.reset();
      c.last_from_client = at;
    }
  }

  void on_connection_end(timestamp at, const std::string& client, std::uint64_t connection, bool by_broker) override {
    auto node = conns_.extract(connection_key(client, connection));  // nothing more to judge after
    if (node.empty()) return;
    auto& c = node.mapped();
    if (c.done) return;
    c.done = true;
    if (!c.deadline || at <= *c.deadline) return;
    // The harness closing it at the end of the case is not the broker's close.
    if (by_broker) late(c, client, at, "closed only at " + seconds(at), at <= late_bound(c));
    else late(c, client, *c.deadline, "still open at " + seconds(at), at <= late_bound(c));
  }

 protected:
  void at_end(timestamp end) override {
    for (auto& [key, c] : conns_)
      if (!c.done && c.deadline && end > *c.deadline)
        late(c, c.client, *c.deadline, "still open at " + seconds(end), end <= late_bound(c));
  }

 private:
  // The spec sets when the close is due, not how soon after it must come: a close by
  // another 1.5 x Keep Alive meets the MUST late (non-strict); later, or never, breaks it.
  timestamp late_bound(const connection_state& c) const {
    return *c.deadline + timestamp(c.keepalive_s * 1'500'000LL);
  }

  void late(connection_state& c, const std::string& client, timestamp at, const std::string& what, bool tolerated) {
    c.done = true;
    report(at, client, ids::keepalive_close.of(c.version),
           "Keep Alive " + std::to_string(c.keepalive_s) + " s, nothing received since " +
               seconds(c.last_from_client) + ": connection " + what + ", deadline " + seconds(*c.deadline) +
               " (1.5 x Keep Alive + tolerance)" +
               (tolerated ? "; late, but before " + seconds(late_bound(c)) + " (deadline + 1.5 x Keep Alive)" : ""),
           tolerated);
  }

  options opts_;
  std::unordered_map<std::uint64_t, connection_state, key_hash> conns_;  // by connection_key
  std::unordered_map<std::uint64_t, std::uint64_t, key_hash> current_;     // client_key -> connection
};

}  // namespace

std::unique_ptr<checker> make_keepalive(const options& opts) { return std::make_unique<keepalive>(opts); }

}  // namespace mqttspec::checks

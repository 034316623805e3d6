// Drives a reference client core (mqtt::client::core) in the virtual-time world: the
// core's actions become world calls (send_bytes -> world::send, close -> world::close,
// arm_timer -> world::at), and what the world delivers goes back into the core. One
// core lives across connections, so a reconnect with clean start 0 resumes the session
// and resends what is in flight with DUP. Used by the end-to-end tests and world_bench;
// header only, through the netem_core_peer target (it needs the client core).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "netem/world/world.hpp"
#include "reference/client/core.hpp"

namespace netem {

class core_peer {
 public:
  core_peer(world& w, mqtt::client::options opts, std::vector<impairment_spec> link = {})
      : world_(w), core_(std::move(opts)), link_(std::move(link)) {}

  /// Every action after it is applied (messages, disconnected, ...), for the caller.
  std::function<void(const mqtt::client::action&)> on_action;

  /// Opens a new connection through a link with `link_` and sends CONNECT.
  void connect() {
    auto ep = std::make_unique<endpoint>(*this);
    endpoint* e = ep.get();
    endpoints_.push_back(std::move(ep));
    conn_ = world_.connect(*e, link_);
    e->conn = conn_;
    open_ = true;
    std::vector<mqtt::client::action> out;
    std::string hello = core_.connect(world_.now(), out);
    world_.send(conn_, std::move(hello));
    apply(out);
  }

  /// The network drops the connection as a client sees it: the socket closes, and the
  /// core learns it; what the broker sees depends on the link (a blackhole hides it).
  void drop() {
    if (!open_) return;
    open_ = false;
    world_.close(conn_);
    std::vector<mqtt::client::action> out;
    core_.on_closed(world_.now(), out);
    apply(out);
  }

  template <class F>
  void command(F f) {
    std::vector<mqtt::client::action> out;
    f(core_, world_.now(), out);
    apply(out);
  }

  mqtt::client::core& core() { return core_; }
  world::conn_id conn() const { return conn_; }
  bool open() const { return open_; }
  void set_link(std::vector<impairment_spec> link) { link_ = std::move(link); }

 private:
  // One per connection, so bytes of an old connection never reach the core.
  struct endpoint final : peer {
    explicit endpoint(core_peer& o) : owner(o) {}
    void on_bytes(std::string_view bytes, timestamp now) override {
      if (conn != owner.conn_ || !owner.open_) return;
      std::vector<mqtt::client::action> out;
      owner.core_.on_bytes(bytes, now, out);
      owner.apply(out);
    }
    void on_closed(timestamp now, bool) override {
      if (conn != owner.conn_ || !owner.open_) return;
      owner.open_ = false;
      std::vector<mqtt::client::action> out;
      owner.core_.on_closed(now, out);
      owner.apply(out);
    }
    core_peer& owner;
    world::conn_id conn = 0;
  };

  void apply(std::vector<mqtt::client::action>& out) {
    // Actions can call back into this peer (a test reconnects on `disconnected`), so
    // take them out of `out` first.
    std::vector<mqtt::client::action> batch = std::move(out);
    out.clear();
    for (auto& a : batch) {
      if (on_action) on_action(a);  // first, while send_bytes still holds its bytes
      if (auto* s = std::get_if<mqtt::client::send_bytes>(&a)) {
        if (open_) world_.send(conn_, std::move(s->bytes));
      } else if (std::get_if<mqtt::client::close>(&a)) {
        if (open_) {
          open_ = false;
          world_.close(conn_);
        }
      } else if (auto* t = std::get_if<mqtt::client::arm_timer>(&a)) {
        // The world cannot cancel a call, so schedule each distinct time once; an
        // early on_time is harmless (the core checks its deadlines).
        if (armed_.insert(t->at).second)
          world_.at(t->at, [this, at = t->at] {
            armed_.erase(at);
            std::vector<mqtt::client::action> o;
            core_.on_time(world_.now(), o);
            apply(o);
          });
      }
    }
  }

  world& world_;
  mqtt::client::core core_;
  std::vector<impairment_spec> link_;
  std::vector<std::unique_ptr<endpoint>> endpoints_;
  world::conn_id conn_ = 0;
  bool open_ = false;
  std::set<timestamp> armed_;
};

}  // namespace netem

#include "checks.hpp"

#include "world.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace mqttspec::checks {

checker::checker() : model_(std::make_shared<world>()) {}
checker::~checker() = default;

void checker::model_packet(const observed& o) {
  if (!shared_model_) model_->update(o);
}

void checker::model_end(const std::string& client, std::uint64_t connection) {
  if (!shared_model_) model_->connection_end(client, connection);
}

void checker::finish(timestamp end, std::vector<violation>& out) {
  at_end(end);
  drain(out);
}

void checker::drain(std::vector<violation>& out) {
  for (auto& v : found_) out.push_back(std::move(v));
  found_.clear();
}

void checker::report(timestamp at, std::string_view client, std::string_view spec_id, std::string message,
                     bool should) {
  found_.push_back({at, std::string(client), std::string(spec_id), std::move(message), should});
}

std::vector<std::unique_ptr<checker>> all_checkers(const options& opts) {
  std::vector<std::unique_ptr<checker>> out;
  out.push_back(make_well_formed(opts));
  out.push_back(make_packet_ids(opts));
  out.push_back(make_qos_flow(opts));
  out.push_back(make_exactly_once(opts));
  out.push_back(make_at_least_once(opts));
  out.push_back(make_ordering(opts));
  out.push_back(make_no_delivery_after_unsubscribe(opts));
  out.push_back(make_retain_flag(opts));
  out.push_back(make_keepalive(opts));
  out.push_back(make_will(opts));
  out.push_back(make_limits(opts));
  out.push_back(make_websocket(opts));
  return out;
}

// Topic Alias mappings live per connection and per direction (5.0 section 3.3.2.3.4).
struct monitor::aliases {
  std::map<std::tuple<std::uint64_t, bool, std::uint32_t>, std::string> names;
};

monitor::monitor(const options& opts) : monitor(all_checkers(opts), opts) {}
monitor::monitor(std::vector<std::unique_ptr<checker>> checkers, const options& opts)
    : checkers_(std::move(checkers)),
      aliases_(std::make_unique<aliases>()),
      model_(std::make_shared<world>(opts.settled_messages_kept)) {
  for (auto& c : checkers_) {
    c->model_ = model_;
    c->shared_model_ = true;
  }
}
monitor::~monitor() = default;

void monitor::on_packet(observed o) {
  o.topic.clear();
  fill_in(o);
  if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
    if (auto alias = mqtt::number_of(p->props, mqtt::property_id::topic_alias)) {
      auto key = std::make_tuple(o.connection_key, o.from_broker, *alias);
      if (p->topic.empty()) {
        auto it = aliases_->names.find(key);
        if (it != aliases_->names.end()) {
          o.topic = it->second;
          o.message = message_hash(o.topic, p->payload);
        }
      } else {
        aliases_->names[key] = o.topic;
      }
    }
  }
  for (auto& c : checkers_) c->on_packet(o);
  model_->update(o);
}

void monitor::on_malformed(timestamp at, const std::string& client, std::uint64_t connection, bool from_broker,
                           mqtt::protocol_version v, const mqtt::decode_error& error, std::string_view bytes) {
  for (auto& c : checkers_) c->on_malformed(at, client, connection, from_broker, v, error, bytes);
}

void monitor::on_connection_end(timestamp at, const std::string& client, std::uint64_t connection, bool by_broker) {
  for (auto& c : checkers_) c->on_connection_end(at, client, connection, by_broker);
  model_->connection_end(client, connection);
}

void monitor::on_link_event(timestamp at, const std::string& client, link_event e) {
  for (auto& c : checkers_) c->on_link_event(at, client, e);
}

void monitor::on_joined(timestamp at, const std::string& client, std::uint64_t connection) {
  for (auto& c : checkers_) c->on_joined(at, client, connection);
}

void monitor::on_websocket(timestamp at, const std::string& client, std::uint64_t connection,
                           const websocket_fact& f) {
  for (auto& c : checkers_) c->on_websocket(at, client, connection, f);
}

std::vector<violation> monitor::drain() {
  std::vector<violation> out;
  for (auto& c : checkers_)
    if (!c->found_.empty()) c->drain(out);  // after every packet of a capture: mostly nothing
  return out;
}

std::vector<violation> monitor::finish(timestamp end) {
  std::vector<violation> out;
  for (auto& c : checkers_) c->finish(end, out);
  std::stable_sort(out.begin(), out.end(), [](const violation& a, const violation& b) { return a.at < b.at; });
  return out;
}

}  // namespace mqttspec::checks

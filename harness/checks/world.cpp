#include "world.hpp"

#include <type_traits>

#include "reference/topic/topic.hpp"

namespace mqttspec::checks {

namespace {

constexpr bool success(mqtt::reason_code rc) { return static_cast<std::uint8_t>(rc) < 0x80; }

std::string kept(std::string_view payload) { return std::string(payload.substr(0, world::max_payload_kept)); }

}  // namespace

bool accepted(const mqtt::connack& p, mqtt::protocol_version v) {
  const auto code = static_cast<std::uint8_t>(p.code);
  return v == mqtt::protocol_version::v311 ? code == 0 : code < 0x80;
}

std::uint64_t message_hash(std::string_view topic, std::string_view payload) {
  const std::hash<std::string_view> h;
  return h(topic) * 0x9e3779b97f4a7c15ull ^ h(payload);
}

std::uint64_t message_hash(std::string_view client, std::uint64_t message) {
  return message * 0xff51afd7ed558ccdull ^ std::hash<std::string_view>{}(client);
}

std::string message_key(std::string_view topic, std::string_view payload) {
  std::string k(topic);
  k += '\0';
  k += payload;
  return k;
}

void world::update(const observed& o) {
  auto& c = clients_[o.client];
  if (o.connection != c.connection) {
    // A new connection: requests of the old one will never be answered.
    c.connection = o.connection;
    c.connected = false;
    c.pending_subscribe.clear();
    c.pending_unsubscribe.clear();
  }
  c.version = o.version;
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, mqtt::connect>) {
          c.has_maximum_packet_size = mqtt::find(p.props, mqtt::property_id::maximum_packet_size) != nullptr;
          if (p.will) {
            publication w{o.client, std::string(p.will->topic), kept(p.will->payload),
                          message_hash(p.will->topic, p.will->payload), p.will->qos, p.will->retain, true, false, o.at,
                          std::nullopt};
            add(std::move(w));
          }
        } else if constexpr (std::is_same_v<T, mqtt::connack>) {
          if (!accepted(p, o.version)) return;
          c.connected = true;
          if (!p.session_present) {
            // The broker has no session: subscriptions and open flows are gone.
            c.fresh_session = true;
            c.subs.clear();
            c.removed.clear();
            c.open_publishes.clear();
          }
        } else if constexpr (std::is_same_v<T, mqtt::publish>) {
          if (o.from_broker) return;
          if (p.qos != mqtt::qos::at_most_once && p.dup && c.open_publishes.contains(p.packet_id)) return;
          publication m{o.client, o.topic, kept(p.payload), message_hash(o.topic, p.payload), p.qos, p.retain, false,
                        mqtt::find(p.props, mqtt::property_id::message_expiry_interval) != nullptr, o.at,
                        std::nullopt};
          add(std::move(m));
          if (p.qos != mqtt::qos::at_most_once) c.open_publishes[p.packet_id] = publications_.size() - 1;
        } else if constexpr (std::is_same_v<T, mqtt::puback> || std::is_same_v<T, mqtt::pubrec>) {
          if (!o.from_broker) return;
          auto it = c.open_publishes.find(p.packet_id);
          if (it == c.open_publishes.end()) return;
          auto& m = publications_[it->second];
          if (success(p.code) && !m.accepted) m.accepted = o.at;
          if (std::is_same_v<T, mqtt::puback> || !success(p.code)) c.open_publishes.erase(it);
        } else if constexpr (std::is_same_v<T, mqtt::pubcomp>) {
          if (o.from_broker) c.open_publishes.erase(p.packet_id);
        } else if constexpr (std::is_same_v<T, mqtt::subscribe>) {
          auto& filters = c.pending_subscribe[p.packet_id];
          filters.clear();
          for (const auto& t : p.topics) {
            subscription s;
            s.filter = std::string(t.filter);
            s.match_filter = s.filter;
            if (o.version == mqtt::protocol_version::v5) {
              if (auto sh = mqtt::topic::parse_shared(t.filter)) {
                s.shared = true;
                s.match_filter = std::string(sh->filter);
              }
            }
            s.requested = t.max_qos;
            s.no_local = t.no_local;
            s.retain_as_published = t.retain_as_published;
            s.sent = o.at;
            auto [it, fresh] = c.subs.try_emplace(s.filter, s);
            if (!fresh) {
              // Replacing a subscription: keep what it was granted so far.
              s.max_granted = it->second.max_granted;
              s.granted = it->second.granted;
              it->second = s;
            }
            c.all_subscribes.push_back(s);
            filters.push_back(s.filter);
          }
        } else if constexpr (std::is_same_v<T, mqtt::suback>) {
          auto req = c.pending_subscribe.find(p.packet_id);
          if (req == c.pending_subscribe.end()) return;
          for (std::size_t i = 0; i < req->second.size(); ++i) {
            auto it = c.subs.find(req->second[i]);
            if (it == c.subs.end()) continue;
            auto& s = it->second;
            s.pending = false;
            s.acked = o.at;
            auto code = i < p.codes.size() ? static_cast<std::uint8_t>(p.codes[i]) : 0x80;
            if (code <= 2) {
              s.granted = static_cast<mqtt::qos>(code);
              if (code > static_cast<std::uint8_t>(s.max_granted)) s.max_granted = *s.granted;
            } else if (!s.granted) {
              c.subs.erase(it);  // refused and nothing to replace
            }
          }
          c.pending_subscribe.erase(req);
        } else if constexpr (std::is_same_v<T, mqtt::unsubscribe>) {
          auto& filters = c.pending_unsubscribe[p.packet_id];
          filters.assign(p.filters.begin(), p.filters.end());
        } else if constexpr (std::is_same_v<T, mqtt::unsuback>) {
          auto req = c.pending_unsubscribe.find(p.packet_id);
          if (req == c.pending_unsubscribe.end()) return;
          for (std::size_t i = 0; i < req->second.size(); ++i) {
            if (i < p.codes.size() && !success(p.codes[i])) continue;
            auto it = c.subs.find(req->second[i]);
            if (it == c.subs.end()) continue;
            c.removed.push_back({it->second.match_filter, o.at});
            c.subs.erase(it);
          }
          c.pending_unsubscribe.erase(req);
        }
      },
      o.packet);
}

void world::connection_end(const std::string& client, std::uint64_t connection) {
  auto it = clients_.find(client);
  if (it != clients_.end() && it->second.connection == connection) it->second.connected = false;
}

const client_state* world::client(const std::string& name) const {
  auto it = clients_.find(name);
  return it == clients_.end() ? nullptr : &it->second;
}

void world::add(publication p) {
  by_message_[p.hash].push_back(publications_.size());
  publications_.push_back(std::move(p));
}

const std::vector<std::size_t>& world::find(std::string_view topic, std::string_view payload) const {
  static const std::vector<std::size_t> none;
  auto it = by_message_.find(message_hash(topic, payload));
  return it == by_message_.end() ? none : it->second;
}

std::vector<const subscription*> world::matching(const std::string& client, std::string_view topic) const {
  std::vector<const subscription*> out;
  const auto* c = this->client(client);
  if (c == nullptr) return out;
  for (const auto& [_, s] : c->subs)
    if (mqtt::topic::matches(s.match_filter, topic)) out.push_back(&s);
  return out;
}

}  // namespace mqttspec::checks

#include "world.hpp"

#include <algorithm>
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

void world::update(const observed& o) {
  auto& c = clients_[o.client_key];
  if (c.name.empty()) c.name = o.client;
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
          owed_cache_.clear();
          if (p.will) {
            publication w;
            w.publisher = o.client;
            w.publisher_key = o.client_key;
            w.topic = std::string(p.will->topic);
            w.topic_key = hash_bytes(w.topic);
            w.payload = kept(p.will->payload);
            w.hash = message_hash(p.will->topic, p.will->payload);
            w.qos = p.will->qos;
            w.retain = p.will->retain;
            w.will = true;
            w.sent = o.at;
            add(std::move(w));
          }
        } else if constexpr (std::is_same_v<T, mqtt::connack>) {
          if (!accepted(p, o.version)) return;
          c.connected = true;
          if (!p.session_present) {
            // The broker has no session: subscriptions, open flows and what it owed are gone.
            c.fresh_session = true;
            c.subs.clear();
            c.removed.clear();
            c.open_publishes.clear();
            subscriptions_changed(c);
            forget_owed(c);
          }
        } else if constexpr (std::is_same_v<T, mqtt::publish>) {
          if (o.from_broker)
            delivered(o);
          else
            publish(o, c, p);
        } else if constexpr (std::is_same_v<T, mqtt::puback> || std::is_same_v<T, mqtt::pubrec>) {
          if (!o.from_broker) return;
          const auto* open = c.open_publishes.find(p.packet_id);
          if (open == nullptr) return;
          auto m = live_.find(*open);
          if (m != live_.end() && success(p.code) && !m->second.accepted) m->second.accepted = o.at;
          if (std::is_same_v<T, mqtt::puback> || !success(p.code)) c.open_publishes.erase(p.packet_id);
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
          subscriptions_changed(c);
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
          subscriptions_changed(c);
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
          subscriptions_changed(c);
        }
      },
      o.packet);
}

void world::publish(const observed& o, client_state& c, const mqtt::publish& p) {
  if (p.qos != mqtt::qos::at_most_once && p.dup && c.open_publishes.contains(p.packet_id)) return;
  publication m;
  m.publisher = o.client;
  m.publisher_key = o.client_key;
  m.topic = o.topic;
  m.topic_key = o.topic_key;
  m.payload = kept(p.payload);
  m.hash = o.message;
  m.qos = p.qos;
  m.retain = p.retain;
  m.expires = mqtt::find(p.props, mqtt::property_id::message_expiry_interval) != nullptr;
  m.sent = o.at;
  if (m.qos != mqtt::qos::at_most_once && !m.expires) m.owed = owed_by(o.topic, o.topic_key, o.client_key, o.at);
  const auto index = next_;
  for (auto k : m.owed) clients_[k].owed.push_back(index);
  add(std::move(m));
  if (p.qos != mqtt::qos::at_most_once) c.open_publishes[p.packet_id] = index;
}

// The clients a QoS >= 1 message sent at `sent` is owed to, as at_least_once counts
// them: a matching subscription granted QoS >= 1 and acknowledged before, no shared
// subscription, no No Local one of the publisher's own, no Maximum Packet Size (the
// broker may drop what does not fit). Worked out once per topic while nothing changes;
// not kept when a subscription was too recent (it becomes owed a moment later).
std::vector<std::uint64_t> world::owed_by(std::string_view topic, std::uint64_t topic_key, std::uint64_t publisher,
                                          timestamp sent) {
  auto cached = owed_cache_.find(topic_key);
  if (cached == owed_cache_.end()) {
    std::vector<std::pair<std::uint64_t, bool>> found;  // client, No Local
    bool recent = false;
    for (const auto& [key, c] : clients_) {
      if (c.subs.empty() || c.has_maximum_packet_size) continue;
      bool owed = false, shared = false, no_local = false;
      for (const auto* s : match(key, topic, topic_key).subs) {
        shared |= s->shared;
        no_local |= s->no_local;
        if (!s->granted || *s->granted == mqtt::qos::at_most_once || !s->acked) continue;
        if (*s->acked < sent && s->sent < sent) owed = true;
        else recent = true;
      }
      if (owed && !shared) found.emplace_back(key, no_local);
    }
    if (recent) {
      std::vector<std::uint64_t> out;
      for (auto [k, no_local] : found)
        if (!no_local || k != publisher) out.push_back(k);
      return out;
    }
    if (owed_cache_.size() > 4096) owed_cache_.clear();
    cached = owed_cache_.emplace(topic_key, std::move(found)).first;
  }
  std::vector<std::uint64_t> out;
  out.reserve(cached->second.size());
  for (auto [k, no_local] : cached->second)
    if (!no_local || k != publisher) out.push_back(k);
  return out;
}

void world::add(publication p) {
  const auto index = next_++;
  by_message_[p.hash].push_back(index);
  if (p.retain && !p.will) {
    const auto topic_key = p.topic_key;
    std::optional<std::size_t> before;
    if (auto it = retained_.find(topic_key); it != retained_.end()) before = it->second;
    if (p.payload.empty()) retained_.erase(topic_key);
    else retained_[topic_key] = index;
    if (before) {
      auto old = live_.find(*before);
      if (old != live_.end() && old->second.old && old->second.owed.empty()) drop(*before);
    }
  }
  live_.emplace(index, std::move(p));
  recent_.push_back(index);
  while (recent_.size() > settled_kept_) {
    const auto i = recent_.front();
    recent_.pop_front();
    auto& m = live_.at(i);
    m.old = true;
    if (m.owed.empty()) drop(i);
  }
}

void world::delivered(const observed& o) {
  auto it = by_message_.find(o.message);
  if (it == by_message_.end()) return;
  if (it->second.size() == 1) return settle(it->second.front(), o.client_key);
  const auto indexes = it->second;  // settle() may drop some
  for (auto i : indexes) settle(i, o.client_key);
}

void world::settle(std::size_t i, std::uint64_t client) {
  auto it = live_.find(i);
  if (it == live_.end()) return;
  auto& owed = it->second.owed;
  auto k = std::find(owed.begin(), owed.end(), client);
  if (k == owed.end()) return;
  *k = owed.back();
  owed.pop_back();
  if (owed.empty()) {
    owed.shrink_to_fit();
    if (it->second.old) drop(i);
  }
  // Let go of the client's list of settled ones now and then: it grows with deliveries.
  auto found = clients_.find(client);
  if (found == clients_.end()) return;
  auto& c = found->second;
  if (c.owed.size() < 2 * c.owed_checked + 64) return;
  std::erase_if(c.owed, [&](std::size_t j) {
    auto m = live_.find(j);
    return m == live_.end() || std::find(m->second.owed.begin(), m->second.owed.end(), client) == m->second.owed.end();
  });
  c.owed_checked = c.owed.size();
}

void world::forget_owed(client_state& c) {
  const auto key = client_key(c.name);
  const auto owed = std::move(c.owed);
  c.owed.clear();
  c.owed_checked = 0;
  for (auto i : owed) settle(i, key);
}

void world::drop(std::size_t i) {
  auto it = live_.find(i);
  if (it == live_.end()) return;
  const auto& m = it->second;
  if (m.retain && !m.will) {
    auto r = retained_.find(m.topic_key);
    if (r != retained_.end() && r->second == i) return;  // still what a new subscriber gets
  }
  auto same = by_message_.find(m.hash);
  if (same != by_message_.end()) {
    std::erase(same->second, i);
    if (same->second.empty()) by_message_.erase(same);
  }
  live_.erase(it);
}

void world::subscriptions_changed(client_state& c) {
  c.matches.clear();
  owed_cache_.clear();
}

void world::connection_end(const std::string& client, std::uint64_t connection) {
  auto it = clients_.find(client_key(client));
  if (it != clients_.end() && it->second.connection == connection) it->second.connected = false;
}

const client_state* world::client(std::uint64_t key) const {
  auto it = clients_.find(key);
  return it == clients_.end() ? nullptr : &it->second;
}

const std::vector<std::size_t>& world::find(std::uint64_t message) const {
  static const std::vector<std::size_t> none;
  auto it = by_message_.find(message);
  return it == by_message_.end() ? none : it->second;
}

std::vector<std::size_t> world::unsettled() const {
  std::vector<std::size_t> out;
  for (const auto& [i, m] : live_)
    if (!m.owed.empty()) out.push_back(i);
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<const subscription*>& world::matching(std::uint64_t client, std::string_view topic) const {
  return match(client, topic, hash_bytes(topic)).subs;
}

const topic_match& world::match(std::uint64_t client, std::string_view topic, std::uint64_t topic_key) const {
  static const topic_match none;
  const auto* c = this->client(client);
  if (c == nullptr) return none;
  auto it = c->matches.find(topic_key);
  if (it != c->matches.end()) return it->second;
  if (c->matches.size() > 1024) c->matches.clear();  // a capture of many topics
  auto& out = c->matches[topic_key];
  for (const auto& [_, s] : c->subs)
    if (mqtt::topic::matches(s.match_filter, topic)) out.subs.push_back(&s);
  const auto& all = c->all_subscribes;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!mqtt::topic::matches(all[i].match_filter, topic)) continue;
    if (!out.last_subscribe || all[i].sent > *out.last_subscribe) out.last_subscribe = all[i].sent;
    if (std::none_of(all.begin(), all.begin() + i, [&](const auto& s) { return s.filter == all[i].filter; }))
      ++out.filters_ever;
  }
  return out;
}

}  // namespace mqttspec::checks

// Routing: which sessions get a message (overlapping subscriptions, No Local, shared
// subscriptions round robin), per-session queues, flow control and redelivery.
#include <algorithm>

#include "state.hpp"

namespace mqtt::broker {

namespace {

/// QoS of a copy: the lower of the message's and the granted one (MQTT-3.8.4-6 (3.1.1),
/// MQTT-3.8.4-8 (5.0), MQTT-4.8.2-3 for shared subscriptions).
/// `at_granted` is the deliver-at-subscription-qos fault.
mqtt::qos copy_qos(const message& m, const sub_entry& e, bool at_granted) {
  if (at_granted) return e.max_qos;  // fault: breaks MQTT-3.8.4-6 (3.1.1) / MQTT-3.8.4-8 (5.0)
  return std::min(m.qos, e.max_qos);
}

/// RETAIN of a copy for an established subscription: 0 (MQTT-3.3.1-9 (3.1.1),
/// MQTT-3.3.1-12 (5.0)) unless Retain As Published (MQTT-3.3.1-13).
bool copy_retain(const message& m, const sub_entry& e) { return m.retain && e.retain_as_published; }

/// The normalise-topics fault: "a//b/" as "a/b".
std::string normalised(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (name[i] != '/' || (!out.empty() && out.back() != '/')) out += name[i];
  if (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

std::size_t core::impl::route(const message_ptr& m) {
  // Matching copies per session; a session's key orders the map so routing is deterministic.
  std::map<std::uint64_t, std::vector<const sub_entry*>> hits;
  // Shared members per "$share/group/filter".
  std::map<std::string, std::vector<std::pair<std::uint64_t, const sub_entry*>>> members;
  // MQTT-3.3.2-3, MQTT-4.7.2-1, MQTT-4.7.3-4: the index matches without normalising,
  // and wildcards at the start do not match $-topics.
  std::string_view name = m->topic;
  std::string collapsed;
  if (cfg.has(fault::normalise_topics)) {  // fault: breaks MQTT-4.7.3-4
    collapsed = normalised(name);
    name = collapsed;
  }
  subs.match(
      name,
      [&](std::string_view f, std::uint64_t k, const sub_entry& e) {
        if (e.group.empty())
          hits[k].push_back(&e);
        else
          members[std::string(f)].emplace_back(k, &e);
      },
      !cfg.has(fault::match_dollar_topics));  // fault: breaks MQTT-4.7.2-1
  std::size_t matched = 0;
  const bool at_granted = cfg.has(fault::deliver_at_subscription_qos);
  for (auto& [k, entries] : hits) {
    auto sit = by_key.find(k);
    if (sit == by_key.end()) continue;
    session& s = *sit->second;
    // MQTT-3.8.3-3: No Local skips the publisher's own subscriptions.
    std::erase_if(entries, [&](const sub_entry* e) { return e->no_local && *s.client_id == m->publisher; });
    if (entries.empty()) continue;
    ++matched;
    if (cfg.overlap == overlap_mode::single_copy) {
      // MQTT-3.3.5-1 (3.1.1) / MQTT-3.3.4-2 (5.0): one copy at the maximum QoS of all
      // matching subscriptions, carrying all their subscription ids (MQTT-3.3.4-3, MQTT-3.3.4-4).
      const bool lowest = cfg.has(fault::overlap_lowest_qos);  // fault: breaks MQTT-3.3.5-1 / MQTT-3.3.4-2
      delivery d{m, lowest ? qos::exactly_once : qos::at_most_once, false, {}};
      for (const sub_entry* e : entries) {
        const mqtt::qos q = copy_qos(*m, *e, at_granted);
        d.qos = lowest ? std::min(d.qos, q) : std::max(d.qos, q);
        d.retain = d.retain || copy_retain(*m, *e);
        if (e->sub_id) d.sub_ids.push_back(e->sub_id);
      }
      std::sort(d.sub_ids.begin(), d.sub_ids.end());
      enqueue(s, std::move(d));
    } else {
      // MQTT-3.3.4-5: a copy per subscription, each with its own subscription id.
      for (const sub_entry* e : entries) {
        delivery d{m, copy_qos(*m, *e, at_granted), copy_retain(*m, *e), {}};
        if (e->sub_id) d.sub_ids.push_back(e->sub_id);
        enqueue(s, std::move(d));
      }
    }
  }
  // Shared subscriptions: one member per (group, filter), in turn, preferring
  // connected members so messages are not parked with an offline session.
  {
    for (auto& [filter, list] : members) {
      std::sort(list.begin(), list.end());
      std::uint64_t& turn = shared_turn[filter];
      const std::size_t n = list.size();
      std::optional<std::size_t> pick;
      for (std::size_t i = 0; i < n && !pick; ++i) {
        auto sit = by_key.find(list[(turn + i) % n].first);
        if (sit != by_key.end() && sit->second->conn != 0) pick = (turn + i) % n;
      }
      // MQTT-4.8.2-4: a message given to an offline member waits in its session for
      // the reconnect; MQTT-4.8.2-5: it is never handed to another member meanwhile.
      if (!pick) pick = turn % n;
      turn = *pick + 1;
      auto sit = by_key.find(list[*pick].first);
      if (sit == by_key.end()) continue;
      const sub_entry& e = *list[*pick].second;
      delivery d{m, copy_qos(*m, e, at_granted), copy_retain(*m, e), {}};
      if (e.sub_id) d.sub_ids.push_back(e.sub_id);
      ++matched;
      enqueue(*sit->second, std::move(d));
    }
  }
  return matched;
}

void core::impl::enqueue(session& s, delivery d) {
  // Bounded queue; the drop policy of config::max_queued_messages: the oldest QoS 0
  // message goes first, then the oldest message of any QoS.
  auto& queue = s.flow().queue;
  if (cfg.max_queued_messages && queue.size() >= cfg.max_queued_messages) {
    auto q0 = std::find_if(queue.begin(), queue.end(), [](const delivery& x) { return x.qos == qos::at_most_once; });
    queue.erase(q0 != queue.end() ? q0 : queue.begin());
  }
  // MQTT-3.1.2-5 (3.1.1): an offline session stores QoS 1 and 2 messages (and QoS 0 ones too).
  queue.push_back(std::move(d));
  if (s.conn) pump(s);
}

void core::impl::pump(session& s) {
  connection* c = s.conn ? find_conn(s.conn) : nullptr;
  if (!c || c->state != phase::connected || !s.has_flow()) return;
  session_flow& f = s.flow();
  const bool reorder = cfg.has(fault::reorder);  // fault: newest first, breaks MQTT-4.6.0-6
  while (!f.queue.empty()) {
    delivery& next = reorder ? f.queue.back() : f.queue.front();
    // MQTT-4.9.0-2, MQTT-3.3.4-9: no more QoS>0 PUBLISHes than the client's Receive
    // Maximum; MQTT-4.9.0-3 / MQTT-3.3.4-10: other packets are never held back.
    // MQTT-4.9.0-1: the send quota starts at the client's Receive Maximum.
    if (next.qos != qos::at_most_once && f.out.size() >= c->receive_maximum) break;
    delivery d = std::move(next);
    reorder ? f.queue.pop_back() : f.queue.pop_front();
    // MQTT-3.3.2-5: a message that expired before onward delivery started is dropped.
    if (expired(*d.msg)) continue;
    if (d.qos == qos::at_most_once) {
      send_publish(*c, d, 0, false);
      continue;
    }
    // MQTT-2.3.1-4 (3.1.1), MQTT-2.2.1-4 (5.0), MQTT-4.3.2-1, MQTT-4.3.3-1: a new unused id.
    const std::uint16_t id = new_packet_id(s);
    if (!send_publish(*c, d, id, false)) continue;  // MQTT-3.1.2-25: dropped as if delivered
    f.out.push_back({id, std::move(d), false});
    f.out_by_id[id] = std::prev(f.out.end());
  }
}

void core::impl::resume(session& s) {
  connection* c = s.conn ? find_conn(s.conn) : nullptr;
  if (!c || !s.has_flow()) return;
  session_flow& f = s.flow();
  // MQTT-4.4.0-1: resend unacknowledged PUBLISH (DUP 1, MQTT-3.3.1-1) and PUBREL packets
  // with their original ids, in the order first sent (MQTT-4.6.0-1).
  for (auto it = f.out.begin(); it != f.out.end();) {
    auto cur = it++;
    if (cur->pubrel_sent) {
      pubrel rel;
      rel.packet_id = cur->packet_id;
      send(*c, rel);
      continue;
    }
    const bool dup = !cfg.has(fault::no_dup_on_redelivery);  // fault: breaks MQTT-3.3.1-1
    if (!send_publish(*c, cur->d, cur->packet_id, dup)) {
      f.out_by_id.erase(cur->packet_id);
      f.out.erase(cur);
    }
  }
}

}  // namespace mqtt::broker

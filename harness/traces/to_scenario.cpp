#include "to_scenario.hpp"

#include <algorithm>
#include <set>

#include "scenario_steps.hpp"
#include "yaml_text.hpp"

namespace mqttspec::traces {

namespace {

double seconds(tcp_timestamp t) { return std::chrono::duration<double>(t).count(); }

// A client's name in the scenario: its client id where that is a plain word, unique.
std::string client_name(std::string_view id, std::size_t number, std::set<std::string>& used) {
  std::string name;
  for (const char c : id)
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  if (name.size() > 40) name.resize(40);
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) name = "c" + std::to_string(number) + name;
  if (name == "link" || name == "wait") name += "_";
  std::string unique = name;
  for (int n = 2; !used.insert(unique).second; ++n) unique = name + "-" + std::to_string(n);
  return unique;
}

}  // namespace

scenario_text to_scenario(const trace_file& t, const scenario_options& o) {
  scenario_text out;
  for (const auto& x : t.others) out.skipped.push_back({x.client, x.reason + " (frame " + std::to_string(x.frame) + ")"});
  std::set<std::string> used;
  std::string clients;
  std::vector<detail::event> events;
  bool dollar = false;
  for (std::size_t i = 0; i < t.connections.size(); ++i) {
    const auto& c = t.connections[i];
    if (c.client_gap) {
      out.skipped.push_back({c.client, "a gap in the client's stream: what it sent is not all in the capture"});
      continue;
    }
    if (c.packets.empty() ||
        (!c.midstream && mqtt::type_of(c.packets.front().packet) != mqtt::packet_type::connect)) {
      out.skipped.push_back({c.client, c.packets.empty() ? "no whole packet" : "its first packet is not a CONNECT"});
      continue;
    }
    const auto v = c.packets.front().version;
    if (const auto want = o.version ? o.version : out.version; want && *want != v) {
      const std::string name = v == mqtt::protocol_version::v5 ? "5" : "3.1.1";
      out.skipped.push_back({c.client, "MQTT " + name + ": a scenario has one version (replay it with --protocol " +
                                           name + ")"});
      continue;
    }
    out.version = v;
    const std::string name = client_name(c.client_id, i + 1, used);
    auto steps = detail::steps_of(c, name, i + 1);
    clients += steps.yaml;
    dollar |= steps.dollar_topics;
    out.connections.push_back({i, name, c.client, steps.events.size()});
    events.insert(events.end(), std::make_move_iterator(steps.events.begin()),
                  std::make_move_iterator(steps.events.end()));
  }
  if (out.connections.empty()) return out;
  // What happened before the capture began happens at its start.
  tcp_timestamp begin = tcp_timestamp::max();
  for (const auto& e : events)
    if (!e.at_start) begin = std::min(begin, e.at);
  for (auto& e : events)
    if (e.at_start) e.at = e.done = begin == tcp_timestamp::max() ? tcp_timestamp{} : begin;

  std::stable_sort(events.begin(), events.end(), [](const detail::event& a, const detail::event& b) {
    return a.frame != b.frame ? a.frame < b.frame : a.order < b.order;
  });
  // A delivery whose PUBLISH the replay does not send (it came before the capture
  // began, or on a connection not replayed: a retained message, a reading in flight)
  // cannot be expected of the new broker.
  std::set<std::string> sent;
  std::vector<bool> unexpected(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i].publishes.empty()) sent.insert(events[i].publishes);
    unexpected[i] = !events[i].delivers.empty() && !sent.count(events[i].delivers);
  }
  std::string steps;
  tcp_timestamp last = events.front().at;
  const detail::event* previous = nullptr;
  double floors = 0;
  const tcp_timestamp first = last;
  const auto client = [](const detail::event& x) { return x.head.substr(0, x.head.find(':')); };
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (unexpected[i]) {
      steps += "  # " + e.head + ": not expected, its PUBLISH is not in what replays (" + e.frames + ")\n";
      continue;
    }
    const double gap = std::max(0.0, seconds(e.at - last));
    if (!e.expect && o.speed > 0 && gap / o.speed >= 0.001) steps += "  - wait: " + number(gap / o.speed) + "\n";
    // As fast as possible, but a step of another client that waited for nothing (a
    // DISCONNECT, a QoS 0 PUBLISH) must reach the broker first: its connection is another.
    if (!e.expect && o.speed == 0 && previous && !previous->expect && previous->done == previous->at &&
        client(*previous) != client(e) && gap >= 0.001)
      steps += "  - wait: " + number(std::min(gap, 0.01)) + "\n";
    previous = &e;
    steps += "  - " + e.head + "    # " + e.frames + "\n";
    for (const auto& a : e.args) steps += "    " + a + "\n";
    if (e.expect) {
      // Three times the recorded gap, and 5 s for a broker busier than the recorded one:
      // also time enough for the checkers to judge what a failed step left owed
      // (checks::options::response_grace).
      const double window = std::max(e.window_floor, 3 * gap + 5);
      floors += e.window_floor;
      steps += "    within_s: " + number(window) + "\n";
    }
    last = std::max(last, e.done);
  }
  const double recorded = seconds(last - first);
  const double timeout = std::max(recorded / std::max(o.speed, 1.0), recorded) + floors + 60;

  std::string y;
  y += "# " + o.source + " as a scenario, written by mqttspec replay --to-yaml: one reference client\n"
       "# per MQTT connection, steps in the capture's order, the broker's answers as\n"
       "# expectations. The comments name the frames each step came from.\n";
  y += "id: " + quoted(o.id) + "\n";
  y += "title: " + quoted("The broker answers as in the capture " + o.source) + "\n";
  y += std::string("protocol: [") + (*out.version == mqtt::protocol_version::v5 ? "5" : "3.1.1") + "]\n";
  // What every replay's steps check: CONNACK first, PUBLISH answered, SUBSCRIBE answered.
  y += "spec: [MQTT-3.2.0-1, MQTT-3.3.4-1, MQTT-3.8.4-1]\ntags: [replay]\n";
  y += "timeout_s: " + number(timeout) + "\n";
  if (dollar) y += "namespace: false   # a topic starts with '$': it must keep its name\n";
  y += "clients:\n" + clients + "steps:\n" + steps;
  out.yaml = std::move(y);
  return out;
}

}  // namespace mqttspec::traces

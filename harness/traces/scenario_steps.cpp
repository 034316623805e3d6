#include "scenario_steps.hpp"

#include <map>
#include <set>

#include "reference/codec/codec.hpp"
#include "reference/codec/packets/fields.hpp"
#include "reference/codec/reason_code.hpp"
#include "yaml_text.hpp"

namespace mqttspec::traces::detail {

namespace {

using mqtt::packet_type;
constexpr std::size_t none = static_cast<std::size_t>(-1);

std::string text_or_hex(const char* key, std::string_view bytes) {
  return yaml_text_ok(bytes) ? std::string(key) + ": " + quoted(bytes)
                             : std::string(key) + "_hex: " + quoted(mqtt::to_hex(bytes));
}

// `["k", "v"], ["k2", "v2"]`: the User Properties a scenario can write, in order.
std::string user_properties_text(const mqtt::properties& ps) {
  std::string out;
  for (const auto& p : ps)
    if (p.id == mqtt::property_id::user_property && yaml_text_ok(p.text) && yaml_text_ok(p.value))
      out += std::string(out.empty() ? "" : ", ") + "[" + quoted(p.text) + ", " + quoted(p.value) + "]";
  return out;
}

// The topic of a PUBLISH, through the aliases of its direction (which it may set).
std::string resolved_topic(const mqtt::publish& p, std::map<std::uint32_t, std::string>& aliases) {
  const auto alias = mqtt::number_of(p.props, mqtt::property_id::topic_alias);
  if (!alias) return std::string(p.topic);
  if (p.topic.empty()) return aliases[*alias];
  return aliases[*alias] = std::string(p.topic);
}

// `{ name: value, user_property: [["k", "v"]] }`, "" when none is left. Values a
// scenario cannot write as text are left out; so is a repeated property.
std::string properties_text(const mqtt::properties& ps, std::initializer_list<mqtt::property_id> skip = {}) {
  std::string named;
  std::set<mqtt::property_id> seen(skip);
  seen.insert(mqtt::property_id::user_property);  // all of them, below
  for (const auto& p : ps) {
    if (!seen.insert(p.id).second) continue;
    const auto& info = mqtt::info(p.id);
    std::string value;
    if (info.type == mqtt::property_type::utf8 || info.type == mqtt::property_type::binary) {
      if (!yaml_text_ok(p.text)) continue;
      value = quoted(p.text);
    } else {
      value = std::to_string(p.number);
    }
    named += std::string(named.empty() ? "" : ", ") + std::string(info.name) + ": " + value;
  }
  if (const auto users = user_properties_text(ps); !users.empty())
    named += std::string(named.empty() ? "" : ", ") + "user_property: [" + users + "]";
  return named.empty() ? "" : "{ " + named + " }";
}

std::string message_key(std::string_view topic, std::string_view payload) {
  return std::string(topic) + '\0' + std::string(payload);
}

class builder {
 public:
  builder(const connection_trace& c, std::string name, std::size_t number)
      : c_(c), ps_(c.packets), name_(std::move(name)), number_(number) {}

  client_steps run() {
    if (c_.midstream) joined_late();
    for (std::size_t i = 0; i < ps_.size(); ++i) (ps_[i].from_broker ? from_broker(i) : from_client(i));
    for (const auto& r : c_.client_raw) {
      auto& e = out_.events.emplace_back();
      e.frame = r.frame;
      e.order = 2;  // after what decoded in the same frame
      e.at = e.done = r.at;
      e.head = name_ + ": send " + quoted(mqtt::to_hex(r.bytes));
      e.frames = "frame " + std::to_string(r.frame) + " (does not decode: sent as it was)";
    }
    ending();
    out_.yaml = "  " + name_ + ":    # connection " + std::to_string(number_) + ": " + c_.client + "\n" + client_;
    return std::move(out_);
  }

 private:
  template <class T>
  const T* as(std::size_t i) const { return std::get_if<T>(&ps_[i].packet); }

  event& add(std::size_t i, std::string verb) {
    auto& e = out_.events.emplace_back();
    e.frame = ps_[i].frame;
    e.at = e.done = ps_[i].at;
    e.head = name_ + ": " + std::move(verb);
    e.frames = "frame " + std::to_string(ps_[i].frame);
    return e;
  }

  // The broker's answer to the client's packet at i: the first `type` after it with
  // `id` (any id for CONNACK); none if the capture has none.
  std::size_t answer(std::size_t i, packet_type type, std::uint16_t id) const {
    for (std::size_t j = i + 1; j < ps_.size(); ++j) {
      if (!ps_[j].from_broker || mqtt::type_of(ps_[j].packet) != type) continue;
      if (type == packet_type::connack) return j;
      const std::uint16_t got = std::visit(
          [](const auto& p) -> std::uint16_t {
            if constexpr (requires { p.packet_id; }) return p.packet_id;
            else return 0;
          },
          ps_[j].packet);
      if (got == id) return j;
    }
    return none;
  }

  // The step waits for the answer at j as the client did: unless the client went on
  // with another request before it came.
  bool waited(std::size_t i, std::size_t j) const {
    if (j == none) return false;
    for (std::size_t k = i + 1; k < j; ++k)
      if (!ps_[k].from_broker) switch (mqtt::type_of(ps_[k].packet)) {
          case packet_type::connect: case packet_type::publish: case packet_type::subscribe:
          case packet_type::unsubscribe: case packet_type::disconnect: return false;
          default: break;
        }
    return true;
  }

  // The step of the client's packet at i, answered at j (or never): it names both
  // frames, and waits for the answer as the client did.
  void answered(event& e, std::size_t i, std::size_t j) {
    if (j != none) e.frames = "frames " + std::to_string(e.frame) + ", " + std::to_string(ps_[j].frame);
    if (waited(i, j)) e.done = ps_[j].at;
    else e.args.push_back("wait: false");
  }

  void dollar(std::string_view topic) {
    if (topic.starts_with("$") && !topic.starts_with("$share/")) out_.dollar_topics = true;
  }

  void raw(std::size_t i, const char* why) {
    auto& e = add(i, "send " + quoted(mqtt::to_hex(c_.bytes[i])));
    e.frames += std::string(" (") + why + ")";
  }

  void from_client(std::size_t i) {
    last_client_ = i;
    const auto type = mqtt::type_of(ps_[i].packet);
    if (type == packet_type::connect && !connected_) return connect(i);
    switch (type) {
      case packet_type::publish: return publish(i);
      case packet_type::subscribe: return subscribe(i);
      case packet_type::unsubscribe: return unsubscribe(i);
      case packet_type::disconnect: {
        const auto& d = *as<mqtt::disconnect>(i);
        disconnected_ = true;
        auto& e = add(i, "disconnect");
        if (d.code != mqtt::reason_code::success) e.args.push_back("rc: " + mqtt::name(d.code));
        if (auto p = properties_text(d.props); !p.empty()) e.args.push_back("properties: " + p);
        return;
      }
      // The reference client acknowledges and pings on its own, with the new broker's ids.
      case packet_type::puback: case packet_type::pubrec: case packet_type::pubrel: case packet_type::pubcomp:
      case packet_type::pingreq: return;
      default: return raw(i, "sent as it was");
    }
  }

  // The connection began before the capture: a CONNECT of our own, and the
  // subscriptions the deliveries before its first SUBSCRIBE came from (their topics,
  // at the highest QoS delivered).
  void joined_late() {
    connected_ = true;
    keepalive_ = 60;
    client_ += "    client_id: \"\"    # joined late: its CONNECT is not in the capture, the broker assigns an id\n"
               "    keepalive_s: 60\n";
    const auto& first = ps_.front();
    const auto synthesised = [&](std::string verb, int order) -> event& {
      auto& e = out_.events.emplace_back();
      e.frame = 0;
      e.order = order;
      e.at_start = true;
      e.head = name_ + ": " + std::move(verb);
      e.frames = "synthesised: the connection began before the capture, at frame " + std::to_string(first.frame);
      return e;
    };
    synthesised("connect", -2);
    std::map<std::string, int> delivered;
    for (const auto& p : ps_) {
      if (!p.from_broker && mqtt::type_of(p.packet) == packet_type::subscribe) break;
      if (const auto* x = std::get_if<mqtt::publish>(&p.packet); x && p.from_broker && !x->topic.empty() &&
                                                                  yaml_text_ok(x->topic)) {
        auto& q = delivered[std::string(x->topic)];
        q = std::max(q, static_cast<int>(x->qos));
      }
    }
    if (delivered.empty()) return;
    std::string filters;
    for (const auto& [topic, q] : delivered) {
      dollar(topic);
      filters += std::string(filters.empty() ? "" : ", ") + "{ filter: " + quoted(topic) + ", qos: " + std::to_string(q) + " }";
    }
    synthesised("subscribe", -1).args.push_back("filters: [" + filters + "]");
  }

  void connect(std::size_t i) {
    connected_ = true;
    const auto& c = *as<mqtt::connect>(i);
    keepalive_ = c.keep_alive;
    std::string& y = client_;
    y += "    client_id: " + (yaml_text_ok(c.client_id) ? quoted(c.client_id) : quoted("")) + "\n";
    if (!c.clean_start) y += "    clean_start: false\n";
    y += "    keepalive_s: " + std::to_string(c.keep_alive) + "\n";
    if (c.will) {
      y += "    will: { topic: " + quoted(yaml_text_ok(c.will->topic) ? c.will->topic : "") + ", " +
           text_or_hex("payload", c.will->payload) + ", qos: " + std::to_string(int(c.will->qos)) +
           (c.will->retain ? ", retain: true" : "");
      if (auto p = properties_text(c.will->props); !p.empty()) y += ", properties: " + p;
      y += " }\n";
      dollar(c.will->topic);
    }
    if (c.user_name && yaml_text_ok(*c.user_name)) y += "    user: " + quoted(*c.user_name) + "\n";
    if (c.password && yaml_text_ok(*c.password)) y += "    password: " + quoted(*c.password) + "\n";
    if (auto p = properties_text(c.props); !p.empty()) y += "    properties: " + p + "\n";

    auto& e = add(i, "connect");
    if (c.will) e.publishes = message_key(c.will->topic, c.will->payload);
    const auto j = answer(i, packet_type::connack, 0);
    answered(e, i, j);  // never answered: the broker's close follows as an expect close
    if (j == none) return;
    const auto& a = *as<mqtt::connack>(j);
    if (auto ka = mqtt::number_of(a.props, mqtt::property_id::server_keep_alive)) keepalive_ = *ka;
    // A 3.1.1 CONNACK's return code is written as its number (docs/scenarios.md).
    const std::string rc = ps_[j].version == mqtt::protocol_version::v5
                               ? mqtt::name(a.code)
                               : mqtt::hex_byte(static_cast<std::uint8_t>(a.code));
    e.args.push_back("expect: { rc: " + rc + ", session_present: " + (a.session_present ? "1" : "0") + " }");
  }

  void publish(std::size_t i) {
    const auto& p = *as<mqtt::publish>(i);
    if (p.dup && p.qos != mqtt::qos::at_most_once && pending_.count(p.packet_id)) return;  // a resend
    const std::string topic = resolved_topic(p, client_aliases_);
    if (!yaml_text_ok(topic)) return raw(i, "a topic a scenario cannot write");
    dollar(topic);
    auto& e = add(i, "publish");
    e.publishes = message_key(topic, p.payload);
    e.args.push_back("topic: " + quoted(topic));
    e.args.push_back(text_or_hex("payload", p.payload));
    if (p.qos != mqtt::qos::at_most_once) e.args.push_back("qos: " + std::to_string(int(p.qos)));
    if (p.retain) e.args.push_back("retain: true");
    if (auto props = properties_text(p.props, {mqtt::property_id::topic_alias}); !props.empty())
      e.args.push_back("properties: " + props);
    if (p.qos == mqtt::qos::at_most_once) return;
    pending_.insert(p.packet_id);
    answered(e, i, answer(i, p.qos == mqtt::qos::at_least_once ? packet_type::puback : packet_type::pubcomp,
                          p.packet_id));
  }

  void subscribe(std::size_t i) {
    const auto& s = *as<mqtt::subscribe>(i);
    std::string filters;
    for (const auto& t : s.topics) {
      if (!yaml_text_ok(t.filter)) return raw(i, "a filter a scenario cannot write");
      dollar(t.filter);
      filters += std::string(filters.empty() ? "" : ", ") + "{ filter: " + quoted(t.filter) +
                 ", qos: " + std::to_string(int(t.max_qos));
      if (t.no_local) filters += ", no_local: true";
      if (t.retain_as_published) filters += ", retain_as_published: true";
      if (t.retain_handling) filters += ", retain_handling: " + std::to_string(t.retain_handling);
      filters += " }";
    }
    auto& e = add(i, "subscribe");
    e.args.push_back("filters: [" + filters + "]");
    if (auto props = properties_text(s.props); !props.empty()) e.args.push_back("properties: " + props);
    const auto j = answer(i, packet_type::suback, s.packet_id);
    if (j != none) e.args.push_back("expect: " + codes(as<mqtt::suback>(j)->codes));
    answered(e, i, j);
  }

  void unsubscribe(std::size_t i) {
    const auto& u = *as<mqtt::unsubscribe>(i);
    std::string filters;
    for (const auto f : u.filters) {
      if (!yaml_text_ok(f)) return raw(i, "a filter a scenario cannot write");
      filters += std::string(filters.empty() ? "" : ", ") + quoted(f);
    }
    auto& e = add(i, "unsubscribe");
    e.args.push_back("filters: [" + filters + "]");
    const auto j = answer(i, packet_type::unsuback, u.packet_id);
    if (j != none && ps_[j].version == mqtt::protocol_version::v5)
      e.args.push_back("expect: " + codes(as<mqtt::unsuback>(j)->codes));
    answered(e, i, j);
  }

  static std::string codes(const std::vector<mqtt::reason_code>& cs) {
    std::string out;
    for (const auto c : cs) out += std::string(out.empty() ? "" : ", ") + mqtt::name(c);
    return "[" + out + "]";
  }

  void from_broker(std::size_t i) {
    if (const auto* p = as<mqtt::publish>(i)) {
      const std::string topic = resolved_topic(*p, broker_aliases_);
      auto& e = add(i, "expect publish");
      e.expect = true;
      e.delivers = message_key(topic, p->payload);
      e.args.push_back(yaml_text_ok(topic) ? "topic: " + quoted(topic) : "topic: any");
      e.args.push_back(text_or_hex("payload", p->payload));
      e.args.push_back("qos: " + std::to_string(int(p->qos)));
      e.args.push_back(std::string("retain: ") + (p->retain ? "true" : "false"));
      if (const auto users = user_properties_text(p->props); !users.empty()) e.args.push_back("properties: { user_property: [" + users + "] }");
    } else if (mqtt::type_of(ps_[i].packet) == packet_type::pubrel) {
      // The client's PUBCOMP answers it; a step after it (a DISCONNECT) must not overtake it.
      add(i, "expect pubrel").expect = true;
    } else if (const auto* d = as<mqtt::disconnect>(i)) {
      auto& e = add(i, "expect disconnect");
      e.expect = true;
      if (ps_[i].version == mqtt::protocol_version::v5) e.args.push_back("rc: " + mqtt::name(d->code));
    } else if (mqtt::type_of(ps_[i].packet) == packet_type::puback ||
               mqtt::type_of(ps_[i].packet) == packet_type::pubcomp) {
      std::visit([&](const auto& r) {
        if constexpr (requires { r.packet_id; }) pending_.erase(r.packet_id);
      }, ps_[i].packet);
    }
  }

  // How the connection ended, if the capture saw it end.
  void ending() {
    if (!c_.ended) return;
    const auto& end = *c_.ended;
    auto& e = out_.events.emplace_back();
    e.frame = end.frame;
    e.at = e.done = end.at;
    e.frames = "frame " + std::to_string(end.frame);
    if (end.by_client) {
      if (end.reset) e.head = name_ + ": reset";
      else if (!disconnected_) e.head = name_ + ": close";
      else out_.events.pop_back();  // DISCONNECT closes the connection itself
      return;
    }
    if (disconnected_) return out_.events.pop_back();
    e.head = name_ + ": expect close";
    e.expect = true;
    // Silent for a keep-alive and more: the broker's keep-alive closed it. The client
    // falls silent again (its PINGREQs go nowhere) at the same point.
    const auto silent = last_client_ == none ? tcp_timestamp{} : end.at - ps_[last_client_].at;
    if (keepalive_ && last_client_ != none && silent >= std::chrono::seconds(keepalive_)) {
      e.window_floor = 1.5 * std::chrono::duration<double>(silent).count() + 2;
      auto& mute = out_.events.emplace_back();
      mute.frame = ps_[last_client_].frame;
      mute.order = 1;
      mute.at = mute.done = ps_[last_client_].at;
      mute.head = "link: " + name_;
      mute.args = {"blackhole: true", "direction: up"};
      mute.frames = "the client falls silent after frame " + std::to_string(mute.frame);
    }
  }

  const connection_trace& c_;
  const std::vector<packet_record>& ps_;
  std::string name_;
  std::size_t number_;
  client_steps out_;
  std::string client_;
  bool connected_ = false, disconnected_ = false;
  std::uint16_t keepalive_ = 0;
  std::size_t last_client_ = none;
  std::set<std::uint16_t> pending_;  // QoS 1/2 publishes not yet acknowledged
  std::map<std::uint32_t, std::string> client_aliases_, broker_aliases_;
};

}  // namespace

client_steps steps_of(const connection_trace& c, const std::string& name, std::size_t number) {
  return builder(c, name, number).run();
}

}  // namespace mqttspec::traces::detail

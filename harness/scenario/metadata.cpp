#include "metadata.hpp"

#include <algorithm>

#include "harness/scenario/keys.hpp"
#include "steps.hpp"

namespace mqttspec::scenario::detail {

namespace {

std::optional<mqtt::protocol_version> version_of(std::string_view text) {
  if (text == "3.1.1") return mqtt::protocol_version::v311;
  if (text == "5" || text == "5.0") return mqtt::protocol_version::v5;
  return std::nullopt;
}

std::optional<mqtt::protocol_version> read_version(reader& r, const YAML::Node& n, const position& at) {
  auto t = r.text(n, at, "a protocol version");
  if (!t) return std::nullopt;
  auto v = version_of(*t);
  if (!v) r.report(at, "unknown protocol version '" + *t + "' (expected 3.1.1 or 5)");
  return v;
}

bool read_protocols(reader& r, const entry& e, std::vector<mqtt::protocol_version>& out) {
  if (e.value.IsScalar()) {
    auto v = read_version(r, e.value, e.value_at);
    if (v) out.push_back(*v);
    return v.has_value();
  }
  if (!e.value.IsSequence() || e.value.size() == 0) {
    r.report(e.value_at, "expected a list of protocol versions ([3.1.1], [5] or [3.1.1, 5]), got " + describe(e.value));
    return false;
  }
  bool ok = true;
  for (const auto& item : e.value) {
    const position at = r.at(item, e.value_at);
    auto v = read_version(r, item, at);
    if (!v) ok = false;
    else if (std::find(out.begin(), out.end(), *v) != out.end()) r.report(at, "protocol version listed twice"), ok = false;
    else out.push_back(*v);
  }
  return ok;
}

// A list of ids, each of which must exist in every version of `versions`.
bool read_spec_ids(reader& r, const spec::spec_table& table, const YAML::Node& n, const position& at,
                   const std::vector<mqtt::protocol_version>& versions, std::vector<std::string>& out) {
  if (!n.IsSequence() || n.size() == 0) {
    r.report(at, "expected a list of spec ids ([MQTT-3.1.2-24, ...]), got " + describe(n));
    return false;
  }
  bool ok = true;
  for (const auto& item : n) {
    const position item_at = r.at(item, at);
    auto id = r.text(item, item_at, "a spec id");
    if (!id) {
      ok = false;
      continue;
    }
    for (auto v : versions) {
      if (table.exists(v, *id)) continue;
      const auto ids = table.ids(v);
      const std::vector<std::string_view> candidates(ids.begin(), ids.end());
      std::string hint = did_you_mean(*id, candidates);
      const auto other = v == mqtt::protocol_version::v5 ? mqtt::protocol_version::v311 : mqtt::protocol_version::v5;
      if (table.exists(other, *id))
        hint = " (it is an MQTT " + std::string(mqtt::to_string(other)) + " id: give the ids per version)";
      r.report(item_at, "unknown spec id '" + *id + "' for MQTT " + std::string(mqtt::to_string(v)) + hint);
      ok = false;
    }
    out.push_back(*id);
  }
  return ok;
}

bool read_spec(reader& r, const spec::spec_table& table, const entry& e, scenario& s) {
  if (e.value.IsSequence()) {
    std::vector<std::string> ids;
    if (!read_spec_ids(r, table, e.value, e.value_at, s.protocols, ids)) return false;
    for (auto v : s.protocols) s.spec[v] = ids;
    return true;
  }
  auto per_version = r.any_map(e.value, e.value_at);
  if (!per_version) return false;
  if (per_version->empty()) {
    r.report(e.value_at, "expected spec ids: a list, or a map 3.1.1: [...], 5: [...]");
    return false;
  }
  bool ok = true;
  for (const auto& pv : *per_version) {
    auto v = version_of(pv.key);
    if (!v) {
      r.report(pv.key_at, "unknown protocol version '" + pv.key + "' (expected 3.1.1 or 5)");
      ok = false;
    } else if (std::find(s.protocols.begin(), s.protocols.end(), *v) == s.protocols.end()) {
      r.report(pv.key_at, "spec ids for MQTT " + pv.key + ", which protocol does not list");
      ok = false;
    } else if (!read_spec_ids(r, table, pv.value, pv.value_at, {*v}, s.spec[*v])) {
      ok = false;
    }
  }
  for (auto v : s.protocols)
    if (ok && !s.spec.count(v))
      r.report(e.value_at, "no spec ids for MQTT " + std::string(mqtt::to_string(v))), ok = false;
  return ok;
}

template <typename T, typename F>
bool set_from(std::optional<T> v, F&& set) {
  if (v) set(*v);
  return v.has_value();
}

bool read_will(reader& r, const entry& e, will_spec& w) {
  auto fields = r.map(e.value, e.value_at, "a will", keys_of("will"));
  if (!fields) return false;
  bool ok = true;
  const bool has_topic = std::any_of(fields->begin(), fields->end(), [](const entry& f) { return f.key == "topic"; });
  if (!has_topic) r.report(e.value_at, "missing key 'topic'"), ok = false;
  const bool both = std::count_if(fields->begin(), fields->end(), [](const entry& f) {
                      return f.key == "payload" || f.key == "payload_hex";
                    }) == 2;
  for (const auto& f : *fields) {
    if (f.key == "topic") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { w.topic = v; });
    else if (f.key == "payload") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { w.payload = v; });
    else if (f.key == "payload_hex" && both) r.report(f.key_at, "give payload or payload_hex, not both"), ok = false;
    else if (f.key == "payload_hex") {
      auto t = r.text(f.value, f.value_at);
      ok &= t && set_from(read_hex(r, f.value, f.value_at, *t, 0), [&](auto v) { w.payload = v; });
    } else if (f.key == "qos") ok &= set_from(r.integer(f.value, f.value_at, 0, 2), [&](auto v) { w.qos = std::uint8_t(v); });
    else if (f.key == "retain") ok &= set_from(r.boolean(f.value, f.value_at), [&](auto v) { w.retain = v; });
    else if (f.key == "properties") ok &= read_properties(r, f, w.properties, w.user_properties);
  }
  return ok;
}

bool read_client(reader& r, const entry& e, client_spec& c) {
  c.name = e.key;
  c.at = e.key_at;
  if (e.key == "link" || e.key == "wait") {
    r.report(e.key_at, "'" + e.key + "' is a step actor: name the client otherwise");
    return false;
  }
  auto fields = r.map(e.value, e.value_at, "a client", keys_of("client"));
  if (!fields) return false;
  bool ok = true;
  for (const auto& f : *fields) {
    if (f.key == "client_id") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { c.client_id = v; });
    else if (f.key == "clean_start") ok &= set_from(r.boolean(f.value, f.value_at), [&](auto v) { c.clean_start = v; });
    else if (f.key == "keepalive_s")
      ok &= set_from(r.integer(f.value, f.value_at, 0, 65535), [&](auto v) { c.keepalive_s = std::uint16_t(v); });
    else if (f.key == "will") ok &= read_will(r, f, c.will.emplace());
    else if (f.key == "user") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { c.user = v; });
    else if (f.key == "password") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { c.password = v; });
    else if (f.key == "properties") ok &= read_properties(r, f, c.properties, c.user_properties);
    else if (f.key == "raw") ok &= set_from(r.boolean(f.value, f.value_at), [&](auto v) { c.raw = v; });
    else if (f.key == "auto_ack") ok &= set_from(r.boolean(f.value, f.value_at), [&](auto v) { c.auto_ack = v; });
    else if (f.key == "link") ok &= set_from(read_link(r, f), [&](auto v) { c.link = v; });
  }
  return ok;
}

bool read_id(reader& r, const entry& e, scenario& s) {
  auto t = r.text(e.value, e.value_at, "an id");
  if (!t) return false;
  const bool digits_only = std::all_of(t->begin(), t->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (t->empty() || digits_only || t->find_first_of(" \t\n") != std::string::npos) {
    r.report(e.value_at, "expected an id like group/name, got '" + *t + "'");
    return false;
  }
  s.id = *t;
  s.at = e.value_at;
  return true;
}

}  // namespace

std::optional<scenario> read_scenario(reader& r, const YAML::Node& root, const spec::spec_table& table) {
  const position root_at = r.at(root);
  auto fields = r.map(root, root_at, "the scenario", keys_of("scenario"));
  if (!fields) return std::nullopt;
  bool ok = true;
  auto field = [&](std::string_view key) -> const entry* {
    for (const auto& f : *fields)
      if (f.key == key) return &f;
    return nullptr;
  };
  for (const char* required : {"id", "title", "protocol", "spec", "steps"})
    if (!field(required)) r.report(root_at, std::string("missing key '") + required + "'"), ok = false;

  scenario s;
  s.at = root_at;
  // Protocols before spec ids, clients before steps: the later ones refer to them.
  const entry* protocol = field("protocol");
  const bool protocols_ok = protocol && read_protocols(r, *protocol, s.protocols);
  ok &= protocols_ok || !protocol;
  bool clients_ok = true;
  for (const auto& f : *fields) {
    if (f.key == "id") ok &= read_id(r, f, s);
    else if (f.key == "title") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { s.title = v; });
    else if (f.key == "quote") ok &= set_from(r.text(f.value, f.value_at), [&](auto v) { s.quote = v; });
    else if (f.key == "spec" && protocols_ok) ok &= read_spec(r, table, f, s);
    else if (f.key == "tags") ok &= set_from(r.text_list(f.value, f.value_at), [&](auto v) { s.tags = v; });
    else if (f.key == "requires") {
      auto caps = r.text_list(f.value, f.value_at);
      ok &= caps.has_value();
      for (const auto& c : caps.value_or(std::vector<std::string>{})) {
        const auto& known = capabilities();
        if (std::find(known.begin(), known.end(), c) != known.end()) s.requires_.push_back(c);
        else r.report(f.value_at, "unknown capability '" + c + "'" + did_you_mean(c, known)), ok = false;
      }
    } else if (f.key == "timeout_s") ok &= set_from(r.number(f.value, f.value_at, 0.001, 86400), [&](auto v) { s.timeout_s = v; });
    else if (f.key == "namespace") ok &= set_from(r.boolean(f.value, f.value_at), [&](auto v) { s.namespaced = v; });
    else if (f.key == "samples")
      ok &= set_from(r.number(f.value, f.value_at, 1, 10), [&](auto v) { s.samples = static_cast<unsigned>(v); });
    else if (f.key == "stagger_s") ok &= set_from(r.number(f.value, f.value_at, 0, 60), [&](auto v) { s.stagger_s = v; });
    else if (f.key == "link") ok &= set_from(read_link(r, f), [&](auto v) { s.link = v; });
    else if (f.key == "clients") {
      auto clients = r.any_map(f.value, f.value_at);
      clients_ok = clients.has_value();
      for (const auto& c : clients.value_or(std::vector<entry>{})) clients_ok &= read_client(r, c, s.clients.emplace_back());
      ok &= clients_ok;
    }
  }
  // Steps name clients: with a broken client list every step would be an "undefined client".
  const entry* steps = clients_ok ? field("steps") : nullptr;
  if (steps) {
    if (!steps->value.IsSequence() || steps->value.size() == 0) {
      r.report(steps->value_at, "expected a list of steps, got " + describe(steps->value));
      ok = false;
    } else {
      for (const auto& item : steps->value) {
        auto st = read_step(r, item, r.at(item, steps->value_at), s.clients);
        if (st) s.steps.push_back(std::move(*st));
        else ok = false;
      }
    }
  }
  if (!ok) return std::nullopt;
  return s;
}

}  // namespace mqttspec::scenario::detail

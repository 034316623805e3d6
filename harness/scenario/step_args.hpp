// The arguments of each step kind, read into the model (docs/scenarios.md, "Steps").
// Internal to the loader: included by steps.cpp only.
#pragma once

#include <algorithm>
#include <sstream>

#include "harness/scenario/keys.hpp"
#include "values.hpp"

namespace mqttspec::scenario::detail {

inline std::vector<std::string> words_of(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

// The argument entries whose keys `context` knows; reports the others.
inline std::vector<entry> known_args(reader& r, const std::vector<entry>& args, std::string_view context,
                              const std::string& what) {
  const auto& known = keys_of(context);
  std::vector<entry> out;
  for (const auto& a : args) {
    if (std::find(known.begin(), known.end(), a.key) != known.end()) {
      out.push_back(a);
      continue;
    }
    std::string hint = did_you_mean(a.key, known);
    if (hint.empty()) hint = " (expected one of: " + join(known) + ")";
    r.report(a.key_at, "unknown key '" + a.key + "' in " + what + hint);
  }
  return out;
}

inline const entry* find(const std::vector<entry>& args, std::string_view key) {
  for (const auto& a : args)
    if (a.key == key) return &a;
  return nullptr;
}

// Reads an optional typed argument into `out`; false when present but bad.
template <typename T, typename F>
bool optional_arg(const std::vector<entry>& args, std::string_view key, T& out, F read) {
  const entry* a = find(args, key);
  if (!a) return true;
  auto v = read(*a);
  if (!v) return false;
  out = static_cast<T>(*v);
  return true;
}

struct step_reader {
  reader& r;
  const position& step_at;
  bool ok = true;

  void flag(bool good) { ok = ok && good; }
  void boolean(const std::vector<entry>& a, std::string_view k, bool& out) {
    flag(optional_arg(a, k, out, [&](const entry& e) { return r.boolean(e.value, e.value_at); }));
  }
  template <typename T>
  void integer(const std::vector<entry>& a, std::string_view k, T& out, std::int64_t lo, std::int64_t hi) {
    flag(optional_arg(a, k, out, [&](const entry& e) { return r.integer(e.value, e.value_at, lo, hi); }));
  }
  void text(const std::vector<entry>& a, std::string_view k, std::string& out) {
    flag(optional_arg(a, k, out, [&](const entry& e) { return r.text(e.value, e.value_at); }));
  }
  void codes(const std::vector<entry>& a, std::string_view k, std::optional<std::vector<std::string>>& out) {
    const entry* e = find(a, k);
    if (!e) return;
    auto list = r.text_list(e->value, e->value_at);
    if (!list) return flag(false);
    for (const auto& c : *list) flag(check_reason_code(r, c, e->value_at));
    out = *list;
  }
  void properties(const std::vector<entry>& a, std::map<std::string, std::string>& out, user_properties& users) {
    if (const entry* e = find(a, "properties")) flag(read_properties(r, *e, out, users));
  }
  // Hex from `hex:` or `payload_hex:`.
  std::optional<std::string> hex(const entry& e) {
    auto t = r.text(e.value, e.value_at);
    if (!t) return std::nullopt;
    return read_hex(r, e.value, e.value_at, *t, 0);
  }

  connect_step connect(const std::vector<entry>& a) {
    connect_step s;
    if (const entry* c = find(a, "clean_start")) {
      auto b = r.boolean(c->value, c->value_at);
      flag(b.has_value());
      s.clean_start = b;
    }
    boolean(a, "wait", s.wait);
    if (const entry* e = find(a, "expect")) {
      auto fields = r.map(e->value, e->value_at, "a CONNACK expectation", keys_of("connack_expect"));
      if (!fields) return flag(false), s;
      for (const auto& f : *fields) {
        if (f.key == "properties") {
          auto p = read_property_matches(r, f);
          flag(p.has_value());
          if (p) s.expect_properties = *p;
          continue;
        }
        auto m = read_matcher(r, f, f.key == "rc" ? value_kind::reason_code : value_kind::boolean);
        flag(m.has_value());
        if (m) s.expect[f.key] = *m;
      }
    }
    return s;
  }

  subscription_spec subscription(const std::vector<entry>& a) {
    subscription_spec s;
    text(a, "filter", s.filter);
    integer(a, "qos", s.qos, 0, 2);
    boolean(a, "no_local", s.no_local);
    boolean(a, "retain_as_published", s.retain_as_published);
    integer(a, "retain_handling", s.retain_handling, 0, 2);
    return s;
  }

  // `filter:` alone, or `filters:`; reports both or neither.
  const entry* filters(const std::vector<entry>& a) {
    const entry* one = find(a, "filter");
    const entry* many = find(a, "filters");
    if (one && many) r.report(many->key_at, "give filter or filters, not both");
    else if (!one && !many) r.report(step_at, "missing key 'filter'");
    else return many;
    flag(false);
    return nullptr;
  }

  subscribe_step subscribe(const std::vector<entry>& a) {
    subscribe_step s;
    if (const entry* many = filters(a)) {
      for (const char* k : {"qos", "no_local", "retain_as_published", "retain_handling"})
        if (const entry* e = find(a, k)) r.report(e->key_at, std::string("'") + k + "' goes inside each of filters"), flag(false);
      if (!many->value.IsSequence()) {
        r.report(many->value_at, "expected a list of subscriptions, got " + describe(many->value));
        flag(false);
      } else {
        for (const auto& item : many->value) {
          const position at = r.at(item, many->value_at);
          auto fields = r.map(item, at, "a subscription", keys_of("subscription"));
          if (!fields) {
            flag(false);
            continue;
          }
          if (!find(*fields, "filter")) r.report(at, "missing key 'filter'"), flag(false);
          s.topics.push_back(subscription(*fields));
        }
      }
    } else if (find(a, "filter")) {
      s.topics.push_back(subscription(a));
    }
    properties(a, s.properties, s.user_properties);
    codes(a, "expect", s.expect);
    flag(optional_arg(a, "id", s.id, [&](const entry& e) { return r.integer(e.value, e.value_at, 0, 65535); }));
    boolean(a, "wait", s.wait);
    return s;
  }

  unsubscribe_step unsubscribe(const std::vector<entry>& a) {
    unsubscribe_step s;
    if (const entry* many = filters(a)) {
      auto list = r.text_list(many->value, many->value_at);
      flag(list.has_value());
      if (list) s.filters = *list;
    } else if (const entry* one = find(a, "filter")) {
      auto t = r.text(one->value, one->value_at);
      flag(t.has_value());
      if (t) s.filters.push_back(*t);
    }
    codes(a, "expect", s.expect);
    flag(optional_arg(a, "id", s.id, [&](const entry& e) { return r.integer(e.value, e.value_at, 0, 65535); }));
    boolean(a, "wait", s.wait);
    return s;
  }

  publish_step publish(const std::vector<entry>& a) {
    publish_step s;
    if (!find(a, "topic")) r.report(step_at, "missing key 'topic'"), flag(false);
    text(a, "topic", s.topic);
    const entry* hex_payload = find(a, "payload_hex");
    if (hex_payload && find(a, "payload")) r.report(hex_payload->key_at, "give payload or payload_hex, not both"), flag(false);
    else if (hex_payload) flag(optional_arg(a, "payload_hex", s.payload, [&](const entry& e) { return hex(e); }));
    else text(a, "payload", s.payload);
    integer(a, "qos", s.qos, 0, 2);
    boolean(a, "retain", s.retain);
    boolean(a, "dup", s.dup);
    flag(optional_arg(a, "id", s.id, [&](const entry& e) { return r.integer(e.value, e.value_at, 0, 65535); }));
    properties(a, s.properties, s.user_properties);
    boolean(a, "wait", s.wait);
    return s;
  }

  disconnect_step disconnect(const std::vector<entry>& a) {
    disconnect_step s;
    if (const entry* e = find(a, "rc")) {
      auto t = r.text(e->value, e->value_at);
      if (t && check_reason_code(r, *t, e->value_at)) s.rc = *t;
      else flag(false);
    }
    properties(a, s.properties, s.user_properties);
    return s;
  }

  expect_packet_step expect_packet(const std::string& type, const std::vector<entry>& a) {
    expect_packet_step s;
    s.type = type;
    const entry* hex_payload = find(a, "payload_hex");
    if (hex_payload && find(a, "payload")) r.report(hex_payload->key_at, "give payload or payload_hex, not both"), flag(false);
    for (const auto& f : a) {
      if (f.key == "within_s" || f.key == "late_s") continue;
      if (f.key == "properties") {
        auto p = read_property_matches(r, f);
        flag(p.has_value());
        if (p) s.properties = *p;
        continue;
      }
      if (f.key == "payload_hex") {
        auto bytes = hex(f);
        flag(bytes.has_value());
        if (bytes) s.fields["payload"] = matcher{matcher::kind::exact, {*bytes}, f.value_at};
        continue;
      }
      const value_kind kind = f.key == "qos"                                                 ? value_kind::qos
                              : f.key == "id"                                                ? value_kind::packet_id
                              : f.key == "rc"                                                ? value_kind::reason_code
                              : f.key == "codes"                                             ? value_kind::codes
                              : f.key == "retain" || f.key == "dup" || f.key == "session_present" ? value_kind::boolean
                                                                                             : value_kind::text;
      auto m = read_matcher(r, f, kind);
      flag(m.has_value());
      if (m) s.fields[f.key] = *m;
    }
    return s;
  }

  // "disconnect malformed_packet", "connack 0x84", "close".
  std::vector<std::string> outcomes(const std::vector<entry>& a, std::string_view key) {
    std::vector<std::string> out;
    const entry* e = find(a, key);
    if (!e) return out;
    if (!e->value.IsSequence()) {
      r.report(e->value_at, "expected a list of outcomes, got " + describe(e->value));
      return flag(false), out;
    }
    for (const auto& item : e->value) {
      const position at = r.at(item, e->value_at);
      auto t = r.text(item, at, "an outcome");
      if (!t) {
        flag(false);
        continue;
      }
      const auto w = words_of(*t);
      const auto& types = expectable_types();
      if (w.empty() || w.size() > 2) {
        r.report(at, "expected an outcome like 'disconnect protocol_error', got '" + *t + "'");
        flag(false);
      } else if (w[0] != "close" && std::find(types.begin(), types.end(), w[0]) == types.end()) {
        r.report(at, "unknown packet type '" + w[0] + "'" + did_you_mean(w[0], types));
        flag(false);
      } else if (w.size() == 2 && !check_reason_code(r, w[1], at)) {
        flag(false);
      } else {
        out.push_back(w.size() == 2 ? w[0] + " " + w[1] : w[0]);
      }
    }
    return out;
  }

  link_step link(const std::vector<entry>& a) {
    link_step s;
    std::vector<entry> settings;
    std::optional<netem::direction> dir;
    bool blackhole = false;
    for (const auto& e : a) {
      if (e.key == "within_s") continue;
      if (e.key == "blackhole") boolean(a, "blackhole", blackhole);
      else if (e.key == "clear") boolean(a, "clear", s.clear);
      else if (e.key == "reset") boolean(a, "reset", s.reset);
      else if (e.key == "close") boolean(a, "close", s.close);
      else if (e.key == "direction") {
        auto t = r.text(e.value, e.value_at);
        if (t == "up" || t == "upstream") dir = netem::direction::upstream;
        else if (t == "down" || t == "downstream") dir = netem::direction::downstream;
        else if (t == "both") dir = netem::direction::both;
        else if (t) r.report(e.value_at, "expected up, down or both, got '" + *t + "'"), flag(false);
        else flag(false);
      } else {
        settings.push_back(e);
      }
    }
    const int actions = int(blackhole) + int(s.clear) + int(s.reset) + int(s.close) + int(!settings.empty());
    if (!ok) return s;
    if (actions != 1) {
      r.report(step_at, actions == 0 ? "a link step needs one of: blackhole, clear, reset, close, or a link setting"
                                     : "a link step does one thing: blackhole, clear, reset, close, or a setting");
      return flag(false), s;
    }
    if (blackhole) s.add = netem::impairment_spec{"blackhole", netem::direction::both, {}, {}};
    if (!settings.empty()) {
      s.add = read_link_settings(r, settings, step_at);
      flag(s.add.has_value());
    }
    if (dir && s.add) s.add->dir = *dir;
    else if (dir) r.report(find(a, "direction")->key_at, "direction applies to blackhole and link settings"), flag(false);
    return s;
  }
};

inline std::string with_article(const std::string& verb) {
  return (std::string("aeiou").find(verb[0]) != std::string::npos ? "an " : "a ") + verb + " step";
}

}  // namespace mqttspec::scenario::detail

#include "steps.hpp"

#include <algorithm>
#include <sstream>

#include "harness/scenario/keys.hpp"
#include "step_args.hpp"

namespace mqttspec::scenario::detail {

std::optional<step> read_step(reader& r, const YAML::Node& n, const position& at,
                              const std::vector<client_spec>& clients) {
  auto entries = r.any_map(n, at);
  if (!entries) return std::nullopt;
  if (entries->empty()) {
    r.report(at, "a step needs an actor: a client's name, link or wait");
    return std::nullopt;
  }
  const entry& first = entries->front();
  const std::vector<entry> args(entries->begin() + 1, entries->end());
  std::vector<std::string_view> actors{"link", "wait"};
  for (const auto& c : clients) actors.push_back(c.name);

  step s;
  s.at = first.key_at;
  step_reader sr{r, first.key_at};
  std::string context, what;
  if (first.key == "wait") {
    context = "step.wait", what = "a wait step";
    auto seconds = r.number(first.value, first.value_at, 0, 86400);
    sr.flag(seconds.has_value());
    s.what = wait_step{seconds.value_or(0)};
  } else if (first.key == "link") {
    context = "step.link", what = "a link step";
    auto name = r.text(first.value, first.value_at, "a client's name");
    if (name && std::find(actors.begin() + 2, actors.end(), *name) == actors.end()) {
      r.report(first.value_at, "undefined client '" + *name + "'" +
                                   did_you_mean(*name, std::vector<std::string_view>(actors.begin() + 2, actors.end())));
      return std::nullopt;
    }
    if (!name) return std::nullopt;
    s.actor = *name;
  } else if (std::find(actors.begin(), actors.end(), first.key) == actors.end()) {
    const auto& args_known = keys_of("step.publish");
    if (first.key == "within_s" || std::find(args_known.begin(), args_known.end(), first.key) != args_known.end())
      r.report(first.key_at, "a step starts with its actor (a client's name, link or wait), not '" + first.key + "'");
    else
      r.report(first.key_at, "undefined client '" + first.key + "'" + did_you_mean(first.key, actors));
    return std::nullopt;
  } else {
    s.actor = first.key;
    auto verb_text = r.text(first.value, first.value_at, "a verb");
    if (!verb_text) return std::nullopt;
    const auto w = words_of(*verb_text);
    const std::string verb = w.empty() ? "" : w[0];
    const auto& known_verbs = verbs();
    if (std::find(known_verbs.begin(), known_verbs.end(), verb) == known_verbs.end()) {
      r.report(first.value_at, "unknown verb '" + verb + "'" + did_you_mean(verb, known_verbs));
      return std::nullopt;
    }
    context = "step." + verb, what = with_article(verb);
    if (verb == "expect") {
      const auto& types = expectable_types();
      const std::string object = w.size() > 1 ? w[1] : "";
      std::size_t used = 2;
      if (object == "nothing") {
        context = "step.expect_nothing", what = "an expect nothing step";
        s.what = expect_nothing_step{};
      } else if (object == "close") {
        context = "step.expect_close", what = "an expect close step";
        s.what = expect_close_step{};
      } else if (object == "no" && w.size() > 2 &&
                 std::find(types.begin(), types.end(), w[2]) != types.end()) {
        context = "step.expect_nothing", what = "an expect nothing step", used = 3;
        s.what = expect_nothing_step{w[2], 1};
      } else if (std::find(types.begin(), types.end(), object) != types.end()) {
        context = "expect." + object, what = "an expect " + object + " step";
        s.what = expect_packet_step{object, {}, {}};
      } else {
        const std::string bad = object == "no" && w.size() > 2 ? w[2] : object;
        const std::vector<std::string_view> client_sent{"connect", "subscribe", "unsubscribe", "pingreq"};
        if (bad.empty())
          r.report(first.value_at, "expect what? a packet type, nothing, no TYPE or close");
        else if (std::find(client_sent.begin(), client_sent.end(), bad) != client_sent.end())
          r.report(first.value_at, "a broker never sends " + bad);
        else
          r.report(first.value_at, "unknown packet type '" + bad + "'" + did_you_mean(bad, types));
        return std::nullopt;
      }
      if (w.size() > used) {
        r.report(first.value_at, "unexpected '" + w[used] + "' after '" + w[0] + " " + w[used - 1] + "'");
        return std::nullopt;
      }
    } else if (verb == "send") {
      // The hex follows the verb, in quotes or not.
      std::size_t start = verb_text->find("send") + 4;
      while (start < verb_text->size() && (*verb_text)[start] == ' ') ++start;
      std::string inline_hex = verb_text->substr(start);
      if (inline_hex.size() >= 2 && (inline_hex.front() == '"' || inline_hex.front() == '\'') &&
          inline_hex.back() == inline_hex.front()) {
        inline_hex = inline_hex.substr(1, inline_hex.size() - 2);
        ++start;
      }
      const entry* hex_arg = find(args, "hex");
      if (!inline_hex.empty() && hex_arg) {
        r.report(hex_arg->key_at, "give the hex after send or in hex:, not both");
        return std::nullopt;
      }
      send_step send;
      if (hex_arg) {
        if (auto t = r.text(hex_arg->value, hex_arg->value_at)) {
          send.hex = *t;
          auto bytes = read_hex(r, hex_arg->value, hex_arg->value_at, *t, 0);
          sr.flag(bytes.has_value());
          send.bytes = bytes.value_or("");
        } else {
          sr.flag(false);
        }
      } else if (inline_hex.empty()) {
        r.report(first.value_at, "send needs hex bytes: send \"30 00\" or hex:");
        return std::nullopt;
      } else {
        send.hex = inline_hex;
        // Without the closing quote; the prefix keeps columns right.
        auto bytes = read_hex(r, first.value, first.value_at, verb_text->substr(0, start + inline_hex.size()), start);
        sr.flag(bytes.has_value());
        send.bytes = bytes.value_or("");
      }
      s.what = send;
    } else if (w.size() > 1) {
      r.report(first.value_at, "unexpected '" + w[1] + "' after '" + verb + "'");
      return std::nullopt;
    }
  }

  const std::vector<entry> known = known_args(r, args, context, what);
  if (known.size() != args.size()) sr.flag(false);
  if (const entry* w = find(known, "within_s")) {
    s.within_s = read_within(r, *w);
    sr.flag(s.within_s.has_value());
  }
  if (const entry* l = find(known, "late_s")) {
    if (auto v = r.number(l->value, l->value_at, 0, 86400)) {
      if (!s.within_s || *v <= s.within_s->second) {
        r.report(l->value_at, "late_s needs within_s, and must be greater than its upper end");
        sr.flag(false);
      }
      s.late_s = v;
    } else {
      sr.flag(false);
    }
  }
  if (context == "step.connect") s.what = sr.connect(known);
  else if (context == "step.subscribe") s.what = sr.subscribe(known);
  else if (context == "step.unsubscribe") s.what = sr.unsubscribe(known);
  else if (context == "step.publish") s.what = sr.publish(known);
  else if (context == "step.disconnect") s.what = sr.disconnect(known);
  else if (context == "step.close") s.what = close_step{false};
  else if (context == "step.reset") s.what = close_step{true};
  else if (context == "step.link") s.what = sr.link(known);
  else if (context == "step.expect_close") s.what = expect_close_step{sr.outcomes(known, "or"), sr.outcomes(known, "non_strict")};
  else if (context == "step.expect_nothing") {
    auto& nothing = std::get<expect_nothing_step>(s.what);
    sr.flag(optional_arg(known, "for_s", nothing.for_s,
                         [&](const entry& e) { return r.number(e.value, e.value_at, 0.001, 86400); }));
  } else if (context.starts_with("expect.")) {
    s.what = sr.expect_packet(std::get<expect_packet_step>(s.what).type, known);
  }
  if (!sr.ok) return std::nullopt;
  return s;
}

}  // namespace mqttspec::scenario::detail

// The expect steps, link changes, and the case loop.
#include <algorithm>
#include <chrono>

#include "executor.hpp"
#include "matchers.hpp"
#include "properties.hpp"
#include "stop.hpp"

namespace mqttspec::run {

namespace {

timestamp seconds(double s) { return timestamp(static_cast<std::int64_t>(s * 1e6)); }

std::string step_text(const scenario::step& st) {
  static constexpr const char* names[] = {"connect", "subscribe",      "unsubscribe",  "publish", "disconnect", "close",
                                          "send",    "expect",         "expect nothing", "expect close", "link", "wait"};
  std::string verb = names[st.what.index()];
  if (auto* e = std::get_if<scenario::expect_packet_step>(&st.what)) verb += " " + e->type;
  if (auto* c = std::get_if<scenario::close_step>(&st.what); c && c->reset) verb = "reset";
  return (st.actor.empty() ? "" : st.actor + ": ") + verb;
}

// "disconnect malformed_packet" -> (type, code)
std::pair<std::string, std::string> outcome_of(const std::string& s) {
  auto sp = s.find(' ');
  if (sp == std::string::npos) return {s, ""};
  return {s.substr(0, sp), s.substr(sp + 1)};
}

bool reference_automatic(const case_client& c, const wire_packet& w) {
  if (!c.spec().raw && w.packet) {
    switch (mqtt::type_of(*w.packet)) {
      case mqtt::packet_type::puback:
      case mqtt::packet_type::pubrec:
      case mqtt::packet_type::pubrel:
      case mqtt::packet_type::pubcomp:
      case mqtt::packet_type::pingresp: return true;
      default: break;
    }
  }
  return false;
}

}  // namespace

bool executor::expect_packet(case_client& c, const scenario::expect_packet_step& given, const scenario::step& st) {
  scenario::expect_packet_step a = given;
  if (v_ == mqtt::protocol_version::v311) normalize_v311_connack(a);
  const auto strip = [&](std::string_view t) { return c.strip(t); };
  std::optional<wire_packet> got;
  const auto arrived = [&] {
    return (got = take(c, a.type, [&](const wire_packet& w) { return !mismatch(a, *w.packet, v_, strip); })) ||
           c.closed();
  };
  wait_for(st, arrived);
  if (got) return check_window(st);
  if (wait_late(st, arrived) && got)
    return late(st, "the " + a.type + " arrived " + since_step(got->at), describe(a), &*got);
  // Show the nearest miss: the first packet of that type, or the first of any type.
  const wire_packet* near = nullptr;
  for (const auto& w : c.inbox())
    if (w.packet && type_name(*w.packet) == a.type) {
      near = &w;
      break;
    }
  if (!near)
    for (const auto& w : c.inbox())
      if (!reference_automatic(c, w)) {
        near = &w;
        break;
      }
  std::string why = c.closed() ? "the broker closed the connection " + closed_when(c) + " instead of sending a matching " + a.type
                               : "no matching " + a.type + " within " + window_text(st);
  if (near && near->packet && type_name(*near->packet) == a.type) why += "; nearest: " + *mismatch(a, *near->packet, v_, strip);
  return fail(why, describe(a), near);
}

bool executor::expect_nothing(case_client& c, const scenario::expect_nothing_step& a, const scenario::step& st) {
  const std::size_t before = c.trace().size();
  const auto unwanted = [&](const wire_packet& w) {
    if (!w.from_broker || reference_automatic(c, w)) return false;
    return !a.type || (w.packet && type_name(*w.packet) == *a.type);
  };
  const auto until = d_.now() + seconds(a.for_s);
  (void)st;
  d_.run_until(until, [&] {
    for (std::size_t i = before; i < c.trace().size(); ++i)
      if (unwanted(c.trace()[i])) return true;
    return false;
  });
  // A typed expect also catches packets of that type that came earlier and no step took.
  if (a.type)
    for (auto it = c.inbox().begin(); it != c.inbox().end(); ++it)
      if (unwanted(*it)) {
        auto w = *it;
        c.inbox().erase(it);
        return fail("a " + *a.type + " arrived when none was allowed", "no " + *a.type, &w);
      }
  for (std::size_t i = before; i < c.trace().size(); ++i)
    if (unwanted(c.trace()[i])) {
      auto w = c.trace()[i];
      // Consume it, so a later expect does not see it again.
      auto& in = c.inbox();
      for (auto it = in.begin(); it != in.end(); ++it)
        if (it->at == w.at && it->bytes == w.bytes) {
          in.erase(it);
          break;
        }
      return fail("a packet arrived when none was allowed", "nothing" + (a.type ? " of type " + *a.type : std::string()),
                  &w);
    }
  return true;
}

bool executor::expect_close(case_client& c, const scenario::expect_close_step& a, const scenario::step& st) {
  // The first sign: a close, a DISCONNECT, or a refusing CONNACK.
  std::optional<wire_packet> sign;
  const auto signal = [&] {
    if (!sign)
      for (auto& w : c.inbox())
        if (w.packet && (std::holds_alternative<mqtt::disconnect>(*w.packet) ||
                         (std::holds_alternative<mqtt::connack>(*w.packet) &&
                          static_cast<std::uint8_t>(std::get<mqtt::connack>(*w.packet).code) != 0))) {
          sign = w;
          break;
        }
    return c.closed();
  };
  wait_for(st, signal);
  const bool late_close = !c.closed() && wait_late(st, signal) && c.closed();
  if (!c.closed())
    return fail((sign ? "the broker sent " + sign->text() + " but did not close the connection"
                      : "the connection stayed open") +
                    " (waited " + format_s(double((d_.now() - step_start_).count()) / 1e6) + " s)",
                "close within " + window_text(st), sign ? &*sign : nullptr);
  if (late_close) late(st, "the broker closed the connection " + closed_when(c), "close");
  if (sign) {
    const auto fields = fields_of(*sign->packet, v_, [](std::string_view t) { return t; });
    const std::string type = type_name(*sign->packet);
    const auto rc = reason_by_name(fields.at("rc"));
    const auto listed = [&](const std::vector<std::string>& list) {
      for (const auto& o : list) {
        auto [t, code] = outcome_of(o);
        if (t != type) continue;
        if (code.empty() || code == "any") return true;
        if (auto want = reason_by_name(code); want && rc && *want == *rc) return true;
      }
      return false;
    };
    if (!listed(a.also_allowed)) {
      if (listed(a.non_strict))
        fail("the broker closed with " + sign->text() + ", allowed but not preferred", "close", &*sign, true);
      else
        return fail("the broker sent " + sign->text() + " before closing, which is not an allowed outcome", "close",
                    &*sign);
    }
  }
  return check_window(st);
}

std::string executor::since_step(timestamp at) const {
  return format_s(double((at - step_start_).count()) / 1e6) + " s into the step";
}

bool executor::wait_late(const scenario::step& st, const std::function<bool()>& done) {
  return st.late_s && d_.run_until(step_start_ + seconds(*st.late_s + ctx_.slack_s), done);
}

bool executor::late(const scenario::step& st, const std::string& what, const std::string& expected,
                    const wire_packet* actual) {
  return fail(what + ": after the window " + window_text(st) + ", within the " + format_s(*st.late_s) +
                  " s the case tolerates (late)",
              expected + " within " + window_text(st), actual, true);
}

bool executor::send(case_client& c, const scenario::send_step& a) {
  // Raw bytes may be the first thing on a connection (a forged CONNECT).
  if (!c.connected())
    if (auto err = c.open(); !err.empty()) {
      r_.outcome = verdict::error;
      r_.reason = "cannot connect to the broker: " + err;
      return false;
    }
  c.send_raw(a.bytes);
  return true;
}

bool executor::link(case_client& c, const scenario::link_step& a) {
  if (!c.connected()) return true;
  if (a.clear) {
    d_.clear_impairments(c.connection(), c.spec().link ? *c.spec().link : s_.link);
    cuts_.push_back({d_.now(), c.name(), false});
  }
  if (a.reset || a.close) {
    c.close(a.reset);
    return true;
  }
  if (a.add) {
    if (auto err = d_.add_impairment(c.connection(), *a.add); !err.empty()) return fail("link: " + err);
    if (a.add->type == "blackhole" || a.add->type == "partition") cuts_.push_back({d_.now(), c.name(), true});
    if (a.add->type == "partition") {
      const auto ms = a.add->attributes.count("partition_ms") ? std::stod(a.add->attributes.at("partition_ms")) : 1000;
      cuts_.push_back({d_.now() + seconds(ms / 1000), c.name(), false});
    }
  }
  return true;
}

bool executor::step(const scenario::step& st, std::size_t index) {
  where_ = st.at.file + ":" + std::to_string(st.at.line) + ":" + std::to_string(st.at.col) + " step " +
           std::to_string(index + 1) + " (" + step_text(st) + ")";
  step_start_ = d_.now();
  r_.steps.push_back({step_text(st), step_start_, step_start_, true});
  const std::size_t failures = r_.failures.size();
  bool ok = true;
  if (auto* w = std::get_if<scenario::wait_step>(&st.what)) {
    d_.run_until(d_.now() + seconds(w->seconds), [] { return false; });
  } else {
    case_client* c = client(st.actor);
    if (!c) {
      r_.outcome = verdict::error;
      r_.reason = where_ + ": no client named '" + st.actor + "'";
      return false;
    }
    ok = std::visit(
        [&](const auto& a) -> bool {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, scenario::connect_step>) return connect(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::subscribe_step>) return subscribe(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::unsubscribe_step>) return unsubscribe(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::publish_step>) return publish(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::disconnect_step>) return disconnect(*c, a);
          else if constexpr (std::is_same_v<T, scenario::close_step>) return c->close(a.reset), true;
          else if constexpr (std::is_same_v<T, scenario::send_step>) return send(*c, a);
          else if constexpr (std::is_same_v<T, scenario::expect_packet_step>) return expect_packet(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::expect_nothing_step>) return expect_nothing(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::expect_close_step>) return expect_close(*c, a, st);
          else if constexpr (std::is_same_v<T, scenario::link_step>) return link(*c, a);
          else return true;
        },
        st.what);
  }
  r_.steps.back().ended = d_.now();
  r_.steps.back().ok = ok && r_.failures.size() == failures;
  return ok && r_.outcome != verdict::error;
}

void executor::finish() {
  for (const auto& c : clients_)
    if (c->flooded()) {
      failure f;
      f.where = "client " + c->name();
      f.message = "the broker sent more than " + std::to_string(case_client::max_packets) +
                  " packets; the connection was cut";
      r_.failures.push_back(std::move(f));
    }
  // What the reference clients saw the broker break.
  for (const auto& c : clients_)
    for (const auto& v : c->violations()) {
      failure f;
      f.where = "client " + c->name();
      f.message = "the broker broke a rule the reference client checks: " + v.text;
      if (!v.spec_id.empty()) f.spec_ids.push_back(v.spec_id);
      r_.failures.push_back(std::move(f));
    }
  // What the invariant checkers saw the broker break over the whole exchange.
  std::vector<netem::impairment_spec> link = s_.link;
  for (const auto& c : clients_)
    if (c->spec().link) link.insert(link.end(), c->spec().link->begin(), c->spec().link->end());
  for (const auto& v : check_invariants(clients_, d_.link_events(), cuts_, check_options(link), d_.now(),
                                       harness_closed_at_)) {
    failure f;
    f.where = "invariant, client " + v.client + " at " + std::to_string(double(v.at.count()) / 1e6) + " s";
    f.message = v.message;
    if (!v.spec_id.empty()) f.spec_ids.push_back(v.spec_id);
    f.should = v.should;
    r_.failures.push_back(std::move(f));
  }
  for (const auto& c : clients_)
    for (const auto& w : c->trace())
      r_.packets.push_back({w.at, c->name(), w.connection, w.from_broker, w.text(), w.bytes ? hex_of(*w.bytes) : ""});
  std::stable_sort(r_.packets.begin(), r_.packets.end(),
                   [](const packet_record& a, const packet_record& b) { return a.at < b.at; });
  r_.link_events = d_.link_events();
  for (auto& e : r_.link_events)
    for (const auto& c : clients_)
      if (std::find(c->driver_ids().begin(), c->driver_ids().end(), e.connection) != c->driver_ids().end())
        e.client = c->name();
  r_.duration = d_.now();
  if (r_.outcome == verdict::error || r_.outcome == verdict::skipped) return;
  bool strict_failure = false, should_failure = false;
  for (const auto& f : r_.failures) (f.should ? should_failure : strict_failure) = true;
  r_.outcome = strict_failure ? verdict::fail : should_failure ? verdict::non_strict : verdict::pass;
}

case_result executor::run() {
  const auto wall = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < s_.steps.size(); ++i) {
    if (d_.now() > seconds(s_.timeout_s + ctx_.slack_s)) {
      fail("the case ran past its time limit of " + std::to_string(s_.timeout_s) + " s");
      break;
    }
    const bool went_on = step(s_.steps[i], i);
    if (const auto why = stop_requested(); why != stop_reason::none) {
      // Its waits were cut short: what it saw proves nothing either way.
      const bool silent = why == stop_reason::broker_silent;
      r_.outcome = silent ? verdict::error : verdict::skipped;
      r_.reason = std::string("not run to the end: ") +
                  (silent ? "the broker stopped answering" : "the run was interrupted") + " at step " +
                  std::to_string(i + 1);
      break;
    }
    if (!went_on) break;
  }
  // Let what is in flight land, so the checks see the whole exchange.
  d_.run_until(d_.now() + seconds(0.001), [] { return false; });
  harness_closed_at_ = d_.now();
  for (auto& c : clients_) c->close(false);
  finish();
  r_.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall).count();
  return r_;
}

}  // namespace mqttspec::run

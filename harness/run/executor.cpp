#include "executor.hpp"

#include <chrono>
#include <cstdio>

#include "matchers.hpp"
#include "netem/pcap/redact.hpp"
#include "properties.hpp"

namespace mqttspec::run {

namespace {

timestamp seconds(double s) { return timestamp(static_cast<std::int64_t>(s * 1e6)); }

}  // namespace

std::string format_s(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  std::string t = buf;
  while (t.back() == '0') t.pop_back();
  if (t.back() == '.') t.pop_back();
  return t;
}

executor::executor(const scenario::scenario& s, mqtt::protocol_version v, driver& d, case_context ctx)
    : s_(s), v_(v), d_(d), ctx_(std::move(ctx)) {
  r_.id = s.id + (v == mqtt::protocol_version::v5 ? "@5" : "@3.1.1");
  r_.title = s.title;
  r_.file = s.at.file;
  r_.version = v;
  r_.tags = s.tags;
  if (auto it = s.spec.find(v); it != s.spec.end()) r_.spec_ids = it->second;
  r_.seed = ctx_.seed;
  // Each repeat has a namespace of its own: a session or retained message left by one
  // does not meet the next.
  const std::string scope = ctx_.case_scope +
                            (ctx_.attempt ? "." + std::to_string(ctx_.attempt) : std::string()) +
                            (ctx_.sample ? "s" + std::to_string(ctx_.sample) : std::string());
  const std::string ns = "ms-" + ctx_.run_id + "-" + scope + "-";
  const std::string prefix = s.namespaced ? "ms/" + ctx_.run_id + "/" + scope + "/" : "";
  for (auto cs : s.clients) {
    std::string id = cs.client_id ? *cs.client_id : cs.name;
    if (s.namespaced && !id.empty()) id = ns + id;
    // The run's credentials, unless the case gives the client an identity of its own.
    if (!cs.user && !cs.password) cs.user = ctx_.username, cs.password = ctx_.password;
    r_.client_ids.push_back(id);
    if (cs.will && cs.will->retain) r_.retained_topics.push_back(prefix + cs.will->topic);
    clients_.push_back(
        std::make_unique<case_client>(cs, v, d, id, prefix, cs.link ? *cs.link : s.link, sequence_));
  }
}

executor::~executor() = default;

case_client* executor::client(const std::string& name) {
  for (auto& c : clients_)
    if (c->name() == name) return c.get();
  return nullptr;
}

bool executor::fail(std::string message, std::string expected, const wire_packet* actual, bool should) {
  failure f;
  f.where = where_;
  f.message = std::move(message);
  f.expected = std::move(expected);
  if (actual) {
    f.actual = actual->text();
    f.actual_hex = actual->bytes ? hex_of(*actual->bytes) : "";
  }
  f.spec_ids = r_.spec_ids;
  f.should = should;
  r_.failures.push_back(std::move(f));
  return should;  // a SHOULD lets the case go on
}

bool executor::wait_for(const scenario::step& st, const std::function<bool()>& done) {
  const double hi = st.within_s ? st.within_s->second : ctx_.default_window_s;
  return d_.run_until(step_start_ + seconds(hi + ctx_.slack_s), done);
}

std::string executor::hex_of(const std::string& bytes) const {
  if (!ctx_.password) return mqtt::to_hex(bytes);
  return mqtt::to_hex(netem::redact(bytes, {*ctx_.password}));  // the run's password never reaches a report
}

std::string executor::window_text(const scenario::step& st) const {
  const double lo = st.within_s ? st.within_s->first : 0, hi = st.within_s ? st.within_s->second : ctx_.default_window_s;
  std::string s = "[" + format_s(lo) + ", " + format_s(hi) + "] s of the step's start";
  if (ctx_.slack_s > 0) s += " (± " + format_s(ctx_.slack_s) + " s for the real link)";
  return s;
}

std::string executor::closed_when(const case_client& c) const {
  const auto at = c.closed_at().value_or(d_.now());
  return "at " + format_s(double(at.count()) / 1e6) + " s (" + format_s(double((at - step_start_).count()) / 1e6) +
         " s into the step)";
}

std::string executor::missing(const case_client& c, const std::string& what, const scenario::step& st) const {
  if (c.closed()) return "the broker closed the connection " + closed_when(c) + " instead of sending the " + what;
  return "no " + what + " within " + window_text(st);
}

bool executor::check_window(const scenario::step& st) {
  if (!st.within_s) return true;
  const double took = double((d_.now() - step_start_).count()) / 1e6;
  const double lo = st.within_s->first - ctx_.slack_s;
  if (took + 1e-9 >= lo) return true;
  return fail("happened " + format_s(took) + " s into the step, before the window opened", "within " + window_text(st));
}

std::optional<wire_packet> executor::take(case_client& c, const std::string& type,
                                          const std::function<bool(const wire_packet&)>& ok) {
  auto& in = c.inbox();
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (!it->packet || type_name(*it->packet) != type) continue;
    if (ok && !ok(*it)) continue;
    wire_packet w = *it;
    in.erase(it);
    return w;
  }
  return std::nullopt;
}

bool executor::connect(case_client& c, const scenario::connect_step& a, const scenario::step& st) {
  if (!c.connected())
    if (auto err = c.open(); !err.empty()) {
      r_.outcome = verdict::error;
      r_.reason = "cannot connect to the broker: " + err;
      r_.broker_silent = true;
      return false;
    }
  c.connect(a.clean_start);
  if (!a.wait) return true;
  std::optional<wire_packet> ack;
  wait_for(st, [&] { return (ack = take(c, "connack")) || c.closed(); });
  if (!ack && c.closed()) return fail("the broker closed the connection " + closed_when(c) + " without CONNACK", "connack");
  if (!ack) {
    r_.broker_silent = true;
    return fail("no CONNACK within " + window_text(st), "connack");
  }
  scenario::expect_packet_step e{"connack", a.expect, a.expect_properties};
  if (!e.fields.count("rc")) e.fields["rc"] = {scenario::matcher::kind::exact, {"0"}, {}};
  if (v_ == mqtt::protocol_version::v311) normalize_v311_connack(e);
  if (auto why = mismatch(e, *ack->packet, v_, [&](std::string_view t) { return c.strip(t); }))
    return fail("CONNACK differs: " + *why, describe(e), &*ack);
  return check_window(st);
}

bool executor::subscribe(case_client& c, const scenario::subscribe_step& a, const scenario::step& st) {
  std::vector<mqtt::subscription> subs;
  for (const auto& t : a.topics)
    subs.push_back({c.keep(c.topic(t.filter)), static_cast<mqtt::qos>(t.qos), t.no_local, t.retain_as_published,
                    t.retain_handling});
  mqtt::properties props;
  if (auto err = build_properties(a.properties, a.user_properties, [&](std::string s) { return c.keep(std::move(s)); },
                                  props);
      !err.empty())
    return fail(err);
  std::uint16_t id = a.id.value_or(0);
  if (auto* ref = c.reference(); ref && !a.id) {
    std::vector<mqtt::client::action> out;
    auto sub = ref->subscribe(subs, props, d_.now(), out);
    c.apply(out);
    if (!sub.ok()) return fail("the reference client refused to subscribe: " + sub.error);
    id = sub.packet_id;
  } else {
    if (!id) id = c.next_id();
    c.send(mqtt::subscribe{id, props, subs});
  }
  if (!a.wait) return true;
  std::optional<wire_packet> ack;
  wait_for(st, [&] {
    return (ack = take(c, "suback", [&](const wire_packet& w) { return std::get<mqtt::suback>(*w.packet).packet_id == id; })) ||
           c.closed();
  });
  if (!ack) return fail(missing(c, "SUBACK for packet identifier " + std::to_string(id), st), "suback id=" + std::to_string(id));
  std::vector<std::string> want;
  if (a.expect) want = *a.expect;
  else
    for (const auto& t : a.topics) want.push_back(std::to_string(t.qos));
  const auto& got = std::get<mqtt::suback>(*ack->packet).codes;
  bool same = got.size() == want.size();
  for (std::size_t i = 0; same && i < got.size(); ++i) {
    auto w = reason_by_name(want[i]);
    same = w && *w == got[i];
  }
  if (!same) {
    std::string expected = "suback codes=";
    for (const auto& w : want) expected += w + " ";
    return fail("SUBACK codes differ", expected, &*ack);
  }
  return check_window(st);
}

bool executor::unsubscribe(case_client& c, const scenario::unsubscribe_step& a, const scenario::step& st) {
  std::vector<std::string_view> filters;
  for (const auto& f : a.filters) filters.push_back(c.keep(c.topic(f)));
  std::uint16_t id = a.id.value_or(0);
  if (auto* ref = c.reference(); ref && !a.id) {
    std::vector<mqtt::client::action> out;
    auto u = ref->unsubscribe(filters, {}, d_.now(), out);
    c.apply(out);
    if (!u.ok()) return fail("the reference client refused to unsubscribe: " + u.error);
    id = u.packet_id;
  } else {
    if (!id) id = c.next_id();
    c.send(mqtt::unsubscribe{id, {}, filters});
  }
  if (!a.wait) return true;
  std::optional<wire_packet> ack;
  wait_for(st, [&] {
    return (ack = take(c, "unsuback",
                       [&](const wire_packet& w) { return std::get<mqtt::unsuback>(*w.packet).packet_id == id; })) ||
           c.closed();
  });
  if (!ack) return fail(missing(c, "UNSUBACK for packet identifier " + std::to_string(id), st));
  if (a.expect) {
    const auto& got = std::get<mqtt::unsuback>(*ack->packet).codes;
    bool same = got.size() == a.expect->size();
    for (std::size_t i = 0; same && i < got.size(); ++i) {
      auto w = reason_by_name((*a.expect)[i]);
      same = w && *w == got[i];
    }
    if (!same) return fail("UNSUBACK codes differ", "", &*ack);
  }
  return check_window(st);
}

bool executor::publish(case_client& c, const scenario::publish_step& a, const scenario::step& st) {
  mqtt::properties props;
  if (auto err = build_properties(a.properties, a.user_properties, [&](std::string s) { return c.keep(std::move(s)); },
                                  props);
      !err.empty())
    return fail(err);
  const auto topic = c.keep(c.topic(a.topic));
  const auto payload = c.keep(a.payload);
  if (a.retain) r_.retained_topics.emplace_back(topic);
  const auto q = static_cast<mqtt::qos>(a.qos);
  auto* ref = c.reference();
  if (!ref || a.id || a.dup) {
    std::uint16_t id = q == mqtt::qos::at_most_once ? 0 : a.id.value_or(c.next_id());
    c.send(mqtt::publish{a.dup, q, a.retain, topic, id, props, payload});
    return true;
  }
  std::vector<mqtt::client::action> out;
  auto p = ref->publish(topic, payload, q, a.retain, props, d_.now(), out);
  c.apply(out);
  if (!p.ok()) return fail("the reference client refused to publish: " + p.error);
  if (q == mqtt::qos::at_most_once || !a.wait) return true;
  std::optional<mqtt::client::published> done;
  wait_for(st, [&] {
    auto& ev = c.events();
    for (auto it = ev.begin(); it != ev.end(); ++it)
      if (auto* x = std::get_if<mqtt::client::published>(&*it); x && x->packet_id == p.packet_id) {
        done = *x;
        ev.erase(it);
        return true;
      }
    return c.closed();
  });
  if (!done) return fail(missing(c, "end of the QoS " + std::to_string(a.qos) + " flow of packet " + std::to_string(p.packet_id), st),
                         q == mqtt::qos::at_least_once ? "puback" : "pubrec, pubcomp");
  if (static_cast<std::uint8_t>(done->reason) >= 0x80)
    return fail("the broker refused the message: " + mqtt::name(done->reason));
  return check_window(st);
}

bool executor::disconnect(case_client& c, const scenario::disconnect_step& a) {
  mqtt::properties props;
  if (auto err = build_properties(a.properties, {}, [&](std::string s) { return c.keep(std::move(s)); }, props);
      !err.empty())
    return fail(err);
  const auto rc = reason_by_name(a.rc).value_or(mqtt::reason_code::success);
  if (auto* ref = c.reference()) {
    std::vector<mqtt::client::action> out;
    ref->disconnect(rc, props, d_.now(), out);
    c.apply(out);
    c.close(false);
    return true;
  }
  c.send(mqtt::disconnect{rc, props});
  c.close(false);
  return true;
}

}  // namespace mqttspec::run

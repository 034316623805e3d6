#include "compare.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <tuple>

#include "reference/codec/hex.hpp"

namespace mqttspec::traces {

namespace {

using mqtt::packet_type;

bool is_ping(const packet_record& r) {
  const auto t = mqtt::type_of(r.packet);
  return t == packet_type::pingreq || t == packet_type::pingresp;
}

// Whose identifier a packet carries, and whether it starts that owner's flow.
struct id_use {
  bool client_owned;
  bool starts;
  std::uint16_t id;
};

std::optional<id_use> id_of(const packet_record& r) {
  return std::visit(
      [&](const auto& p) -> std::optional<id_use> {
        using T = std::decay_t<decltype(p)>;
        constexpr auto type = T::type;
        if constexpr (type == packet_type::publish) {
          if (p.qos == mqtt::qos::at_most_once) return std::nullopt;
          return id_use{!r.from_broker, true, p.packet_id};
        } else if constexpr (type == packet_type::subscribe || type == packet_type::unsubscribe) {
          return id_use{true, true, p.packet_id};
        } else if constexpr (type == packet_type::pubrel) {
          return id_use{!r.from_broker, false, p.packet_id};
        } else if constexpr (type == packet_type::puback || type == packet_type::pubrec ||
                             type == packet_type::pubcomp || type == packet_type::suback ||
                             type == packet_type::unsuback) {
          return id_use{r.from_broker, false, p.packet_id};  // an answer: the other side's flow
        } else {
          return std::nullopt;
        }
      },
      r.packet);
}

// A copy of the packet as compared: id set to 0 (ids are checked by the mapping), names
// normalised, properties in a canonical order. Normalised strings live in `keep`.
mqtt::packet canonical(const packet_record& r, const compare_options& o, std::deque<std::string>& keep) {
  const auto name = [&](std::string_view s, const std::function<std::string(std::string_view)>& f) -> std::string_view {
    if (!f) return s;
    keep.push_back(f(s));
    return keep.back();
  };
  const auto props = [](mqtt::properties& ps) {
    // By id; User Properties (one id) keep their order among themselves.
    std::stable_sort(ps.begin(), ps.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  };
  mqtt::packet p = r.packet;
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (requires { x.props; }) props(x.props);
        if constexpr (requires { x.packet_id; }) x.packet_id = 0;
        if constexpr (T::type == packet_type::publish) x.topic = name(x.topic, o.topic);
        if constexpr (T::type == packet_type::connect) {
          x.client_id = name(x.client_id, o.client_id);
          if (x.will) {
            x.will->topic = name(x.will->topic, o.topic);
            props(x.will->props);
          }
        }
        if constexpr (T::type == packet_type::subscribe)
          for (auto& s : x.topics) s.filter = name(s.filter, o.topic);
        if constexpr (T::type == packet_type::unsubscribe)
          for (auto& f : x.filters) f = name(f, o.topic);
      },
      p);
  return p;
}

std::string payload_text(std::string_view b) {
  const bool printable = std::all_of(b.begin(), b.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  const auto shown = b.substr(0, 64);
  return (printable ? "\"" + std::string(shown) + "\"" : mqtt::to_hex(shown)) + (b.size() > 64 ? "..." : "") + " (" +
         std::to_string(b.size()) + " bytes)";
}

// Which recorded packet stands for which observed one: the pairing of the most weight,
// a pair of the same type weighing 2, or 1 for PUBLISHes whose payloads differ (so that
// a PUBLISH more pairs the others by their payloads). Quadratic, so long exchanges are
// paired in order instead.
std::vector<std::pair<std::optional<std::size_t>, std::optional<std::size_t>>> align(
    const std::vector<const packet_record*>& a, const std::vector<const packet_record*>& b) {
  std::vector<std::pair<std::optional<std::size_t>, std::optional<std::size_t>>> out;
  const auto n = a.size(), m = b.size();
  const auto weight = [&](std::size_t i, std::size_t j) -> std::uint32_t {
    if (mqtt::type_of(a[i]->packet) != mqtt::type_of(b[j]->packet)) return 0;
    const auto* pa = std::get_if<mqtt::publish>(&a[i]->packet);
    const auto* pb = std::get_if<mqtt::publish>(&b[j]->packet);
    return pa && pb && pa->payload != pb->payload ? 1 : 2;
  };
  if (n * m > 16'000'000) {
    for (std::size_t i = 0; i < std::max(n, m); ++i)
      out.emplace_back(i < n ? std::optional(i) : std::nullopt, i < m ? std::optional(i) : std::nullopt);
    return out;
  }
  std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
  const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;) {
      const auto w = weight(i, j);
      at(i, j) = std::max({at(i + 1, j), at(i, j + 1), w ? at(i + 1, j + 1) + w : 0u});
    }
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    const auto w = i < n && j < m ? weight(i, j) : 0u;
    if (w && at(i, j) == at(i + 1, j + 1) + w) {
      out.emplace_back(i++, j++);
    } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
      out.emplace_back(std::nullopt, j++);
    } else {
      out.emplace_back(i++, std::nullopt);
    }
  }
  return out;
}

class comparison {
 public:
  comparison(const std::vector<packet_record>& rec, const std::vector<packet_record>& obs, const compare_options& o)
      : rec_(rec), obs_(obs), o_(o) {}

  std::vector<difference> run() {
    // Each direction aligned on its own, then the pairs taken in time order, so that a
    // flow's first packet (which maps its id) comes before its answers.
    struct pair {
      const packet_record* r;
      const packet_record* s;
      timestamp at;
      std::uint64_t frame;  // at equal times (virtual time), frame order
    };
    std::vector<pair> pairs;
    for (bool from_broker : {false, true}) {
      std::vector<const packet_record*> a, b;
      for (const auto& p : rec_)
        if (p.from_broker == from_broker && !is_ping(p)) a.push_back(&p);
      for (const auto& p : obs_)
        if (p.from_broker == from_broker && !is_ping(p)) b.push_back(&p);
      for (auto [i, j] : align(a, b)) {
        const auto* r = i ? a[*i] : nullptr;
        const auto* s = j ? b[*j] : nullptr;
        pairs.push_back({r, s, r ? r->at - start(rec_) : s->at - start(obs_), r ? r->frame : s->frame});
      }
      pings(from_broker);
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const pair& x, const pair& y) { return std::tie(x.at, x.frame) < std::tie(y.at, y.frame); });
    for (const auto& p : pairs) judge(p.r, p.s);
    // In the order judged; counts (about no packet) last.
    std::stable_sort(out_.begin(), out_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<difference> out;
    for (auto& [_, d] : out_) out.push_back(std::move(d));
    return out;
  }

 private:
  static timestamp start(const std::vector<packet_record>& v) { return v.empty() ? timestamp{} : v.front().at; }

  void add(const packet_record* r, const packet_record* s, std::string packet, std::string field, std::string rv,
           std::string sv) {
    difference d{std::move(packet), std::move(field), std::move(rv), std::move(sv), r ? r->frame : 0, s ? s->frame : 0};
    // Counts, about no one packet, come last.
    const auto at = r ? r->at - start(rec_) : s ? s->at - start(obs_) : timestamp::max();
    out_.emplace_back(at, std::move(d));
  }

  std::size_t ping_slack() const {
    if (!o_.ping_slack_from_keepalive) return o_.ping_slack;
    std::uint32_t keepalive = 0;
    for (const auto& p : rec_) {
      if (const auto* c = std::get_if<mqtt::connect>(&p.packet)) keepalive = c->keep_alive;
      if (const auto* a = std::get_if<mqtt::connack>(&p.packet))
        keepalive = mqtt::number_of(a->props, mqtt::property_id::server_keep_alive).value_or(keepalive);
    }
    if (keepalive == 0) return o_.ping_slack;
    const auto span = [](const std::vector<packet_record>& e) {
      return e.empty() ? timestamp{} : e.back().at - e.front().at;
    };
    const auto longest = std::chrono::duration_cast<std::chrono::seconds>(std::max(span(rec_), span(obs_)));
    return o_.ping_slack + static_cast<std::size_t>(longest.count()) / keepalive + 1;
  }

  void pings(bool from_broker) {
    std::size_t a = 0, b = 0;
    for (const auto& p : rec_) a += p.from_broker == from_broker && is_ping(p);
    for (const auto& p : obs_) b += p.from_broker == from_broker && is_ping(p);
    if ((a > b ? a - b : b - a) > ping_slack())
      add(nullptr, nullptr, from_broker ? "PINGRESP" : "PINGREQ", "count", std::to_string(a), std::to_string(b));
  }

  void judge(const packet_record* r, const packet_record* s) {
    const auto type = [](const packet_record* p) { return std::string(mqtt::to_string(mqtt::type_of(p->packet))); };
    if (!s) return add(r, s, type(r), "missing", mqtt::to_string(r->packet, r->version), "");
    if (!r) return add(r, s, type(s), "extra", "", mqtt::to_string(s->packet, s->version));
    const auto what = type(r);
    ids(r, s, what);
    std::deque<std::string> keep;
    const auto a = mqtt::fields_of(canonical(*r, o_, keep), r->version);
    const auto b = mqtt::fields_of(canonical(*s, o_, keep), s->version);
    std::map<std::string, std::string> bm(b.begin(), b.end());
    for (const auto& [k, v] : a) {
      if (k == "id" || k == "payload") continue;  // ids: mapped (ids()); payloads: bytes, below
      auto it = bm.find(k);
      if (it == bm.end()) add(r, s, what, k, v, "");
      else if (it->second != v) add(r, s, what, k, v, it->second);
      if (it != bm.end()) bm.erase(it);
    }
    for (const auto& [k, v] : bm)
      if (k != "id" && k != "payload") add(r, s, what, k, "", v);
    const auto* pa = std::get_if<mqtt::publish>(&r->packet);
    const auto* pb = std::get_if<mqtt::publish>(&s->packet);
    if (pa && pb && pa->payload != pb->payload) add(r, s, what, "payload", payload_text(pa->payload), payload_text(pb->payload));
    if (o_.time_tolerance) {
      const auto ta = r->at - start(rec_), tb = s->at - start(obs_);
      if ((ta > tb ? ta - tb : tb - ta) > *o_.time_tolerance)
        add(r, s, what, "time", std::to_string(ta.count()) + " us", std::to_string(tb.count()) + " us");
    }
  }

  // Ids: a flow's first packet maps the recorded id to the observed one; its other
  // packets must carry the mapped id.
  void ids(const packet_record* r, const packet_record* s, const std::string& what) {
    const auto a = id_of(*r), b = id_of(*s);
    if (!a || !b) return;
    auto& map = a->client_owned ? client_ids_ : broker_ids_;
    if (a->starts) {
      map[a->id] = b->id;
      return;
    }
    auto it = map.find(a->id);
    const std::uint16_t want = it != map.end() ? it->second : a->id;
    if (b->id != want)
      add(r, s, what, "id", std::to_string(a->id) + " (maps to " + std::to_string(want) + ")", std::to_string(b->id));
  }

  const std::vector<packet_record>& rec_;
  const std::vector<packet_record>& obs_;
  const compare_options& o_;
  std::map<std::uint16_t, std::uint16_t> client_ids_, broker_ids_;  // recorded -> observed
  std::vector<std::pair<timestamp, difference>> out_;
};

}  // namespace

std::vector<difference> compare(const std::vector<packet_record>& recorded, const std::vector<packet_record>& observed,
                                const compare_options& o) {
  return comparison(recorded, observed, o).run();
}

std::string to_string(const difference& d) {
  std::string out = d.packet + " " + d.field + ": ";
  if (d.field == "missing") out = d.packet + " missing: " + d.recorded;
  else if (d.field == "extra") out = d.packet + " extra: " + d.observed;
  else out += (d.recorded.empty() ? "(none)" : d.recorded) + " -> " + (d.observed.empty() ? "(none)" : d.observed);
  if (d.recorded_frame || d.observed_frame)
    out += " (frames " + (d.recorded_frame ? std::to_string(d.recorded_frame) : "-") + ", " +
           (d.observed_frame ? std::to_string(d.observed_frame) : "-") + ")";
  return out;
}

}  // namespace mqttspec::traces

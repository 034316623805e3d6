#include "subscribe.hpp"

namespace mqtt {

namespace {

constexpr std::string_view share_prefix = "$share/";

status check_packet_id(packet_type t, std::uint16_t id, protocol_version v) {
  if (id != 0) return ok();
  return violation(t, reason_code::protocol_error, v == protocol_version::v5 ? "MQTT-2.2.1-3" : "MQTT-2.3.1-1",
                   "packet identifier is 0");
}

}  // namespace

bool parse(reader& r, std::uint8_t, subscribe& p) {
  if (!r.u16(p.packet_id, "packet identifier")) return false;
  if (r.version() == protocol_version::v5 && !read_properties(r, p.props)) return false;
  const bool v5 = r.version() == protocol_version::v5;
  while (!r.at_end()) {
    subscription s;
    std::uint8_t opts;
    if (!r.utf8(s.filter, "topic filter") || !r.u8(opts, "subscription options")) return false;
    const std::uint8_t reserved = v5 ? 0xc0 : 0xfc;
    if (opts & reserved)
      return r.fail_at(r.offset() - 1, reason_code::malformed_packet, r.spec("MQTT-3.8.3-4", "MQTT-3.8.3-5"),
                       "reserved bits of subscription options are not 0: " + hex_byte(opts));
    if ((opts & 0x3) == 3)
      return r.fail_at(r.offset() - 1, v5 ? reason_code::protocol_error : reason_code::malformed_packet,
                       r.spec("MQTT-3.8.3-4", ""), "requested QoS is 3");
    s.max_qos = static_cast<mqtt::qos>(opts & 0x3);
    s.no_local = opts & 0x4;
    s.retain_as_published = opts & 0x8;
    s.retain_handling = (opts >> 4) & 0x3;
    p.topics.push_back(s);
  }
  return true;
}

status check(const subscribe& p, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  if (auto s = check_packet_id(packet_type::subscribe, p.packet_id, v); !s) return s;
  if (v5)
    if (auto s = check_properties(p.props, property_location::subscribe, 2); !s) return s;
  if (p.topics.empty())
    return violation(packet_type::subscribe, reason_code::protocol_error, v5 ? "MQTT-3.8.3-2" : "MQTT-3.8.3-3",
                     "no topic filter");
  for (const auto& s : p.topics) {
    if (s.filter.empty())
      return violation(packet_type::subscribe, reason_code::protocol_error, "MQTT-4.7.3-1", "topic filter is empty");
    if (!v5) continue;
    if (s.retain_handling == 3)
      return violation(packet_type::subscribe, reason_code::protocol_error, "",
                       "retain handling is 3 for " + quoted(s.filter));
    if (s.no_local && s.filter.starts_with(share_prefix))
      return violation(packet_type::subscribe, reason_code::protocol_error, "MQTT-3.8.3-4",
                       "no local is set on shared subscription " + quoted(s.filter));
  }
  return ok();
}

void emit(writer& w, const subscribe& p, protocol_version v) {
  w.u16(p.packet_id);
  if (v == protocol_version::v5) write_properties(w, p.props);
  for (const auto& s : p.topics) {
    w.prefixed(s.filter);
    w.u8(std::uint8_t(static_cast<std::uint8_t>(s.max_qos) | (s.no_local ? 0x4 : 0) |
                      (s.retain_as_published ? 0x8 : 0) | (s.retain_handling << 4)));
  }
}

void fields(field_list& out, const subscribe& p, protocol_version v) {
  out.emplace_back("id", std::to_string(p.packet_id));
  std::string list;
  for (const auto& s : p.topics) {
    if (!list.empty()) list += ' ';
    list += quoted(s.filter) + ":qos" + std::to_string(int(s.max_qos));
    if (v == protocol_version::v5) {
      if (s.no_local) list += ",nl";
      if (s.retain_as_published) list += ",rap";
      if (s.retain_handling) list += ",rh" + std::to_string(s.retain_handling);
    }
  }
  out.emplace_back("topics", "[" + list + "]");
  if (v == protocol_version::v5 && !p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

bool parse(reader& r, std::uint8_t, unsubscribe& p) {
  if (!r.u16(p.packet_id, "packet identifier")) return false;
  if (r.version() == protocol_version::v5 && !read_properties(r, p.props)) return false;
  while (!r.at_end()) {
    std::string_view f;
    if (!r.utf8(f, "topic filter")) return false;
    p.filters.push_back(f);
  }
  return true;
}

status check(const unsubscribe& p, protocol_version v) {
  if (auto s = check_packet_id(packet_type::unsubscribe, p.packet_id, v); !s) return s;
  if (v == protocol_version::v5)
    if (auto s = check_properties(p.props, property_location::unsubscribe, 2); !s) return s;
  if (p.filters.empty())
    return violation(packet_type::unsubscribe, reason_code::protocol_error, "MQTT-3.10.3-2", "no topic filter");
  for (auto f : p.filters)
    if (f.empty())
      return violation(packet_type::unsubscribe, reason_code::protocol_error, "MQTT-4.7.3-1", "topic filter is empty");
  return ok();
}

void emit(writer& w, const unsubscribe& p, protocol_version v) {
  w.u16(p.packet_id);
  if (v == protocol_version::v5) write_properties(w, p.props);
  for (auto f : p.filters) w.prefixed(f);
}

void fields(field_list& out, const unsubscribe& p, protocol_version v) {
  out.emplace_back("id", std::to_string(p.packet_id));
  std::string list;
  for (auto f : p.filters) list += (list.empty() ? "" : " ") + quoted(f);
  out.emplace_back("filters", "[" + list + "]");
  if (v == protocol_version::v5 && !p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

}  // namespace mqtt

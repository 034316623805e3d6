#include "publish.hpp"

namespace mqtt {

namespace {

// find_first_of("+#") calls memchr once per character; this loop vectorises, and
// it runs on every PUBLISH decoded.
bool has_wildcard(std::string_view s) {
  unsigned char found = 0;
  // '#' (0x23) and '+' (0x2b) differ only in bit 3: one compare finds both.
  for (std::size_t i = 0; i < s.size(); ++i) found |= (s[i] | 0x08) == '+';
  return found;
}

}  // namespace

bool parse(reader& r, std::uint8_t flags, publish& p) {
  p.dup = flags & 0x8;
  p.retain = flags & 0x1;
  const std::uint8_t q = (flags >> 1) & 0x3;
  if (q == 3) return r.fail_at(0, reason_code::malformed_packet, "MQTT-3.3.1-4", "QoS bits are both 1");
  p.qos = static_cast<mqtt::qos>(q);
  if (!r.utf8(p.topic, "topic name")) return false;
  if (p.qos != qos::at_most_once && !r.u16(p.packet_id, "packet identifier")) return false;
  if (r.version() == protocol_version::v5 && !read_properties(r, p.props)) return false;
  p.payload = r.rest();
  r.skip_rest();
  return true;
}

status check(const publish& p, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  const auto fail = [&](reason_code c, std::string_view id, std::string what, std::size_t at = 0) {
    return violation(packet_type::publish, c, id, std::move(what), at);
  };
  if (p.qos == qos::at_most_once && p.dup)
    return fail(reason_code::protocol_error, "MQTT-3.3.1-2", "DUP is 1 on a QoS 0 message");
  if (has_wildcard(p.topic))
    return fail(v5 ? reason_code::topic_name_invalid : reason_code::protocol_error, "MQTT-3.3.2-2",
                "topic name " + quoted(p.topic) + " contains a wildcard character", 2);
  if (p.qos != qos::at_most_once && p.packet_id == 0)
    return fail(reason_code::protocol_error, v5 ? "MQTT-2.2.1-3" : "MQTT-2.3.1-1",
                "QoS " + std::to_string(int(p.qos)) + " PUBLISH has packet identifier 0", 2 + p.topic.size());
  if (!v5) {
    if (p.topic.empty())
      return fail(reason_code::protocol_error, "MQTT-4.7.3-1", "topic name is empty", 2);
    return ok();
  }
  if (auto s = check_properties(p.props, property_location::publish); !s) return s;
  // An empty topic name is allowed only together with a Topic Alias (section 3.3.2.3.4).
  if (p.topic.empty() && !find(p.props, property_id::topic_alias))
    return fail(reason_code::protocol_error, "MQTT-4.7.3-1", "topic name is empty and there is no topic alias", 2);
  if (auto rt = text_of(p.props, property_id::response_topic); rt && has_wildcard(*rt))
    return fail(reason_code::protocol_error, "MQTT-3.3.2-14", "response topic " + quoted(*rt) + " contains a wildcard");
  return ok();
}

void emit(writer& w, const publish& p, protocol_version v) {
  w.prefixed(p.topic);
  if (p.qos != qos::at_most_once) w.u16(p.packet_id);
  if (v == protocol_version::v5) write_properties(w, p.props);
  w.raw(p.payload);
}

std::uint8_t flags(const publish& p) {
  return std::uint8_t((p.dup ? 0x8 : 0) | (static_cast<std::uint8_t>(p.qos) << 1) | (p.retain ? 0x1 : 0));
}

void fields(field_list& out, const publish& p, protocol_version v) {
  out.emplace_back("qos", std::to_string(int(p.qos)));
  out.emplace_back("dup", p.dup ? "1" : "0");
  out.emplace_back("retain", p.retain ? "1" : "0");
  if (p.qos != qos::at_most_once) out.emplace_back("id", std::to_string(p.packet_id));
  out.emplace_back("topic", quoted(p.topic));
  out.emplace_back("payload", size_text(p.payload.size()));
  if (v == protocol_version::v5 && !p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

}  // namespace mqtt

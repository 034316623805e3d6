#include "connect.hpp"

#include "../varint.hpp"

namespace mqtt {

namespace {

constexpr std::string_view protocol_name = "MQTT";

}  // namespace

result<protocol_version> peek_connect_version(bytes_view body, std::size_t base) {
  reader r(body, protocol_version::v311, packet_type::connect, base);
  std::string_view name;
  std::uint8_t level;
  if (!r.binary(name, "protocol name") || !r.u8(level, "protocol level")) return r.error();
  if (name != protocol_name) {
    r.fail_at(base, reason_code::unsupported_protocol_version, "MQTT-3.1.2-1",
              "protocol name is " + quoted(name) + ", not \"MQTT\"");
    return r.error();
  }
  if (level != 4 && level != 5) {
    r.fail_at(base + 6, reason_code::unsupported_protocol_version, "MQTT-3.1.2-2",
              "protocol level " + std::to_string(level) + " is neither 4 (3.1.1) nor 5 (5.0)");
    return r.error();
  }
  return static_cast<protocol_version>(level);
}

bool parse(reader& r, std::uint8_t, connect& p) {
  const bool v5 = r.version() == protocol_version::v5;
  std::string_view name;
  std::uint8_t level, f;
  if (!r.utf8(name, "protocol name") || !r.u8(level, "protocol level")) return false;
  p.version = static_cast<protocol_version>(level);
  const std::size_t flags_at = r.offset();
  if (!r.u8(f, "connect flags") || !r.u16(p.keep_alive, "keep alive")) return false;
  const bool user = f & 0x80, pass = f & 0x40, will_retain = f & 0x20, will = f & 0x04;
  const std::uint8_t will_qos = (f >> 3) & 0x3;
  p.clean_start = f & 0x02;
  const auto bad_flags = [&](std::string_view v311_id, std::string_view v5_id, std::string what) {
    return r.fail_at(flags_at, reason_code::malformed_packet, r.spec(v311_id, v5_id), std::move(what));
  };
  if (f & 0x01) return bad_flags("MQTT-3.1.2-3", "MQTT-3.1.2-3", "reserved connect flag is 1");
  if (!will && will_qos) return bad_flags("MQTT-3.1.2-13", "MQTT-3.1.2-11", "will QoS is not 0 without a will");
  if (!will && will_retain) return bad_flags("MQTT-3.1.2-15", "MQTT-3.1.2-13", "will retain is 1 without a will");
  if (will_qos == 3) return bad_flags("MQTT-3.1.2-14", "MQTT-3.1.2-12", "will QoS is 3");
  if (!v5 && pass && !user) return bad_flags("MQTT-3.1.2-22", "", "password flag is 1 but user name flag is 0");
  if (v5 && !read_properties(r, p.props)) return false;
  if (!r.utf8(p.client_id, "client identifier")) return false;
  if (will) {
    will_message w;
    w.qos = static_cast<mqtt::qos>(will_qos);
    w.retain = will_retain;
    if (v5 && !read_properties(r, w.props, "will properties")) return false;
    if (!r.utf8(w.topic, "will topic") || !r.binary(w.payload, "will payload")) return false;
    p.will = w;
  }
  if (user) {
    std::string_view u;
    if (!r.utf8(u, "user name")) return false;
    p.user_name = u;
  }
  if (pass) {
    bytes_view pw;
    if (!r.binary(pw, "password")) return false;
    p.password = pw;
  }
  if (!r.at_end())
    return r.fail(reason_code::malformed_packet, r.spec("MQTT-3.1.4-1", "MQTT-3.1.4-1"),
                  std::to_string(r.remaining()) + " bytes follow the last field the flags announce");
  return true;
}

status check(const connect& p, protocol_version) {
  if (p.version != protocol_version::v5) {
    if (p.password && !p.user_name)
      return violation(packet_type::connect, reason_code::malformed_packet, "MQTT-3.1.2-22",
                       "a password without a user name");
    if (p.will && p.will->topic.find_first_of("+#") != std::string_view::npos)
      return violation(packet_type::connect, reason_code::protocol_error, "MQTT-3.3.2-2",
                       "will topic " + quoted(p.will->topic) + " contains a wildcard");
    return ok();
  }
  if (auto s = check_properties(p.props, property_location::connect, 10); !s) return s;
  if (find(p.props, property_id::authentication_data) && !find(p.props, property_id::authentication_method))
    return violation(packet_type::connect, reason_code::protocol_error, "",
                     "authentication data without an authentication method");
  if (p.will) {
    // Will Properties follow protocol name, level, flags, keep alive (10 bytes), properties, client id.
    const std::size_t props = properties_size(p.props);
    const std::size_t will_at = 10 + varint_size(static_cast<std::uint32_t>(props)) + props + 2 + p.client_id.size();
    if (auto s = check_properties(p.will->props, property_location::will, will_at); !s) return s;
    if (p.will->topic.find_first_of("+#") != std::string_view::npos)
      return violation(packet_type::connect, reason_code::topic_name_invalid, "MQTT-3.3.2-2",
                       "will topic " + quoted(p.will->topic) + " contains a wildcard");
  }
  return ok();
}

void emit(writer& w, const connect& p, protocol_version) {
  const bool v5 = p.version == protocol_version::v5;
  w.prefixed(protocol_name);
  w.u8(static_cast<std::uint8_t>(p.version));
  std::uint8_t f = p.clean_start ? 0x02 : 0;
  if (p.will) f |= std::uint8_t(0x04 | (static_cast<std::uint8_t>(p.will->qos) << 3) | (p.will->retain ? 0x20 : 0));
  if (p.user_name) f |= 0x80;
  if (p.password) f |= 0x40;
  w.u8(f);
  w.u16(p.keep_alive);
  if (v5) write_properties(w, p.props);
  w.prefixed(p.client_id);
  if (p.will) {
    if (v5) write_properties(w, p.will->props);
    w.prefixed(p.will->topic);
    w.prefixed(p.will->payload);
  }
  if (p.user_name) w.prefixed(*p.user_name);
  if (p.password) w.prefixed(*p.password);
}

void fields(field_list& out, const connect& p, protocol_version) {
  const bool v5 = p.version == protocol_version::v5;
  out.emplace_back("version", std::string(to_string(p.version)));
  out.emplace_back("client_id", quoted(p.client_id));
  out.emplace_back(v5 ? "clean_start" : "clean_session", p.clean_start ? "1" : "0");
  out.emplace_back("keep_alive", std::to_string(p.keep_alive));
  if (p.will) {
    std::string w = "{topic=" + quoted(p.will->topic) + " payload=" + size_text(p.will->payload.size()) +
                    " qos=" + std::to_string(int(p.will->qos)) + " retain=" + (p.will->retain ? "1" : "0");
    if (v5 && !p.will->props.empty()) w += " props=[" + to_string(p.will->props) + "]";
    out.emplace_back("will", w + "}");
  }
  if (p.user_name) out.emplace_back("user", quoted(*p.user_name));
  if (p.password) out.emplace_back("password", size_text(p.password->size()));
  if (v5 && !p.props.empty()) out.emplace_back("props", "[" + to_string(p.props) + "]");
}

}  // namespace mqtt

#include "codec.hpp"

#include "fixed_header.hpp"
#include "varint.hpp"

namespace mqtt {

namespace {

template <class P>
result<packet> parse_as(bytes_view body, std::uint8_t flags, protocol_version v, std::size_t base) {
  reader r(body, v, P::type, base);
  P p;
  if (!parse(r, flags, p)) return r.error();
  if (auto s = check(p, v); !s) {
    decode_error e = s.error();
    e.offset += base;  // checks count from the variable header
    return e;
  }
  return packet{std::move(p)};
}

}  // namespace

result<packet> decode(bytes_view bytes, protocol_version v) {
  auto hr = read_fixed_header(bytes, v);
  if (!hr) return hr.error();
  if (!*hr) return decode_error{reason_code::malformed_packet, "", "the packet ends inside its fixed header", bytes.size()};
  const fixed_header h = **hr;
  if (h.packet_size() != bytes.size())
    return decode_error{reason_code::malformed_packet, "",
                        "remaining length says " + std::to_string(h.remaining_length) + " bytes but " +
                            std::to_string(bytes.size() - h.size) + " follow the fixed header",
                        1};
  const bytes_view body = bytes.substr(h.size);
  if (h.type() == packet_type::connect) {
    auto cv = peek_connect_version(body, h.size);
    if (!cv) return cv.error();
    v = *cv;
  }
  if (auto s = check_type_and_flags(h, v); !s) return s.error();
  switch (h.type()) {
    case packet_type::connect: return parse_as<connect>(body, h.flags(), v, h.size);
    case packet_type::connack: return parse_as<connack>(body, h.flags(), v, h.size);
    case packet_type::publish: return parse_as<publish>(body, h.flags(), v, h.size);
    case packet_type::puback: return parse_as<puback>(body, h.flags(), v, h.size);
    case packet_type::pubrec: return parse_as<pubrec>(body, h.flags(), v, h.size);
    case packet_type::pubrel: return parse_as<pubrel>(body, h.flags(), v, h.size);
    case packet_type::pubcomp: return parse_as<pubcomp>(body, h.flags(), v, h.size);
    case packet_type::subscribe: return parse_as<subscribe>(body, h.flags(), v, h.size);
    case packet_type::suback: return parse_as<suback>(body, h.flags(), v, h.size);
    case packet_type::unsubscribe: return parse_as<unsubscribe>(body, h.flags(), v, h.size);
    case packet_type::unsuback: return parse_as<unsuback>(body, h.flags(), v, h.size);
    case packet_type::pingreq: return parse_as<pingreq>(body, h.flags(), v, h.size);
    case packet_type::pingresp: return parse_as<pingresp>(body, h.flags(), v, h.size);
    case packet_type::disconnect: return parse_as<disconnect>(body, h.flags(), v, h.size);
    case packet_type::auth: return parse_as<auth>(body, h.flags(), v, h.size);
    case packet_type::reserved: break;
  }
  return decode_error{reason_code::malformed_packet, "", "unreachable packet type", 0};
}

status check(const packet& p, protocol_version v) {
  return std::visit([&](const auto& x) { return check(x, v); }, p);
}

void encode(const packet& p, protocol_version v, std::string& out) {
  std::visit(
      [&](const auto& x) {
        writer counter;
        emit(counter, x, v);
        const auto body = static_cast<std::uint32_t>(counter.size());
        out.reserve(out.size() + 5 + body);
        out.push_back(static_cast<char>((static_cast<std::uint8_t>(x.type) << 4) | flags(x)));
        put_varint(out, body);
        writer w(out);
        emit(w, x, v);
      },
      p);
}

std::string encode(const packet& p, protocol_version v) {
  std::string out;
  encode(p, v, out);
  return out;
}

std::size_t encoded_size(const packet& p, protocol_version v) {
  return std::visit(
      [&](const auto& x) {
        writer counter;
        emit(counter, x, v);
        return 1 + varint_size(static_cast<std::uint32_t>(counter.size())) + counter.size();
      },
      p);
}

field_list fields_of(const packet& p, protocol_version v) {
  field_list f;
  std::visit([&](const auto& x) { fields(f, x, v); }, p);
  return f;
}

std::string to_string(const packet& p, protocol_version v) {
  std::string out(to_string(type_of(p)));
  for (const auto& [k, val] : fields_of(p, v)) out += " " + k + "=" + val;
  return out;
}

std::string dump(const packet& p, protocol_version v, bytes_view bytes) {
  std::string out(to_string(type_of(p)));
  out += " (MQTT " + std::string(to_string(std::holds_alternative<connect>(p) ? std::get<connect>(p).version : v)) + ")\n";
  for (const auto& [k, val] : fields_of(p, v)) out += "  " + k + ": " + val + "\n";
  if (std::holds_alternative<publish>(p) && !std::get<publish>(p).payload.empty())
    out += "  payload bytes: " + quoted(std::get<publish>(p).payload.substr(0, 256)) + "\n";
  if (!bytes.empty()) out += "  hex: " + to_hex(bytes) + "\n";
  return out;
}

std::string to_hex(bytes_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (unsigned char c : bytes) {
    if (!out.empty()) out += ' ';
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

}  // namespace mqtt

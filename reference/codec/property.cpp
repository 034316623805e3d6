#include "property.hpp"

#include <array>
#include <cstdio>

#include "utf8.hpp"
#include "varint.hpp"

namespace mqtt {

namespace {

using L = property_location;
using T = property_type;

constexpr std::uint32_t at(std::initializer_list<L> ls) {
  std::uint32_t m = 0;
  for (auto l : ls) m |= 1u << static_cast<unsigned>(l);
  return m;
}

constexpr std::uint32_t acks_and_more =
    at({L::connack, L::puback, L::pubrec, L::pubrel, L::pubcomp, L::suback, L::unsuback, L::disconnect, L::auth});

// Table 2-4 (5.0 section 2.2.2.2) with the value ranges of sections 3.x.
constexpr std::array<property_info, 27> table{{
    {property_id::payload_format_indicator, "payload_format_indicator", T::byte, at({L::publish, L::will}), false, 0, 1},
    {property_id::message_expiry_interval, "message_expiry_interval", T::four_byte, at({L::publish, L::will}), false},
    {property_id::content_type, "content_type", T::utf8, at({L::publish, L::will}), false},
    {property_id::response_topic, "response_topic", T::utf8, at({L::publish, L::will}), false},
    {property_id::correlation_data, "correlation_data", T::binary, at({L::publish, L::will}), false},
    {property_id::subscription_identifier, "subscription_identifier", T::varint, at({L::publish, L::subscribe}), true, 1, varint_max},
    {property_id::session_expiry_interval, "session_expiry_interval", T::four_byte, at({L::connect, L::connack, L::disconnect}), false},
    {property_id::assigned_client_identifier, "assigned_client_identifier", T::utf8, at({L::connack}), false},
    {property_id::server_keep_alive, "server_keep_alive", T::two_byte, at({L::connack}), false},
    {property_id::authentication_method, "authentication_method", T::utf8, at({L::connect, L::connack, L::auth}), false},
    {property_id::authentication_data, "authentication_data", T::binary, at({L::connect, L::connack, L::auth}), false},
    {property_id::request_problem_information, "request_problem_information", T::byte, at({L::connect}), false, 0, 1},
    {property_id::will_delay_interval, "will_delay_interval", T::four_byte, at({L::will}), false},
    {property_id::request_response_information, "request_response_information", T::byte, at({L::connect}), false, 0, 1},
    {property_id::response_information, "response_information", T::utf8, at({L::connack}), false},
    {property_id::server_reference, "server_reference", T::utf8, at({L::connack, L::disconnect}), false},
    {property_id::reason_string, "reason_string", T::utf8, acks_and_more, false},
    {property_id::receive_maximum, "receive_maximum", T::two_byte, at({L::connect, L::connack}), false, 1, 65535},
    {property_id::topic_alias_maximum, "topic_alias_maximum", T::two_byte, at({L::connect, L::connack}), false},
    {property_id::topic_alias, "topic_alias", T::two_byte, at({L::publish}), false, 1, 65535},
    {property_id::maximum_qos, "maximum_qos", T::byte, at({L::connack}), false, 0, 1},
    {property_id::retain_available, "retain_available", T::byte, at({L::connack}), false, 0, 1},
    {property_id::user_property, "user_property", T::utf8_pair,
     at({L::connect, L::connack, L::publish, L::will, L::puback, L::pubrec, L::pubrel, L::pubcomp, L::subscribe,
         L::suback, L::unsubscribe, L::unsuback, L::disconnect, L::auth}),
     true},
    {property_id::maximum_packet_size, "maximum_packet_size", T::four_byte, at({L::connect, L::connack}), false, 1, 0xffffffff},
    {property_id::wildcard_subscription_available, "wildcard_subscription_available", T::byte, at({L::connack}), false, 0, 1},
    {property_id::subscription_identifier_available, "subscription_identifier_available", T::byte, at({L::connack}), false, 0, 1},
    {property_id::shared_subscription_available, "shared_subscription_available", T::byte, at({L::connack}), false, 0, 1},
}};

// Index from identifier byte to table row.
constexpr auto index = [] {
  std::array<std::int8_t, 256> ix{};
  ix.fill(-1);
  for (std::size_t i = 0; i < table.size(); ++i) ix[static_cast<std::uint8_t>(table[i].id)] = static_cast<std::int8_t>(i);
  return ix;
}();

std::string_view location_name(property_location l) {
  return l == L::will ? std::string_view("Will Properties") : to_string(static_cast<packet_type>(l));
}

}  // namespace

const property_info* find_property_info(std::uint8_t id) {
  auto i = index[id];
  return i < 0 ? nullptr : &table[static_cast<std::size_t>(i)];
}

const property_info& info(property_id id) { return *find_property_info(static_cast<std::uint8_t>(id)); }

bool allowed_in(property_id id, property_location where) {
  return info(id).locations & (1u << static_cast<unsigned>(where));
}

const property* find(const properties& ps, property_id id) {
  for (const auto& p : ps)
    if (p.id == id) return &p;
  return nullptr;
}

std::optional<std::uint32_t> number_of(const properties& ps, property_id id) {
  if (auto* p = find(ps, id)) return p->number;
  return std::nullopt;
}

std::optional<std::string_view> text_of(const properties& ps, property_id id) {
  if (auto* p = find(ps, id)) return p->text;
  return std::nullopt;
}

bool read_properties(reader& r, properties& out, std::string_view field) {
  std::uint32_t length;
  // Field names are only read on failure; build them without allocating on the hot path.
  std::string other;
  std::string_view length_name = "properties length";
  if (field == "will properties") length_name = "will properties length";
  else if (field != "properties") length_name = other = std::string(field) + " length";
  if (!r.varint(length, length_name)) return false;
  if (length > r.remaining())
    return r.fail(reason_code::malformed_packet, "",
                  std::string(field) + " length " + std::to_string(length) + " exceeds the " +
                      std::to_string(r.remaining()) + " bytes left in the packet");
  bytes_view body;
  r.take(length, body, field);
  reader pr(body, r.version(), r.type(), r.offset() - length);
  while (!pr.at_end()) {
    const std::size_t start = pr.offset();
    std::uint8_t idb;
    pr.u8(idb, "property identifier");
    const property_info* pi = find_property_info(idb);
    if (!pi) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", idb);
      pr.fail_at(start, reason_code::malformed_packet, "", std::string("unknown property identifier ") + hex);
      break;
    }
    property p{pi->id, 0, {}, {}};
    const std::string_view name = pi->name;
    switch (pi->type) {
      case T::byte: {
        std::uint8_t v;
        if (pr.u8(v, name)) p.number = v;
        break;
      }
      case T::two_byte: {
        std::uint16_t v;
        if (pr.u16(v, name)) p.number = v;
        break;
      }
      case T::four_byte: pr.u32(p.number, name); break;
      case T::varint: pr.varint(p.number, name); break;
      case T::utf8: pr.utf8(p.text, name); break;
      case T::binary: pr.binary(p.text, name); break;
      // User Property is the only string pair (Table 2-4).
      case T::utf8_pair: pr.utf8(p.text, "user_property name") && pr.utf8(p.value, "user_property value"); break;
    }
    if (pr.failed()) break;
    out.push_back(p);
  }
  if (pr.failed()) {
    const auto& e = pr.error();
    // The inner reader already prefixed the packet name.
    return r.fail_at(e.offset, e.code, e.spec_id, e.what.substr(to_string(r.type()).size() + 2));
  }
  return true;
}

status check_properties(const properties& ps, property_location where, std::size_t offset) {
  std::uint64_t seen = 0;  // one bit per identifier below 64
  const auto err = [&](reason_code c, std::string_view id, std::string what) {
    return decode_error{c, id, std::string(location_name(where)) + ": " + std::move(what), offset};
  };
  for (const auto& p : ps) {
    const auto& pi = info(p.id);
    if (!allowed_in(p.id, where))
      return err(reason_code::malformed_packet, "", std::string(pi.name) + " is not allowed in " +
                                                        std::string(location_name(where)));
    const std::uint64_t bit = 1ull << static_cast<unsigned>(p.id);
    const bool repeatable = pi.repeatable && !(p.id == property_id::subscription_identifier && where == L::subscribe);
    if ((seen & bit) && !repeatable)
      return err(reason_code::protocol_error, "", std::string(pi.name) + " appears more than once");
    seen |= bit;
    if (pi.max != 0 && (p.number < pi.min || p.number > pi.max)) {
      std::string_view id = p.id == property_id::topic_alias ? "MQTT-3.3.2-8" : "";
      return err(reason_code::protocol_error, id,
                 std::string(pi.name) + " is " + std::to_string(p.number) + ", outside " + std::to_string(pi.min) +
                     ".." + std::to_string(pi.max));
    }
  }
  return ok();
}

namespace {

void write_one(writer& w, const property& p) {
  w.u8(static_cast<std::uint8_t>(p.id));
  switch (info(p.id).type) {
    case T::byte: w.u8(static_cast<std::uint8_t>(p.number)); break;
    case T::two_byte: w.u16(static_cast<std::uint16_t>(p.number)); break;
    case T::four_byte: w.u32(p.number); break;
    case T::varint: w.varint(p.number); break;
    case T::utf8:
    case T::binary: w.prefixed(p.text); break;
    case T::utf8_pair:
      w.prefixed(p.text);
      w.prefixed(p.value);
      break;
  }
}

}  // namespace

std::size_t properties_size(const properties& ps) {
  writer counter;
  for (const auto& p : ps) write_one(counter, p);
  return counter.size();
}

void write_properties(writer& w, const properties& ps) {
  w.varint(static_cast<std::uint32_t>(properties_size(ps)));
  for (const auto& p : ps) write_one(w, p);
}

std::string quoted(std::string_view s);  // print.cpp

std::string to_string(const properties& ps) {
  std::string out;
  for (const auto& p : ps) {
    if (!out.empty()) out += ' ';
    const auto& pi = info(p.id);
    out += pi.name;
    out += '=';
    switch (pi.type) {
      case T::utf8:
      case T::binary: out += quoted(p.text); break;
      case T::utf8_pair: out += "(" + quoted(p.text) + "," + quoted(p.value) + ")"; break;
      default: out += std::to_string(p.number);
    }
  }
  return out;
}

}  // namespace mqtt

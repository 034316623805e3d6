// Decode errors are values: what is wrong, where, and the normative statement broken.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "reason_code.hpp"

namespace mqtt {

/// A packet the receiver must reject. `code` is the 5.0 reason code the receiver
/// should send before closing: malformed_packet (0x81) for bytes that do not parse,
/// protocol_error (0x82) for well-formed bytes that break a rule, or a more precise
/// one (packet_too_large, unsupported_protocol_version). 3.1.1 closes the connection
/// in every case.
struct decode_error {
  reason_code code = reason_code::malformed_packet;
  std::string_view spec_id;  // "MQTT-2.2.2-2"; empty where no statement is numbered
  std::string what;          // "reserved flags of SUBSCRIBE must be 0010"
  std::size_t offset = 0;    // byte offset in the packet (or stream) where it was found

  bool malformed() const { return code == reason_code::malformed_packet; }
};

/// "MQTT-2.2.2-2: reserved flags of SUBSCRIBE must be 0010 (malformed_packet at byte 0)"
std::string to_string(const decode_error& e);

/// Either a value or a decode_error; never throws on network bytes.
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}
  result(decode_error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const decode_error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, decode_error> v_;
};

/// A check that has no value to return: empty on success.
struct ok_t {};
using status = result<ok_t>;
inline status ok() { return ok_t{}; }

}  // namespace mqtt

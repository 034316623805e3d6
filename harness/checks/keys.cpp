// The keys the checkers' hashed maps use (checks.hpp): worked out once per packet by
// fill_in, so that no checker hashes a client name or a payload again.
#include <cstring>

#include "checks.hpp"

namespace mqttspec::checks {

namespace {

// The high and low halves of a 64 x 64 bit product, folded: every input bit moves
// many output bits.
std::uint64_t fold(std::uint64_t a, std::uint64_t b) {
  __extension__ using wide = unsigned __int128;  // GCC and Clang: the whole product
  const auto r = static_cast<wide>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

std::uint64_t load(const char* p, std::size_t n) {  // n <= 8 bytes, little or big endian alike
  std::uint64_t v = 0;
  if (n > 0) std::memcpy(&v, p, n);
  return v;
}

std::uint64_t connection_key(std::uint64_t client, std::uint64_t connection) {
  return client ^ fold(connection + 1, 0x9e3779b97f4a7c15ull);
}

}  // namespace

std::uint64_t hash_bytes(std::string_view s) {
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
  std::uint64_t h = s.size() ^ k0;
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n > 16; p += 16, n -= 16) h = fold(load(p, 8) ^ k1, load(p + 8, 8) ^ h);
  const std::size_t first = n < 8 ? n : 8;
  h = fold(load(p, first) ^ k1, load(p + first, n - first) ^ h);
  return fold(h ^ k2, s.size() ^ k1);
}

std::uint64_t client_key(std::string_view client) { return hash_bytes(client); }

std::uint64_t connection_key(std::string_view client, std::uint64_t connection) {
  return connection_key(client_key(client), connection);
}

std::uint64_t message_hash(std::uint64_t topic_key, std::string_view payload) {
  return fold(topic_key ^ 0x9e3779b97f4a7c15ull, hash_bytes(payload) ^ 0xe7037ed1a0b428dbull);
}

std::uint64_t message_hash(std::string_view topic, std::string_view payload) {
  return message_hash(hash_bytes(topic), payload);
}

std::uint64_t message_hash(std::uint64_t client_key, std::uint64_t message) {
  return message * 0xff51afd7ed558ccdull ^ client_key;
}

void fill_in(observed& o) {
  o.client_key = client_key(o.client);
  o.connection_key = connection_key(o.client_key, o.connection);
  if (const auto* p = std::get_if<mqtt::publish>(&o.packet)) {
    if (o.topic.empty()) o.topic = std::string(p->topic);
    o.topic_key = hash_bytes(o.topic);
    o.message = message_hash(o.topic_key, p->payload);
  }
}

}  // namespace mqttspec::checks

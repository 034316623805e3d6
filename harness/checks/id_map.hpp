// A map keyed by Packet Identifier, for the flows a connection has in flight: found,
// added and removed in constant time with no allocation per identifier (a capture
// holds millions of flows; std::map allocated and rebalanced for each). Identifiers
// live in pages of 256, allocated while one of their identifiers is in use, so an idle
// map costs a few words and a busy one what is in flight.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <vector>

namespace mqttspec::checks {

template <class T>
class id_map {
 public:
  T* find(std::uint16_t id) {
    auto* p = page_of(id);
    return p && p->used[id & 0xff] ? &p->slots[id & 0xff] : nullptr;
  }
  const T* find(std::uint16_t id) const { return const_cast<id_map*>(this)->find(id); }
  bool contains(std::uint16_t id) const { return find(id) != nullptr; }

  /// The value of `id`, added (value-initialised) if absent.
  T& operator[](std::uint16_t id) { return *try_emplace(id, T{}).first; }

  /// Adds `value` under `id` unless present; the value and whether it was added.
  std::pair<T*, bool> try_emplace(std::uint16_t id, T value) {
    const std::size_t page = id >> 8u;
    if (pages_.size() <= page) pages_.resize(page + 1);
    auto& p = pages_[page];
    if (!p) p = std::make_unique<block>();
    auto& slot = p->slots[id & 0xff];
    if (p->used[id & 0xff]) return {&slot, false};
    p->used[id & 0xff] = true;
    slot = std::move(value);
    ++size_;
    return {&slot, true};
  }

  bool erase(std::uint16_t id) {
    auto* p = page_of(id);
    if (!p || !p->used[id & 0xff]) return false;
    p->used[id & 0xff] = false;
    p->slots[id & 0xff] = T{};
    --size_;
    if (p->used.none()) pages_[id >> 8].reset();
    return true;
  }

  void clear() {
    pages_.clear();
    size_ = 0;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct block {
    std::bitset<256> used;
    std::array<T, 256> slots{};
  };
  block* page_of(std::uint16_t id) const {
    const std::size_t page = id >> 8u;
    return page < pages_.size() ? pages_[page].get() : nullptr;
  }

  std::vector<std::unique_ptr<block>> pages_;
  std::size_t size_ = 0;
};

}  // namespace mqttspec::checks

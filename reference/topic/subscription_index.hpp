// A trie of topic filters: matching a topic name walks only the levels it names,
// so its cost does not grow with the number of unrelated subscriptions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mqtt::topic {

/// Maps (filter, subscriber key) -> value. `Value` is what the broker stores per
/// subscription (options, subscription identifier, ...).
template <class Value>
class subscription_index {
 public:
  using key = std::uint64_t;

  /// Adds or replaces the subscription of `k` to `filter`; true when it is new.
  bool insert(std::string_view filter, key k, Value v);
  /// Removes it; true when it existed.
  bool erase(std::string_view filter, key k);
  /// The value of `k`'s subscription to exactly `filter`, or nullptr.
  const Value* find(std::string_view filter, key k) const;
  /// Calls `f(filter, k, value)` for every subscription whose filter matches `name`.
  void match(std::string_view name, const std::function<void(std::string_view, key, const Value&)>& f) const;
  std::size_t size() const { return size_; }

 private:
  struct node {
    std::unordered_map<std::string, std::unique_ptr<node>> children;
    std::unordered_map<key, Value> subscribers;
    std::string filter;  // the full filter ending at this node
  };
  node root_;
  std::size_t size_ = 0;
};

}  // namespace mqtt::topic

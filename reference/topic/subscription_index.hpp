// A trie of topic filters, one node per level: matching a topic name walks only the
// levels it names plus the '+' and '#' branches, so its cost does not grow with the
// number of unrelated subscriptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mqtt::topic {

/// Maps (filter, subscriber key) -> value. `Value` is what the broker stores per
/// subscription (options, subscription identifier, ...).
///
/// Filters are taken as valid (check_filter) and are never normalised: "a//b", "/a"
/// and "a/" have empty levels, which are levels like any other.
///
/// Shared subscriptions (5.0 section 4.8.2) are the caller's to split: pass
/// parse_shared(f)->group and ->filter to the *_shared functions. They are indexed
/// under the inner filter, so "$share/g/a/b" is matched by the name "a/b", and kept
/// apart from a non-shared subscription of the same key to "a/b" and from other
/// groups. insert/erase/find take the filter literally: "$share/g/a" given to them is
/// the ordinary 3.1.1 filter that matches only the name "$share/g/a".
template <class Value>
class subscription_index {
 public:
  using key = std::uint64_t;

  subscription_index() = default;
  subscription_index(const subscription_index&) = delete;
  subscription_index& operator=(const subscription_index&) = delete;
  subscription_index(subscription_index&& other) noexcept { *this = std::move(other); }
  subscription_index& operator=(subscription_index&& other) noexcept;
  ~subscription_index() { clear(); }

  /// Adds or replaces the subscription of `k` to `filter`; true when it is new.
  bool insert(std::string_view filter, key k, Value v) { return insert_impl({}, filter, k, std::move(v)); }
  /// Removes it; true when it existed. Nodes left empty are freed.
  bool erase(std::string_view filter, key k) { return erase_impl({}, filter, k); }
  /// The value of `k`'s subscription to exactly `filter`, or nullptr.
  const Value* find(std::string_view filter, key k) const { return find_impl({}, filter, k); }
  Value* find(std::string_view filter, key k) { return const_cast<Value*>(find_impl({}, filter, k)); }

  /// The same for a member of share group `group` (non-empty) on `filter`, the part
  /// after "$share/{group}/".
  bool insert_shared(std::string_view group, std::string_view filter, key k, Value v) {
    return insert_impl(group, filter, k, std::move(v));
  }
  bool erase_shared(std::string_view group, std::string_view filter, key k) { return erase_impl(group, filter, k); }
  const Value* find_shared(std::string_view group, std::string_view filter, key k) const {
    return find_impl(group, filter, k);
  }
  Value* find_shared(std::string_view group, std::string_view filter, key k) {
    return const_cast<Value*>(find_impl(group, filter, k));
  }

  /// Removes every subscription of `k`, shared ones included (a session ends);
  /// returns how many. Costs the number of k's subscriptions, not a walk of the trie.
  std::size_t erase_all(key k);

  /// Calls `f(filter, k, value)` for every subscription whose filter matches `name`,
  /// `name` being a valid Topic Name. `filter` is the subscription's filter as the
  /// client sent it: "a/+", or "$share/g/a/+" for a member of group g (parse_shared
  /// gives the group back); a broker delivers to one member per group. The order is
  /// unspecified. `f` must not modify the index. Returns the number of trie nodes
  /// visited, which tests use to check the walk stays on the name's path.
  /// `dollar_rule` false lets leading wildcards match $-names: only for a broker fault.
  template <class F>
  std::size_t match(std::string_view name, F&& f, bool dollar_rule = true) const;

  /// Subscriptions held, shared ones included.
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Trie nodes below the root; 0 once every subscription is erased.
  std::size_t node_count() const { return nodes_; }
  void clear();

 private:
  struct level_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct share_group {
    std::string filter;  // "$share/{group}/{node filter}", what match reports
    std::unordered_map<key, Value> members;
  };
  struct node {
    std::unordered_map<std::string, std::unique_ptr<node>, level_hash, std::equal_to<>> children;  // literal levels
    std::unique_ptr<node> plus;  // the '+' level
    std::unique_ptr<node> hash;  // the '#' level, always a leaf
    std::unordered_map<key, Value> subscribers;
    std::map<std::string, share_group, std::less<>> groups;
    std::string filter;  // the full filter ending here; set while the node holds subscriptions

    bool unused() const {
      return children.empty() && !plus && !hash && subscribers.empty() && groups.empty();
    }
  };

  bool insert_impl(std::string_view group, std::string_view filter, key k, Value v);
  bool erase_impl(std::string_view group, std::string_view filter, key k);
  const Value* find_impl(std::string_view group, std::string_view filter, key k) const;
  const node* locate(std::string_view filter) const;
  static const node* locate_child(const node& n, std::string_view level);
  static std::unique_ptr<node>* slot(node& n, std::string_view level);
  static void drop(node& parent, std::string_view level);

  node root_;
  std::size_t size_ = 0;
  std::size_t nodes_ = 0;
  // key -> its (group, filter) pairs, group empty when not shared: makes erase_all cheap.
  std::unordered_map<key, std::set<std::pair<std::string, std::string>>> by_key_;
};

}  // namespace mqtt::topic

#include "subscription_index.ipp"

// Bodies of subscription_index; included by subscription_index.hpp only.
#pragma once

namespace mqtt::topic {

namespace detail {

/// Takes the next level off `rest`: "a//b" gives "a", "", "b"; sets `done` at the last.
inline std::string_view next_level(std::string_view& rest, bool& done) {
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    done = true;
    return std::exchange(rest, std::string_view{});
  }
  const std::string_view level = rest.substr(0, slash);
  rest.remove_prefix(slash + 1);
  return level;
}

}  // namespace detail

template <class Value>
subscription_index<Value>& subscription_index<Value>::operator=(subscription_index&& other) noexcept {
  if (this == &other) return *this;
  clear();
  root_ = std::move(other.root_);
  size_ = std::exchange(other.size_, 0);
  nodes_ = std::exchange(other.nodes_, 0);
  by_key_ = std::move(other.by_key_);
  other.clear();
  return *this;
}

template <class Value>
auto subscription_index<Value>::slot(node& n, std::string_view level) -> std::unique_ptr<node>* {
  if (level == "+") return &n.plus;
  if (level == "#") return &n.hash;
  auto it = n.children.find(level);
  if (it == n.children.end()) it = n.children.emplace(std::string(level), nullptr).first;
  return &it->second;
}

template <class Value>
void subscription_index<Value>::drop(node& parent, std::string_view level) {
  if (level == "+") parent.plus.reset();
  else if (level == "#") parent.hash.reset();
  else parent.children.erase(parent.children.find(level));
}

template <class Value>
auto subscription_index<Value>::locate(std::string_view filter) const -> const node* {
  const node* n = &root_;
  bool done = false;
  while (!done) {
    n = locate_child(*n, detail::next_level(filter, done));
    if (!n) return nullptr;
  }
  return n;
}

template <class Value>
bool subscription_index<Value>::insert_impl(std::string_view group, std::string_view filter, key k, Value v) {
  node* n = &root_;
  std::string_view rest = filter;
  bool done = false;
  while (!done) {
    const std::string_view level = detail::next_level(rest, done);
    std::unique_ptr<node>* s = slot(*n, level);
    if (!*s) {
      *s = std::make_unique<node>();
      ++nodes_;
    }
    n = s->get();
  }
  // Only nodes holding subscriptions keep their filter: a copy on every inner node
  // would cost the square of the length for a filter of many levels.
  if (n->subscribers.empty() && n->groups.empty()) n->filter = filter;
  bool fresh;
  if (group.empty()) {
    fresh = n->subscribers.insert_or_assign(k, std::move(v)).second;
  } else {
    auto it = n->groups.find(group);
    if (it == n->groups.end()) {
      std::string full = "$share/" + std::string(group) + "/" + std::string(filter);
      it = n->groups.emplace(std::string(group), share_group{std::move(full), {}}).first;
    }
    fresh = it->second.members.insert_or_assign(k, std::move(v)).second;
  }
  if (fresh) {
    ++size_;
    by_key_[k].emplace(std::string(group), std::string(filter));
  }
  return fresh;
}

template <class Value>
bool subscription_index<Value>::erase_impl(std::string_view group_in, std::string_view filter_in, key k) {
  // Own copies: the caller's views may point into a node (its filter) freed below.
  const std::string group(group_in);
  const std::string filter(filter_in);
  std::vector<std::pair<node*, std::string_view>> path;  // (parent, level to the child)
  node* n = &root_;
  std::string_view rest = filter;
  bool done = false;
  while (!done) {
    const std::string_view level = detail::next_level(rest, done);
    node* child = const_cast<node*>(locate_child(*n, level));
    if (!child) return false;
    path.emplace_back(n, level);
    n = child;
  }
  if (group.empty()) {
    if (n->subscribers.erase(k) == 0) return false;
  } else {
    auto it = n->groups.find(group);
    if (it == n->groups.end() || it->second.members.erase(k) == 0) return false;
    if (it->second.members.empty()) n->groups.erase(it);
  }
  --size_;
  if (auto bk = by_key_.find(k); bk != by_key_.end()) {
    bk->second.erase({group, filter});
    if (bk->second.empty()) by_key_.erase(bk);
  }
  // Free the nodes left with nothing, deepest first.
  for (std::size_t i = path.size(); i-- > 0;) {
    node* child = i + 1 < path.size() ? path[i + 1].first : n;
    if (!child->unused()) break;
    drop(*path[i].first, path[i].second);
    --nodes_;
  }
  return true;
}

template <class Value>
auto subscription_index<Value>::locate_child(const node& n, std::string_view level) -> const node* {
  if (level == "+") return n.plus.get();
  if (level == "#") return n.hash.get();
  auto it = n.children.find(level);
  return it == n.children.end() ? nullptr : it->second.get();
}

template <class Value>
const Value* subscription_index<Value>::find_impl(std::string_view group, std::string_view filter, key k) const {
  const node* n = locate(filter);
  if (!n) return nullptr;
  const std::unordered_map<key, Value>* subs = &n->subscribers;
  if (!group.empty()) {
    auto it = n->groups.find(group);
    if (it == n->groups.end()) return nullptr;
    subs = &it->second.members;
  }
  auto it = subs->find(k);
  return it == subs->end() ? nullptr : &it->second;
}

template <class Value>
std::size_t subscription_index<Value>::erase_all(key k) {
  auto it = by_key_.find(k);
  if (it == by_key_.end()) return 0;
  // Copied out: erase_impl edits the set.
  const std::vector<std::pair<std::string, std::string>> entries(it->second.begin(), it->second.end());
  std::size_t erased = 0;
  for (const auto& [group, filter] : entries) erased += erase_impl(group, filter, k) ? 1 : 0;
  return erased;
}

template <class Value>
template <class F>
std::size_t subscription_index<Value>::match(std::string_view name, F&& f, bool dollar_rule) const {
  struct frame {
    const node* n;
    std::string_view rest;  // the name's levels below n
    bool done;              // no level left: n is where the name ends
  };
  const auto emit = [&f](const node& n) {
    for (const auto& [k, v] : n.subscribers) f(std::string_view(n.filter), k, v);
    for (const auto& [group, g] : n.groups)
      for (const auto& [k, v] : g.members) f(std::string_view(g.filter), k, v);
  };
  // '$' names skip the root's '+' and '#' branches (MQTT-4.7.2-1).
  const bool dollar = dollar_rule && name.starts_with('$');
  // An explicit stack, not recursion: a filter may have ~32k levels.
  std::vector<frame> stack;
  stack.reserve(8);
  stack.push_back({&root_, name, false});
  std::size_t visited = 0;
  while (!stack.empty()) {
    frame fr = stack.back();
    stack.pop_back();
    ++visited;
    const bool wildcards = !(dollar && fr.n == &root_);
    if (wildcards && fr.n->hash) {  // '#' takes the rest, even nothing ("a/#" matches "a")
      ++visited;
      emit(*fr.n->hash);
    }
    if (fr.done) {
      emit(*fr.n);
      continue;
    }
    const std::string_view level = detail::next_level(fr.rest, fr.done);
    if (auto it = fr.n->children.find(level); it != fr.n->children.end())
      stack.push_back({it->second.get(), fr.rest, fr.done});
    if (wildcards && fr.n->plus) stack.push_back({fr.n->plus.get(), fr.rest, fr.done});
  }
  return visited;
}

template <class Value>
void subscription_index<Value>::clear() {
  // Frees nodes one by one: destroying a deep chain through unique_ptr would recurse.
  std::vector<std::unique_ptr<node>> pending;
  const auto detach = [&pending](node& n) {
    for (auto& [level, child] : n.children) pending.push_back(std::move(child));
    n.children.clear();
    if (n.plus) pending.push_back(std::move(n.plus));
    if (n.hash) pending.push_back(std::move(n.hash));
  };
  detach(root_);
  while (!pending.empty()) {
    std::unique_ptr<node> n = std::move(pending.back());
    pending.pop_back();
    detach(*n);
  }
  root_.subscribers.clear();
  root_.groups.clear();
  size_ = 0;
  nodes_ = 0;
  by_key_.clear();
}

}  // namespace mqtt::topic

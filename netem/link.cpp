#include "link.hpp"

#include <algorithm>

namespace netem {

void stream::add(std::unique_ptr<impairment> i, timestamp now) {
  i->start(now);
  chain_.push_back(std::move(i));
}

void stream::remove(const std::string& type_prefix, timestamp now) {
  for (std::size_t i = 0; i < chain_.size();) {
    if (!chain_[i]->name().starts_with(type_prefix)) {
      ++i;
      continue;
    }
    // Whatever the impairment held goes on through the rest of the chain now.
    std::vector<segment> held;
    chain_[i]->flush(now, held);
    chain_.erase(chain_.begin() + std::ptrdiff_t(i));
    push_from(i, std::move(held));
  }
  settle_fin();
}

void stream::send(timestamp now, std::string bytes) {
  if (closed_ || bytes.empty()) return;
  std::vector<segment> segs;
  segs.push_back({now, std::move(bytes)});
  push_from(0, std::move(segs));
}

void stream::push_from(std::size_t stage, std::vector<segment> segs) {
  for (std::size_t i = stage; i < chain_.size() && !segs.empty(); ++i) {
    std::vector<segment> next;
    for (auto& s : segs) chain_[i]->apply(std::move(s), next, trace_);
    segs = std::move(next);
  }
  for (auto& s : segs) {
    // The stream as a whole stays in order even when a stage is added mid-way.
    timestamp at = ready_.empty() ? s.at : std::max(s.at, ready_.back().at);
    ready_.push_back({at, dir_, delivery::kind::data, std::move(s.bytes)});
  }
}

void stream::close(timestamp now, bool reset) {
  if (closed_) return;
  closed_ = true;
  // A blackhole swallows the RST as it does the FIN: the far end stays half-open.
  if (reset)
    for (const auto& i : chain_)
      if (i->drops_everything()) {
        trace_.push_back({now, i->name(), "RST dropped"});
        return;
      }
  if (reset) {
    ready_.clear();
    for (auto& i : chain_) {
      std::vector<segment> dropped;
      i->flush(now, dropped);
    }
    trace_.push_back({now, "reset", "RST: bytes in flight are lost"});
    ready_.push_back({now, dir_, delivery::kind::rst, {}});
    return;
  }
  for (const auto& i : chain_)
    if (i->drops_everything()) {
      trace_.push_back({now, i->name(), "FIN dropped"});
      return;
    }
  // FIN follows the data: after the last byte that will be delivered, including bytes
  // a partition or stall still holds (queued when they are released, not before).
  trace_.push_back({now, "close", "FIN after the bytes in flight"});
  fin_pending_ = now;
  settle_fin();
}

void stream::settle_fin() {
  if (!fin_pending_) return;
  for (const auto& i : chain_)
    if (i->next_release()) return;
  timestamp at = *fin_pending_;
  if (!ready_.empty()) at = std::max(at, ready_.back().at);
  ready_.push_back({at, dir_, delivery::kind::fin, {}});
  fin_pending_.reset();
}

void stream::release(timestamp now) {
  for (std::size_t i = 0; i < chain_.size(); ++i) {
    std::vector<segment> out;
    chain_[i]->release(now, out, trace_);
    if (!out.empty()) push_from(i + 1, std::move(out));
  }
  settle_fin();
}

std::optional<timestamp> stream::next_event() const {
  std::optional<timestamp> t;
  if (!ready_.empty()) t = ready_.front().at;
  for (const auto& i : chain_)
    if (auto r = i->next_release(); r && (!t || *r < *t)) t = r;
  return t;
}

void stream::deliver(timestamp now, std::vector<delivery>& out) {
  release(now);
  while (!ready_.empty() && ready_.front().at <= now) {
    out.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
}

link::link(std::uint64_t seed, const std::vector<impairment_spec>& specs, timestamp now) : seed_(seed) {
  for (const auto& s : specs) {
    auto e = add(s, now);
    if (!e.empty() && error_.empty()) error_ = e;
  }
}

std::string link::add(const impairment_spec& spec, timestamp now) {
  for (direction d : {direction::upstream, direction::downstream}) {
    if (spec.dir != direction::both && spec.dir != d) continue;
    impairment_spec one = spec;
    one.dir = d;
    auto made = make_impairment(one, rng::derive(seed_, made_++));
    if (!made.value) return made.error;
    of(d).add(std::move(made.value), now);
  }
  return {};
}

void link::remove(const std::string& type, direction d, timestamp now) {
  for (direction x : {direction::upstream, direction::downstream})
    if (d == direction::both || d == x) of(x).remove(type, now);
}

void link::send(direction d, timestamp now, std::string bytes) { of(d).send(now, std::move(bytes)); }

void link::close(direction d, timestamp now, bool reset) {
  for (direction x : {direction::upstream, direction::downstream})
    if (d == direction::both || d == x) of(x).close(now, reset);
}

std::optional<timestamp> link::next_event() const {
  auto a = up_.next_event(), b = down_.next_event();
  if (a && b) return std::min(*a, *b);
  return a ? a : b;
}

std::vector<delivery> link::deliver(timestamp now) {
  std::vector<delivery> out;
  up_.deliver(now, out);
  down_.deliver(now, out);
  std::stable_sort(out.begin(), out.end(), [](const delivery& x, const delivery& y) { return x.at < y.at; });
  return out;
}

std::vector<decision> link::trace() const {
  auto all = up_.trace();
  const auto& d = down_.trace();
  all.insert(all.end(), d.begin(), d.end());
  std::stable_sort(all.begin(), all.end(), [](const decision& x, const decision& y) { return x.at < y.at; });
  return all;
}

}  // namespace netem

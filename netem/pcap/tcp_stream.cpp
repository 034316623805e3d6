#include "tcp_stream.hpp"

#include <algorithm>

namespace netem {

namespace {
// History is trimmed in bulk once it doubles, so each delivered byte is moved at most once.
constexpr std::size_t history_keep = tcp_reassembler::history_limit;
}

void tcp_stream::start(std::uint32_t seq, bool syn) {
  started_ = true;
  syn_ = syn;
  base_ = syn ? seq + 1 : seq;
}

void tcp_stream::data(const context& c, std::uint32_t seq, std::string_view payload) {
  if (payload.empty()) return;
  std::int64_t off = offset_of(seq);
  const std::int64_t end = off + static_cast<std::int64_t>(payload.size());
  if (end <= 0) {  // before the stream's start: the capture began after these bytes
    ++c.stats.retransmissions;
    return;
  }
  if (off < 0) {
    payload.remove_prefix(static_cast<std::size_t>(-off));
    off = 0;
  }
  const auto from = static_cast<std::uint64_t>(off), to = static_cast<std::uint64_t>(end);
  if (from > next_) {
    ++(hold(c, from, payload) ? c.stats.out_of_order : c.stats.retransmissions);
    while (held_bytes_ > c.max_held && !held_.empty()) skip_to(c, held_.begin()->first);
    return;
  }
  if (to <= next_) {
    ++c.stats.retransmissions;
    compare(c, from, payload, history_, history_at_);
    return;
  }
  if (from < next_) compare(c, from, payload.substr(0, next_ - from), history_, history_at_);
  std::string_view fresh = payload.substr(next_ - from);
  // Bytes that reach into held ones: the held (first) copies win, the rest is held too.
  if (!held_.empty() && to > held_.begin()->first) {
    const std::uint64_t cut = held_.begin()->first;
    hold(c, cut, fresh.substr(cut - next_));
    fresh = fresh.substr(0, cut - next_);
  }
  deliver(c, fresh);
  drain(c);
  close_if_due(c);
}

bool tcp_stream::hold(const context& c, std::uint64_t off, std::string_view payload) {
  const std::uint64_t end = off + payload.size();
  auto it = held_.upper_bound(off);
  if (it != held_.begin()) {
    const auto before = std::prev(it);
    if (before->first + before->second.size() > off) it = before;
  }
  bool added = false, conflicted = false;
  const auto insert = [&](std::uint64_t from, std::uint64_t to) {
    held_.emplace_hint(it, from, std::string(payload.substr(from - off, to - from)));
    held_bytes_ += to - from;
    added = true;
  };
  std::uint64_t at = off;
  while (at < end) {
    if (it == held_.end() || it->first >= end) {
      insert(at, end);
      break;
    }
    if (it->first > at) {
      insert(at, it->first);
      at = it->first;
    }
    const std::uint64_t stop = std::min<std::uint64_t>(end, it->first + it->second.size());
    if (!conflicted) conflicted = compare(c, at, payload.substr(at - off, stop - at), it->second, it->first);
    at = stop;
    ++it;
  }
  return added;
}

bool tcp_stream::compare(const context& c, std::uint64_t off, std::string_view bytes, std::string_view first,
                         std::uint64_t first_off) {
  const std::uint64_t from = std::max(off, first_off);
  const std::uint64_t to = std::min<std::uint64_t>(off + bytes.size(), first_off + first.size());
  for (std::uint64_t i = from; i < to; ++i)
    if (bytes[i - off] != first[i - first_off]) {
      ++c.stats.conflicts;
      c.sink.on_conflict(c.conn, c.side, i, c.frame, c.at);
      return true;
    }
  return false;
}

void tcp_stream::deliver(const context& c, std::string_view bytes) {
  if (bytes.empty()) return;
  c.sink.on_data(c.conn, c.side, bytes, c.frame, c.at);
  history_.append(bytes);
  if (history_.size() > 2 * history_keep) {
    const std::size_t drop = history_.size() - history_keep;
    history_.erase(0, drop);
    history_at_ += drop;
  }
  next_ += bytes.size();
}

void tcp_stream::drain(const context& c) {
  while (!held_.empty() && held_.begin()->first <= next_) {
    const auto it = held_.begin();
    if (it->first + it->second.size() > next_) deliver(c, std::string_view(it->second).substr(next_ - it->first));
    held_bytes_ -= it->second.size();
    held_.erase(it);
  }
}

void tcp_stream::skip_to(const context& c, std::uint64_t off) {
  if (off <= next_) return;
  const std::uint64_t missing = off - next_;
  ++c.stats.gaps;
  c.stats.gap_bytes += missing;
  c.sink.on_gap(c.conn, c.side, missing, c.frame, c.at);
  next_ = off;
  history_.clear();
  history_at_ = off;
  drain(c);
  close_if_due(c);
}

void tcp_stream::fin(const context& c, std::uint32_t seq) {
  if (fin_at_) return;  // a retransmitted FIN
  fin_at_ = static_cast<std::uint64_t>(std::max<std::int64_t>(offset_of(seq), static_cast<std::int64_t>(next_)));
  close_if_due(c);
}

void tcp_stream::close_if_due(const context& c) {
  if (!fin_at_ || closed_ || next_ < *fin_at_) return;
  closed_ = true;
  c.sink.on_close(c.conn, c.side, false, c.frame, c.at);
}

void tcp_stream::ack(const context& c, std::uint32_t seq) {
  const std::int64_t off = offset_of(seq);
  if (off <= static_cast<std::int64_t>(next_)) {
    // Acknowledged bytes are never retransmitted: forget them (in bulk, to move few bytes).
    if (off <= static_cast<std::int64_t>(history_at_)) return;
    const auto done = static_cast<std::size_t>(off - static_cast<std::int64_t>(history_at_));
    if (done == history_.size() || done >= history_.size() / 2) {
      history_.erase(0, done);
      history_at_ += done;
    }
    return;
  }
  std::uint64_t upto = static_cast<std::uint64_t>(off);
  if (fin_at_) upto = std::min(upto, *fin_at_);  // the FIN's own sequence number is acknowledged too
  acked_ = std::max(acked_, upto);
  acked_any_ = true;
  history_.clear();
  history_at_ = next_;
  // The receiver has bytes the capture lacks, and later ones were seen: the hole is lost.
  if (!held_.empty()) skip_to(c, std::min(upto, held_.begin()->first));
}

void tcp_stream::finish(const context& c) {
  while (!held_.empty()) skip_to(c, held_.begin()->first);
  // Acknowledged but never seen; an unseen FIN may account for the last acknowledged number.
  const std::uint64_t acked = fin_at_ ? std::min(acked_, *fin_at_) : (acked_ ? acked_ - 1 : 0);
  if (acked_any_) skip_to(c, acked);
  if (fin_at_) skip_to(c, *fin_at_);
  close_if_due(c);
}

void tcp_stream::release() {
  held_.clear();
  held_bytes_ = 0;
  std::string().swap(history_);
}

}  // namespace netem

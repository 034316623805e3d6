#include "ip_fragments.hpp"

#include <algorithm>

namespace netem {

ip_fragments::ip_fragments(std::size_t max_datagrams, std::size_t max_bytes, timestamp timeout)
    : max_datagrams_(std::max<std::size_t>(max_datagrams, 1)), max_bytes_(max_bytes), timeout_(timeout) {}

void ip_fragments::drop(std::size_t i, const char* why, std::string* note) {
  if (note) {
    if (!note->empty()) *note += "; ";
    *note += held_[i].k.v6 ? "IPv6" : "IPv4";
    *note += " fragments dropped (";
    *note += why;
    *note += "): ";
    *note += std::to_string(held_[i].bytes.size());
    *note += " bytes of an incomplete datagram";
  }
  bytes_ -= held_[i].bytes.size();
  held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
  ++dropped_;
}

void ip_fragments::expire(timestamp at, std::string* note) {
  for (std::size_t i = 0; i < held_.size();)
    if (at - held_[i].first_at > timeout_)
      drop(i, "timed out", note);
    else
      ++i;
}

std::optional<std::string_view> ip_fragments::add(const key& k, std::uint32_t offset, bool more,
                                                  std::string_view data, timestamp at, std::string* note) {
  expire(at, note);
  const std::uint64_t end = std::uint64_t(offset) + data.size();
  auto it = std::find_if(held_.begin(), held_.end(), [&](const datagram& d) { return d.k == k; });
  if (it == held_.end()) {
    if (end > max_payload) return std::nullopt;  // a lone bad fragment: nothing held yet to report
    while (!held_.empty() && held_.size() >= max_datagrams_) drop(0, "too many incomplete datagrams", note);
    held_.push_back(datagram{k, at, {}, {}, {}});
    it = held_.end() - 1;
  }
  datagram& d = *it;
  const auto index = static_cast<std::size_t>(it - held_.begin());
  // Impossible fragments spoil the whole datagram: past the limit, data after the last
  // fragment, or a second, different end.
  if (end > max_payload || (d.total && end > *d.total) || (!more && d.total && *d.total != end) ||
      (!more && end < (d.have.empty() ? 0 : d.have.back().second))) {
    drop(index, "inconsistent", note);
    return std::nullopt;
  }
  if (!more) d.total = static_cast<std::uint32_t>(end);
  if (d.bytes.size() < end) {
    bytes_ += end - d.bytes.size();
    d.bytes.resize(end);
  }
  // Copy only what no earlier fragment gave: the first copy of each byte is kept.
  auto b = static_cast<std::uint32_t>(offset);
  const auto e = static_cast<std::uint32_t>(end);
  for (const auto& [hb, he] : d.have) {
    if (b >= e || hb >= e) break;
    if (b < hb) std::copy(data.data() + (b - offset), data.data() + (std::min(hb, e) - offset), d.bytes.data() + b);
    b = std::max(b, he);
  }
  if (b < e) std::copy(data.data() + (b - offset), data.data() + (e - offset), d.bytes.data() + b);
  // Merge [offset, end) into the received ranges.
  d.have.emplace_back(offset, e);
  std::sort(d.have.begin(), d.have.end());
  std::size_t w = 0;
  for (std::size_t r = 1; r < d.have.size(); ++r)
    if (d.have[r].first <= d.have[w].second)
      d.have[w].second = std::max(d.have[w].second, d.have[r].second);
    else
      d.have[++w] = d.have[r];
  d.have.resize(w + 1);
  if (bytes_ > max_bytes_) {
    drop(index, "over the memory limit", note);
    return std::nullopt;
  }
  if (!d.total || d.have.size() != 1 || d.have[0].first != 0 || d.have[0].second != *d.total) return std::nullopt;
  done_ = std::move(d.bytes);
  bytes_ -= done_.size();
  held_.erase(it);
  return std::string_view(done_);
}

}  // namespace netem

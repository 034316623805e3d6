#include "stream_decoder.hpp"

#include <algorithm>

namespace mqtt {

void stream_decoder::feed(bytes_view chunk) {
  if (error_) return;
  // Drop consumed bytes before growing, so the buffer holds at most one partial
  // packet plus the new chunk.
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(chunk);
}

decode_error stream_decoder::fail(decode_error e) {
  e.offset += consumed_;
  error_ = std::make_unique<const decode_error>(e);
  return e;
}

result<std::optional<std::size_t>> stream_decoder::packet_size(bytes_view avail) {
  auto hr = read_fixed_header(avail, version_);
  if (!hr) return fail(hr.error());
  if (!*hr) return std::optional<std::size_t>{};
  const fixed_header h = **hr;
  if (h.packet_size() > max_packet_size_)
    return fail(decode_error{reason_code::packet_too_large, "",
                             std::string(to_string(h.type())) + " of " + std::to_string(h.packet_size()) +
                                 " bytes exceeds the maximum packet size of " + std::to_string(max_packet_size_),
                             0});
  return std::optional<std::size_t>{h.packet_size()};
}

result<std::optional<bytes_view>> stream_decoder::next_frame() {
  bytes_view none;
  return next_frame(none);
}

result<std::optional<bytes_view>> stream_decoder::next_frame(bytes_view& in) {
  if (error_) return *error_;
  if (pos_ == buf_.size()) {
    // Nothing buffered: release the buffer (an idle stream holds none), then take the
    // packet straight from `in`.
    if (buf_.capacity() > std::string().capacity()) std::string().swap(buf_);
    buf_.clear();
    pos_ = 0;
    auto n = packet_size(in);
    if (!n) return n.error();
    if (!*n || in.size() < **n) return std::optional<bytes_view>{};
    const bytes_view frame = in.substr(0, **n);
    in.remove_prefix(frame.size());
    consumed_ += frame.size();
    return std::optional<bytes_view>{frame};
  }
  // The next packet began in an earlier chunk: complete it with as few bytes of `in`
  // as it needs (the header may itself be cut: then one byte at a time, at most 4).
  for (;;) {
    const bytes_view avail = bytes_view(buf_).substr(pos_);
    auto n = packet_size(avail);
    if (!n) return n.error();
    if (*n && avail.size() >= **n) {
      const bytes_view frame = avail.substr(0, **n);
      pos_ += frame.size();
      consumed_ += frame.size();
      return std::optional<bytes_view>{frame};
    }
    if (in.empty()) return std::optional<bytes_view>{};
    const std::size_t take = std::min(in.size(), *n ? **n - avail.size() : 1);
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    buf_.append(in.substr(0, take));
    in.remove_prefix(take);
  }
}

result<std::optional<packet>> stream_decoder::next() {
  auto f = next_frame();
  if (!f) return f.error();
  if (!*f) return std::optional<packet>{};
  auto p = decode(**f, version_);
  if (!p) {
    consumed_ -= (*f)->size();  // report the offset of the packet's first byte
    auto e = fail(p.error());
    consumed_ += (*f)->size();
    return e;
  }
  if (auto* c = std::get_if<connect>(&*p)) version_ = c->version;
  return std::optional<packet>{std::move(*p)};
}

}  // namespace mqtt

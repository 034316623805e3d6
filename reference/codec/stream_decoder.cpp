#include "stream_decoder.hpp"

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
  error_ = e;
  return e;
}

result<std::optional<bytes_view>> stream_decoder::next_frame() {
  if (error_) return *error_;
  const bytes_view avail = bytes_view(buf_).substr(pos_);
  auto hr = read_fixed_header(avail, version_);
  if (!hr) return fail(hr.error());
  if (!*hr) return std::optional<bytes_view>{};
  const fixed_header h = **hr;
  if (h.packet_size() > max_packet_size_)
    return fail(decode_error{reason_code::packet_too_large, "",
                             std::string(to_string(h.type())) + " of " + std::to_string(h.packet_size()) +
                                 " bytes exceeds the maximum packet size of " + std::to_string(max_packet_size_),
                             0});
  if (avail.size() < h.packet_size()) return std::optional<bytes_view>{};
  const bytes_view frame = avail.substr(0, h.packet_size());
  pos_ += frame.size();
  consumed_ += frame.size();
  return std::optional<bytes_view>{frame};
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

#include "file_buffer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace netem {

namespace {
// One read: 8 KiB at first, so small files (and fuzz inputs) cost little, growing with
// what was read to 256 KiB, so large files take few system calls.
constexpr std::size_t first_chunk = 8 * 1024, last_chunk = 256 * 1024;
}

file_buffer::file_buffer(FILE* f) : file_(f) {
  if (!file_) at_end_ = true;
}

file_buffer::~file_buffer() {
  if (file_) std::fclose(file_);
}

const char* file_buffer::peek(std::size_t n, std::size_t* available) {
  while (end_ - begin_ < n && !at_end_) {
    // Move the unread tail to the front, grow to hold `n`, and fill what is free.
    if (begin_ > 0) {
      std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    const std::size_t chunk = std::clamp<std::uint64_t>(offset_, first_chunk, last_chunk);
    if (size_ < n || size_ - end_ < chunk / 4) {
      const std::size_t size = std::max(n, end_ + chunk);
      auto bigger = std::make_unique_for_overwrite<char[]>(size);
      if (end_) std::memcpy(bigger.get(), buf_.get(), end_);
      buf_ = std::move(bigger);
      size_ = size;
    }
    const std::size_t got = std::fread(buf_.get() + end_, 1, size_ - end_, file_);
    end_ += got;
    if (got == 0) {
      at_end_ = true;
      if (std::ferror(file_)) read_error_ = std::strerror(errno ? errno : EIO);
    }
  }
  if (available) *available = end_ - begin_;
  return end_ - begin_ >= n ? buf_.get() + begin_ : nullptr;
}

void file_buffer::skip(std::size_t n) {
  begin_ += n;
  offset_ += n;
}

}  // namespace netem

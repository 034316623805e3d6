// A FILE read through one growing buffer, so a capture is streamed in large reads and
// each record is handed out as a view into the buffer, never copied.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace netem {

class file_buffer {
 public:
  /// Takes ownership of `f` (may be null: every read then finds the end).
  explicit file_buffer(FILE* f);
  ~file_buffer();
  file_buffer(const file_buffer&) = delete;
  file_buffer& operator=(const file_buffer&) = delete;

  /// The next `n` bytes, or null when the file ends (or fails) before them; `available`
  /// then says how many were left. The pointer stays valid until the next call.
  const char* peek(std::size_t n, std::size_t* available = nullptr);
  /// Moves past `n` bytes already peeked.
  void skip(std::size_t n);
  /// File offset of the next byte peek() would return.
  std::uint64_t offset() const { return offset_; }
  /// Why reading failed, empty at a clean end.
  const std::string& read_error() const { return read_error_; }

 private:
  FILE* file_;
  std::unique_ptr<char[]> buf_;  // not zero-filled: only what fread wrote is ever read
  std::size_t size_ = 0;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  std::uint64_t offset_ = 0;
  bool at_end_ = false;
  std::string read_error_;
};

}  // namespace netem

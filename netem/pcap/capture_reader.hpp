// Reads pcap and pcapng capture files frame by frame, streamed: memory holds one
// read buffer and the largest record, whatever the file's size. Written here rather
// than through libpcap because libpcap refuses pcapng files whose interfaces have
// different link types, and cannot say at which byte a damaged file stops.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netem {

class file_buffer;

struct frame {
  std::uint64_t number;          // 1-based, as Wireshark numbers frames
  std::chrono::microseconds at;  // Unix time
  int linktype;                  // LINKTYPE_* of this frame's interface (pcapng may mix)
  std::string_view data;         // captured bytes, valid until the next next()
  std::uint32_t original_length;  // on the wire (> data.size() when snaplen cut it)
};

class capture_reader {
 public:
  /// Opens `path` (pcap in either byte order, microsecond or nanosecond, or pcapng).
  explicit capture_reader(const std::string& path);
  /// Reads from `f`, which it closes (for in-memory files from fmemopen).
  explicit capture_reader(FILE* f);
  ~capture_reader();
  capture_reader(const capture_reader&) = delete;
  capture_reader& operator=(const capture_reader&) = delete;

  /// The file opened and its header was understood.
  bool ok() const { return ok_; }
  /// Why it did not open, or why reading stopped before the end (names the frame and byte).
  const std::string& error() const { return error_; }
  /// The next frame; nullopt at the end or on error (then error() is non-empty).
  std::optional<frame> next();
  /// "pcap" or "pcapng" (empty when the file is neither).
  std::string format() const;
  /// Captured bytes of the frames returned so far.
  std::uint64_t bytes_read() const { return bytes_read_; }
  /// The last frame's number: frames returned so far, plus pcapng custom and journal
  /// blocks, which Wireshark numbers as frames and this reader skips.
  std::uint64_t frames_read() const { return number_; }

  /// Largest record or block accepted; anything larger means a damaged file.
  static constexpr std::uint32_t max_record = 16 << 20;

 private:
  enum class kind { none, pcap, pcapng };
  struct interface {  // a pcapng Interface Description Block
    int linktype;
    std::uint32_t snaplen;
    bool binary_resolution;  // if_tsresol: units of 2^-exponent s, else 10^-exponent s
    int exponent;
    std::int64_t offset_s;  // if_tsoffset
  };

  void open();
  std::optional<frame> next_pcap();
  std::optional<frame> next_pcapng();
  bool read_section_header(const char* block, std::uint32_t length);
  bool read_interface(const char* body, std::uint32_t length);
  std::chrono::microseconds pcapng_time(const interface& i, std::uint64_t ts) const;
  frame make_frame(std::chrono::microseconds at, int linktype, const char* data, std::uint32_t caplen,
                   std::uint32_t original);
  std::nullopt_t fail(std::string why);

  std::unique_ptr<file_buffer> in_;
  std::string name_;  // for messages: the path, or "capture" for a FILE*
  kind kind_ = kind::none;
  bool ok_ = false;
  bool done_ = false;
  std::string error_;
  bool big_ = false;  // the file (pcapng: the section) was written big-endian
  // pcap
  bool nanoseconds_ = false;
  int linktype_ = 0;
  // pcapng
  std::vector<interface> interfaces_;
  std::chrono::microseconds last_at_{0};  // Simple Packet Blocks carry no time: the previous frame's
  std::uint64_t number_ = 0;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace netem

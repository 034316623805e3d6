// The capture input path on arbitrary bytes: as a whole file (through fmemopen, as
// `mqttspec analyze` reads one) and as a single frame of every link type, each through
// capture_reader, frame_parser and tcp_reassembler. Besides crashes it checks what
// the MQTT layer relies on: no calls for a connection after its end, no empty data,
// and every view readable.
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "netem/pcap/capture_reader.hpp"
#include "netem/pcap/frame_parser.hpp"
#include "netem/pcap/tcp_reassembler.hpp"

namespace {

using netem::tcp_reassembler;

struct checking_sink : tcp_reassembler::sink {
  std::set<std::uint64_t> open;
  std::uint64_t sum = 0;  // reading every byte lets ASan catch a stale view

  void live(const tcp_reassembler::connection& c) {
    if (!open.count(c.id)) __builtin_trap();
  }
  void on_open(const tcp_reassembler::connection& c) override {
    if (!open.insert(c.id).second) __builtin_trap();
  }
  void on_data(const tcp_reassembler::connection& c, int side, std::string_view b, std::uint64_t,
               tcp_reassembler::timestamp) override {
    live(c);
    if (b.empty() || (side != 0 && side != 1)) __builtin_trap();
    for (char ch : b) sum += static_cast<unsigned char>(ch);
  }
  void on_gap(const tcp_reassembler::connection& c, int, std::uint64_t missing, std::uint64_t,
              tcp_reassembler::timestamp) override {
    live(c);
    if (missing == 0) __builtin_trap();
  }
  void on_conflict(const tcp_reassembler::connection& c, int, std::uint64_t, std::uint64_t,
                   tcp_reassembler::timestamp) override {
    live(c);
  }
  void on_close(const tcp_reassembler::connection& c, int, bool, std::uint64_t, tcp_reassembler::timestamp) override {
    live(c);
  }
  void on_end(const tcp_reassembler::connection& c, tcp_reassembler::timestamp) override {
    live(c);
    open.erase(c.id);
  }
};

void feed(netem::frame_parser& parser, tcp_reassembler& r, const netem::frame& f) {
  std::string note;
  if (const auto s = parser.parse(f, &note)) r.add(*s, f.number, f.at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);  // fmemopen wants a writable buffer
  {
    checking_sink sink;
    netem::frame_parser parser;
    tcp_reassembler r(sink, 4096);  // a small cap, so the fuzzer reaches it
    netem::capture_reader in(size ? fmemopen(bytes.data(), bytes.size(), "rb") : nullptr);
    netem::tcp_reassembler::timestamp end{};
    while (const auto f = in.next()) {
      if (f->data.size() > size) __builtin_trap();  // a frame cannot be larger than the file
      feed(parser, r, *f);
      end = f->at;
    }
    if (!in.ok() && in.error().empty()) __builtin_trap();
    r.finish(end);
    if (r.open_connections() != 0 || !sink.open.empty()) __builtin_trap();
  }
  checking_sink sink;
  netem::frame_parser parser;
  tcp_reassembler r(sink);
  for (int linktype : {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}) {
    feed(parser, r, netem::frame{1, {}, linktype, bytes, static_cast<std::uint32_t>(size)});
  }
  r.finish({});
  if (!sink.open.empty()) __builtin_trap();
  return 0;
}

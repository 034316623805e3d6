// capture_reader on the committed captures of tests/data/captures (README.md there),
// cross-checked against libpcap's own reader, and on damaged, empty and missing files.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "netem/pcap/capture_reader.hpp"
#include "netem/pcap/libpcap.hpp"

namespace netem {
namespace {

using namespace std::chrono_literals;

const std::string dir = std::string(MQTTSPEC_SOURCE_DIR) + "/tests/data/captures/";
constexpr std::chrono::microseconds t0 = 1'700'000'000s;  // the generator's capture start

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string path = testing::TempDir() + "capture_reader_test_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct read_all {
  std::vector<frame> frames;  // data copied into `bytes`
  std::vector<std::string> bytes;
  std::set<int> linktypes;
  std::string error;
};

read_all read(capture_reader& r) {
  read_all out;
  while (auto f = r.next()) {
    out.bytes.emplace_back(f->data);
    out.frames.push_back(*f);
    out.linktypes.insert(f->linktype);
  }
  out.error = r.error();
  return out;
}

struct committed {
  const char* file;
  const char* format;
  std::size_t frames;
  std::set<int> linktypes;
};

class CaptureReaderFiles : public testing::TestWithParam<committed> {};

TEST_P(CaptureReaderFiles, OpensAndYieldsEveryFrame) {
  const committed& c = GetParam();
  capture_reader r(dir + c.file);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.format(), c.format);
  const read_all all = read(r);
  EXPECT_EQ(all.error, "");
  EXPECT_EQ(all.frames.size(), c.frames);
  EXPECT_EQ(all.linktypes, c.linktypes);
  std::uint64_t bytes = 0;
  for (const auto& b : all.bytes) bytes += b.size();
  EXPECT_EQ(r.bytes_read(), bytes);
  ASSERT_FALSE(all.frames.empty());
  EXPECT_EQ(all.frames.front().number, 1u + (std::string(c.file) == "mixed_interfaces.pcapng"));
  EXPECT_EQ(all.frames.front().at, t0);
  EXPECT_EQ(all.frames[1].at, t0 + 1ms);
}

INSTANTIATE_TEST_SUITE_P(
    Committed, CaptureReaderFiles,
    testing::Values(committed{"ethernet.pcap", "pcap", 19, {1}}, committed{"vlan_qinq.pcap", "pcap", 18, {1}},
                    committed{"linux_sll.pcap", "pcap", 18, {113}},
                    committed{"linux_sll2.pcapng", "pcapng", 18, {276}},
                    committed{"raw_ipv4_fragments.pcap", "pcap", 21, {101}},
                    committed{"raw_ipv6_fragments.pcap", "pcap", 19, {229}},
                    committed{"null_loopback.pcap", "pcap", 36, {0}},
                    committed{"loop_openbsd.pcap", "pcap", 36, {108}},
                    committed{"mixed_interfaces.pcapng", "pcapng", 48, {1, 228, 229, 12}},
                    committed{"tcp_cases.pcap", "pcap", 58, {1}}, committed{"snaplen_cut.pcap", "pcap", 18, {1}}),
    [](const auto& info) {
      std::string n = info.param.file;
      for (char& ch : n)
        if (ch == '.') ch = '_';
      return n;
    });

// libpcap reads the same frames, bytes and times (where it can: not mixed link types).
TEST(CaptureReader, AgreesWithLibpcap) {
  std::string why;
  const libpcap* lib = load_libpcap(why);
  if (!lib) GTEST_SKIP() << why;
  for (const char* file : {"ethernet.pcap", "vlan_qinq.pcap", "linux_sll.pcap", "linux_sll2.pcapng",
                           "raw_ipv6_fragments.pcap", "loop_openbsd.pcap", "snaplen_cut.pcap"}) {
    SCOPED_TRACE(file);
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = lib->open_offline((dir + file).c_str(), PCAP_TSTAMP_PRECISION_MICRO, err);
    ASSERT_NE(p, nullptr) << err;
    capture_reader r(dir + file);
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    std::size_t n = 0;
    while (lib->next_ex(p, &h, &data) == 1) {
      const auto f = r.next();
      ASSERT_TRUE(f) << "frame " << n + 1 << ": " << r.error();
      EXPECT_EQ(f->linktype, lib->datalink(p));
      EXPECT_EQ(f->data, std::string_view(reinterpret_cast<const char*>(data), h->caplen));
      EXPECT_EQ(f->original_length, h->len);
      EXPECT_EQ(f->at.count(), std::int64_t(h->ts.tv_sec) * 1'000'000 + h->ts.tv_usec);
      ++n;
    }
    EXPECT_FALSE(r.next()) << "libpcap ended after " << n;
    EXPECT_EQ(r.error(), "");
    lib->close(p);
  }
}

TEST(CaptureReader, PcapngMixesLinkTypesResolutionsAndSkipsOtherBlocks) {
  capture_reader r(dir + "mixed_interfaces.pcapng");
  const read_all all = read(r);
  ASSERT_EQ(all.frames.size(), 48u) << all.error;
  // Frame 1 is a custom block (Wireshark shows it): the first packet is frame 2.
  EXPECT_EQ(all.frames[0].number, 2u);
  EXPECT_EQ(all.frames[47].number, 49u);
  EXPECT_EQ(r.frames_read(), 49u);
  // The simple packet block has no time of its own: the previous frame's.
  EXPECT_EQ(all.frames[17].at, all.frames[16].at);
  EXPECT_EQ(all.frames[18].linktype, 228);  // nanoseconds
  EXPECT_EQ(all.frames[18].at, t0 + 18ms);
  EXPECT_EQ(all.frames[28].linktype, 229);  // 2^-20 s, rounded down to the microsecond
  EXPECT_LE(t0 + 28ms - all.frames[28].at, 1us);
  EXPECT_EQ(all.frames[38].linktype, 12);
  EXPECT_EQ(all.frames[38].at, t0 + 38ms);
}

TEST(CaptureReader, TsharkCountsTheSameFrames) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  for (auto [file, frames] : {std::pair{"tcp_cases.pcap", 58}, {"mixed_interfaces.pcapng", 49}}) {
    const std::string cmd = "tshark -r " + dir + file + " -T fields -e frame.number 2>/dev/null | wc -l";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    int n = -1;
    EXPECT_EQ(std::fscanf(p, "%d", &n), 1);
    pclose(p);
    EXPECT_EQ(n, frames) << file;
  }
}

TEST(CaptureReader, SnaplenCutFramesKeepTheirOriginalLength) {
  capture_reader r(dir + "snaplen_cut.pcap");
  int cut = 0;
  while (auto f = r.next()) {
    EXPECT_LE(f->data.size(), 60u);
    if (f->original_length > f->data.size()) ++cut;
  }
  EXPECT_EQ(cut, 2);  // CONNECT and PUBLISH
}

TEST(CaptureReader, ReadsFromAnOwnedFile) {
  std::string bytes = slurp(dir + "ethernet.pcap");
  capture_reader r(fmemopen(bytes.data(), bytes.size(), "rb"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(read(r).frames.size(), 19u);
}

TEST(CaptureReader, TruncatedPcapReturnsTheFramesBeforeAndSaysWhere) {
  const std::string whole = slurp(dir + "ethernet.pcap");
  // Header 24 bytes, then records of 16 + 60 bytes (ARP, SYN, SYN-ACK, ACK): cut inside frame 5's data.
  const std::size_t frame5 = 24 + 4 * 76;
  capture_reader r(write_temp("cut_data.pcap", whole.substr(0, frame5 + 16 + 10)));
  ASSERT_TRUE(r.ok());
  const read_all all = read(r);
  EXPECT_EQ(all.frames.size(), 4u);
  EXPECT_NE(all.error.find("truncated at frame 5 (byte " + std::to_string(frame5) + ")"), std::string::npos)
      << all.error;
  EXPECT_NE(all.error.find("10 left"), std::string::npos) << all.error;

  capture_reader h(write_temp("cut_header.pcap", whole.substr(0, frame5 + 7)));
  EXPECT_EQ(read(h).frames.size(), 4u);
  EXPECT_NE(h.error().find("record header needs 16 bytes, 7 left"), std::string::npos) << h.error();
}

TEST(CaptureReader, TruncatedPcapngSaysWhere) {
  const std::string whole = slurp(dir + "linux_sll2.pcapng");
  capture_reader r(write_temp("cut.pcapng", whole.substr(0, whole.size() - 30)));
  const read_all all = read(r);
  EXPECT_EQ(all.frames.size(), 17u);
  EXPECT_NE(all.error.find("truncated block at byte"), std::string::npos) << all.error;
  EXPECT_NE(all.error.find("after frame 17"), std::string::npos) << all.error;
}

TEST(CaptureReader, DamagedRecordsAreRefused) {
  std::string pcap = slurp(dir + "ethernet.pcap");
  pcap[24 + 8] = '\xff';  // frame 1's captured length: 0xff00003c
  pcap[24 + 11] = '\x7f';
  capture_reader r(write_temp("huge.pcap", pcap));
  EXPECT_TRUE(read(r).frames.empty());
  EXPECT_NE(r.error().find("damaged at frame 1"), std::string::npos) << r.error();

  std::string ng = slurp(dir + "linux_sll2.pcapng");
  ng[ng.size() - 4] ^= 4;  // the last block's trailing length
  capture_reader n(write_temp("trailer.pcapng", ng));
  EXPECT_EQ(read(n).frames.size(), 17u);
  EXPECT_NE(n.error().find("trailing length"), std::string::npos) << n.error();
}

TEST(CaptureReader, GarbageIsNotACapture) {
  capture_reader r(write_temp("garbage", "GARBAGE, not a capture at all"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.format(), "");
  EXPECT_NE(r.error().find("not a pcap or pcapng file (starts with 47 41 52 42)"), std::string::npos) << r.error();
  EXPECT_FALSE(r.next());

  capture_reader s(write_temp("short", "\xd4\xc3\xb2\xa1\x02"));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error().find("truncated pcap file header"), std::string::npos) << s.error();
}

TEST(CaptureReader, EmptyFile) {
  capture_reader r(write_temp("empty", ""));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error().find("empty file"), std::string::npos) << r.error();
  EXPECT_FALSE(r.next());
}

TEST(CaptureReader, MissingFileAndDirectory) {
  capture_reader r(dir + "no-such-file.pcap");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error().find("no-such-file.pcap: No such file or directory"), std::string::npos) << r.error();
  EXPECT_FALSE(r.next());

  capture_reader d(dir);
  EXPECT_FALSE(d.ok());
  EXPECT_NE(d.error().find("Is a directory"), std::string::npos) << d.error();
}

}  // namespace
}  // namespace netem

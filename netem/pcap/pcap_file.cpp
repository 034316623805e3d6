#include "pcap_file.hpp"

#include "libpcap.hpp"

namespace netem {

pcap_file::pcap_file(const std::string& path, std::chrono::microseconds epoch) : epoch_(epoch) {
  lib_ = load_libpcap(error_);
  if (!lib_) return;
  pcap_t* p = lib_->open_dead(DLT_EN10MB, 65535);
  if (!p) {
    error_ = "pcap_open_dead failed";
    return;
  }
  pcap_dumper_t* d = lib_->dump_open(p, path.c_str());
  if (!d) {
    error_ = std::string("cannot write ") + path + ": " + lib_->geterr(p);
    lib_->close(p);
    return;
  }
  pcap_ = p;
  dumper_ = d;
}

pcap_file::~pcap_file() {
  if (dumper_) lib_->dump_close(static_cast<pcap_dumper_t*>(dumper_));
  if (pcap_) lib_->close(static_cast<pcap_t*>(pcap_));
}

void pcap_file::write(std::chrono::microseconds at, std::string_view frame) {
  if (!dumper_) return;
  at += epoch_;
  pcap_pkthdr h{};
  h.ts.tv_sec = static_cast<time_t>(at.count() / 1'000'000);
  h.ts.tv_usec = static_cast<suseconds_t>(at.count() % 1'000'000);
  h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
  lib_->dump(static_cast<u_char*>(dumper_), &h, reinterpret_cast<const u_char*>(frame.data()));
}

void pcap_file::flush() {
  if (dumper_) lib_->dump_flush(static_cast<pcap_dumper_t*>(dumper_));
}

}  // namespace netem

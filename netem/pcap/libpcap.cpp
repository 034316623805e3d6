#include "libpcap.hpp"

#include <dlfcn.h>

namespace netem {

namespace {

struct loaded {
  libpcap api{};
  std::string error;  // empty when every function was found
};

template <class F>
void find(void* lib, const char* name, F& out, std::string& error) {
  out = reinterpret_cast<F>(::dlsym(lib, name));
  if (!out && error.empty()) error = std::string("libpcap has no ") + name;
}

loaded load() {
  loaded l;
  // Debian's soname first, then the upstream one. Never unloaded: dumpers may be open
  // until the process ends.
  void* lib = ::dlopen("libpcap.so.0.8", RTLD_NOW | RTLD_LOCAL);
  if (!lib) lib = ::dlopen("libpcap.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = ::dlerror();
    l.error = std::string("cannot load libpcap (libpcap.so.0.8), needed to write pcap files: ") +
              (why ? why : "not found") + " (Debian: apt-get install libpcap0.8)";
    return l;
  }
  auto& a = l.api;
  find(lib, "pcap_open_dead", a.open_dead, l.error);
  find(lib, "pcap_dump_open", a.dump_open, l.error);
  find(lib, "pcap_dump", a.dump, l.error);
  find(lib, "pcap_dump_flush", a.dump_flush, l.error);
  find(lib, "pcap_dump_close", a.dump_close, l.error);
  find(lib, "pcap_close", a.close, l.error);
  find(lib, "pcap_geterr", a.geterr, l.error);
  find(lib, "pcap_open_offline_with_tstamp_precision", a.open_offline, l.error);
  find(lib, "pcap_fopen_offline", a.fopen_offline, l.error);
  find(lib, "pcap_next_ex", a.next_ex, l.error);
  find(lib, "pcap_datalink", a.datalink, l.error);
  find(lib, "pcap_datalink_val_to_name", a.datalink_val_to_name, l.error);
  find(lib, "pcap_lib_version", a.lib_version, l.error);
  return l;
}

}  // namespace

const libpcap* load_libpcap(std::string& error) {
  static const loaded l = load();  // initialised once, even with several threads
  if (!l.error.empty()) {
    error = l.error;
    return nullptr;
  }
  return &l.api;
}

}  // namespace netem

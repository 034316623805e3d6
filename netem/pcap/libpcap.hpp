// libpcap, loaded on first use. Only its dumper is needed, to write capture files;
// linking libpcap would load it and the eight libraries it depends on (systemd, dbus,
// gcrypt, ...) into every mqttspec process, about 1 MB of RSS in an idle broker,
// whether or not it ever writes a capture.
#pragma once

#include <pcap/pcap.h>

#include <string>

namespace netem {

struct libpcap {
  decltype(&::pcap_open_dead) open_dead;
  decltype(&::pcap_dump_open) dump_open;
  decltype(&::pcap_dump) dump;
  decltype(&::pcap_dump_flush) dump_flush;
  decltype(&::pcap_dump_close) dump_close;
  decltype(&::pcap_close) close;
  decltype(&::pcap_geterr) geterr;
};

/// The functions, loaded once per process (thread-safe); null when libpcap cannot be
/// loaded, with the reason in `error`.
const libpcap* load_libpcap(std::string& error);

}  // namespace netem

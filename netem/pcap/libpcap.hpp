// libpcap, loaded on first use. Its dumper writes capture files; its reader is the
// independent check the tests hold capture_reader to (mqttspec reads captures itself:
// see capture_reader.hpp).
// Linking libpcap would load it and the eight libraries it depends on (systemd, dbus,
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
  decltype(&::pcap_open_offline_with_tstamp_precision) open_offline;
  decltype(&::pcap_fopen_offline) fopen_offline;
  decltype(&::pcap_next_ex) next_ex;
  decltype(&::pcap_datalink) datalink;
  decltype(&::pcap_datalink_val_to_name) datalink_val_to_name;
  decltype(&::pcap_lib_version) lib_version;
};

/// The functions, loaded once per process (thread-safe); null when libpcap cannot be
/// loaded, with the reason in `error`.
const libpcap* load_libpcap(std::string& error);

}  // namespace netem

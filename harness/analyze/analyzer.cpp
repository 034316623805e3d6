#include "analyzer.hpp"

#include <chrono>

#include "judge.hpp"
#include "netem/pcap/capture_reader.hpp"
#include "netem/pcap/frame_parser.hpp"
#include "netem/pcap/tcp_reassembler.hpp"

namespace mqttspec::analyze {

namespace {

// "frame 12 cut by snaplen: 40 of 1514 bytes" -> "frame # cut by snaplen: # of # bytes"
std::string reason_of(const std::string& note) {
  std::string out;
  for (char c : note) {
    if (c >= '0' && c <= '9') {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += c;
    }
  }
  return out;
}

void add_notes(analysis& a) {
  std::size_t mid = 0, open = 0;
  for (const auto& c : a.connections) {
    mid += c.mid_stream;
    open += c.ended == "capture ended";
  }
  if (mid)
    a.notes.push_back(std::to_string(mid) + " connection(s) started before the capture: what they were promised "
                      "earlier (subscriptions, messages in flight) is not judged");
  if (open)
    a.notes.push_back(std::to_string(open) + " connection(s) were still open when the capture ended: messages "
                      "still in flight then are not judged");
  if (!a.unreadables.empty())
    a.notes.push_back(std::to_string(a.unreadables.size()) + " connection(s) on MQTT ports could not be read");
  if (a.connections.empty()) a.notes.push_back("no MQTT connection found (ports or a CONNECT at a flow's start)");
}

}  // namespace

const char* type_name(std::size_t type) {
  static const char* const names[16] = {"reserved", "CONNECT",  "CONNACK",     "PUBLISH",  "PUBACK",  "PUBREC",
                                        "PUBREL",   "PUBCOMP",  "SUBSCRIBE",   "SUBACK",   "UNSUBSCRIBE",
                                        "UNSUBACK", "PINGREQ",  "PINGRESP",    "DISCONNECT", "AUTH"};
  return type < 16 ? names[type] : "?";
}

analysis analyze_file(const std::string& path, const options& o, std::string& error) {
  const auto started = std::chrono::steady_clock::now();
  analysis a;
  a.file = path;
  netem::capture_reader reader(path);
  if (!reader.ok()) {
    error = reader.error();
    return a;
  }
  a.format = reader.format();
  const auto j = make_judge(a, o);
  netem::frame_parser parser;
  netem::tcp_reassembler tcp(*j);
  std::string note;
  while (auto f = reader.next()) {
    if (!a.first) a.first = f->at;
    a.last = f->at;
    note.clear();
    auto segment = parser.parse(*f, &note);
    if (!note.empty()) ++a.skipped[reason_of(note)];
    if (segment) tcp.add(*segment, f->number, f->at);
  }
  a.frames = reader.frames_read();
  a.bytes = reader.bytes_read();
  a.error = reader.error();
  const auto end = a.last.value_or(timestamp{});
  tcp.finish(end);
  j->finish(end);
  const auto& st = tcp.stats();
  a.tcp_connections = st.connections;
  a.retransmissions = st.retransmissions;
  add_notes(a);
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return a;
}

}  // namespace mqttspec::analyze

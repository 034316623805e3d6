#include "output.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace mqttspec::analyze {

namespace {

std::string version_text(const connection& c) {
  if (!c.version) return "?";
  return std::string(*c.version == mqtt::protocol_version::v5 ? "5" : "3.1.1") +
         (c.version_from == "connect" ? "" : " (" + c.version_from + ")");
}

// "CONNECT 1, PUBLISH 20/18" : client-sent/server-sent per type.
std::string counts(const connection& c) {
  std::string out;
  for (std::size_t t = 1; t < 16; ++t) {
    if (!c.from_client[t] && !c.from_server[t]) continue;
    if (!out.empty()) out += ", ";
    out += std::string(type_name(t)) + " " + std::to_string(c.from_client[t]) + "/" + std::to_string(c.from_server[t]);
  }
  return out.empty() ? "-" : out;
}

std::string utc(timestamp t) {
  const std::time_t s = std::chrono::duration_cast<std::chrono::seconds>(t).count();
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(t.count() % 1'000'000));
  return buf;
}

}  // namespace

std::string since_start(const analysis& a, timestamp at) {
  const auto d = at - a.first.value_or(at);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(d.count()) / 1e6);
  return buf;
}

void print(std::ostream& out, const analysis& a, bool quiet) {
  if (!quiet) {
    for (const auto& c : a.connections) {
      out << "#" << c.id << "  " << c.client << " -> " << c.server << "  client id "
          << (c.client_id.empty() ? (c.mid_stream ? "(not captured)" : "(empty)") : "\"" + c.client_id + "\"")
          << "  MQTT " << version_text(c) << "  frame " << c.first_frame << ", " << since_start(a, c.start) << " s to "
          << since_start(a, c.end) << " s, " << c.ended << "\n";
      out << "    packets (client/server): " << counts(c) << "\n";
      if (c.malformed) out << "    malformed: " << c.malformed << "\n";
      for (const auto& n : c.notes) out << "    note: " << n << "\n";
      if (c.findings) out << "    findings: " << c.findings << "\n";
    }
    for (const auto& u : a.unreadables)
      out << "not read: " << u.client << " -> " << u.server << " (frame " << u.first_frame << "): " << u.reason << "\n";
    if (!a.findings.empty()) out << "\nfindings\n";
    for (const auto& f : a.findings) {
      out << (f.should ? "SHOULD " : "MUST   ") << (f.spec_id.empty() ? "(no id)" : "[" + f.spec_id + "]") << " at "
          << since_start(a, f.at) << " s";
      if (f.connection) out << ", connection #" << f.connection;
      if (!f.client.empty()) out << " (" << f.client << ")";
      if (!f.frames.empty()) out << ", frame " << f.frames.front();
      out << "\n    " << f.message << "\n";
      for (const auto& p : f.packets) out << "    packet: " << p << "\n";
    }
  }
  out << "\n" << a.file << ": " << a.format << ", " << a.frames << " frames, " << a.tcp_connections
      << " TCP connections, " << a.connections.size() << " MQTT connections";
  std::uint64_t total = 0;
  for (auto n : a.packets) total += n;
  out << ", " << total << " MQTT packets";
  if (a.gaps) out << ", " << a.gaps << " gaps";
  if (a.conflicts) out << ", " << a.conflicts << " conflicting retransmissions";
  out << "\n  packets:";
  for (std::size_t t = 1; t < 16; ++t)
    if (a.packets[t]) out << " " << type_name(t) << " " << a.packets[t];
  out << "\n";
  for (const auto& [reason, n] : a.skipped) out << "  skipped " << n << " frame(s): " << reason << "\n";
  for (const auto& n : a.notes) out << "  note: " << n << "\n";
  if (!a.error.empty()) out << "  the file ends early: " << a.error << " (what came before is judged)\n";
  std::size_t must = 0;
  for (const auto& f : a.findings) must += !f.should;
  out << "  findings: " << a.findings.size() << " (" << must << " MUST, " << a.findings.size() - must
      << " SHOULD)\n";
}

nlohmann::json to_json(const analysis& a) {
  using nlohmann::json;
  json packets = json::object();
  for (std::size_t t = 1; t < 16; ++t)
    if (a.packets[t]) packets[type_name(t)] = a.packets[t];
  json conns = json::array();
  for (const auto& c : a.connections) {
    json from_client = json::object(), from_server = json::object();
    for (std::size_t t = 1; t < 16; ++t) {
      if (c.from_client[t]) from_client[type_name(t)] = c.from_client[t];
      if (c.from_server[t]) from_server[type_name(t)] = c.from_server[t];
    }
    json j = {{"id", c.id},
              {"client", c.client},
              {"server", c.server},
              {"client_id", c.client_id},
              {"version", c.version ? (*c.version == mqtt::protocol_version::v5 ? "5" : "3.1.1") : ""},
              {"version_from", c.version_from},
              {"mid_stream", c.mid_stream},
              {"first_frame", c.first_frame},
              {"start_s", std::stod(since_start(a, c.start))},
              {"end_s", std::stod(since_start(a, c.end))},
              {"ended", c.ended},
              {"from_client", from_client},
              {"from_server", from_server},
              {"malformed", c.malformed},
              {"findings", c.findings},
              {"notes", c.notes}};
    if (!c.timeline.empty()) {
      json t = json::array();
      for (const auto& p : c.timeline)
        t.push_back({{"frame", p.frame}, {"at_s", std::stod(since_start(a, p.at))}, {"from_server", p.from_server},
                     {"packet", p.text}});
      j["timeline"] = t;
      j["timeline_dropped"] = c.timeline_dropped;
    }
    conns.push_back(j);
  }
  json findings = json::array();
  for (const auto& f : a.findings)
    findings.push_back({{"spec_id", f.spec_id},
                        {"severity", f.should ? "SHOULD" : "MUST"},
                        {"message", f.message},
                        {"connection", f.connection},
                        {"client", f.client},
                        {"at_s", std::stod(since_start(a, f.at))},
                        {"time", utc(f.at)},
                        {"frames", f.frames},
                        {"packets", f.packets}});
  json unread = json::array();
  for (const auto& u : a.unreadables)
    unread.push_back({{"client", u.client}, {"server", u.server}, {"reason", u.reason}, {"first_frame", u.first_frame}});
  json capture = {{"file", a.file}, {"format", a.format}, {"frames", a.frames}, {"bytes", a.bytes}};
  if (a.first) {
    capture["first"] = utc(*a.first);
    capture["last"] = utc(*a.last);
    capture["duration_s"] = std::stod(since_start(a, *a.last));
  }
  if (!a.error.empty()) capture["error"] = a.error;
  json skipped = json::object();
  for (const auto& [reason, n] : a.skipped) skipped[reason] = n;
  return {{"mqttspec", "analysis"},
          {"version", 1},
          {"capture", capture},
          {"tcp", {{"connections", a.tcp_connections}, {"gaps", a.gaps}, {"conflicts", a.conflicts},
                   {"retransmissions", a.retransmissions}}},
          {"skipped_frames", skipped},
          {"packets", packets},
          {"connections", conns},
          {"not_readable", unread},
          {"findings", findings},
          {"notes", a.notes},
          {"seconds", a.seconds}};
}

}  // namespace mqttspec::analyze

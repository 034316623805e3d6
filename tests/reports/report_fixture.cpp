// report_fixture OUT.json [ROOT]: a run document with one case of every verdict (pass,
// fail, non-strict, skipped, error, flaky), written by the real --json writer, so the
// report tests see results a healthy embedded broker never produces.
// With ROOT (an absolute folder), every case has a pcap in ROOT/pcap and its file (and
// its failures' "where") is an absolute path below ROOT: the reports must show neither.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/run/json_output.hpp"

using namespace mqttspec::run;
using std::chrono::milliseconds;

namespace {

case_result make(const std::string& id, verdict v, mqtt::protocol_version version = mqtt::protocol_version::v5) {
  case_result r;
  r.id = id + (version == mqtt::protocol_version::v5 ? "@5" : "@3.1.1");
  r.title = "fixture case " + id;
  r.file = "/src/scenarios/common/fixture/" + id.substr(id.find('/') + 1) + ".yaml";
  r.version = version;
  r.tags = {"fixture", std::string(to_string(v))};
  r.spec_ids = {"MQTT-3.1.2-24", "MQTT-3.3.1-5"};
  r.outcome = v;
  r.seed = 42;
  r.duration = milliseconds(1500);
  r.wall_ms = 0.5;
  r.steps = {{"sub: connect", milliseconds(0), milliseconds(40), true},
             {"sub: expect publish", milliseconds(40), milliseconds(1500), v == verdict::pass}};
  r.packets = {{milliseconds(0), "sub", 1, false, "CONNECT version=5 client_id=\"sub\"", "10 0f 00 04 4d 51 54 54 05 02 00 3c 00 00 03 73 75 62"},
               {milliseconds(40), "sub", 1, true, "CONNACK session_present=0 rc=success", "20 03 00 00 00"},
               {milliseconds(60), "pub", 1, false, "PUBLISH qos=1 topic=\"a/<b>&c\" payload=3B", "32 0c 00 07 61 2f 3c 62 3e 26 63 00 01 68 69 21"}};
  r.link_events = {{milliseconds(0), 1, "open"},
                   {milliseconds(0), 1, "latency_upstream: delayed 18 bytes by 20.000 ms"},
                   {milliseconds(60), 2, "open"},
                   {milliseconds(900), 1, "reset: RST: bytes in flight are lost"}};
  return r;
}

failure broken(bool should) {
  failure f;
  f.where = "fixture.yaml:12:5 step 2 (sub: expect publish)";
  f.message = should ? "DISCONNECT protocol_error: allowed, but close is preferred" : "payload differs";
  f.expected = "publish payload='offline' qos='1' topic='status/victim'";
  f.actual = "PUBLISH qos=0 topic=\"status/victim\" payload=\"online\" </script> \x01";
  f.actual_hex = "30 15 00 0d 73 74 61 74 75 73 2f 76 69 63 74 69 6d 6f 6e 6c 69 6e 65";
  f.spec_ids = {"MQTT-3.1.2-8"};
  f.should = should;
  return f;
}

}  // namespace

// An empty capture: the pcap global header alone.
void write_pcap(const std::string& path) {
  static const unsigned char header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0};
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(header), sizeof header);
}

// Case files and pcaps as absolute paths below root, half of them in a scenarios folder.
void place_under(const std::string& root, std::vector<case_result>& results) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(root) / "pcap");
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    const auto name = fs::path(r.file).filename().string();
    r.file = (fs::path(root) / (i % 2 ? "tree/scenarios/common/fixture" : "tree/mine") / name).string();
    for (auto& f : r.failures) f.where = r.file + ":12:5 step 2 (sub: expect publish)";
    r.pcap = (fs::path(root) / "pcap" / (fs::path(name).stem().string() + ".pcap")).string();
    write_pcap(r.pcap);
  }
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: report_fixture OUT.json [ROOT]\n");
    return 2;
  }
  std::vector<case_result> results;
  results.push_back(make("fixture/pass", verdict::pass));
  auto fail = make("fixture/fail", verdict::fail);
  fail.failures.push_back(broken(false));
  results.push_back(fail);
  auto soft = make("fixture/non-strict", verdict::non_strict, mqtt::protocol_version::v311);
  soft.failures.push_back(broken(true));
  results.push_back(soft);
  auto skipped = make("fixture/skipped", verdict::skipped);
  skipped.reason = "the broker profile lacks retain";
  skipped.packets.clear(), skipped.link_events.clear(), skipped.steps.clear();
  results.push_back(skipped);
  auto error = make("fixture/error", verdict::error);
  error.reason = "cannot connect to the broker: connection refused";
  results.push_back(error);
  auto flaky = make("fixture/flaky", verdict::flaky);
  flaky.failures.push_back(broken(false));
  results.push_back(flaky);

  if (argc == 3) place_under(argv[2], results);

  run_info info;
  info.broker = "fixture broker <mqtt://127.0.0.1:1883> & \"friends\"";
  info.profile = "fixture profile";
  info.capabilities = {{"retain", false}, {"qos2", true}};
  info.limits = {{"maximum_qos", "2"}};
  info.protocols = {"3.1.1", "5"};
  info.link = "latency_ms=20";
  info.seed = 42;
  info.wall_s = 1.25;
  info.started = "2026-01-01T00:00:00Z";
  info.command = "mqttspec run --seed 42";
  info.virtual_time = true;
  if (auto e = write_json(argv[1], results, info); !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  return 0;
}

#include "discover.hpp"

#include <asio.hpp>
#include <chrono>
#include <thread>

#include "netem/proxy/proxy.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqttspec::run {

namespace {

using mqtt::protocol_version;

// One CONNECT of one version, and how the broker answered it.
struct probe_result {
  enum class kind { accepted, refused, failed } what = kind::failed;
  std::string text;  // refused: how; failed: why (an environment error)
  std::map<std::string, bool> capabilities;  // accepted 5.0: what its CONNACK told
  double rtt_ms = 0;
};

std::string version_name(protocol_version v) { return v == protocol_version::v5 ? "5.0" : "3.1.1"; }

// Return codes that mean "who you are", not "which version": the run cannot go on.
bool credentials_refused(std::uint8_t rc, protocol_version v) {
  if (v == protocol_version::v311) return rc == 4 || rc == 5;
  return rc == 0x86 || rc == 0x87 || rc == 0x8C;
}

void read_capabilities(const mqtt::connack& ack, std::map<std::string, bool>& caps) {
  using mqtt::property_id;
  const auto& ps = ack.props;
  if (auto q = mqtt::number_of(ps, property_id::maximum_qos)) {
    caps["qos2"] = false;
    caps["qos1"] = *q >= 1;
  }
  const auto flag = [&](property_id id, const char* cap) {
    if (auto v = mqtt::number_of(ps, id)) caps[cap] = *v != 0;
  };
  flag(property_id::retain_available, "retain");
  flag(property_id::wildcard_subscription_available, "wildcard_subscriptions");
  flag(property_id::subscription_identifier_available, "subscription_identifiers");
  flag(property_id::shared_subscription_available, "shared_subscriptions");
  caps["topic_alias"] = mqtt::number_of(ps, property_id::topic_alias_maximum).value_or(0) > 0;
}

probe_result probe(const netem::host_port& hp, protocol_version v, const credentials& who, double timeout_s) {
  probe_result out;
  const std::string where = hp.host + ":" + std::to_string(hp.port);
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  asio::error_code ec;
  asio::ip::tcp::resolver resolver(io);
  auto eps = resolver.resolve(hp.host, std::to_string(hp.port), ec);
  if (ec) {
    out.text = "cannot resolve " + hp.host + ": " + ec.message();
    return out;
  }
  asio::connect(s, eps, ec);
  if (ec) {
    out.text = "cannot connect to " + where + ": " + ec.message();
    return out;
  }
  mqtt::connect c;
  c.version = v;
  c.client_id = v == protocol_version::v5 ? "mqttspec-discovery-5" : "mqttspec-discovery-311";
  c.keep_alive = 10;
  if (who.username) c.user_name = *who.username;
  if (who.password) c.password = mqtt::bytes_view(*who.password);
  const auto start = std::chrono::steady_clock::now();
  asio::write(s, asio::buffer(mqtt::encode(c, v)), ec);
  // A 3.1.1-only broker answers a 5.0 CONNECT with the 3.1.1 CONNACK 20 02 00 01,
  // which has no properties: read the first four bytes before choosing a decoder.
  std::string got;
  std::string buf(4096, '\0');
  s.non_blocking(true);
  const auto deadline = start + std::chrono::duration<double>(timeout_s);
  for (;;) {
    const auto n = s.read_some(asio::buffer(buf), ec);
    if (!ec) got.append(buf.data(), n);
    if (got.size() >= 4 || (ec && ec != asio::error::would_block)) break;
    if (std::chrono::steady_clock::now() > deadline) {
      out.text = "no CONNACK from " + where + " to a " + version_name(v) + " CONNECT within " +
                 std::to_string(int(timeout_s)) + " s";
      return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  out.rtt_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (got.empty()) {
    out.what = probe_result::kind::refused;
    out.text = "closed the connection after a " + version_name(v) + " CONNECT, without CONNACK";
    return out;
  }
  const bool v311_answer = got.size() >= 2 && got[0] == 0x20 && got[1] == 0x02;
  const auto as = v311_answer ? protocol_version::v311 : v;
  // Take the rest of the packet that is already there, within the deadline.
  mqtt::stream_decoder dec(as);
  dec.feed(got);
  auto p = dec.next();
  while (p && !*p && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const auto n = s.read_some(asio::buffer(buf), ec);
    if (ec && ec != asio::error::would_block) break;
    if (!ec) {
      dec.feed(std::string_view(buf.data(), n));
      p = dec.next();
    }
  }
  if (!p || !*p) {
    out.text = "the answer to a " + version_name(v) + " CONNECT does not decode" +
               (p ? std::string(" (cut short)") : ": " + to_string(p.error())) + ": " + mqtt::to_hex(got);
    return out;
  }
  auto* ack = std::get_if<mqtt::connack>(&**p);
  if (!ack) {
    out.text = "the broker answered a " + version_name(v) + " CONNECT with " + mqtt::to_string(**p, as);
    return out;
  }
  const auto rc = static_cast<std::uint8_t>(ack->code);
  const std::string shown = mqtt::to_string(**p, as);
  if (rc == 0 && as == v) {
    out.what = probe_result::kind::accepted;
    out.text = shown;
    if (v == protocol_version::v5) read_capabilities(*ack, out.capabilities);
    s.non_blocking(false);
    asio::write(s, asio::buffer(mqtt::encode(mqtt::disconnect{}, v)), ec);
    return out;
  }
  if (rc != 0 && credentials_refused(rc, as)) {
    out.text = "the broker refused the credentials: " + shown +
               (who.username ? "" : " (give --username and --password, or mqtt://USER:PASS@HOST:PORT)");
    return out;
  }
  out.what = probe_result::kind::refused;
  out.text = "answered a " + version_name(v) + " CONNECT with " + (v311_answer && v != as ? "the 3.1.1 " : "") + shown;
  return out;
}

}  // namespace

discovery discover(const std::string& host_port, const credentials& who, double timeout_s) {
  discovery d;
  auto hp = netem::parse_host_port(host_port, &d.error);
  if (!d.error.empty()) return d;
  bool any = false;
  for (auto v : {protocol_version::v5, protocol_version::v311}) {
    auto p = probe(hp, v, who, timeout_s);
    if (p.what == probe_result::kind::failed) {
      d.error = p.text;
      return d;
    }
    if (p.what == probe_result::kind::refused) {
      d.refused[v] = p.text;
      continue;
    }
    if (!any) d.connack = p.text, d.rtt_ms = p.rtt_ms;
    any = true;
    if (v == protocol_version::v5) d.capabilities = p.capabilities;
  }
  if (!any)
    d.error = "the broker accepts neither MQTT 5.0 (" + d.refused[protocol_version::v5] + ") nor 3.1.1 (" +
              d.refused[protocol_version::v311] + ")";
  return d;
}

}  // namespace mqttspec::run

#include "discover.hpp"

#include <asio.hpp>
#include <chrono>
#include <thread>

#include "netem/proxy/proxy.hpp"
#include "reference/codec/stream_decoder.hpp"

namespace mqttspec::run {

discovery discover(const std::string& host_port) {
  discovery d;
  auto hp = netem::parse_host_port(host_port, &d.error);
  if (!d.error.empty()) return d;
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  asio::error_code ec;
  asio::ip::tcp::resolver resolver(io);
  auto eps = resolver.resolve(hp.host, std::to_string(hp.port), ec);
  if (!ec) asio::connect(s, eps, ec);
  if (ec) {
    d.error = "cannot connect to " + host_port + ": " + ec.message();
    return d;
  }
  mqtt::connect c;
  c.version = mqtt::protocol_version::v5;
  c.client_id = "mqttspec-discovery";
  c.keep_alive = 10;
  const auto start = std::chrono::steady_clock::now();
  asio::write(s, asio::buffer(mqtt::encode(c, c.version)), ec);
  // Wait at most 5 s for the answer: a hung broker is an error, not a hang.
  mqtt::stream_decoder dec(mqtt::protocol_version::v5);
  std::string buf(4096, '\0');
  s.non_blocking(true);
  const auto deadline = start + std::chrono::seconds(5);
  while (!ec || ec == asio::error::would_block) {
    const auto n = s.read_some(asio::buffer(buf), ec);
    if (!ec) {
      dec.feed(std::string_view(buf.data(), n));
      auto p = dec.next();
      if (!p) {
        d.error = "the broker's answer does not decode: " + to_string(p.error());
        return d;
      }
      if (*p) {
        d.rtt_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        auto* ack = std::get_if<mqtt::connack>(&**p);
        if (!ack) {
          d.error = "the broker answered CONNECT with " + mqtt::to_string(**p, mqtt::protocol_version::v5);
          return d;
        }
        d.connack = mqtt::to_string(**p, mqtt::protocol_version::v5);
        using mqtt::property_id;
        const auto& ps = ack->props;
        if (auto q = mqtt::number_of(ps, property_id::maximum_qos)) {
          d.capabilities["qos2"] = false;
          d.capabilities["qos1"] = *q >= 1;
        }
        const auto flag = [&](property_id id, const char* cap) {
          if (auto v = mqtt::number_of(ps, id)) d.capabilities[cap] = *v != 0;
        };
        flag(property_id::retain_available, "retain");
        flag(property_id::wildcard_subscription_available, "wildcard_subscriptions");
        flag(property_id::subscription_identifier_available, "subscription_identifiers");
        flag(property_id::shared_subscription_available, "shared_subscriptions");
        d.capabilities["topic_alias"] = mqtt::number_of(ps, property_id::topic_alias_maximum).value_or(0) > 0;
        s.non_blocking(false);
        asio::write(s, asio::buffer(mqtt::encode(mqtt::disconnect{}, mqtt::protocol_version::v5)), ec);
        return d;
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      d.error = "no CONNACK from " + host_port + " within 5 s";
      return d;
    }
    if (ec == asio::error::would_block) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  d.error = "the broker closed the connection after CONNECT: " + ec.message();
  return d;
}

}  // namespace mqttspec::run

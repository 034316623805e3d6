#include "cleanup.hpp"

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "netem/proxy/proxy.hpp"
#include "reference/codec/stream_decoder.hpp"

// GCC 12 misreads Asio's coroutine frame allocator as a new/delete mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace mqttspec::run {

namespace {

using mqtt::protocol_version;
using clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
// Connections at once: the retained topics' one and the sessions'. Enough to hide a
// remote broker's round trips, few enough not to look like a connection flood.
constexpr std::size_t parallel = 8;
// Retained PUBLISH packets unacknowledged at once (a 5.0 Receive Maximum lowers it).
constexpr std::size_t window = 256;
// How long a broker may take to close its side after our DISCONNECT.
constexpr auto linger_time = std::chrono::seconds(1);
// Problems named in the report; the others are counted.
constexpr std::size_t shown_problems = 5;
constexpr const char* cleanup_client_id = "mqttspec-cleanup";

// One cleanup: the broker, the work, the tally, and the watchdog's view of the broker.
struct job {
  job(const cleanup_target& t, clock::duration timeout) : t(t), timeout(timeout), watchdog(io) {}

  void answered() { last_answer = clock::now(); }
  void problem(std::string what) { problems.push_back(std::move(what)); }
  // No connection starts after this; the open ones are closed, which ends their waits.
  void stop() {
    stopped = true;
    std::error_code ignored;
    for (auto* s : open) s->close(ignored);
  }

  asio::io_context io;
  const cleanup_target& t;
  clock::duration timeout;
  tcp::resolver::results_type endpoints;
  std::vector<std::string> topics, ids;
  std::size_t next_task = 0;  // the retained topics (when there are any), then one per id
  std::size_t workers = 0;    // still running
  bool stopped = false;
  bool gave_up = false;  // stopped by the watchdog
  clock::time_point last_answer = clock::now();
  asio::steady_timer watchdog;
  std::set<tcp::socket*> open;
  std::vector<std::string> problems;
  cleanup_report report;
};

// What a 5.0 CONNACK allows the cleanup client to send.
struct limits {
  std::size_t receive_maximum = 65535;
  bool retain = true;
  bool qos1 = true;
};

// One connection of the cleanup client, registered with the job so the watchdog can cut it.
class conn {
 public:
  explicit conn(job& j) : j_(j), v_(j.t.version), sock_(j.io), linger_(j.io), dec_(v_) { j_.open.insert(&sock_); }
  ~conn() { j_.open.erase(&sock_); }
  conn(const conn&) = delete;
  conn& operator=(const conn&) = delete;

  /// TCP connect, a clean CONNECT, its CONNACK. nullopt, with the problem reported
  /// under `what`, unless the broker accepted.
  asio::awaitable<std::optional<limits>> open(std::string client_id, std::string what) {
    auto [ec, ep] = co_await asio::async_connect(sock_, j_.endpoints, use_tuple);
    if (ec) {
      // The broker is not there for anyone: the other tasks would fail the same way.
      if (!j_.stopped) {
        j_.problem("cannot connect to " + j_.t.host_port + ": " + ec.message());
        j_.stop();
      }
      co_return std::nullopt;
    }
    j_.answered();
    mqtt::connect c;
    c.version = v_;
    c.clean_start = true;  // discards the session the id had
    c.keep_alive = 60;
    c.client_id = client_id;
    // And none is kept after this connection (absent means 0 too; explicit reads better in a capture).
    if (v_ == protocol_version::v5) {
      mqtt::property expiry;
      expiry.id = mqtt::property_id::session_expiry_interval;
      c.props.push_back(expiry);
    }
    if (j_.t.username) c.user_name = *j_.t.username;
    if (j_.t.password) c.password = mqtt::bytes_view(*j_.t.password);
    std::optional<mqtt::packet> p;
    if (co_await send(mqtt::encode(c, v_))) p = co_await next();
    if (!p) {
      if (!j_.stopped) j_.problem(what + ": no CONNACK: " + why_);
      co_return std::nullopt;
    }
    const auto* ack = std::get_if<mqtt::connack>(&*p);
    if (!ack || ack->code != mqtt::reason_code::success) {
      j_.problem(what + ": the broker answered CONNECT with " + mqtt::to_string(*p, v_));
      co_return std::nullopt;
    }
    limits l;
    using mqtt::property_id;
    if (auto n = mqtt::number_of(ack->props, property_id::receive_maximum)) l.receive_maximum = *n;
    if (auto n = mqtt::number_of(ack->props, property_id::retain_available)) l.retain = *n != 0;
    if (auto n = mqtt::number_of(ack->props, property_id::maximum_qos)) l.qos1 = *n != 0;
    co_return l;
  }

  asio::awaitable<bool> send(const std::string& bytes) {
    auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(bytes), use_tuple);
    if (ec) why_ = ec.message();
    co_return !ec;
  }

  /// The next packet, which views the decoder's bytes until the next call; nullopt
  /// when the connection ended or broke (why() says how).
  asio::awaitable<std::optional<mqtt::packet>> next() {
    for (;;) {
      auto p = dec_.next();
      if (!p) {
        why_ = "an answer that does not decode: " + to_string(p.error());
        co_return std::nullopt;
      }
      if (*p) co_return std::move(**p);
      auto [ec, n] = co_await sock_.async_read_some(asio::buffer(buf_), use_tuple);
      if (ec) {
        why_ = ec == asio::error::eof ? "the broker closed the connection" : ec.message();
        co_return std::nullopt;
      }
      j_.answered();
      dec_.feed(mqtt::bytes_view(buf_.data(), n));
    }
  }

  /// DISCONNECT, then wait (briefly) for the broker to close its side: it has then
  /// ended the session, so a client that connects right after finds none.
  asio::awaitable<void> close() {
    if (!co_await send(mqtt::encode(mqtt::disconnect{}, v_))) co_return;
    std::error_code ignored;
    sock_.shutdown(tcp::socket::shutdown_send, ignored);
    linger_.expires_after(linger_time);
    linger_.async_wait([this](std::error_code ec) {
      std::error_code ignored;
      if (!ec) sock_.close(ignored);
    });
    while (co_await next()) {
    }
    linger_.cancel();
  }

  const std::string& why() const { return why_; }

 private:
  job& j_;
  protocol_version v_;
  tcp::socket sock_;
  asio::steady_timer linger_;
  mqtt::stream_decoder dec_;
  std::array<char, 4096> buf_;
  std::string why_;
};

// Every retained topic over one connection: the PUBLISH packets go out in a window,
// each PUBACK frees a place.
asio::awaitable<void> clear_retained(job& j) {
  conn c(j);
  const auto lim = co_await c.open(cleanup_client_id, "clearing retained messages");
  if (!lim) co_return;
  if (!lim->retain) {  // a 5.0 broker without retained messages kept none of ours
    co_await c.close();
    co_return;
  }
  // A 5.0 broker with Maximum QoS 0 refuses QoS 1: QoS 0 then, which nothing acknowledges.
  const auto q = lim->qos1 ? mqtt::qos::at_least_once : mqtt::qos::at_most_once;
  const std::size_t most = std::max<std::size_t>(1, std::min(window, lim->receive_maximum));
  std::map<std::uint16_t, std::size_t> inflight;  // packet id -> topic
  std::uint16_t id = 0;
  std::size_t sent = 0;
  bool broken = false;
  while (!broken && (sent < j.topics.size() || !inflight.empty())) {
    std::string out;
    for (; sent < j.topics.size() && inflight.size() < most; ++sent) {
      mqtt::publish p;
      p.qos = q;
      p.retain = true;
      p.topic = j.topics[sent];
      if (q == mqtt::qos::at_least_once) {
        do id = id == 65535 ? 1 : id + 1;
        while (inflight.count(id));
        p.packet_id = id;
        inflight[id] = sent;
      } else {
        ++j.report.retained_cleared;
      }
      mqtt::encode(p, j.t.version, out);
    }
    if (!out.empty() && !co_await c.send(out)) broken = true;
    if (broken || inflight.empty()) continue;
    auto p = co_await c.next();
    if (!p) {
      broken = true;
    } else if (const auto* ack = std::get_if<mqtt::puback>(&*p)) {
      auto it = inflight.find(ack->packet_id);
      if (it == inflight.end()) continue;
      if (static_cast<std::uint8_t>(ack->code) < 0x80)
        ++j.report.retained_cleared;
      else
        j.problem("retained topic \"" + j.topics[it->second] + "\": " + mqtt::to_string(*p, j.t.version));
      inflight.erase(it);
    } else if (std::holds_alternative<mqtt::disconnect>(*p)) {
      j.problem("clearing retained messages: the broker sent " + mqtt::to_string(*p, j.t.version));
      co_return;
    }
  }
  if (broken) {
    if (!j.stopped)
      j.problem("clearing retained messages: " + c.why() + ", " + std::to_string(inflight.size() + j.topics.size() - sent) +
                " of " + std::to_string(j.topics.size()) + " topics not acknowledged");
    co_return;
  }
  co_await c.close();
}

// The session of one client id: a clean CONNECT discards it, the DISCONNECT ends the new one.
asio::awaitable<void> end_session(job& j, const std::string& id) {
  conn c(j);
  if (!co_await c.open(id, "client id \"" + id + "\"")) co_return;
  ++j.report.sessions_cleared;
  co_await c.close();
}

asio::awaitable<void> worker(job& j) {
  const std::size_t first_id = j.topics.empty() ? 0 : 1;
  while (!j.stopped && j.next_task < first_id + j.ids.size()) {
    const std::size_t task = j.next_task++;
    if (task < first_id)
      co_await clear_retained(j);
    else
      co_await end_session(j, j.ids[task - first_id]);
  }
  if (--j.workers == 0) j.watchdog.cancel();
}

// Gives up once the broker has been silent for the timeout, however many tasks wait.
asio::awaitable<void> watch(job& j) {
  while (j.workers > 0) {
    j.watchdog.expires_at(j.last_answer + j.timeout);
    co_await j.watchdog.async_wait(use_tuple);
    if (j.workers > 0 && clock::now() >= j.last_answer + j.timeout) {
      j.gave_up = true;
      j.stop();
      co_return;
    }
  }
}

// Unique non-empty names, in their first order; topics with wildcards cannot be published.
std::vector<std::string> usable(const std::vector<std::string>& names, bool topics) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& n : names)
    if (!n.empty() && !(topics && n.find_first_of("+#") != std::string::npos) && seen.insert(n).second)
      out.push_back(n);
  return out;
}

}  // namespace

cleanup_report clean_broker(const cleanup_target& t, const std::vector<std::string>& retained_topics,
                            const std::vector<std::string>& client_ids, double timeout_s) {
  cleanup_report failed;
  const auto hp = netem::parse_host_port(t.host_port, &failed.error);
  if (!failed.error.empty()) return failed;
  job j(t, std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout_s)));
  j.topics = usable(retained_topics, true);
  j.ids = usable(client_ids, false);
  const std::size_t tasks = (j.topics.empty() ? 0 : 1) + j.ids.size();
  if (tasks == 0) return j.report;
  std::error_code ec;
  j.endpoints = tcp::resolver(j.io).resolve(hp.host, std::to_string(hp.port), ec);
  if (ec) {
    failed.error = "cannot resolve " + hp.host + ": " + ec.message();
    return failed;
  }
  j.workers = std::min(parallel, tasks);
  for (std::size_t i = 0; i < j.workers; ++i) asio::co_spawn(j.io, worker(j), asio::detached);
  asio::co_spawn(j.io, watch(j), asio::detached);
  j.io.run();

  std::ostringstream error;
  if (j.gave_up)
    error << "the broker at " << t.host_port << " answered nothing for " << timeout_s << " s: gave up with "
          << j.report.retained_cleared << " of " << j.topics.size() << " retained topics and "
          << j.report.sessions_cleared << " of " << j.ids.size() << " sessions cleared";
  for (std::size_t i = 0; i < j.problems.size() && i < shown_problems; ++i)
    error << (error.tellp() > 0 ? "; " : "") << j.problems[i];
  if (j.problems.size() > shown_problems) error << "; and " << j.problems.size() - shown_problems << " more";
  j.report.error = error.str();
  return j.report;
}

cleanup_report clean_up_after(const run_options& o, const std::vector<case_result>& results) {
  std::vector<std::string> topics, ids;
  for (const auto& r : results) {
    topics.insert(topics.end(), r.retained_topics.begin(), r.retained_topics.end());
    ids.insert(ids.end(), r.client_ids.begin(), r.client_ids.end());
  }
  const auto version = o.refused_versions.count(protocol_version::v5) ? protocol_version::v311 : protocol_version::v5;
  return clean_broker({*o.broker, version, o.username, o.password}, topics, ids);
}

}  // namespace mqttspec::run

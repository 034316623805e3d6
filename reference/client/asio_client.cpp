#include "asio_client.hpp"

#include <array>
#include <asio/experimental/as_tuple.hpp>

namespace mqtt::client {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
// How long a connection we closed may take to close its side before it is cut.
constexpr auto linger_time = std::chrono::seconds(2);

}  // namespace

asio_client::asio_client(asio::any_io_executor ex, options opts)
    : ex_(ex), core_(std::move(opts)), sock_(ex), timer_(ex), linger_(ex), epoch_(std::chrono::steady_clock::now()) {
  timer_.expires_at(asio::steady_timer::time_point::max());
  asio::co_spawn(ex_, timer_loop(alive_), asio::detached);
}

asio_client::~asio_client() {
  *alive_ = false;
  std::error_code ignored;
  sock_.close(ignored);
  timer_.cancel();
  linger_.cancel();
}

timestamp asio_client::now() const {
  return std::chrono::duration_cast<timestamp>(std::chrono::steady_clock::now() - epoch_);
}

asio::awaitable<op_result> asio_client::connect(std::string host, std::uint16_t port, duration timeout) {
  close_socket();
  asio::ip::tcp::resolver resolver(ex_);
  auto [rec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), use_tuple);
  if (rec) co_return op_result::failure("resolve " + host + ": " + rec.message());
  sock_ = asio::ip::tcp::socket(ex_);
  auto [cec, ep] = co_await asio::async_connect(sock_, endpoints, use_tuple);
  if (cec) co_return op_result::failure("connect " + host + ":" + std::to_string(port) + ": " + cec.message());
  std::error_code ignored;
  sock_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_open_ = true;
  close_requested_ = false;
  pending_.clear();
  connack_.reset();
  last_disconnect_.reset();
  ++generation_;

  std::vector<action> out;
  pending_ = core_.connect(now(), out);
  apply(out);
  asio::co_spawn(ex_, read_loop(alive_), asio::detached);

  co_await wait_until([&] { return connack_ || last_disconnect_; }, timeout);
  if (connack_) co_return op_result::success(connack_->connack.code);
  if (last_disconnect_) co_return op_result::failure(last_disconnect_->why, last_disconnect_->reason);
  close_socket();
  out.clear();
  core_.on_closed(now(), out);
  apply(out);
  co_return op_result::failure("no CONNACK in time");
}

asio::awaitable<op_result> asio_client::publish(std::string topic, std::string payload, mqtt::qos q, bool retain,
                                                properties props, duration timeout) {
  std::vector<action> out;
  const submitted s = core_.publish(topic, payload, q, retain, props, now(), out);
  apply(out);
  if (!s.ok()) co_return op_result::failure(s.error);
  if (q == qos::at_most_once) co_return op_result::success();
  const std::uint16_t id = s.packet_id;
  co_await wait_until([&] { return completed_.count(id) || dropped_.count(id); }, timeout);
  op_result r = op_result::success(reason_code::success, id);
  if (auto it = completed_.find(id); it != completed_.end()) {
    r.reason = it->second;
    completed_.erase(it);
  } else if (dropped_.erase(id)) {
    r.error = "dropped";
  } else {
    r.error = "no acknowledgement in time";
  }
  co_return r;
}

// Waits for the SUBACK or UNSUBACK of a submitted request and returns its codes.
asio::awaitable<op_result> asio_client::await_ack(submitted s, std::string_view packet, duration timeout) {
  if (!s.ok()) co_return op_result::failure(s.error);
  const std::uint16_t id = s.packet_id;
  co_await wait_until([&] { return acks_.count(id) || !core_.is_connected(); }, timeout);
  op_result r = op_result::success(reason_code::success, id);
  if (auto it = acks_.find(id); it != acks_.end()) {
    r.codes = std::move(it->second);
    acks_.erase(it);
  } else {
    r.error = core_.is_connected() ? "no " + std::string(packet) + " in time" : "disconnected";
  }
  co_return r;
}

asio::awaitable<op_result> asio_client::subscribe(std::string filter, mqtt::qos q, duration timeout) {
  std::vector<action> out;
  subscription sub;
  sub.filter = filter;
  sub.max_qos = q;
  const submitted s = core_.subscribe({sub}, {}, now(), out);
  apply(out);
  co_return co_await await_ack(s, "SUBACK", timeout);
}

asio::awaitable<op_result> asio_client::unsubscribe(std::string filter, duration timeout) {
  std::vector<action> out;
  const submitted s = core_.unsubscribe({filter}, {}, now(), out);
  apply(out);
  co_return co_await await_ack(s, "UNSUBACK", timeout);
}

asio::awaitable<std::optional<message>> asio_client::receive(duration timeout) {
  co_await wait_until([&] { return !inbox_.empty(); }, timeout);
  if (inbox_.empty()) co_return std::nullopt;
  message m = std::move(inbox_.front());
  inbox_.pop_front();
  co_return m;
}

asio::awaitable<void> asio_client::disconnect(reason_code reason, duration timeout) {
  std::vector<action> out;
  core_.disconnect(reason, {}, now(), out);
  apply(out);
  co_await wait_until([&] { return !socket_open_; }, timeout);
  close_socket();
}

void asio_client::apply(std::vector<action>& out) {
  for (auto& a : out) {
    if (observer_) observer_(a);
    std::visit(overloaded{
                   [&](send_bytes& s) { pending_ += s.bytes; },
                   [&](close&) { close_requested_ = true; },
                   [&](arm_timer& t) {
                     // Keep only the earliest: the core re-arms what is still due later.
                     const auto at = epoch_ + t.at;
                     if (timer_.expiry() > at) timer_.expires_at(at);
                   },
                   [&](client::connected& c) { connack_ = std::move(c); },
                   [&](message& m) { inbox_.push_back(std::move(m)); },
                   [&](subscribed& s) { acks_[s.suback.packet_id] = s.suback.codes; },
                   [&](unsubscribed& s) { acks_[s.unsuback.packet_id] = s.unsuback.codes; },
                   [&](published& p) { completed_[p.packet_id] = p.reason; },
                   [&](publish_dropped& d) { dropped_.insert(d.packet_id); },
                   [&](auth_challenge&) {},
                   [&](disconnected& d) { last_disconnect_ = std::move(d); },
                   [&](protocol_violation& v) { violations_.push_back(std::move(v)); },
               },
               a);
  }
  out.clear();
  flush();
  wake();
}

void asio_client::flush() {
  if (writer_running_ || !socket_open_) return;
  if (!pending_.empty()) {
    writer_running_ = true;
    asio::co_spawn(ex_, write_loop(), asio::detached);
    return;
  }
  if (close_requested_) {
    // FIN, but keep reading: closing with unread input would send RST, and the
    // broker could lose the DISCONNECT. The linger timer cuts a silent peer.
    close_requested_ = false;
    std::error_code ignored;
    sock_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    linger_.expires_after(linger_time);
    linger_.async_wait([this, alive = alive_, gen = generation_](std::error_code ec) {
      if (!ec && *alive && gen == generation_) close_socket();
    });
  }
}

asio::awaitable<void> asio_client::write_loop() {
  auto alive = alive_;
  while (*alive && socket_open_ && !pending_.empty()) {
    std::swap(pending_, writing_);
    auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(writing_), use_tuple);
    if (!*alive) co_return;
    writing_.clear();
    if (ec) pending_.clear();  // the reader sees the same error and reports the loss
  }
  writer_running_ = false;
  flush();
}

asio::awaitable<void> asio_client::read_loop(std::shared_ptr<bool> alive) {
  const std::uint64_t gen = generation_;
  std::array<char, 16 * 1024> buf;
  std::vector<action> out;
  for (;;) {
    auto [ec, n] = co_await sock_.async_read_some(asio::buffer(buf), use_tuple);
    if (!*alive || gen != generation_) co_return;
    if (ec) break;
    core_.on_bytes(bytes_view(buf.data(), n), now(), out);
    apply(out);
  }
  close_socket();
  core_.on_closed(now(), out);  // ignored when the core closed first
  apply(out);
}

asio::awaitable<void> asio_client::timer_loop(std::shared_ptr<bool> alive) {
  std::vector<action> out;
  for (;;) {
    auto [ec] = co_await timer_.async_wait(use_tuple);
    if (!*alive) co_return;
    if (ec) continue;  // re-armed earlier: wait again
    timer_.expires_at(asio::steady_timer::time_point::max());
    core_.on_time(now(), out);
    apply(out);
  }
}

asio::awaitable<bool> asio_client::wait_until(std::function<bool()> done, duration timeout) {
  asio::steady_timer t(ex_, timeout);
  waiters_.insert(&t);
  struct unlist {
    std::set<asio::steady_timer*>& s;
    asio::steady_timer* t;
    ~unlist() { s.erase(t); }
  } guard{waiters_, &t};
  for (;;) {
    if (done()) co_return true;
    auto [ec] = co_await t.async_wait(use_tuple);
    if (!ec) co_return done();  // the deadline passed
  }
}

void asio_client::wake() {
  for (auto* t : waiters_) t->cancel();
}

void asio_client::close_socket() {
  std::error_code ignored;
  if (socket_open_) sock_.close(ignored);
  socket_open_ = false;
  linger_.cancel();
}

}  // namespace mqtt::client

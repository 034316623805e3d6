#include "proxy.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <charconv>

namespace netem {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {
// Completion as (error_code, result...) instead of exceptions: network errors are values.
constexpr auto as_tuple = asio::experimental::as_tuple(use_awaitable);
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
// Reads in a row before a reader lets the other connections run.
constexpr int reads_per_turn = 16;
}  // namespace

host_port parse_host_port(std::string_view text, std::string* error) {
  host_port hp;
  std::string_view host, port;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      if (error) *error = "expected [IPv6]:PORT, got '" + std::string(text) + "'";
      return {};
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      if (error) *error = "expected HOST:PORT, got '" + std::string(text) + "'";
      return {};
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p > 65535 || host.empty()) {
    if (error) *error = "bad port or host in '" + std::string(text) + "'";
    return {};
  }
  hp.host = std::string(host);
  hp.port = static_cast<std::uint16_t>(p);
  return hp;
}

struct proxy::connection {
  connection(asio::io_context& io, conn_id i, link l)
      : id(i), client(io), broker(io), wire(std::move(l)), wake{asio::steady_timer(io), asio::steady_timer(io)} {}

  tcp::socket& source(direction d) { return d == direction::upstream ? client : broker; }
  tcp::socket& destination(direction d) { return d == direction::upstream ? broker : client; }
  asio::steady_timer& wake_of(direction d) { return wake[d == direction::upstream ? 0 : 1]; }

  void reset_both() {
    asio::error_code ec;
    for (auto* s : {&client, &broker}) {
      if (!s->is_open()) continue;
      s->set_option(asio::socket_base::linger(true, 0), ec);
      s->close(ec);
    }
    for (auto& w : wake) w.cancel();
    ended = true;
  }

  conn_id id;
  tcp::socket client, broker;
  link wire;
  asio::steady_timer wake[2];
  tcp_flow* flow = nullptr;
  bool writing[2] = {false, false};  // a write to this direction's destination is under way
  int writers_done = 0;
  bool ended = false;
};

proxy::proxy(asio::io_context& io, host_port listen, host_port target, std::vector<impairment_spec> link_specs,
             std::uint64_t seed)
    : io_(io), listen_(std::move(listen)), target_(std::move(target)), specs_(std::move(link_specs)), seed_(seed),
      acceptor_(io), start_(std::chrono::steady_clock::now()) {}

proxy::~proxy() = default;

timestamp proxy::now() const {
  return std::chrono::duration_cast<timestamp>(std::chrono::steady_clock::now() - start_);
}

std::string proxy::start() {
  // Fail early on bad impairments rather than per connection.
  link probe(seed_, specs_);
  if (!probe.error().empty()) return probe.error();
  asio::error_code ec;
  targets_ = tcp::resolver(io_).resolve(target_.host, std::to_string(target_.port), ec);
  if (ec) return "cannot resolve " + target_.host + ": " + ec.message();
  auto address = asio::ip::make_address(listen_.host, ec);
  if (ec) return "bad listen address '" + listen_.host + "': " + ec.message();
  tcp::endpoint ep(address, listen_.port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && share_port_) acceptor_.set_option(reuse_port(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + listen_.host + ":" + std::to_string(listen_.port) + ": " + ec.message();
  buf_.resize(256 * 1024);
  asio::co_spawn(io_, accept_loop(), asio::detached);
  return {};
}

void proxy::stop() {
  asio::error_code ec;
  acceptor_.close(ec);
  for (auto& [id, c] : conns_) c->reset_both();
}

std::uint16_t proxy::port() const { return acceptor_.local_endpoint().port(); }

std::string proxy::capture_to(const std::string& path, std::vector<std::string> secrets) {
  auto c = std::make_unique<capture>(
      path, std::chrono::duration_cast<timestamp>(std::chrono::system_clock::now().time_since_epoch()));
  if (!c->ok()) return c->error();
  c->redact(std::move(secrets));
  capture_ = std::move(c);
  return {};
}

awaitable<void> proxy::accept_loop() {
  while (acceptor_.is_open()) {
    auto [ec, sock] = co_await acceptor_.async_accept(as_tuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec == asio::error::no_descriptors) {
      // Out of descriptors: the client waits in the backlog, which stays readable, so
      // retrying at once would spin. Serve the others and try again shortly.
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(as_tuple);
      continue;
    }
    if (ec) continue;
    const conn_id id = next_;
    next_ += step_;
    auto c = std::make_shared<connection>(io_, id, link(rng::derive(seed_, id), specs_, now()));
    c->client = std::move(sock);
    asio::co_spawn(io_, serve(c), asio::detached);
  }
}

awaitable<void> proxy::serve(std::shared_ptr<connection> c) {
  auto [ec, ep] = co_await asio::async_connect(c->broker, targets_, as_tuple);
  if (ec) {
    c->reset_both();  // the client sees what it would see from a dead broker
    if (on_target_error_) on_target_error_(target_.host + ":" + std::to_string(target_.port) + ": " + ec.message());
    co_return;
  }
  for (auto* s : {&c->client, &c->broker}) {
    s->set_option(tcp::no_delay(true), ec);
    s->non_blocking(true, ec);  // the readers read and write without waiting
  }
  conns_[c->id] = c;
  if (capture_) {
    c->flow = &capture_->new_flow();
    c->flow->open(now());
  }
  if (on_accept_) on_accept_(c->id);
  for (direction d : {direction::upstream, direction::downstream}) {
    asio::co_spawn(io_, reader(c, d), asio::detached);
    asio::co_spawn(io_, writer(c, d), asio::detached);
  }
}

// Reads into the shared buffer, so no read may be left pending: the reader waits for
// readiness, then reads itself. Asio's wait re-arms the socket in epoll, which reports
// bytes or a FIN already there, so a short read can be followed by a wait at once (no
// read that only returns EAGAIN); a full one is followed by another read.
awaitable<void> proxy::reader(std::shared_ptr<connection> c, direction d) {
  auto& source = c->source(d);
  auto& dest = c->destination(d);
  const bool up = d == direction::upstream;
  bool& writing = c->writing[up ? 0 : 1];
  bool empty = false;
  int reads = 0;
  for (;;) {
    asio::error_code ec;
    if (empty) {
      std::tie(ec) = co_await source.async_wait(tcp::socket::wait_read, as_tuple);
      empty = false;
      reads = 0;
    } else if (++reads > reads_per_turn) {
      co_await asio::post(io_, use_awaitable);  // a sender that never pauses must not starve the others
      reads = 0;
    }
    if (c->ended) co_return;
    std::size_t n = 0;
    if (!ec) n = source.read_some(asio::buffer(buf_), ec);
    empty = n < buf_.size();
    if (ec == asio::error::would_block) continue;
    if (ec) {
      // EOF is an orderly close (FIN); anything else is a reset.
      const bool reset = ec != asio::error::eof;
      if (c->flow) reset ? c->flow->rst(now(), up) : c->flow->fin(now(), up);
      c->wire.close(d, now(), reset);
      c->wake_of(d).cancel();
      co_return;
    }
    if (c->flow && up) c->flow->data(now(), true, std::string_view(buf_.data(), n));
    if (!c->wire.passthrough(d) || writing) {
      c->wire.send(d, now(), std::string(buf_.data(), n));
      wake_writer(*c, d);
      continue;
    }
    // No impairment and nothing queued: write at once. Only this reader feeds this
    // direction, so the writer has nothing to add meanwhile. A write error is left to
    // the reader of the other direction, which sees the same peer gone.
    std::size_t done = dest.write_some(asio::buffer(buf_.data(), n), ec);
    if (ec == asio::error::would_block) ec = {}, done = 0;
    if (done > 0 && c->flow && !up) c->flow->data(now(), false, std::string_view(buf_.data(), done));
    if (ec || done == n) continue;
    // The destination is full: hold the rest (buf_ is shared) and read no more until
    // it is written, which passes the back pressure on to the sender.
    std::string rest(buf_.data() + done, n - done);
    writing = true;
    std::tie(ec, std::ignore) = co_await asio::async_write(dest, asio::buffer(rest), as_tuple);
    writing = false;
    if (!ec && c->flow && !up) c->flow->data(now(), false, rest);
  }
}

void proxy::wake_writer(connection& c, direction d) {
  auto next = c.wire.next_event(d);
  auto& timer = c.wake_of(d);
  // A writer busy writing has a past expiry and looks at the link before it waits again.
  if (next && start_ + *next < timer.expiry()) timer.cancel();
}

awaitable<void> proxy::writer(std::shared_ptr<connection> c, direction d) {
  auto& timer = c->wake_of(d);
  std::vector<delivery> due;
  for (;;) {
    if (c->ended) break;
    auto next = c->wire.next_event(d);
    const timestamp t = now();
    if (!next || *next > t) {
      timer.expires_at(next ? start_ + *next : std::chrono::steady_clock::time_point::max());
      co_await timer.async_wait(as_tuple);
      continue;  // woken by the deadline or by new bytes: look again
    }
    due.clear();
    c->wire.deliver(d, t, due);
    bool finished = false;
    for (auto& x : due) {
      auto& dest = c->destination(d);
      if (x.what == delivery::kind::data) {
        bool& writing = c->writing[d == direction::upstream ? 0 : 1];
        writing = true;
        auto [ec, n] = co_await asio::async_write(dest, asio::buffer(x.bytes), as_tuple);
        writing = false;
        if (ec) finished = true;
        else if (c->flow && d == direction::downstream) c->flow->data(now(), false, x.bytes);
      } else if (x.what == delivery::kind::fin) {
        asio::error_code ec;
        dest.shutdown(tcp::socket::shutdown_send, ec);
        finished = true;
      } else {
        c->reset_both();
        finished = true;
      }
      if (finished) break;
    }
    if (finished) break;
  }
  if (++c->writers_done == 2 || c->ended) {
    asio::error_code ec;
    c->client.close(ec);
    c->broker.close(ec);
    conns_.erase(c->id);
  }
}

std::string proxy::add_impairment(conn_id id, const impairment_spec& spec) {
  const timestamp t = now();
  std::string err;
  for (auto& [cid, c] : conns_) {
    if (id != 0 && cid != id) continue;
    auto e = c->wire.add(spec, t);
    if (!e.empty()) err = e;
    for (auto& w : c->wake) w.cancel();
  }
  if (id == 0) specs_.push_back(spec);  // and for connections still to come
  return err;
}

void proxy::remove_impairment(conn_id id, const std::string& type, direction d) {
  const timestamp t = now();
  for (auto& [cid, c] : conns_) {
    if (id != 0 && cid != id) continue;
    c->wire.remove(type, d, t);
    for (auto& w : c->wake) w.cancel();
  }
}

void proxy::cut(conn_id id, bool reset) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  auto c = it->second;
  if (reset) {
    c->reset_both();
    return;
  }
  c->wire.close(direction::upstream, now(), false);
  c->wire.close(direction::downstream, now(), false);
  for (auto& w : c->wake) w.cancel();
}

}  // namespace netem

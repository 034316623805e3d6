#include "server.hpp"

#include <array>

namespace mqtt::broker {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
// How long a connection the broker closed may take to close its side before it is cut.
constexpr auto linger_time = std::chrono::seconds(2);
// Bytes queued for a peer that does not read; beyond this the connection is cut as if
// the network had failed, so one stuck subscriber cannot take the broker's memory.
constexpr std::size_t max_pending = 64 * 1024 * 1024;
// One read buffer per thread for all its connections: it reads synchronously once a socket is
// readable, so an idle connection costs no buffer at all.
thread_local std::array<char, 64 * 1024> read_buf;

}  // namespace

struct server::connection {
  connection(conn_id i, asio::ip::tcp::socket s) : id(i), sock(std::move(s)) {}
  conn_id id;
  asio::ip::tcp::socket sock;
  std::string pending;   // queued by the core, not yet handed to the kernel
  std::string writing;   // owned by write_loop while an async_write runs
  bool writer_running = false;
  bool dirty = false;            // listed in dirty_
  bool close_requested = false;  // the core asked: close once pending is flushed
  bool closed = false;           // gone from the core's view: actions and bytes are ignored
  bool cut = false;              // the peer stopped reading: close now, without flushing
};

server::server(asio::io_context& io, config cfg, const asio::ip::tcp::endpoint& where, log_fn log)
    : io_(io),
      core_(std::move(cfg)),
      acceptor_(io, where),
      timer_(io),
      epoch_(std::chrono::steady_clock::now()),
      log_(std::move(log)) {
  asio::co_spawn(io_, accept_loop(), asio::detached);
  asio::co_spawn(io_, timer_loop(), asio::detached);
}

server::~server() { stop(); }

asio::ip::tcp::endpoint server::local_endpoint() const { return acceptor_.local_endpoint(); }

void server::stop() {
  if (stopped_) return;
  stopped_ = true;
  std::error_code ignored;
  acceptor_.close(ignored);
  timer_.cancel();
  for (auto& [id, c] : conns_) {
    c->closed = true;
    c->sock.close(ignored);
  }
  conns_.clear();
}

timestamp server::now() const {
  return std::chrono::duration_cast<timestamp>(std::chrono::steady_clock::now() - epoch_);
}

asio::awaitable<void> server::accept_loop() {
  while (!stopped_) {
    auto [ec, sock] = co_await acceptor_.async_accept(use_tuple);
    if (stopped_ || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of descriptors or a connection reset before accept: wait a little, go on.
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    std::error_code ignored;
    sock.set_option(asio::ip::tcp::no_delay(true), ignored);
    sock.non_blocking(true, ignored);
    auto c = std::make_shared<connection>(next_id_++, std::move(sock));
    conns_.emplace(c->id, c);
    scratch_.clear();
    core_.on_open(c->id, now(), scratch_);
    apply(scratch_);
    wait_readable(std::move(c));
  }
}

// Reads are a callback, not a coroutine: an idle connection then costs one pending
// wait (~150 bytes) instead of a coroutine frame and its spawn frames (~1 KB), which
// is what lets 10,000 idle clients fit in a few MiB.
void server::wait_readable(conn_ptr c) {
  auto& sock = c->sock;
  sock.async_wait(asio::ip::tcp::socket::wait_read,
                  [this, c = std::move(c)](std::error_code ec) mutable { on_readable(std::move(c), ec); });
}

void server::on_readable(conn_ptr c, std::error_code ec) {
  // Drain what is there now, bounded so one busy client cannot starve the others.
  for (int i = 0; i < 16 && !ec; ++i) {
    const std::size_t n = c->sock.read_some(asio::buffer(read_buf), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      break;
    }
    if (ec || c->closed || c->close_requested) continue;  // the core is done with it: discard
    scratch_.clear();
    core_.on_bytes(c->id, bytes_view(read_buf.data(), n), now(), scratch_);
    apply(scratch_);
    if (n < read_buf.size()) break;
  }
  if (!ec) {
    wait_readable(std::move(c));
    return;
  }
  std::error_code ignored;
  c->sock.close(ignored);
  if (c->closed) return;
  // The peer closed or the network failed: the core must hear of it (will, session).
  c->closed = true;
  conns_.erase(c->id);
  scratch_.clear();
  core_.on_closed(c->id, now(), scratch_);
  apply(scratch_);
}

void server::apply(std::vector<action>& out) {
  auto find = [&](conn_id id) -> connection* {
    auto it = conns_.find(id);
    return it == conns_.end() || it->second->closed || it->second->close_requested ? nullptr : it->second.get();
  };
  auto mark = [&](connection& c) {
    if (!c.dirty) dirty_.push_back(&c);
    c.dirty = true;
  };
  for (auto& a : out) {
    std::visit(overloaded{
                   [&](send_bytes& s) {
                     if (auto* c = find(s.conn)) {
                       if (c->pending.size() + c->writing.size() > max_pending) {
                         lost_.push_back(c->id);
                         c->close_requested = c->cut = true;  // no more bytes; cut in flush()
                         c->pending.clear();
                       } else if (c->pending.empty()) {
                         c->pending.swap(s.bytes);
                       } else {
                         c->pending += s.bytes;
                       }
                       mark(*c);
                     }
                   },
                   [&](close_connection& k) {
                     if (auto* c = find(k.conn)) {
                       c->close_requested = true;
                       mark(*c);
                     }
                   },
                   [&](arm_timer& t) {
                     // Keep only the earliest: the core re-arms what is still due later.
                     if (timer_armed_ && timer_at_ <= t.at) return;
                     timer_armed_ = true;
                     timer_at_ = t.at;
                     timer_.expires_at(epoch_ + t.at);  // wakes timer_loop to wait again
                   },
                   [&](note& n) {
                     if (!log_) return;
                     std::string line = "conn " + std::to_string(n.conn) + ": ";
                     if (!n.spec_id.empty()) line += "[" + n.spec_id + "] ";
                     log_(line + n.text);
                   },
               },
               a);
  }
  // Flush after the whole batch, so one read's deliveries leave in one write per peer.
  for (auto* c : dirty_) {
    c->dirty = false;
    flush(*c);
  }
  dirty_.clear();
  // Peers cut for not reading: the core hears of it as a network failure (will, session).
  while (!lost_.empty()) {
    const conn_id id = lost_.back();
    lost_.pop_back();
    std::vector<action> more;
    core_.on_closed(id, now(), more);
    apply(more);
  }
}

void server::flush(connection& c) {
  if (c.cut && !c.closed) {
    // Cancels a write stuck on the peer; the reader then ends without reporting again.
    c.closed = true;
    std::error_code ignored;
    c.sock.close(ignored);
    conns_.erase(c.id);
    return;
  }
  if (c.writer_running || c.closed) return;
  if (!c.pending.empty()) {
    // Try the kernel first: most writes complete at once and need no coroutine.
    std::error_code ec;
    const std::size_t n = c.sock.write_some(asio::buffer(c.pending), ec);
    if (!ec || ec == asio::error::would_block || ec == asio::error::try_again) {
      c.pending.erase(0, n);
    } else {
      c.pending.clear();  // the reader sees the same error and reports the loss
    }
    if (!c.pending.empty()) {
      c.writer_running = true;
      auto it = conns_.find(c.id);
      asio::co_spawn(io_, write_loop(it->second), asio::detached);
      return;
    }
  }
  if (c.close_requested) close_socket(c);
}

asio::awaitable<void> server::write_loop(conn_ptr c) {
  while (!c->pending.empty() && !c->closed) {
    std::swap(c->pending, c->writing);
    auto [ec, n] = co_await asio::async_write(c->sock, asio::buffer(c->writing), use_tuple);
    c->writing.clear();
    if (ec) c->pending.clear();
  }
  c->writer_running = false;
  if (c->close_requested && !c->closed) close_socket(*c);
}

void server::close_socket(connection& c) {
  // Send FIN but keep reading: closing with unread input would send RST, and the peer
  // could lose the DISCONNECT it has not read yet. The reader closes on EOF or later.
  c.closed = true;
  std::error_code ignored;
  c.sock.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  auto self = conns_.find(c.id)->second;
  conns_.erase(c.id);
  asio::co_spawn(
      io_,
      [](conn_ptr c, asio::io_context& io) -> asio::awaitable<void> {
        asio::steady_timer t(io, linger_time);
        co_await t.async_wait(use_tuple);
        std::error_code ignored;
        c->sock.close(ignored);
      }(std::move(self), io_),
      asio::detached);
}

asio::awaitable<void> server::timer_loop() {
  timer_.expires_at(std::chrono::steady_clock::time_point::max());
  while (!stopped_) {
    co_await timer_.async_wait(use_tuple);
    if (stopped_) co_return;
    if (!timer_armed_ || timer_.expiry() > std::chrono::steady_clock::now()) continue;  // re-armed
    timer_armed_ = false;
    timer_.expires_at(std::chrono::steady_clock::time_point::max());
    scratch_.clear();
    core_.on_time(now(), scratch_);
    apply(scratch_);
  }
}

}  // namespace mqtt::broker

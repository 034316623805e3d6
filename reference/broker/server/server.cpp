#include "server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <cerrno>
#include <system_error>

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
// Reads per socket per round, and accepts per round: one busy client cannot starve the others.
constexpr int reads_per_round = 16;
constexpr int accepts_per_round = 64;
// One read buffer per thread for all its connections: it reads synchronously once a socket is
// readable, so an idle connection costs no buffer at all.
thread_local std::array<char, 64 * 1024> read_buf;

int make_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}

bool retry_later(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

}  // namespace

server::server(asio::io_context& io, config cfg, const asio::ip::tcp::endpoint& where, log_fn log)
    : io_(io),
      core_(std::move(cfg)),
      acceptor_(io, where),
      poller_(io, make_epoll()),
      timer_(io),
      linger_timer_(io),
      accept_pause_(io),
      epoch_(clock::now()),
      log_(std::move(log)) {
  acceptor_.non_blocking(true);
  wait_accept();
  wait_events();
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
  linger_timer_.cancel();
  accept_pause_.cancel();
  for (auto& [id, c] : conns_) ::close(c.fd);
  conns_.clear();
  lingering_ = 0;
  poller_.close(ignored);
}

timestamp server::now() const { return std::chrono::duration_cast<timestamp>(clock::now() - epoch_); }

// The server runs on one io_context thread, and every handler below runs on it: no
// locking, and between two handlers the epoll set cannot change under us.

void server::wait_accept() {
  acceptor_.async_wait(asio::ip::tcp::acceptor::wait_read, [this](std::error_code ec) {
    if (!ec && !stopped_) accept_ready();
  });
}

void server::accept_ready() {
  for (int i = 0; i < accepts_per_round; ++i) {
    const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      open(fd);
      if (stopped_) return;
      continue;
    }
    // Asio's readiness is edge-triggered: wait only once the backlog is empty.
    if (retry_later(errno)) return wait_accept();
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    // Out of descriptors or memory: wait a little, go on.
    accept_pause_.expires_after(std::chrono::milliseconds(50));
    accept_pause_.async_wait([this](std::error_code ec) {
      if (!ec && !stopped_) accept_ready();
    });
    return;
  }
  asio::post(io_, [this] {
    if (!stopped_) accept_ready();
  });
}

void server::open(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const conn_id id = next_id_++;
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: what a round leaves unread is reported again
  ev.data.u64 = id;
  if (::epoll_ctl(poller_.native_handle(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    ::close(fd);
    return;
  }
  conns_[id].fd = fd;
  scratch_.clear();
  core_.on_open(id, now(), scratch_);
  apply(scratch_);
}

// The epoll set is one descriptor in Asio's reactor, which watches it edge-triggered,
// while the sockets in it are level-triggered. So a round that found events is followed
// by another one (posted, so timers and the acceptor get their turn), and only a round
// that found none waits on the set: readiness a round leaves behind is never lost.
void server::wait_events() {
  poller_.async_wait(asio::posix::stream_descriptor::wait_read, [this](std::error_code ec) {
    if (!ec && !stopped_) poll_events();
  });
}

void server::poll_events() {
  std::array<epoll_event, 64> events;
  const int n = ::epoll_wait(poller_.native_handle(), events.data(), int(events.size()), 0);
  for (int i = 0; i < n && !stopped_; ++i) {
    const conn_id id = events[i].data.u64;
    auto it = conns_.find(id);
    if (it == conns_.end()) continue;  // dropped earlier in this round
    if (events[i].events & EPOLLOUT) on_writable(*it);
    if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(id);
  }
  if (stopped_) return;
  if (n > 0 || (n < 0 && errno == EINTR)) {
    asio::post(io_, [this] {
      if (!stopped_) poll_events();
    });
  } else {
    wait_events();
  }
}

void server::on_readable(conn_id id) {
  for (int i = 0; i < reads_per_round; ++i) {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;  // cut while handling the last read
    connection& c = it->second;
    const ssize_t n = ::read(c.fd, read_buf.data(), read_buf.size());
    if (n < 0 && retry_later(errno)) return;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // The peer closed or the network failed: the core must hear of it (will, session),
      // unless it is done with the connection already.
      const bool report = !c.closed;
      drop(id);
      if (report) {
        scratch_.clear();
        core_.on_closed(id, now(), scratch_);
        apply(scratch_);
      }
      return;
    }
    if (c.closed || c.close_requested) continue;  // the core is done with it: discard
    scratch_.clear();
    core_.on_bytes(id, bytes_view(read_buf.data(), std::size_t(n)), now(), scratch_);
    apply(scratch_);
    if (std::size_t(n) < read_buf.size()) return;
  }
}

void server::on_writable(entry& e) {
  connection& c = e.second;
  if (!c.want_write) return;
  if (!write_out(c)) c.out.reset();  // the reader sees the same error and reports the loss
  if (c.out) return;                 // still no room: wait for the next EPOLLOUT
  set_want_write(e, false);
  if (c.close_requested && !c.closed) close_socket(e);
}

void server::apply(std::vector<action>& out) {
  auto find = [&](conn_id id) -> entry* {
    auto it = conns_.find(id);
    return it == conns_.end() || it->second.closed || it->second.close_requested ? nullptr : &*it;
  };
  auto mark = [&](entry& e) {
    if (!e.second.dirty) dirty_.push_back(&e);
    e.second.dirty = true;
  };
  for (auto& a : out) {
    std::visit(overloaded{
                   [&](send_bytes& s) {
                     entry* e = find(s.conn);
                     if (!e) return;
                     connection* c = &e->second;
                     if (c->out && c->out->bytes.size() - c->out->sent > max_pending) {
                       lost_.push_back(s.conn);
                       c->close_requested = c->cut = true;  // no more bytes; cut in flush()
                       c->out.reset();
                     } else if (!c->out) {
                       c->out = std::make_unique<outbox>();
                       c->out->bytes.swap(s.bytes);
                     } else {
                       auto& o = *c->out;
                       if (o.sent > 0 && o.sent >= o.bytes.size() / 2) {  // keep appends amortised O(1)
                         o.bytes.erase(0, o.sent);
                         o.sent = 0;
                       }
                       o.bytes += s.bytes;
                     }
                     mark(*e);
                   },
                   [&](close_connection& k) {
                     if (entry* e = find(k.conn)) {
                       e->second.close_requested = true;
                       mark(*e);
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
  for (entry* e : dirty_) {
    e->second.dirty = false;
    flush(*e);  // may drop e: dirty_ lists each connection once, so nothing else points to it
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

void server::flush(entry& e) {
  connection& c = e.second;
  if (c.cut && !c.closed) return drop(e.first);  // at once, unflushed; the core hears through lost_
  if (c.want_write || c.closed) return;          // EPOLLOUT continues the write
  if (c.out) {
    // Try the kernel first: most writes complete at once and need no EPOLLOUT.
    if (!write_out(c)) c.out.reset();  // the reader sees the same error and reports the loss
    if (c.out) return set_want_write(e, true);
  }
  if (c.close_requested) close_socket(e);
}

bool server::write_out(connection& c) {
  auto& o = *c.out;
  while (o.sent < o.bytes.size()) {
    // MSG_NOSIGNAL: a peer that reset the connection is an error here, not SIGPIPE.
    const ssize_t n = ::send(c.fd, o.bytes.data() + o.sent, o.bytes.size() - o.sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return retry_later(errno);
    }
    o.sent += std::size_t(n);
  }
  c.out.reset();  // an idle connection holds no buffer
  return true;
}

void server::set_want_write(entry& e, bool on) {
  if (e.second.want_write == on) return;
  e.second.want_write = on;
  epoll_event ev{};
  ev.events = on ? EPOLLIN | EPOLLOUT : EPOLLIN;
  ev.data.u64 = e.first;
  ::epoll_ctl(poller_.native_handle(), EPOLL_CTL_MOD, e.second.fd, &ev);
}

void server::close_socket(entry& e) {
  // Send FIN but keep reading: closing with unread input would send RST, and the peer
  // could lose the DISCONNECT it has not read yet. The socket closes on EOF or after
  // linger_time.
  e.second.closed = true;
  ++lingering_;
  ::shutdown(e.second.fd, SHUT_WR);
  linger_.emplace_back(clock::now() + linger_time, e.first);
  wait_linger();
}

void server::wait_linger() {
  if (linger_armed_ || linger_.empty()) return;
  linger_armed_ = true;
  linger_timer_.expires_at(linger_.front().first);
  linger_timer_.async_wait([this](std::error_code ec) {
    linger_armed_ = false;
    if (ec || stopped_) return;
    const auto t = clock::now();
    while (!linger_.empty() && linger_.front().first <= t) {
      // The same linger_time for all: deadlines are in order. Gone already: closed on EOF.
      if (auto it = conns_.find(linger_.front().second); it != conns_.end() && it->second.closed)
        drop(it->first);
      linger_.pop_front();
    }
    wait_linger();
  });
}

void server::drop(conn_id id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  // Closing the last descriptor of a socket also takes it out of the epoll set.
  ::close(it->second.fd);
  if (it->second.closed) --lingering_;
  conns_.erase(it);
}

asio::awaitable<void> server::timer_loop() {
  timer_.expires_at(clock::time_point::max());
  while (!stopped_) {
    co_await timer_.async_wait(use_tuple);
    if (stopped_) co_return;
    if (!timer_armed_ || timer_.expiry() > clock::now()) continue;  // re-armed
    timer_armed_ = false;
    timer_.expires_at(clock::time_point::max());
    scratch_.clear();
    core_.on_time(now(), scratch_);
    apply(scratch_);
  }
}

}  // namespace mqtt::broker

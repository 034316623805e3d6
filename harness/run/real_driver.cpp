#include "real_driver.hpp"

#include <asio/experimental/as_tuple.hpp>

#include "stop.hpp"

namespace mqttspec::run {

using asio::ip::tcp;

struct real_driver::socket_state {
  explicit socket_state(asio::io_context& io) : sock(io) {}
  tcp::socket sock;
  endpoint* e = nullptr;
  netem::proxy::conn_id proxied = 0;
  bool closed = false;
};

real_driver::real_driver(netem::host_port broker, std::uint64_t seed)
    : proxy_(std::make_unique<netem::proxy>(io_, netem::host_port{"127.0.0.1", 0}, std::move(broker),
                                            std::vector<netem::impairment_spec>{}, seed)),
      start_(std::chrono::steady_clock::now()) {
  proxy_->on_accept([this](netem::proxy::conn_id id) { accepted_.push_back(id); });
  proxy_->on_target_error([this](const std::string& e) { target_error_ = e; });
}

real_driver::~real_driver() {
  proxy_->stop();
  for (auto& [id, s] : sockets_) {
    asio::error_code ec;
    s->sock.close(ec);
  }
  io_.run_for(std::chrono::milliseconds(50));  // let the coroutines end
}

std::string real_driver::start() { return proxy_->start(); }

timestamp real_driver::now() const {
  return std::chrono::duration_cast<timestamp>(std::chrono::steady_clock::now() - start_);
}

driver::conn_id real_driver::open(endpoint& e, const std::vector<netem::impairment_spec>& link, std::string& error) {
  auto s = std::make_shared<socket_state>(io_);
  s->e = &e;
  asio::error_code ec;
  const std::size_t before = accepted_.size();
  s->sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy_->port()), ec);
  if (ec) {
    error = "cannot reach the proxy: " + ec.message();
    return 0;
  }
  s->sock.set_option(tcp::no_delay(true), ec);
  // The proxy reports the connection once the broker side is connected too.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  target_error_.clear();
  while (accepted_.size() == before && target_error_.empty() && std::chrono::steady_clock::now() < deadline)
    io_.run_one_for(std::chrono::milliseconds(10));
  if (!target_error_.empty()) {
    error = "cannot connect to " + target_error_;
    return 0;
  }
  if (accepted_.size() == before) {
    error = "the broker did not accept a connection within 5 s";
    return 0;
  }
  s->proxied = accepted_.back();
  for (const auto& spec : link) proxy_->add_impairment(s->proxied, spec);
  const conn_id id = s->proxied;
  sockets_[id] = s;
  events_.push_back({now(), id, "open"});  // the sim world's words, so reports read both alike
  asio::co_spawn(io_, read_loop(s), asio::detached);
  return id;
}

asio::awaitable<void> real_driver::read_loop(std::shared_ptr<socket_state> s) {
  std::string buf(64 * 1024, '\0');
  for (;;) {
    auto [ec, n] = co_await s->sock.async_read_some(asio::buffer(buf),
                                                    asio::experimental::as_tuple(asio::use_awaitable));
    if (s->closed) co_return;
    if (ec) {
      s->closed = true;
      events_.push_back({now(), s->proxied, ec != asio::error::eof ? "client saw reset" : "client saw close"});
      s->e->on_closed(now(), ec != asio::error::eof);
      co_return;
    }
    s->e->on_bytes(std::string_view(buf.data(), n), now());
  }
}

void real_driver::send(conn_id c, std::string bytes) {
  auto it = sockets_.find(c);
  if (it == sockets_.end() || it->second->closed) return;
  asio::error_code ec;
  asio::write(it->second->sock, asio::buffer(bytes), ec);  // small writes to loopback: blocking is fine
}

void real_driver::close(conn_id c, bool reset) {
  auto it = sockets_.find(c);
  if (it == sockets_.end() || it->second->closed) return;
  auto& s = *it->second;
  s.closed = true;
  events_.push_back({now(), c, reset ? "client reset" : "client closed"});
  asio::error_code ec;
  if (reset) s.sock.set_option(asio::socket_base::linger(true, 0), ec);
  else s.sock.shutdown(tcp::socket::shutdown_send, ec);
  s.sock.close(ec);
}

std::string real_driver::add_impairment(conn_id c, const netem::impairment_spec& spec) {
  events_.push_back({now(), c, "link: + " + spec.type});
  return proxy_->add_impairment(c, spec);
}

void real_driver::clear_impairments(conn_id c, const std::vector<netem::impairment_spec>& keep) {
  for (const auto& t : netem::impairment_types()) proxy_->remove_impairment(c, std::string(t.type));
  for (const auto& s : keep) proxy_->add_impairment(c, s);
  events_.push_back({now(), c, "link: cleared"});
}

void real_driver::schedule(timestamp at, std::function<void()> f) {
  auto t = std::make_shared<asio::steady_timer>(io_, start_ + at);
  t->async_wait([t, f = std::move(f)](const asio::error_code& ec) {
    if (!ec) f();
  });
}

bool real_driver::run_until(timestamp until, const std::function<bool()>& done) {
  const auto deadline = start_ + until;
  while (!done()) {
    if (stop_requested() != stop_reason::none) return false;  // the run is ending: stop waiting
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return done();
    io_.run_one_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(20)));
    if (io_.stopped()) io_.restart();
  }
  return true;
}

}  // namespace mqttspec::run

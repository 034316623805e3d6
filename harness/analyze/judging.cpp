#include "judging.hpp"

namespace mqttspec::analyze {

namespace {
// Events per batch, and batches handed over but not yet judged: enough to keep both
// threads busy, few enough that memory stays small whatever the capture.
constexpr std::size_t batch_events = 4096;
constexpr std::size_t max_ready = 8;
}  // namespace

struct judging::job {
  bool named = false;  // a named() call, else an event
  checks::monitor* monitor = nullptr;
  const std::string* server = nullptr;
  exchange::event e;   // its views are not used: bytes and fact live in the batch
  std::uint64_t frame = 0;
  std::size_t bytes_at = 0, bytes_size = 0;
  std::size_t extra = 0;  // index of the error or the fact in the batch
};

struct judging::batch {
  std::vector<job> jobs;
  std::string bytes;
  std::vector<mqtt::decode_error> errors;
  std::vector<checks::websocket_fact> facts;
  void clear() {
    jobs.clear();
    bytes.clear();
    errors.clear();
    facts.clear();
  }
};

judging::judging() : filling_(std::make_unique<batch>()), thread_([this] { run(); }) {}

judging::~judging() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void judging::named(const std::string* server, const std::string* client, std::size_t connection) {
  job j;
  j.named = true;
  j.server = server;
  j.e.client = client;
  j.e.connection = connection;
  filling_->jobs.push_back(std::move(j));
}

void judging::event(checks::monitor* m, const std::string* server, const exchange::event& e, std::uint64_t frame) {
  auto& b = *filling_;
  job j;
  j.monitor = m;
  j.server = server;
  j.e = e;
  j.frame = frame;
  j.bytes_at = b.bytes.size();
  j.bytes_size = e.bytes.size();
  b.bytes += e.bytes;
  if (e.what == exchange::event::kind::packet && !e.packet && e.error) {
    j.extra = b.errors.size();
    b.errors.push_back(*e.error);
  }
  if (e.what == exchange::event::kind::websocket && e.websocket) {
    j.extra = b.facts.size();
    b.facts.push_back(*e.websocket);
  }
  b.jobs.push_back(std::move(j));
  if (b.jobs.size() >= batch_events) hand_over();
}

void judging::hand_over() {
  if (filling_->jobs.empty()) return;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return ready_.size() < max_ready; });
  ready_.push_back(std::move(filling_));
  if (!spare_.empty()) {
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    filling_ = std::make_unique<batch>();
  }
  lock.unlock();
  changed_.notify_all();
}

std::vector<judging::found> judging::finish() {
  hand_over();
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (failed_) std::rethrow_exception(failed_);
  return std::move(found_);
}

void judging::run() {
  for (;;) {
    std::unique_ptr<batch> b;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !ready_.empty() || done_; });
      if (ready_.empty()) return;  // done, and everything judged
      b = std::move(ready_.front());
      ready_.pop_front();
    }
    changed_.notify_all();
    if (!failed_) {
      try {
        for (const auto& j : b->jobs) judge(*b, j);
      } catch (...) {
        failed_ = std::current_exception();
      }
    }
    b->clear();
    std::lock_guard lock(mutex_);
    spare_.push_back(std::move(b));
  }
}

void judging::judge(const batch& b, const job& j) {
  if (j.named) {
    latest_[{*j.server, *j.e.client}] = static_cast<std::size_t>(j.e.connection);
    return;
  }
  exchange::event e = j.e;
  e.bytes = std::string_view(b.bytes).substr(j.bytes_at, j.bytes_size);
  std::optional<mqtt::packet> packet;
  std::string text;  // made only if something is found
  if (e.what == exchange::event::kind::packet) {
    if (e.packet) {
      // The caller decoded these bytes with this version: the same packet again.
      auto p = mqtt::decode(e.bytes, e.version);
      if (!p) return;  // cannot happen: decoding is deterministic
      packet = std::move(*p);
      e.packet = &*packet;
    } else {
      e.error = &b.errors[j.extra];
    }
  }
  if (e.what == exchange::event::kind::websocket) e.websocket = &b.facts[j.extra];
  exchange::feed(*j.monitor, e);
  for (auto& v : j.monitor->drain()) {
    found f;
    f.frame = e.client && v.client == *e.client ? j.frame : 0;
    if (e.what == exchange::event::kind::packet) {
      if (text.empty())
        text = e.packet ? mqtt::to_string(*e.packet, e.version) : "undecodable: " + mqtt::to_string(*e.error);
      f.packet = text;
    }
    if (auto it = latest_.find({*j.server, v.client}); it != latest_.end()) f.connection = it->second;
    f.v = std::move(v);
    found_.push_back(std::move(f));
  }
}

}  // namespace mqttspec::analyze

#include "runner.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

#include "executor.hpp"
#include "real_driver.hpp"
#include "sim_driver.hpp"
#include "stop.hpp"

namespace mqttspec::run {

bool glob(std::string_view p, std::string_view t) {
  // Iterative matcher with backtracking to the last '*'.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi, ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string base36(std::uint64_t x, std::size_t digits) {
  static constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  for (; out.size() < digits; x /= 36) out += alphabet[x % 36];
  return out;
}

std::uint64_t case_seed(std::uint64_t run_seed, std::string_view case_id) {
  std::uint64_t h = 1469598103934665603ull ^ run_seed;  // FNV-1a over the id
  for (unsigned char c : case_id) h = (h ^ c) * 1099511628211ull;
  return h & ((1ull << 53) - 1);
}

namespace {

bool selected(const scenario::test_case& c, const run_options& o) {
  if (o.protocol && c.version != *o.protocol) return false;
  if (o.filters.empty()) return true;
  for (const auto& f : o.filters) {
    if (f.starts_with("tag:")) {
      const auto& tags = c.source->tags;
      if (std::find(tags.begin(), tags.end(), f.substr(4)) != tags.end()) return true;
    } else if (f.starts_with("spec:")) {
      auto it = c.source->spec.find(c.version);
      if (it != c.source->spec.end())
        for (const auto& id : it->second)
          if (glob(f.substr(5), id)) return true;
    } else if (glob(f, c.id) || glob(f, c.source->id)) {
      return true;
    }
  }
  return false;
}

case_result skipped(const scenario::test_case& c, std::string reason) {
  case_result r;
  r.id = c.id;
  r.title = c.source->title;
  r.file = c.source->at.file;
  r.version = c.version;
  r.tags = c.source->tags;
  if (auto it = c.source->spec.find(c.version); it != c.source->spec.end()) r.spec_ids = it->second;
  r.outcome = verdict::skipped;
  r.reason = std::move(reason);
  return r;
}

case_result not_run(const scenario::test_case& c) {
  auto r = skipped(c, "not run: the run was interrupted");
  if (stop_requested() == stop_reason::broker_silent) {
    r.outcome = verdict::error;
    r.reason = "not run: the broker stopped answering";
  }
  return r;
}

std::string pcap_path(const scenario::test_case& c, const run_options& o, unsigned sample) {
  if (o.pcap_dir.empty()) return {};
  std::string name = c.id;
  for (auto& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '.') ch = '_';
  if (sample) name += ".sample" + std::to_string(sample + 1);
  return (std::filesystem::path(o.pcap_dir) / (name + ".pcap")).string();
}

// One run of a case on its own driver.
case_result run_sample(const scenario::test_case& c, std::size_t index, const run_options& o,
                       const std::string& run_id, unsigned attempt, unsigned sample) {
  const std::uint64_t seed = case_seed(o.seed + attempt, c.id);
  scenario::scenario s = *c.source;
  s.link.insert(s.link.end(), o.link.begin(), o.link.end());
  // Real time: the case's place in this run, unique; virtual time: its id, so that a
  // case's bytes are the same whatever else runs with it (golden traces rest on it).
  const std::string scope = o.broker ? std::to_string(index) : base36(case_seed(0, c.id), 4);
  case_context ctx{run_id, scope, attempt, seed, o.slack_s, 10, o.username, o.password};
  ctx.sample = sample;
  const std::string pcap = pcap_path(c, o, sample);
  std::unique_ptr<driver> d;
  std::string err;
  std::vector<std::string> secrets;
  if (o.password) secrets.push_back(*o.password);
  if (o.broker) {
    auto hp = netem::parse_host_port(*o.broker, &err);
    auto rd = std::make_unique<real_driver>(hp, seed);
    if (err.empty()) err = rd->start();
    if (err.empty() && !pcap.empty()) err = rd->capture_to(pcap, secrets);
    d = std::move(rd);
  } else {
    auto sd = std::make_unique<sim_driver>(seed, o.embedded);
    if (!pcap.empty()) err = sd->capture_to(pcap, secrets);
    d = std::move(sd);
  }
  if (!err.empty()) {
    auto r = skipped(c, "");
    r.outcome = verdict::error;
    r.reason = err;
    return r;
  }
  executor x(s, c.version, *d, ctx);
  auto r = x.run();
  r.pcap = pcap;
  return r;
}

// Real time, `samples: N`: N runs at once, each stagger_s after the one before.
case_result run_samples(const scenario::test_case& c, std::size_t index, const run_options& o,
                        const std::string& run_id, unsigned attempt) {
  const auto& s = *c.source;
  std::vector<case_result> all(s.samples);
  std::vector<std::thread> threads;
  for (unsigned k = 0; k < s.samples; ++k)
    threads.emplace_back([&, k] {
      const auto start = std::chrono::steady_clock::now() + std::chrono::duration<double>(s.stagger_s * k);
      while (std::chrono::steady_clock::now() < start && stop_requested() == stop_reason::none)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      all[k] = stop_requested() != stop_reason::none ? not_run(c) : run_sample(c, index, o, run_id, attempt, k);
    });
  for (auto& t : threads) t.join();
  auto r = worst_of(all);
  // The report links one capture: the worst sample's, under the case's own name.
  const std::string pcap = pcap_path(c, o, 0);
  std::error_code ec;
  for (const auto& x : all)
    if (!x.pcap.empty() && x.pcap != r.pcap) std::filesystem::remove(x.pcap, ec);
  if (!r.pcap.empty() && r.pcap != pcap) std::filesystem::rename(r.pcap, pcap, ec);
  r.pcap = pcap;
  return r;
}

case_result run_one(const scenario::test_case& c, std::size_t index, const run_options& o, const std::string& run_id,
                    unsigned attempt) {
  if (stop_requested() != stop_reason::none) return not_run(c);
  if (auto it = o.refused_versions.find(c.version); it != o.refused_versions.end())
    return skipped(c, "the broker refused this protocol version: " + it->second);
  for (const auto& req : c.source->requires_)
    if (std::find(o.missing_capabilities.begin(), o.missing_capabilities.end(), req) != o.missing_capabilities.end())
      return skipped(c, "the broker profile lacks '" + req + "'");
  // Virtual time has no timer phase to sample: one run says it all.
  if (o.broker && c.source->samples > 1) return run_samples(c, index, o, run_id, attempt);
  return run_sample(c, index, o, run_id, attempt, 0);
}

// Runs `repeat` times; disagreeing outcomes make the case flaky. Pass and non-strict
// both meet the MUSTs: a case that is sometimes only non-strict (a late keep-alive
// close near the window's edge) is non-strict, not flaky.
case_result run_repeated(const scenario::test_case& c, std::size_t index, const run_options& o,
                         const std::string& run_id) {
  case_result first = run_one(c, index, o, run_id, 0);
  std::vector<std::string> topics = first.retained_topics, ids = first.client_ids;  // every attempt's, to clean up
  for (unsigned i = 1; i < o.repeat && stop_requested() == stop_reason::none; ++i) {
    auto again = run_one(c, index, o, run_id, i);
    topics.insert(topics.end(), again.retained_topics.begin(), again.retained_topics.end());
    ids.insert(ids.end(), again.client_ids.begin(), again.client_ids.end());
    const auto graded = [](verdict v) { return v == verdict::pass || v == verdict::non_strict; };
    if (graded(first.outcome) && graded(again.outcome)) {
      if (again.outcome == verdict::non_strict && first.outcome == verdict::pass) first = std::move(again);
      continue;
    }
    if (again.outcome != first.outcome) {
      first.reason = "run 1: " + std::string(to_string(first.outcome)) + ", run " + std::to_string(i + 1) + ": " +
                     std::string(to_string(again.outcome)) + " (seed " + std::to_string(again.seed) + ")";
      first.outcome = verdict::flaky;
      break;
    }
  }
  first.retained_topics = std::move(topics);
  first.client_ids = std::move(ids);
  return first;
}

}  // namespace

case_result worst_of(std::vector<case_result> samples) {
  // The order of concern: an interrupted or broken sample says least about the broker.
  const auto rank = [](verdict v) {
    switch (v) {
      case verdict::pass: return 0;
      case verdict::non_strict: return 1;
      case verdict::flaky: return 2;
      case verdict::fail: return 3;
      case verdict::error: return 4;
      case verdict::skipped: return 5;
    }
    return 0;
  };
  std::size_t worst = 0;
  std::vector<std::string> topics, ids;
  bool silent = false;
  for (std::size_t k = 0; k < samples.size(); ++k) {
    const auto& x = samples[k];
    if (rank(x.outcome) > rank(samples[worst].outcome)) worst = k;
    topics.insert(topics.end(), x.retained_topics.begin(), x.retained_topics.end());
    ids.insert(ids.end(), x.client_ids.begin(), x.client_ids.end());
    silent |= x.broker_silent;
  }
  case_result r = std::move(samples[worst]);
  if (samples.size() > 1) {
    std::string tally;
    for (const auto& x : samples) tally += (tally.empty() ? "" : ", ") + std::string(to_string(x.outcome));
    const std::string note = "sample " + std::to_string(worst + 1) + " of " + std::to_string(samples.size()) +
                             " (" + tally + ")";
    r.reason = r.reason.empty() ? note : r.reason + "; " + note;
  }
  r.retained_topics = std::move(topics);
  r.client_ids = std::move(ids);
  r.broker_silent = silent;
  return r;
}

std::string_view to_string(verdict v) {
  static constexpr std::string_view names[] = {"pass", "fail", "non-strict", "skipped", "error", "flaky"};
  return names[static_cast<int>(v)];
}

std::vector<scenario::test_case> plan(const std::vector<scenario::scenario>& all, const run_options& o) {
  std::vector<scenario::test_case> cases;
  std::size_t n = 0;
  for (const auto& s : all)
    for (auto v : s.protocols) {
      scenario::test_case c{s.id + (v == mqtt::protocol_version::v5 ? "@5" : "@3.1.1"), &s, v};
      if (!selected(c, o)) continue;
      if (o.shards > 1 && (n++ % o.shards) != o.shard - 1) continue;
      cases.push_back(c);
    }
  return cases;
}

std::vector<case_result> run_cases(const std::vector<scenario::test_case>& cases, const run_options& o,
                                   const std::function<void(std::size_t, std::size_t, const case_result&)>& progress) {
  std::vector<case_result> results(cases.size());
  std::size_t done = 0;
  std::mutex m;
  // The namespace of client ids and topics. Against a real broker, a run's own, so
  // that runs (and a broker's leftover sessions) never meet; in virtual time the seed's,
  // so that `--seed N` gives the same bytes every time.
  const std::string run_id = base36(
      o.broker ? case_seed(o.seed, std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))
               : case_seed(o.seed, "run"),
      5);
  // Cases that share fixed client ids or topics run alone, after the parallel ones.
  std::vector<std::size_t> shared, alone;
  for (std::size_t i = 0; i < cases.size(); ++i) (cases[i].source->namespaced ? shared : alone).push_back(i);
  unsigned silent = 0;  // cases in a row whose broker did not answer CONNECT
  const auto run_phase = [&](const std::vector<std::size_t>& order, unsigned jobs) {
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
      for (std::size_t k; (k = next++) < order.size();) {
        const std::size_t i = order[k];
        results[i] = run_repeated(cases[i], i, o, run_id);
        std::lock_guard lock(m);
        silent = results[i].broker_silent ? silent + 1 : 0;
        if (o.max_silent && silent >= o.max_silent) request_stop(stop_reason::broker_silent);
        if (progress) progress(++done, cases.size(), results[i]);
      }
    };
    jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(order.size())));
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
  };
  run_phase(shared, o.jobs);
  run_phase(alone, 1);
  // A broker that went silent: its missing CONNACKs are the environment's failure.
  if (stop_requested() == stop_reason::broker_silent)
    for (auto& r : results)
      if (r.broker_silent) {
        r.outcome = verdict::error;
        r.reason = "the broker did not answer CONNECT; it stopped answering after " + std::to_string(o.max_silent) +
                   " cases in a row";
      }
  return results;
}

}  // namespace mqttspec::run

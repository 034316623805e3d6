#include "console.hpp"

#include <unistd.h>

#include <algorithm>

#include "spec/spec_table.hpp"

namespace mqttspec::run {

namespace {

const char* color(verdict v) {
  switch (v) {
    case verdict::pass: return "\033[32m";
    case verdict::fail:
    case verdict::error: return "\033[31m";
    case verdict::non_strict:
    case verdict::flaky: return "\033[33m";
    case verdict::skipped: return "\033[90m";
  }
  return "";
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

console::console(std::FILE* out, bool verbose, std::string reproduce)
    : out_(out), tty_(isatty(fileno(out)) != 0), verbose_(verbose), reproduce_(std::move(reproduce)) {}

void console::progress(std::size_t done, std::size_t total, const case_result& last) {
  ++counts_[static_cast<int>(last.outcome)];
  if (!tty_ || verbose_) {
    std::fprintf(out_, "%-10s %s (%.0f ms)\n", upper(to_string(last.outcome)).c_str(), last.id.c_str(), last.wall_ms);
    return;
  }
  std::string line = "[" + std::to_string(done) + "/" + std::to_string(total) + "] pass " +
                     std::to_string(counts_[0]) + "  fail " + std::to_string(counts_[1]) + "  non-strict " +
                     std::to_string(counts_[2]) + "  skipped " + std::to_string(counts_[3]) + "  error " +
                     std::to_string(counts_[4]) + "  " + last.id;
  if (line.size() > 118) line = line.substr(0, 115) + "...";
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  if (done == total) std::fprintf(out_, "\n");
  std::fflush(out_);
}

std::string details(const case_result& r) {
  std::string s;
  const auto& table = spec::spec_table::builtin();
  s += r.id + " — " + r.title + "\n";
  s += "  verdict: " + std::string(to_string(r.outcome));
  if (!r.reason.empty()) s += " (" + r.reason + ")";
  s += "\n  file: " + r.file + "\n  seed: " + std::to_string(r.seed) + "\n";
  for (const auto& f : r.failures) {
    s += "  at " + f.where + ": " + f.message + (f.should ? " [non-strict]" : "") + "\n";
    if (!f.expected.empty()) s += "    expected: " + f.expected + "\n";
    if (!f.actual.empty()) s += "    actual:   " + f.actual + "\n";
    if (!f.actual_hex.empty()) s += "    hex:      " + f.actual_hex + "\n";
    for (const auto& id : f.spec_ids) {
      auto text = table.text(r.version, id);
      s += "    [" + id + "] " + std::string(text.empty() ? "(not in this version's spec)" : text) + "\n";
    }
  }
  if (!r.pcap.empty()) s += "  pcap: " + r.pcap + "\n";
  return s;
}

std::string packet_trace(const case_result& r) {
  // Packets and connection events (opens, closes, resets, link changes) in time order.
  struct line {
    timestamp at;
    int rank;  // at one instant: opens, then packets, then closes
    std::string text;
  };
  std::vector<line> lines;
  for (const auto& p : r.packets)
    lines.push_back({p.at, 1, p.client + "#" + std::to_string(p.connection) + (p.from_broker ? " <- " : " -> ") + p.text});
  for (const auto& e : r.link_events)
    if (e.what == "open" || e.what.starts_with("link:") || e.what.find("close") != std::string::npos ||
        e.what.find("reset") != std::string::npos)
      lines.push_back({e.at, e.what == "open" ? 0 : 2, "connection " + std::to_string(e.connection) + ": " + e.what});
  std::stable_sort(lines.begin(), lines.end(),
                   [](const line& a, const line& b) { return a.at != b.at ? a.at < b.at : a.rank < b.rank; });
  std::string s;
  char buf[64];
  for (const auto& l : lines) {
    std::snprintf(buf, sizeof buf, "  %10.6f s  ", double(l.at.count()) / 1e6);
    s += buf + l.text + "\n";
  }
  return s;
}

std::size_t console::summary(const std::vector<case_result>& results, const std::vector<expectation>& expected,
                             double wall_s) {
  std::size_t counts[6] = {}, unexpected = 0, known = 0;
  std::vector<const case_result*> bad;
  std::vector<std::pair<const case_result*, const expectation*>> rotted;
  for (const auto& r : results) {
    ++counts[static_cast<int>(r.outcome)];
    const bool ok = r.outcome == verdict::pass || r.outcome == verdict::skipped;
    if (const auto* e = unexpected_pass(expected, r)) rotted.push_back({&r, e});
    if (ok) continue;
    if (const auto* e = expected_for(expected, r)) {
      ++known;
      if (verbose_) std::fprintf(out_, "expected %s: %s (%s)\n", to_string(r.outcome).data(), r.id.c_str(), e->reason.c_str());
      continue;
    }
    if (r.outcome != verdict::non_strict) ++unexpected;
    bad.push_back(&r);
  }
  for (const auto* r : bad) {
    std::fprintf(out_, "\n%s%s%s %s", tty_ ? color(r->outcome) : "", upper(to_string(r->outcome)).c_str(), tty_ ? "\033[0m" : "",
                 details(*r).c_str());
  }
  std::fprintf(out_, "\n%zu cases in %.2f s: %zu pass, %zu fail, %zu non-strict, %zu skipped, %zu error, %zu flaky",
               results.size(), wall_s, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
  if (known) std::fprintf(out_, " (%zu known, listed in the expectations file)", known);
  std::fprintf(out_, "\n");
  unexpected_passes_ = rotted.size();
  if (!rotted.empty()) {
    std::fprintf(out_, "\n%zu unexpected pass%s: listed in the expectations file, but passed (remove or update the entry):\n",
                 rotted.size(), rotted.size() == 1 ? "" : "es");
    for (const auto& [r, e] : rotted)
      std::fprintf(out_, "  %s  (%s: listed as %s: %s)\n", r->id.c_str(), e->where.c_str(), allowed_text(*e).c_str(),
                   e->reason.c_str());
  }
  if (!bad.empty()) {
    std::fprintf(out_, "\nto reproduce:\n");
    for (const auto* r : bad)
      if (r->outcome != verdict::non_strict)
        std::fprintf(out_, "  %s --filter '%s'\n", reproduce_.c_str(), r->id.c_str());
  }
  return unexpected;
}

}  // namespace mqttspec::run

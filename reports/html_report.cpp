#include "html_report.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "assets.hpp"
#include "junit_report.hpp"
#include "portable.hpp"

namespace mqttspec::reports {

namespace {

void replace(std::string& page, std::string_view marker, const std::string& with) {
  if (auto p = page.find(marker); p != std::string::npos) page.replace(p, marker.size(), with);
}

// JSON inside <script> must not contain "</script>" or "<!--": escape every '<',
// which only occurs inside strings, as \u003c.
std::string script_json(const json& j) {
  std::string out;
  for (char c : j.dump(-1, ' ', false, json::error_handler_t::replace)) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

std::string now_utc() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string html_page(std::vector<json> runs, const std::string& dir, const html_options& o) {
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Only a pcap inside the report folder is linked (write_html copies the others in):
    // the link must still work when the folder is moved or zipped.
    for (auto& c : runs[i]["cases"])
      if (c.contains("pcap") && c["pcap"].is_string() && is_under(c["pcap"].get<std::string>(), dir))
        c["pcap_href"] = relative_to(c["pcap"].get<std::string>(), dir);
    auto& run = runs[i] = portable(std::move(runs[i]), dir);
    run["label"] = i < o.labels.size() ? o.labels[i] : run.value("broker", "run " + std::to_string(i + 1));
    // JavaScript numbers hold 53 bits: 64-bit seeds travel as text.
    run["seed"] = seed_text(run);
    for (auto& c : run["cases"]) c["seed"] = seed_text(c);
  }
  json data;
  data["title"] = o.title;
  data["generated"] = now_utc();
  data["runs"] = std::move(runs);
  data["spec"] = spec_statements();

  std::string page(asset("shell.html"));
  std::string scripts;
  for (const char* name : {"util.js", "selftest.js", "heatmap.js", "sequence.js", "detail.js", "table.js", "groups.js", "app.js"})
    scripts += "// ---- " + std::string(name) + "\n" + std::string(asset(name)) + "\n";
  replace(page, "<!--TITLE-->", xml_escape(o.title));
  replace(page, "/*CSS*/", std::string(asset("report.css")));
  replace(page, "/*DATA*/", script_json(data));
  replace(page, "/*JS*/", scripts);
  return page;
}

std::string write_html(const std::string& dir, std::vector<json> runs, const html_options& o) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir + ": " + ec.message();
  const auto path = (std::filesystem::path(dir) / "index.html").string();
  std::ofstream out(path);
  if (!out) return "cannot write " + path;
  gather_pcaps(runs, dir, o.labels);
  out << html_page(std::move(runs), dir, o);
  return out ? "" : "cannot write " + path;
}

}  // namespace mqttspec::reports

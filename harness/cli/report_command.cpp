// mqttspec report merge RUN.json... --out DIR [--label NAME]...
// mqttspec report diff OLD.json NEW.json [--markdown]
// mqttspec report html RUN.json --out DIR
// mqttspec report junit RUN.json --out FILE
//
// Reports from run documents written by `mqttspec run --json`: a matrix of cases x
// runs (one per broker), what changed between two runs, or one run's report again.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/exit_policy.hpp"
#include "reports/run_diff.hpp"
#include "reports/run_document.hpp"

namespace po = boost::program_options;

namespace mqttspec::cli {

namespace {

constexpr const char* usage_text =
    "mqttspec report merge RUN.json... --out DIR [--label NAME]... [--title TEXT]\n"
    "    a matrix of cases x runs (brokers) in DIR/index.html, every run's case detail one click away;\n"
    "    pcaps outside DIR are copied into DIR/pcap/LABEL/, so DIR can be moved or zipped\n"
    "mqttspec report diff OLD.json NEW.json [--markdown]\n"
    "    new failures, fixed cases and other changes between two runs of one broker;\n"
    "    exit status 1 when there are new failures\n"
    "mqttspec report html RUN.json --out DIR\n"
    "    the HTML report of one run document (its pcaps copied into DIR/pcap/run-1/ when elsewhere)\n"
    "mqttspec report junit RUN.json --out FILE [--fail-on fail|non-strict]\n"
    "    JUnit XML of one run document, its pcap paths relative to FILE's folder\n";

int fail(const std::string& m) {
  std::cerr << "mqttspec report: " << m << "\n";
  return 2;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  std::string out_dir, title = "mqttspec conformance report";
  std::vector<std::string> files, labels;
  std::string fail_on = "fail";
  bool markdown = false;
  po::options_description o("options");
  o.add_options()("help,h", "show this help")("out,o", po::value(&out_dir), "folder of the HTML page")(
      "label", po::value(&labels)->composing(), "a column name per run, in order (default: the file name)")(
      "title", po::value(&title), "the page title")("markdown", po::bool_switch(&markdown), "diff: print Markdown")(
      "fail-on", po::value(&fail_on), "junit: which verdicts are failures (fail or non-strict)")(
      "files", po::value(&files)->composing(), "");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(o).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return fail(e.what());
  }
  if (vm.count("help")) {
    std::cout << usage_text;
    return 0;
  }
  if (files.empty()) {
    std::cerr << usage_text;
    return 2;
  }
  const std::string mode = files.front();
  files.erase(files.begin());
  std::vector<reports::json> runs;
  for (const auto& f : files) {
    reports::json doc;
    if (auto e = reports::load_run(f, doc); !e.empty()) return fail(e);
    runs.push_back(std::move(doc));
  }
  if (mode == "diff") {
    if (runs.size() != 2) return fail("diff takes two run files: OLD.json NEW.json");
    const auto d = reports::diff_runs(runs[0], runs[1]);
    std::cout << (markdown ? reports::to_markdown(d) : reports::to_text(d));
    return d.new_failures.empty() ? 0 : 1;
  }
  if (mode == "junit") {
    reports::exit_policy policy;
    if (!reports::parse_fail_on(fail_on, policy)) return fail("--fail-on must be fail or non-strict");
    if (runs.size() != 1 || out_dir.empty()) return fail("junit takes one run file and --out FILE");
    if (auto e = reports::write_junit(out_dir, reports::sanitized(runs[0]), policy); !e.empty()) return fail(e);
    return 0;
  }
  if (mode != "merge" && mode != "html") return fail("unknown mode '" + mode + "'\n" + usage_text);
  if (out_dir.empty()) return fail(mode + " needs --out DIR");
  if (runs.empty()) return fail(mode + " needs at least one run file");
  if (mode == "html" && runs.size() != 1) return fail("html takes one run file; merge takes several");
  reports::html_options h;
  h.title = mode == "merge" && title == "mqttspec conformance report" ? "mqttspec conformance matrix" : title;
  for (std::size_t i = 0; i < files.size(); ++i)
    h.labels.push_back(i < labels.size() ? labels[i] : std::filesystem::path(files[i]).stem().string());
  if (mode == "html" && labels.empty()) h.labels.clear();
  if (auto e = reports::write_html(out_dir, std::move(runs), h); !e.empty()) return fail(e);
  std::cout << "report: " << out_dir << "/index.html\n";
  return 0;
}

}  // namespace mqttspec::cli

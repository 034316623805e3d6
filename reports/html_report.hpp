// The HTML report: DIR/index.html, one self-contained file (inline CSS, JS and SVG, no
// network requests, works from file://). The run documents are embedded as JSON in a
// <script type="application/json">; the inline JS (reports/assets/*.js) renders the
// header, verdict counts, the spec coverage heat map, the filterable case table and
// each case's detail with its message sequence diagram.
//
// One run gives the run report; several give a matrix of cases x runs (brokers), with
// every run's case detail one click away.
#pragma once

#include <string>
#include <vector>

#include "run_document.hpp"

namespace mqttspec::reports {

struct html_options {
  std::string title = "mqttspec conformance report";
  std::vector<std::string> labels;  // a column name per run; default: the broker
};

/// The page for these runs; `dir` is where it will live, for the pcap links.
std::string html_page(std::vector<json> runs, const std::string& dir, const html_options& o);

/// Writes DIR/index.html (creating DIR); "" or why not.
std::string write_html(const std::string& dir, std::vector<json> runs, const html_options& o);

}  // namespace mqttspec::reports

// Paths in reports that survive the report folder being moved: a CI artifact is the
// folder zipped and opened on another machine, so a report links its pcaps relatively,
// copies the ones that live elsewhere into its folder, and shows no absolute path of
// the machine (source or build tree) that wrote it.
#pragma once

#include <string>
#include <vector>

#include "run_document.hpp"

namespace mqttspec::reports {

/// `path` relative to `folder` (each from the working directory when relative), with
/// '/' separators: "pcap/a.pcap", "../pcap/a.pcap"; only its name when the two share no
/// top folder (the climb up to "/" would spell out the absolute path).
std::string relative_to(const std::string& path, const std::string& folder);

/// True when `path` is `folder` or below it.
bool is_under(const std::string& path, const std::string& folder);

/// A scenario file as reports show it: relative paths as they are; an absolute one from
/// its "scenarios/" folder on, else relative to the working directory when below it,
/// else its file name.
std::string shown_file(const std::string& file);

/// The run with every case's pcap relative to `folder` (the folder of the file being
/// written) and every file path (case and failure "where") shown by shown_file.
json portable(json run, const std::string& folder);

/// Copies each case's pcap that is not below `dir` into dir/pcap/<run>/ (<run>: the
/// run's label, else run-N) and points the case at the copy, so the report folder holds
/// every pcap it links. A pcap that cannot be copied keeps its path (and gets no link).
void gather_pcaps(std::vector<json>& runs, const std::string& dir, const std::vector<std::string>& labels);

}  // namespace mqttspec::reports

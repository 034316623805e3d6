// JUnit XML of a run, valid against the Jenkins JUnit schema (schemas/junit-10.xsd),
// so GitHub, GitLab and Jenkins test views show the cases.
//
// One <testsuite> per scenario file; a <testcase> per case (name: the case id with its
// version, classname: mqttspec.<version>.<group>); fail and flaky are <failure>, error
// is <error>, skipped is <skipped> with the missing capability, non-strict passes with
// a note unless the exit policy fails on it. Every suite carries the seed and broker
// as properties.
#pragma once

#include <string>

#include "exit_policy.hpp"
#include "run_document.hpp"

namespace mqttspec::reports {

std::string junit_xml(const json& run, const exit_policy& policy);

/// Writes the file; "" or why not.
std::string write_junit(const std::string& path, const json& run, const exit_policy& policy);

/// Text safe inside XML 1.0 (escaped, control characters replaced).
std::string xml_escape(std::string_view s);

/// Every detail of a case's failures in plain text (the body of <failure>).
std::string failure_details(const json& c);

}  // namespace mqttspec::reports

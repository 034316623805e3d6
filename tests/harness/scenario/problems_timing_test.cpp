// Broken timing keys (late_s with within_s) and the exact problems reported.
#include "broken_file.hpp"

namespace mqttspec::scenario {
namespace {

const broken files[] = {
    {"late_without_a_window",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect
  - a: expect close
    late_s: 30
)",
     R"(10:13: late_s needs within_s, and must be greater than its upper end
)"},
    {"late_inside_the_window",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect
  - a: expect close
    within_s: [10, 15]
    late_s: 12
)",
     R"(11:13: late_s needs within_s, and must be greater than its upper end
)"},
    {"late_on_a_step_that_waits_for_nothing_late",
     R"(id: t/x
title: t
protocol: [5]
spec: [MQTT-3.1.0-1]
clients:
  a: {}
steps:
  - a: connect
    within_s: 2
    late_s: 30
)",
     R"(10:5: unknown key 'late_s' in a connect step (expected one of: expect, clean_start, wait, within_s)
)"},
};

class broken_timing_file : public testing::TestWithParam<broken> {};

TEST_P(broken_timing_file, reports_exact_problems) { expect_problems(GetParam()); }

INSTANTIATE_TEST_SUITE_P(loader, broken_timing_file, testing::ValuesIn(files),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace mqttspec::scenario

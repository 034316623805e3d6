// SIGINT and SIGTERM during a run: the first asks the runner to stop (the cases in
// flight end within a few seconds, the reports of what ran are written); a second
// one quits at once.
#pragma once

namespace mqttspec::cli {

void catch_interrupts();
/// 0, or the signal that stopped the run.
int interrupted_by();

}  // namespace mqttspec::cli

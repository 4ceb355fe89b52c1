#pragma once
// Reference-exact mode: replays the published implementation's draws (numpy RandomState),
// splits and call sequence, then fits with the same moment-based code as the fast mode.
#include "igbench/experiment/run_spec.hpp"

namespace igbench::experiment {

RunResult run_reference(const RunSpec& spec);

}  // namespace igbench::experiment

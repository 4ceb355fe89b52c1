// igbench: git-style entry point; every subcommand lives in src/cli/.
#include <cstdlib>

#include "igbench/cli/commands.hpp"

namespace {

// Idle OpenMP threads sleep instead of spinning (OMP_WAIT_POLICY=passive unless the user chose a
// policy): on a shared or oversubscribed node a spinning thread burns a core another process
// (or another rank) needs, and a run's waits are rare and long enough (a wave of chunks, a
// batch of runs) that the futex wake-up (microseconds) costs nothing. The OpenMP runtime reads
// the variable in its constructor, so it is set from the executable's .preinit_array, which the
// dynamic loader runs before any shared library's constructor. (Here, in the executable: a
// shared module such as the Python binding may not have a .preinit_array.)
void default_passive_wait_policy(int, char**, char**) { setenv("OMP_WAIT_POLICY", "passive", 0); }
[[gnu::section(".preinit_array"), gnu::used]] void (*const passive_wait_policy_entry)(int, char**, char**) =
    &default_passive_wait_policy;

}  // namespace

int main(int argc, char** argv) { return igbench::cli::dispatch(argc, argv); }

// The parallel environment of a build without MPI (-DIGBENCH_MPI=OFF; replaces
// mpi_environment.cpp): always the serial communicator. Started by an MPI launcher with several
// ranks, every process would write the same output as "rank 0 of 1", so it refuses instead.
#include <cstdio>
#include <cstdlib>

#include "igbench/parallel/communicator.hpp"

namespace igbench::parallel {

namespace {
// The job's rank count as the launcher announces it (1 without a launcher).
int launcher_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"})
    if (const char* v = std::getenv(var)) return std::atoi(v);
  return 1;
}
}  // namespace

Environment::Environment() : mpi_(false), world_(make_serial_communicator()) {
  if (launched_by_mpi() && launcher_size() > 1) {
    if (launcher_rank() == 0)
      std::fprintf(stderr,
                   "igbench: this igbench was built without MPI (-DIGBENCH_MPI=OFF) and cannot share work between "
                   "%d ranks; run it as one process, or rebuild with MPI\n",
                   launcher_size());
    std::exit(2);
  }
}

Environment::~Environment() = default;

void Environment::abort(int code) { std::exit(code); }

}  // namespace igbench::parallel

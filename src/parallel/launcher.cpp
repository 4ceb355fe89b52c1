// What the process launcher tells through the environment (no MPI call): shared by the MPI and
// the serial (IGBENCH_MPI=OFF) builds.
#include <cstdlib>

#include "igbench/parallel/communicator.hpp"

namespace igbench::parallel {

bool Environment::launched_by_mpi() {
  // mpirun/mpiexec (Open MPI), PMIx launchers (srun --mpi=pmix, prterun), PMI-1/2 launchers.
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(var) != nullptr) return true;
  return false;
}

int launcher_rank() {
  for (const char* var : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"})
    if (const char* v = std::getenv(var)) return std::atoi(v);
  return 0;
}

}  // namespace igbench::parallel

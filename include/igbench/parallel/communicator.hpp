#pragma once
// The parallel layer's small interface. Nothing outside src/parallel/ includes mpi.h: drivers
// receive a Communicator& and use these calls. Without mpirun/srun the same binary runs as a
// single rank through the serial implementation.
#include <cstdint>
#include <memory>
#include <string>

namespace igbench::parallel {

// Counters hosted by rank 0 that every rank can atomically add to and read (MPI-3 one-sided
// fetch-and-op in the MPI implementation): the self-scheduling task counter and progress tallies.
class SharedCounters {
 public:
  virtual ~SharedCounters() = default;
  // Atomically adds `increment` to counter `index` and returns its previous value.
  virtual std::int64_t fetch_add(int index, std::int64_t increment) = 0;
  virtual std::int64_t read(int index) = 0;
  // Atomically ORs `bits` into counter `index` and returns its previous value (e.g. a stop
  // request posted by any rank: bit s for signal s).
  virtual std::int64_t fetch_or(int index, std::int64_t bits) = 0;
};

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void barrier() = 0;
  virtual std::int64_t all_sum(std::int64_t x) = 0;
  virtual bool any(bool x) = 0;
  // Rank `root`'s value on every rank.
  virtual std::string broadcast(const std::string& value, int root) = 0;
  // Collective: every rank calls it with the same n.
  virtual std::unique_ptr<SharedCounters> make_counters(int n) = 0;
  // Lets the MPI progress engine run (call now and then during long computations, so passive
  // one-sided operations targeting this rank complete on transports without hardware atomics).
  virtual void poll() {}
  virtual std::string host() const;
  // How many ranks of this communicator share this rank's node (and so its memory).
  virtual int ranks_on_host() { return 1; }
};

// RAII owner of the parallel environment: MPI_Init_thread(FUNNELED) when the process was started
// by mpirun/mpiexec/srun (detected from the launcher's environment), MPI_Finalize at the end;
// otherwise a serial communicator of size 1.
class Environment {
 public:
  Environment();  // MPI_Init_thread without the command line (MPI-2 and later allow it)
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  Communicator& world() { return *world_; }
  bool uses_mpi() const { return mpi_; }
  // Aborts every rank (MPI_Abort) or exits: for fatal errors on one rank.
  [[noreturn]] void abort(int code);

  static bool launched_by_mpi();

 private:
  bool mpi_ = false;
  std::unique_ptr<Communicator> world_;
};

// This process's rank as the launcher announces it (0 without a launcher): lets code print
// once per job before (or without) MPI initialisation.
int launcher_rank();

// A communicator of one rank (used without MPI and in tests).
std::unique_ptr<Communicator> make_serial_communicator();

}  // namespace igbench::parallel

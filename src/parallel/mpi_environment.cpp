// The only translation unit that includes mpi.h.
#include <mpi.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "igbench/parallel/communicator.hpp"

namespace igbench::parallel {

namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    throw std::runtime_error(std::string(what) + ": " + std::string(msg, static_cast<std::size_t>(len)));
  }
}

// n 64-bit counters in a window exposed by rank 0; all ranks hold a passive-target lock_all
// epoch for the window's lifetime and use MPI_Fetch_and_op (atomic per element).
class MpiCounters final : public SharedCounters {
 public:
  MpiCounters(MPI_Comm comm, int n) : comm_(comm) {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    const MPI_Aint bytes = rank == 0 ? static_cast<MPI_Aint>(n) * static_cast<MPI_Aint>(sizeof(std::int64_t)) : 0;
    check(MPI_Win_allocate(bytes, sizeof(std::int64_t), MPI_INFO_NULL, comm_, &base_, &win_), "MPI_Win_allocate");
    if (rank == 0)
      for (int i = 0; i < n; ++i) base_[i] = 0;
    MPI_Barrier(comm_);
    check(MPI_Win_lock_all(MPI_MODE_NOCHECK, win_), "MPI_Win_lock_all");
  }
  ~MpiCounters() override {
    MPI_Win_unlock_all(win_);
    MPI_Win_free(&win_);
  }
  std::int64_t fetch_add(int index, std::int64_t increment) override {
    std::int64_t old = 0;
    check(MPI_Fetch_and_op(&increment, &old, MPI_INT64_T, 0, index, MPI_SUM, win_), "MPI_Fetch_and_op");
    check(MPI_Win_flush(0, win_), "MPI_Win_flush");
    return old;
  }
  std::int64_t fetch_or(int index, std::int64_t bits) override {
    std::int64_t old = 0;
    check(MPI_Fetch_and_op(&bits, &old, MPI_INT64_T, 0, index, MPI_BOR, win_), "MPI_Fetch_and_op");
    check(MPI_Win_flush(0, win_), "MPI_Win_flush");
    return old;
  }
  std::int64_t read(int index) override {
    std::int64_t value = 0, unused = 0;
    check(MPI_Fetch_and_op(&unused, &value, MPI_INT64_T, 0, index, MPI_NO_OP, win_), "MPI_Fetch_and_op");
    check(MPI_Win_flush(0, win_), "MPI_Win_flush");
    return value;
  }

 private:
  MPI_Comm comm_;
  MPI_Win win_ = MPI_WIN_NULL;
  std::int64_t* base_ = nullptr;
};

class MpiCommunicator final : public Communicator {
 public:
  explicit MpiCommunicator(MPI_Comm comm) : comm_(comm) {
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void barrier() override { check(MPI_Barrier(comm_), "MPI_Barrier"); }
  std::int64_t all_sum(std::int64_t x) override {
    std::int64_t out = 0;
    check(MPI_Allreduce(&x, &out, 1, MPI_INT64_T, MPI_SUM, comm_), "MPI_Allreduce");
    return out;
  }
  bool any(bool x) override {
    int in = x ? 1 : 0, out = 0;
    check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, comm_), "MPI_Allreduce");
    return out != 0;
  }
  std::string broadcast(const std::string& value, int root) override {
    std::uint64_t n = value.size();
    check(MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm_), "MPI_Bcast");
    std::string out = rank_ == root ? value : std::string(n, '\0');
    if (n > 0) check(MPI_Bcast(out.data(), static_cast<int>(n), MPI_CHAR, root, comm_), "MPI_Bcast");
    return out;
  }
  std::unique_ptr<SharedCounters> make_counters(int n) override { return std::make_unique<MpiCounters>(comm_, n); }
  int ranks_on_host() override {
    MPI_Comm local = MPI_COMM_NULL;
    check(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local), "MPI_Comm_split_type");
    int n = 1;
    MPI_Comm_size(local, &n);
    MPI_Comm_free(&local);
    return n;
  }
  void poll() override {
    int flag = 0;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, MPI_STATUS_IGNORE);
  }

 private:
  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
};

}  // namespace

Environment::Environment() {
  mpi_ = launched_by_mpi();
  if (!mpi_) {
    world_ = make_serial_communicator();
    return;
  }
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  world_ = std::make_unique<MpiCommunicator>(MPI_COMM_WORLD);
}

Environment::~Environment() {
  world_.reset();
  if (mpi_) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
}

void Environment::abort(int code) {
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

}  // namespace igbench::parallel

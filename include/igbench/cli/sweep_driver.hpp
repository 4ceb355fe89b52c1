#pragma once
// The sweep driver: runs every (point, run) task of a sweep across MPI ranks (dynamic
// self-scheduling through shared counters, most expensive first, rank 0 computing too) with
// OpenMP threads inside each run, streams finished runs to the durable result store and writes
// the final HDF5 file. Used by `igbench main|ratio|convergence|sweep`.
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

#include "igbench/parallel/communicator.hpp"
#include "igbench/sweep/schedule.hpp"
#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::cli {

struct DriverOptions {
  sweep::SweepSpec spec;
  std::optional<std::filesystem::path> out;  // --out; otherwise a time-stamped folder
  std::filesystem::path output_dir = ".";
  bool resume = false;
  std::optional<sweep::Shard> shard;
  std::string command_line;
  bool general_sweep = false;           // `igbench sweep` (folder prefix sweep_)
  bool progress = true;                 // rank 0 reports progress on stderr
  double snapshot_interval_seconds = 60;  // rank 0 rewrites the HDF5 file this often
  std::optional<double> max_memory_bytes;  // --max_memory: the memory budget (default: what is available)
  double stop_grace_seconds = 1.0;         // a stop request ends the process at the latest after this
};

// Returns the process exit code (0 done, 1 failures, 128 + signal when stopped by a signal after
// saving). Throws UsageError for bad input detected on rank 0 (e.g. an existing output).
int run_sweep(const DriverOptions& options, parallel::Communicator& comm, const std::atomic<int>& stop_signal);

// The folder name prefix of each experiment, as the reference names them.
std::string folder_prefix(const sweep::SweepSpec& spec, bool general_sweep);

}  // namespace igbench::cli

#include "igbench/cli/sweep_driver.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <omp.h>
#include <optional>
#include <sstream>
#include <utility>

#include "igbench/cli/commands.hpp"
#include "igbench/cli/feasibility.hpp"
#include "igbench/cli/options.hpp"
#include "igbench/cli/progress.hpp"
#include "igbench/cli/stop_watchdog.hpp"
#include "igbench/cli/task_runner.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/io/csv_export.hpp"
#include "igbench/io/error.hpp"
#include "igbench/io/file_lock.hpp"
#include "igbench/io/file_ops.hpp"
#include "igbench/io/result_store.hpp"
#include "igbench/io/summary.hpp"
#include "igbench/version.hpp"

namespace igbench::cli {

namespace fs = std::filesystem;

std::string folder_prefix(const sweep::SweepSpec& spec, bool general_sweep) {
  if (general_sweep) return "sweep_";
  switch (spec.experiment) {
    case experiment::ExperimentKind::main: return "experiment_";
    case experiment::ExperimentKind::ratio: return "data_ratio_exp_";
    case experiment::ExperimentKind::convergence: return "convergence_exp_";
  }
  return "sweep_";
}

namespace {

// YYYYmmdd_HHMMSS_ffffff (local time), as the reference's folders.
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y%m%d_%H%M%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s_%06lld", buf, static_cast<long long>(us));
  return out;
}

// Where results go: (results file, folder for CSV and parameters or empty). Rank 0 decides and
// creates the folder; every rank receives the same paths.
std::pair<fs::path, fs::path> output_paths(const DriverOptions& o, parallel::Communicator& comm, bool general) {
  std::string message;
  std::string h5, folder;
  if (comm.rank() == 0) {
    try {
      if (o.out) {
        h5 = fs::absolute(*o.out).lexically_normal().string();
        const fs::path dir = fs::path(h5).parent_path();
        if (!fs::is_directory(dir)) throw UsageError("--out " + o.out->string() + ": folder " + dir.string() + " does not exist");
      } else {
        if (o.resume) throw UsageError("--resume needs --out naming the results file to continue");
        // Like the reference: the folder is created with its parents.
        std::error_code ec;
        fs::create_directories(o.output_dir, ec);
        if (!fs::is_directory(o.output_dir))
          throw UsageError("--output_dir " + o.output_dir.string() + " is not a folder and cannot be created" +
                           (ec ? " (" + ec.message() + ")" : std::string()) + "; choose a writable folder");
        folder = fs::absolute(o.output_dir / (folder_prefix(o.spec, general) + timestamp())).lexically_normal().string();
        fs::create_directory(folder);
        h5 = (fs::path(folder) / "results.h5").string();
      }
    } catch (const UsageError& e) {
      message = e.what();
    }
  }
  message = comm.broadcast(message, 0);
  if (!message.empty()) throw UsageError(message);
  return {comm.broadcast(h5, 0), comm.broadcast(folder, 0)};
}

// One writer per results file: rank 0 takes PATH.lock for the whole run (io/file_lock.hpp); a
// second writer is refused at once, naming the holder. Collective: every rank learns the verdict.
std::optional<io::FileLock> lock_output(const fs::path& h5, const DriverOptions& o, parallel::Communicator& comm) {
  std::optional<io::FileLock> lock;
  std::string message, warning;
  if (comm.rank() == 0) {
    try {
      lock.emplace(io::FileLock::try_acquire(h5, io::this_process_holder(o.command_line)));
      const io::LockHolder& h = lock->holder();
      if (lock->outcome() == io::FileLock::Outcome::held) {
        message = h5.string() + " is being written by another igbench (" + h.describe() +
                  "); wait for it to finish, stop it, or choose another --out";
      } else if (lock->acquired()) {
        // The only writer now: temporaries on disk were left by a killed one.
        io::remove_stale_temporaries(h5);
      } else if (lock->outcome() == io::FileLock::Outcome::unsupported) {
        // No locks on this file system: judge the holder file by its pid on this host.
        if (h.host == io::host_name() && io::process_alive(h.pid) && h.pid != static_cast<long>(getpid()))
          message = h5.string() + " is being written by another igbench (" + h.describe() + "); choose another --out";
        else
          warning = "igbench: warning: the file system of " + h5.string() +
                    " refuses file locks; one writer per file is not enforced (see README, Guarantees)";
      }
    } catch (const io::FileError& e) {
      message = e.what();
    }
  }
  message = comm.broadcast(message, 0);
  if (!message.empty()) throw UsageError(message);
  if (!warning.empty()) std::cerr << warning << "\n";
  return lock;
}

// A valid PATH from the first moment: rank 0 writes it (rows so far, complete = 0) before any
// journal exists and any run starts, so a kill at any time leaves a file that opens. Collective
// (the broadcast orders every rank's journal after it).
void write_initial_file(io::ResultStore& store, parallel::Communicator& comm) {
  std::string failure;
  if (comm.rank() == 0) {
    try {
      store.snapshot();
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  failure = comm.broadcast(failure, 0);
  if (!failure.empty()) throw std::runtime_error(failure);
}

// Every rank opens the store (rank 0's checks decide for all), so a refusal is collective.
io::ResultStore open_store(const fs::path& h5, const DriverOptions& o, const io::FileMetadata& meta,
                           parallel::Communicator& comm) {
  std::optional<io::ResultStore> store;
  std::string usage, failure;
  try {
    store.emplace(io::ResultStore::open(h5, o.spec, meta, comm.rank(),
                                        o.resume ? io::OpenMode::resume : io::OpenMode::create));
  } catch (const io::RefusedError& e) {
    usage = e.what();
  } catch (const io::FileError& e) {
    usage = e.what();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  const bool any_usage = comm.any(!usage.empty()), any_failure = comm.any(!failure.empty());
  if (any_usage || any_failure) {
    // rank 0's message if it has one (all ranks see the same files)
    const std::string text = comm.broadcast(usage.empty() ? failure : usage, 0);
    if (any_usage) throw UsageError(text.empty() ? "cannot open " + h5.string() : text);
    throw std::runtime_error(text.empty() ? "cannot open " + h5.string() : text);
  }
  // No rank creates its journal before every rank has checked the disk.
  comm.barrier();
  // PATH before any journal: a kill at any moment after this leaves a file that opens.
  write_initial_file(*store, comm);
  store->start_journal();
  return std::move(*store);
}

void write_parameters_file(const fs::path& path, const DriverOptions& o, const io::FileMetadata& meta) {
  std::ofstream f(path);
  const sweep::SweepSpec& s = o.spec;
  auto list = [](const auto& v) {
    std::ostringstream x;
    for (std::size_t i = 0; i < v.size(); ++i) x << (i ? "," : "") << v[i];
    return x.str();
  };
  f << "experiment: " << experiment::experiment_name(s.experiment) << "\n";
  switch (s.experiment) {
    case experiment::ExperimentKind::main: f << "N: " << list(s.N) << "\n"; break;
    case experiment::ExperimentKind::ratio:
      f << "N_avg: " << list(s.N_avg) << "\nRatios: " << list(s.ratios) << "\n";
      break;
    case experiment::ExperimentKind::convergence: f << "N_total: " << list(s.N_total) << "\n"; break;
  }
  f << "K: " << list(s.K) << "\nn_order_fit: " << list(s.n_order_fit) << "\nN_runs: " << s.N_runs << "\n";
  std::vector<std::string> types, regs;
  for (auto t : s.scm_types) types.emplace_back(scm::scm_type_name(t));
  for (auto r : s.regularizations) regs.emplace_back(fit::regularization_name(r));
  f << "SCM type: " << list(types) << "\nRegularization: " << list(regs) << "\nSeed: " << s.seed << "\n";
  f << "rng: " << experiment::rng_name(s.rng) << "\n";
  f << "alphas:";  // shortest round-trip text of each
  for (std::size_t i = 0; i < s.alphas.size(); ++i) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, s.alphas[i]);
    f << (i ? "," : " ") << (ec == std::errc() ? std::string(buf, end) : std::string("?"));
  }
  f << "\n";
  const char* job = std::getenv("JOB_NUM");
  const char* slurm = std::getenv("SLURM_JOB_ID");
  f << "JOB_NUM: " << (job ? job : "-1") << "\n";
  if (slurm) f << "SLURM_JOB_ID: " << slurm << "\n";
  f << "Commit hash: " << meta.git_commit << "\n";
  f << "igbench version: " << meta.igbench_version << "\n";
  f << "command line: " << meta.command_line << "\n";
  f << "ranks: " << meta.ranks << "\nthreads: " << meta.threads << "\n";
  f << "sweep specification:\n" << sweep::canonical_text(s);
}

// Indices into the shared counters.
enum Counter : int {
  next_task = 0, tasks_done = 1, samples_done = 2, cost_done = 3, failed = 4,
  stop_bits = 5,  // bit s: some rank received signal s
  n_counters = 6
};
constexpr double cost_unit = 1e3;  // costs are summed as integers of this many units

TaskPlan plan_tasks(const DriverOptions& o, const io::ResultStore& store) {
  TaskPlan plan;
  plan.points = sweep::expand_points(o.spec);
  std::vector<sweep::CostedTask> tasks = sweep::costed_tasks(o.spec, plan.points);
  if (o.shard) tasks = sweep::shard_tasks(tasks, *o.shard);
  plan.total_tasks = static_cast<std::int64_t>(tasks.size());
  for (const auto& t : tasks) {
    plan.total_cost += t.cost;
    if (store.finished(t.task.point, t.task.run)) {
      plan.done_cost += t.cost;
      ++plan.already_done;
    } else {
      plan.pending.push_back(t);
    }
  }
  return plan;
}

void announce(const DriverOptions& o, const TaskPlan& plan, const fs::path& h5, const parallel::Communicator& comm) {
  std::cerr << "igbench: " << plan.total_tasks << " runs (" << plan.points.size() << " points x " << o.spec.N_runs
            << " runs";
  if (o.shard) std::cerr << ", shard " << o.shard->index << "/" << o.shard->count;
  std::cerr << ") on " << comm.size() << " rank(s) x " << omp_get_max_threads() << " thread(s)";
  if (plan.already_done > 0) std::cerr << "; " << plan.already_done << " already done (resumed)";
  std::cerr << "; estimated peak memory "
            << sweep::format_bytes(sweep::sweep_peak_bytes(o.spec, plan.points, omp_get_max_threads()).bytes) << " per rank";
  std::cerr << "\nigbench: results -> " << h5.string() << "\n";
}

// Self-scheduling: every rank (rank 0 included) takes the next pending tasks from the shared
// counter until none is left or a stop signal arrives; each finished run goes to the rank's
// journal at once (whole runs in a pool: when thread 0 next looks, within a run or 50 ms). Rank 0 also reports progress and
// snapshots the results file. Returns whether the loop was interrupted.
bool run_pending(const DriverOptions& o, const TaskPlan& plan, io::ResultStore& store,
                 parallel::Communicator& comm, parallel::SharedCounters& counters,
                 SharedStop& stop, Progress& progress) {
  auto snapshot_clock = std::chrono::steady_clock::now();
  auto report = [&](bool force) {
    if (comm.rank() != 0) return;
    progress.update(plan.already_done + counters.read(tasks_done), counters.read(samples_done),
                    plan.done_cost + static_cast<double>(counters.read(cost_done)) * cost_unit, force);
    const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - snapshot_clock).count();
    if (since >= o.snapshot_interval_seconds) {
      store.sync();
      store.snapshot();
      snapshot_clock = std::chrono::steady_clock::now();
    }
  };
  // The running run polls `cancel` (set from the signal) and calls the heartbeat between waves.
  std::atomic<bool> cancel{false};
  experiment::RunControl control;
  control.cancel = &cancel;
  control.heartbeat = [&](std::int64_t) {
    comm.poll();
    if (stop.poll() != 0) cancel = true;
    report(false);
  };
  // Whole runs in parallel threads: only the cancel flag (MPI and the store stay on this thread).
  experiment::RunControl threaded;
  threaded.cancel = &cancel;
  auto finish = [&](const sweep::CostedTask& t, const TaskOutcome& out) {
    store.append(out.row);
    if (!out.row.ok()) counters.fetch_add(failed, 1);
    counters.fetch_add(samples_done, out.row.result.samples_generated);
    counters.fetch_add(cost_done, static_cast<std::int64_t>(std::llround(t.cost / cost_unit)));
    counters.fetch_add(tasks_done, 1);
    report(false);
  };
  const std::vector<double> remaining = remaining_costs(plan);
  const int threads = omp_get_max_threads();
  const auto n_pending = static_cast<std::int64_t>(plan.pending.size());
  // The next batch from the shared counter, sized where the counter stands now; another rank may
  // claim first, which changes only how evenly the work is shared, never a result. None: no task
  // is left.
  auto claim = [&]() -> std::optional<std::pair<std::size_t, std::size_t>> {
    const std::int64_t at = std::min(counters.read(next_task), n_pending);
    const auto want = static_cast<std::int64_t>(batch_size(plan, remaining, static_cast<std::size_t>(at), comm.size(), threads));
    const std::int64_t i = counters.fetch_add(next_task, want);
    if (i >= n_pending) return std::nullopt;
    return std::pair{static_cast<std::size_t>(i), static_cast<std::size_t>(std::min(n_pending, i + want))};
  };
  auto small = [&](std::pair<std::size_t, std::size_t> b) { return whole_runs(plan, remaining, b.first, b.second, comm.size(), threads); };
  auto indices = [](std::pair<std::size_t, std::size_t> b) {
    std::vector<std::size_t> v;
    for (std::size_t k = b.first; k < b.second; ++k) v.push_back(k);
    return v;
  };
  std::optional<std::pair<std::size_t, std::size_t>> batch;
  for (;;) {
    if (stop.poll() != 0) return true;
    if (!batch) batch = claim();
    if (!batch) return false;
    if (small(*batch)) {
      // Whole runs in a pool that keeps claiming small batches; a large batch claimed meanwhile
      // is kept for the split mode below.
      std::optional<std::pair<std::size_t, std::size_t>> large;
      PoolHooks hooks;
      hooks.claim = [&]() -> std::vector<std::size_t> {
        if (large) return {};
        const auto next = claim();
        if (!next) return {};
        if (!small(*next)) {
          large = next;
          return {};
        }
        return indices(*next);
      };
      hooks.run = [&](std::size_t k) { return run_task(o.spec, plan, plan.pending[k], threaded); };
      hooks.finish = [&](std::size_t k, TaskOutcome&& out) { finish(plan.pending[k], out); };
      hooks.poll = [&] {
        comm.poll();
        if (stop.poll() == 0) return false;
        cancel = true;
        return true;
      };
      if (run_pool(indices(*batch), threads, cancel, hooks)) return true;
      batch = large;
      if (!batch) return false;  // the pool ended because no task is left
      continue;
    }
    for (std::size_t k = batch->first; k < batch->second; ++k) {
      const TaskOutcome out = run_task(o.spec, plan, plan.pending[k], control);
      if (out.cancelled) return true;
      finish(plan.pending[k], out);
      if (stop.poll() != 0) return true;
    }
    batch.reset();
  }
}

// Rank 0, after every journal is closed: the final results file, and in folder mode the
// reference-compatible CSV and the parameters file; the summary table; how to continue.
void write_outputs(const DriverOptions& o, const fs::path& h5, const fs::path& folder, io::ResultStore& store,
                   io::FileMetadata meta, bool interrupted, std::int64_t saved, std::int64_t total,
                   std::int64_t n_failed, int signal) {
  meta.end_time = io::iso8601_utc_now();
  store.finish(meta);
  const io::ResultsFile file = io::read_results_file(h5);
  if (!folder.empty()) {
    write_parameters_file(folder / "experiment_params.txt", o, meta);
    io::write_csv(folder / "rmse_values.csv", file.rows);
    std::cout << "RMSE values saved to: " << (folder / "rmse_values.csv").string() << "\n";
    std::cout << "Experiment parameters saved to: " << (folder / "experiment_params.txt").string() << "\n\n";
  }
  if (!interrupted) std::cout << io::format_summary(io::summarize(file.rows, o.spec.alphas));
  std::cout << "Results saved to: " << h5.string() << "\n";
  if (interrupted) {
    std::cerr << "igbench: stopped by signal " << signal << " after saving " << saved << " of " << total
              << " runs; continue with: " << o.command_line << (o.resume ? "" : " --resume")
              << (o.out ? "" : " --out " + h5.string()) << "\n";
  } else if (n_failed > 0) {
    std::cerr << "igbench: " << n_failed << " run(s) failed (status column of " << h5.string()
              << "); --resume runs them again\n";
  }
}

// What the watchdog prints when it has to end a stop itself (a run did not reach a poll point).
std::string emergency_stop_message(const DriverOptions& o, const fs::path& h5) {
  return "a run in progress did not reach a stopping point in time and is lost; every finished run is saved (" +
         h5.string() + " and its journals); continue with: " + o.command_line + (o.resume ? "" : " --resume") +
         (o.out ? "" : " --out " + h5.string());
}

}  // namespace

int run_sweep(const DriverOptions& o, parallel::Communicator& comm, const std::atomic<int>& stop_signal) {
  check_memory(o.spec, o.max_memory_bytes, comm);
  const auto [h5, folder] = output_paths(o, comm, o.general_sweep);
  const std::optional<io::FileLock> lock = lock_output(h5, o, comm);
  const io::FileMetadata meta = io::program_metadata(o.command_line, comm.size(), omp_get_max_threads());
  io::ResultStore store = open_store(h5, o, meta, comm);
  const TaskPlan plan = plan_tasks(o, store);
  if (comm.rank() == 0) announce(o, plan, h5, comm);

  const std::unique_ptr<parallel::SharedCounters> counters = comm.make_counters(n_counters);
  Progress progress(plan.total_tasks, plan.total_cost, o.progress && comm.rank() == 0, std::cerr,
                    isatty(STDERR_FILENO) != 0);
  StopWatchdog watchdog(stop_signal, std::chrono::milliseconds(std::llround(o.stop_grace_seconds * 1000)),
                        emergency_stop_message(o, h5));
  SharedStop stop(stop_signal, *counters, stop_bits, watchdog);
  bool interrupted = run_pending(o, plan, store, comm, *counters, stop, progress);
  interrupted = stop.poll() != 0 || interrupted;  // a signal after the last task still counts
  store.close_journal();
  interrupted = comm.any(interrupted);
  const std::int64_t n_failed = counters->read(failed);
  const std::int64_t saved = plan.already_done + counters->read(tasks_done);
  const std::int64_t samples = counters->read(samples_done);
  int stop_sig = reported_signal(counters->read(stop_bits));
  if (stop_sig == 0) stop_sig = stop_signal.load();
  comm.barrier();  // every journal closed before rank 0 folds them in
  watchdog.disarm();  // the stop is collective from here; saving takes what it takes
  // A stop that came after every run was saved does not make the results incomplete.
  const bool complete = saved == plan.total_tasks;
  if (interrupted && complete && comm.rank() == 0)
    std::cerr << "igbench: signal " << stop_sig << " arrived after the last run; the results are complete\n";
  interrupted = interrupted && !complete;

  if (comm.rank() == 0) {
    progress.finish(saved, samples);
    write_outputs(o, h5, folder, store, meta, interrupted, saved, plan.total_tasks, n_failed, stop_sig);
  }
  if (interrupted) return stop_exit_code(stop_sig == 0 ? SIGTERM : stop_sig);
  return n_failed > 0 ? exit_failure : exit_ok;
}

}  // namespace igbench::cli

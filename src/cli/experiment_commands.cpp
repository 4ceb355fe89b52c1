// `igbench main | ratio | convergence | sweep`: the three experiments of the paper (with the
// reference's flag names and defaults) and a general sweep with lists on every axis.
#include <csignal>
#include <iostream>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "igbench/cli/commands.hpp"
#include "igbench/cli/experiment_options.hpp"
#include "igbench/cli/feasibility.hpp"
#include "igbench/cli/options.hpp"
#include "igbench/cli/sweep_driver.hpp"
#include "igbench/parallel/communicator.hpp"

namespace igbench::cli {

namespace {

using experiment::ExperimentKind;
namespace fs = std::filesystem;

// ----- signals: SIGTERM / SIGINT (what SLURM and Ctrl-C send) stop gracefully and save -------
std::atomic<int> g_stop_signal{0};

extern "C" void on_stop_signal(int sig) {
  if (g_stop_signal.load() != 0) std::_Exit(128 + sig);  // a second signal: stop at once
  g_stop_signal.store(sig);
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

enum class CommandKind { main, ratio, convergence, sweep };

const char* default_N_total = "1000,10000,100000,1000000,10000000";
const char* default_ratios = "0.05,0.1,0.2,0.3,0.4,0.5,0.6,0.8,1.0,2.0,5.0,10.0";

po::options_description describe_options(CommandKind kind) {
  po::options_description science("Experiment (lists are comma-separated: --K 2,3,5)", 110, 60);
  auto add = science.add_options();
  add("help,h", "show this help");
  if (kind == CommandKind::sweep)
    add("config", po::value<std::string>(), "read options from this file (INI: 'K = 2,3,5'); the command line wins");
  if (kind == CommandKind::main || kind == CommandKind::sweep)
    add("N", po::value<std::string>()->default_value(kind == CommandKind::main ? "10000" : ""),
        kind == CommandKind::main ? "samples per data set: N_obs = N_sint = N_jint = N"
                                  : "main experiment: samples per data set");
  if (kind == CommandKind::ratio || kind == CommandKind::sweep) {
    add("N_avg", po::value<std::string>()->default_value(kind == CommandKind::ratio ? "10000" : ""),
        "data ratio: average samples per intervention setting");
    add("ratios", po::value<std::string>()->default_value(kind == CommandKind::ratio ? default_ratios : ""),
        "data ratio: ratios of single-interventional to observational samples");
  }
  if (kind == CommandKind::convergence || kind == CommandKind::sweep)
    add("N_total", po::value<std::string>()->default_value(kind == CommandKind::convergence ? default_N_total : ""),
        "convergence: total samples (obs + K single-intervention sets)");
  add("K", po::value<std::string>()->default_value("5"), "number of actions");
  add("n_order_fit", po::value<std::string>()->default_value("3"), "degree of the polynomial features");
  add("N_runs", po::value<std::string>()->default_value("100"), "runs per point (run r uses seed r)");
  add("scm_type", po::value<std::string>()->default_value("polynomial"), "polynomial, linear (or a list)");
  add("regularization", po::value<std::string>()->default_value("ridge"), "ridge, lasso (or a list)");
  add("seed", po::value<std::string>()->default_value("42"), "seed of the single run of a main experiment with N_runs 1");
  add("rng", po::value<std::string>()->default_value("fast"),
      "fast (counter-based streams) or reference (replays the published implementation's numpy draws; ridge only)");
  add("methods", po::value<std::string>()->default_value(""),
      "methods to run: obs,method,pooled,jint,pooled_ref (default: the experiment's own)");
  add("alphas", po::value<std::string>()->default_value(""),
      "the regularisation strengths cross-validation chooses from, ascending (default: the reference's "
      "1e-8,1e-7,...,0.1)");
  po::options_description output("Output and execution", 110, 60);
  output.add_options()
      ("output_dir", po::value<std::string>()->default_value("."), "parent of the new time-stamped result folder")
      ("out", po::value<std::string>(), "results file (HDF5) to write instead of a time-stamped folder")
      ("resume", po::bool_switch(), "continue the sweep in --out, skipping every finished run")
      ("shard", po::value<std::string>(), "run only shard i/n of the tasks (0 <= i < n), e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT")
      ("quiet", po::bool_switch(), "no progress display")
      ("snapshot_interval", po::value<double>()->default_value(60.0), "seconds between rewrites of the results file while running")
      ("max_memory", po::value<std::string>(),
       "memory budget per node, e.g. 8G or 512MiB (default: what the node has available); a sweep whose largest run "
       "does not fit is refused before it starts");
  po::options_description all(110, 60);
  all.add(science).add(output);
  return all;
}

template <class T, class Parse>
std::vector<T> parse_each(const std::string& text, const char* option, Parse parse) {
  std::vector<T> out;
  for (const std::string& w : parse_word_list(text, option)) {
    try {
      out.push_back(parse(w));
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string(option) + ": " + e.what());
    }
  }
  return out;
}

// Bounds of the integer axes. K and n_order_fit far beyond what fits in memory are left to the
// feasibility check (which names the memory needed); sample counts stop at 1e15 per data set so
// every derived size (N_obs = (K+1) N_avg / (K r + 1), ...) stays far inside int64.
constexpr std::int64_t max_small_int = 1000000;
constexpr std::int64_t max_samples = 1000000000000000;  // 1e15

std::vector<int> small_ints(const std::string& text, const char* option, int min) {
  std::vector<int> out;
  for (std::int64_t v : parse_int_list(text, option)) {
    if (v < min) throw UsageError(std::string(option) + " must be >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
    if (v > max_small_int)
      throw UsageError(std::string(option) + ": " + std::to_string(v) + " is out of range (" + std::to_string(min) +
                       " .. " + std::to_string(max_small_int) + ")");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

std::vector<std::int64_t> sizes(const std::string& text, const char* option) {
  std::vector<std::int64_t> out = parse_int_list(text, option);
  for (std::int64_t v : out) {
    if (v < 1) throw UsageError(std::string(option) + " values must be >= 1 (got " + std::to_string(v) + ")");
    if (v > max_samples) throw UsageError(std::string(option) + ": " + std::to_string(v) + " is out of range (1 .. 1e15)");
  }
  return out;
}

// The data-ratio sizes are derived in double precision and truncated: refuse any beyond 1e15
// before they are cast to integers.
void check_ratio_sizes(const sweep::SweepSpec& s) {
  for (int K : s.K)
    for (std::int64_t N_avg : s.N_avg)
      for (double r : s.ratios) {
        if (!(r > 0.0)) continue;  // sweep::validate names it
        const double Kd = K, n_obs = (Kd + 1.0) * static_cast<double>(N_avg) / (Kd * r + 1.0);
        if (n_obs > static_cast<double>(max_samples) || r * n_obs > static_cast<double>(max_samples))
          throw UsageError("at K=" + std::to_string(K) + ", N_avg=" + std::to_string(N_avg) +
                           ": the data-ratio sample sizes are out of range (at most 1e15 per data set)");
      }
}

// The longest name igbench derives from --out: PATH.journal.<rank>.tmp.<pid>.<counter> (io/).
constexpr std::size_t derived_suffix_reserve = 64;

// Refuses an --out whose derived names (journals, temporaries, the lock) would exceed the
// file system's name limit (NAME_MAX, usually 255) or whose path exceeds PATH_MAX.
void check_output_name(const fs::path& out) {
  const std::string name = out.filename().string();
  if (name.empty() || name == "." || name == "..")
    throw UsageError("--out " + out.string() + ": name a results file, e.g. --out results.h5");
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  if (name_max <= 0) name_max = 255;
  const std::size_t limit = static_cast<std::size_t>(name_max) - derived_suffix_reserve;
  if (name.size() > limit)
    throw UsageError("--out: the file name is " + std::to_string(name.size()) + " characters; igbench adds up to " +
                     std::to_string(derived_suffix_reserve) + " for its journal and temporary files, so it must be at most " +
                     std::to_string(limit) + " (NAME_MAX " + std::to_string(name_max) + ")");
  if (fs::absolute(out).string().size() + derived_suffix_reserve >= 4096)
    throw UsageError("--out: the path is too long (at most " + std::to_string(4096 - derived_suffix_reserve - 1) + " characters)");
}

std::string value(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

DriverOptions build_options(CommandKind kind, const po::variables_map& vm) {
  DriverOptions o;
  sweep::SweepSpec& s = o.spec;
  switch (kind) {
    case CommandKind::main: s.experiment = ExperimentKind::main; break;
    case CommandKind::ratio: s.experiment = ExperimentKind::ratio; break;
    case CommandKind::convergence: s.experiment = ExperimentKind::convergence; break;
    case CommandKind::sweep: {
      // The sample-size axis decides the experiment.
      const bool has_N = !value(vm, "N").empty(), has_ratio = !value(vm, "N_avg").empty() || !value(vm, "ratios").empty(),
                 has_total = !value(vm, "N_total").empty();
      const int axes = has_N + has_ratio + has_total;
      if (axes != 1)
        throw UsageError("give exactly one sample-size axis: --N (main), --N_avg and --ratios (data ratio) or --N_total (convergence)");
      s.experiment = has_N ? ExperimentKind::main : has_ratio ? ExperimentKind::ratio : ExperimentKind::convergence;
      if (has_ratio && (value(vm, "N_avg").empty() || value(vm, "ratios").empty()))
        throw UsageError("a data-ratio sweep needs both --N_avg and --ratios");
      o.general_sweep = true;
      break;
    }
  }
  if (s.experiment == ExperimentKind::main) s.N = sizes(value(vm, "N"), "--N");
  if (s.experiment == ExperimentKind::ratio) {
    s.N_avg = sizes(value(vm, "N_avg"), "--N_avg");
    s.ratios = parse_double_list(value(vm, "ratios"), "--ratios");
  }
  if (s.experiment == ExperimentKind::convergence) s.N_total = sizes(value(vm, "N_total"), "--N_total");
  s.K = small_ints(value(vm, "K"), "--K", 1);
  s.n_order_fit = small_ints(value(vm, "n_order_fit"), "--n_order_fit", 1);
  const std::int64_t runs = parse_int(value(vm, "N_runs"), "--N_runs");
  if (runs < 1 || runs > 100000000) throw UsageError("--N_runs must be >= 1 (got " + std::to_string(runs) + ")");
  s.N_runs = static_cast<int>(runs);
  s.scm_types = parse_each<scm::ScmType>(value(vm, "scm_type"), "--scm_type", [](const std::string& w) { return scm::parse_scm_type(w); });
  s.regularizations = parse_each<fit::Regularization>(value(vm, "regularization"), "--regularization",
                                                      [](const std::string& w) { return fit::parse_regularization(w); });
  const std::int64_t seed = parse_int(value(vm, "seed"), "--seed");
  if (seed < 0 || seed > 4294967295LL) throw UsageError("--seed must be in 0..4294967295 (got " + std::to_string(seed) + ")");
  s.seed = static_cast<std::uint32_t>(seed);
  try {
    s.rng = experiment::parse_rng(value(vm, "rng"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--rng: ") + e.what());
  }
  if (const std::string m = value(vm, "methods"); !m.empty())
    for (experiment::Method x : parse_each<experiment::Method>(m, "--methods", [](const std::string& w) { return experiment::parse_method(w); }))
      s.methods.add(x);
  if (const std::string a = value(vm, "alphas"); !a.empty()) {
    s.alphas = parse_double_list(a, "--alphas");
    if (const std::string problem = fit::validate_alpha_grid(s.alphas); !problem.empty())
      throw UsageError("--alphas: " + problem);
  }
  if (s.rng == experiment::RngMode::reference)
    for (auto r : s.regularizations)
      if (r == fit::Regularization::lasso)
        throw UsageError("--rng reference supports ridge only (the reference's lasso draws a random coordinate order from the "
                         "global stream at every fit); use --rng fast for lasso");
  if (s.experiment == ExperimentKind::ratio) check_ratio_sizes(s);
  if (const std::string problem = sweep::validate(s); !problem.empty()) throw UsageError(problem);

  o.output_dir = value(vm, "output_dir");
  if (vm.count("out")) {
    o.out = value(vm, "out");
    check_output_name(*o.out);
  }
  if (vm.count("max_memory")) o.max_memory_bytes = parse_memory_size(value(vm, "max_memory"), "--max_memory");
  o.resume = vm["resume"].as<bool>();
  if (vm.count("shard")) {
    try {
      o.shard = sweep::parse_shard(value(vm, "shard"));
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  o.progress = !vm["quiet"].as<bool>();
  o.snapshot_interval_seconds = vm["snapshot_interval"].as<double>();
  if (!(o.snapshot_interval_seconds > 0)) throw UsageError("--snapshot_interval must be > 0 seconds");
  return o;
}

const char* command_help(CommandKind kind) {
  switch (kind) {
    case CommandKind::main:
      return "igbench main: the paper's main experiment (obs, method, pooled, jint at N samples per data set)";
    case CommandKind::ratio:
      return "igbench ratio: the data-ratio experiment (N_obs = (K+1) N_avg / (K r + 1), N_sint = r N_obs, N_jint = N_avg)";
    case CommandKind::convergence:
      return "igbench convergence: the convergence experiment (N_sint = N_total div (K+1), N_obs = N_total - K N_sint)";
    case CommandKind::sweep:
      return "igbench sweep: a general sweep; every axis takes a list and options may come from --config FILE";
  }
  return "";
}

CommandKind command_kind(std::string_view command) {
  if (command == "main") return CommandKind::main;
  if (command == "ratio") return CommandKind::ratio;
  if (command == "convergence") return CommandKind::convergence;
  if (command == "sweep") return CommandKind::sweep;
  throw std::invalid_argument("not an experiment command: " + std::string(command));
}

// The text of a --config file: at most 1 MiB (a config is a few lines; /dev/zero is not one), and
// no %word% placeholders (see refuse_placeholders).
std::string read_config_text(const std::string& path) {
  constexpr std::size_t max_bytes = std::size_t{1} << 20;
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw UsageError("--config " + path + ": is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--config " + path + ": cannot read the file");
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bytes) throw UsageError("--config " + path + ": larger than 1 MiB; is it an options file?");
  refuse_placeholders(text, "--config " + path);
  return text;
}

// Command line (and --config file) -> variables; empty optional for --help (printed).
std::optional<po::variables_map> parse_experiment_variables(CommandKind kind, const std::vector<std::string>& args) {
  const po::options_description opts = describe_options(kind);
  po::variables_map vm;
  parse_command_line(args, opts, vm);
  if (vm.count("help")) {
    std::cout << command_help(kind) << "\n\n" << opts
              << "\nWithout --out, results go to a new folder <output_dir>/<experiment>_<timestamp>/ holding results.h5,\n"
                 "rmse_values.csv (the reference's layout) and experiment_params.txt. Under mpirun or srun, MPI ranks share\n"
                 "the runs; OMP_NUM_THREADS threads work inside each run. SIGTERM/SIGINT stop gracefully and save.\n";
    return std::nullopt;
  }
  if (kind == CommandKind::sweep && vm.count("config")) {
    const std::string path = vm["config"].as<std::string>();
    std::istringstream text(read_config_text(path));
    try {
      po::store(po::parse_config_file(text, opts), vm);
      po::notify(vm);
      refuse_empty_values(vm);
    } catch (const po::error& e) {
      throw UsageError("--config " + path + ": " + e.what());
    }
  }
  return vm;
}

int run_experiment_command(CommandKind kind, const std::vector<std::string>& args) {
  const std::optional<po::variables_map> vm = parse_experiment_variables(kind, args);
  if (!vm) return exit_ok;
  DriverOptions options = build_options(kind, *vm);
  options.command_line = command_line_text_of_process();
  install_stop_handlers();
  parallel::Environment env;
  try {
    return run_sweep(options, env.world(), g_stop_signal);
  } catch (const UsageError&) {
    throw;  // detected collectively: every rank leaves with the same message
  } catch (const std::exception& e) {
    // An error on one rank (e.g. a full disk): the others would wait for it for ever. Stop them
    // all; the journals keep every run finished so far, and --resume continues.
    if (env.world().size() > 1) {
      std::cerr << "igbench: rank " << env.world().rank() << ": error: " << e.what() << " (stopping all ranks)\n";
      env.abort(exit_failure);
    }
    throw;
  }
}

}  // namespace

std::optional<DriverOptions> parse_experiment_options(std::string_view command, const std::vector<std::string>& args) {
  const CommandKind kind = command_kind(command);
  const std::optional<po::variables_map> vm = parse_experiment_variables(kind, args);
  if (!vm) return std::nullopt;
  return build_options(kind, *vm);
}

int main_command(const std::vector<std::string>& args) {
  return guarded("main", [&] { return run_experiment_command(CommandKind::main, args); });
}
int ratio_command(const std::vector<std::string>& args) {
  return guarded("ratio", [&] { return run_experiment_command(CommandKind::ratio, args); });
}
int convergence_command(const std::vector<std::string>& args) {
  return guarded("convergence", [&] { return run_experiment_command(CommandKind::convergence, args); });
}
int sweep_command(const std::vector<std::string>& args) {
  return guarded("sweep", [&] { return run_experiment_command(CommandKind::sweep, args); });
}

}  // namespace igbench::cli

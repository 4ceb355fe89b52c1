// `igbench main | ratio | convergence | sweep`: the three experiments of the paper (with the
// reference's flag names and defaults) and a general sweep with lists on every axis.
#include <csignal>
#include <iostream>

#include "igbench/cli/commands.hpp"
#include "igbench/cli/options.hpp"
#include "igbench/cli/sweep_driver.hpp"
#include "igbench/parallel/communicator.hpp"

namespace igbench::cli {

namespace {

using experiment::ExperimentKind;

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
      ("snapshot_interval", po::value<double>()->default_value(60.0), "seconds between rewrites of the results file while running");
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

std::vector<int> small_ints(const std::string& text, const char* option, int min) {
  std::vector<int> out;
  for (std::int64_t v : parse_int_list(text, option)) {
    if (v < min || v > 1000000) throw UsageError(std::string(option) + " must be >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

std::vector<std::int64_t> sizes(const std::string& text, const char* option) {
  std::vector<std::int64_t> out = parse_int_list(text, option);
  for (std::int64_t v : out)
    if (v < 1) throw UsageError(std::string(option) + " values must be >= 1 (got " + std::to_string(v) + ")");
  return out;
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
  if (const std::string problem = sweep::validate(s); !problem.empty()) throw UsageError(problem);

  o.output_dir = value(vm, "output_dir");
  if (vm.count("out")) o.out = value(vm, "out");
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

int run_experiment_command(CommandKind kind, const std::vector<std::string>& args) {
  const po::options_description opts = describe_options(kind);
  po::variables_map vm;
  parse_command_line(args, opts, vm);
  if (vm.count("help")) {
    std::cout << command_help(kind) << "\n\n" << opts
              << "\nWithout --out, results go to a new folder <output_dir>/<experiment>_<timestamp>/ holding results.h5,\n"
                 "rmse_values.csv (the reference's layout) and experiment_params.txt. Under mpirun or srun, MPI ranks share\n"
                 "the runs; OMP_NUM_THREADS threads work inside each run. SIGTERM/SIGINT stop gracefully and save.\n";
    return exit_ok;
  }
  if (kind == CommandKind::sweep && vm.count("config")) {
    const std::string path = vm["config"].as<std::string>();
    try {
      po::store(po::parse_config_file<char>(path.c_str(), opts), vm);
      po::notify(vm);
    } catch (const po::reading_file&) {
      throw UsageError("--config " + path + ": cannot read the file");
    } catch (const po::error& e) {
      throw UsageError("--config " + path + ": " + e.what());
    }
  }
  DriverOptions options = build_options(kind, vm);
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

// experiment::run (one run, the CLI's row) and cli::run_sweep (a whole sweep in-process, on a
// serial communicator: OpenMP threads, no MPI) from Python.
#include <optional>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cmath>
#include <future>
#include <thread>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "igbench/cli/options.hpp"
#include "igbench/cli/sweep_driver.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/parallel/communicator.hpp"

namespace igbench::python {

namespace {

template <class T, class Parse>
std::vector<T> parse_all(const std::vector<std::string>& words, Parse parse) {
  std::vector<T> out;
  for (const auto& w : words) out.push_back(parse(w));
  return out;
}

experiment::MethodSet method_set(const std::vector<std::string>& names) {
  experiment::MethodSet s;
  for (const auto& n : names) s.add(experiment::parse_method(n));
  return s;
}

py::dict result_dict(const experiment::RunResult& r, const experiment::MethodSet& methods) {
  py::dict d;
  for (experiment::Method m : experiment::all_methods) {
    if (!methods.has(m)) continue;
    const std::string name(experiment::method_name(m));
    d[("rmse_" + name).c_str()] = r[m].rmse;
    d[("truth_rmse_" + name).c_str()] = r[m].truth_rmse;
  }
  d["alpha_obs"] = r.alpha_obs;
  d["alpha_pooled"] = r.alpha_pooled;
  d["alpha_jint"] = r.alpha_jint;
  d["alpha_sint"] = r.alpha_sint;
  d["cond_obs"] = r.cond_obs;
  d["cond_pooled"] = r.cond_pooled;
  d["cond_jint"] = r.cond_jint;
  d["cond_sint"] = r.cond_sint;
  d["seconds_generate"] = r.seconds_generate;
  d["seconds_solve"] = r.seconds_solve;
  d["samples_generated"] = r.samples_generated;
  return d;
}

// One run of RunSpec{...}: the same call the sweep driver makes for a (point, run) task.
py::dict run(const std::string& experiment_kind, const std::string& scm_type, int K, std::int64_t N_obs, std::int64_t N_sint,
             std::int64_t N_jint, int n_order_fit, const std::string& regularization, std::uint32_t seed,
             std::uint32_t run_index, const std::vector<std::string>& methods, const std::string& rng,
             const std::optional<std::vector<double>>& alphas) {
  experiment::RunSpec spec;
  spec.experiment = experiment::parse_experiment(experiment_kind);
  spec.scm_type = scm::parse_scm_type(scm_type);
  spec.K = K;
  spec.N_obs = N_obs;
  spec.N_sint = N_sint;
  spec.N_jint = N_jint;
  spec.n_order_fit = n_order_fit;
  spec.regularization = fit::parse_regularization(regularization);
  spec.seed = seed;
  spec.run = run_index;
  spec.rng = experiment::parse_rng(rng);
  spec.methods = methods.empty() ? experiment::default_methods(spec.experiment, spec.rng) : method_set(methods);
  if (alphas) spec.alphas = *alphas;
  if (const std::string problem = experiment::validate(spec); !problem.empty()) throw py::value_error(problem);
  experiment::RunResult result;
  {
    py::gil_scoped_release release;
    result = experiment::run(spec);
  }
  return result_dict(result, spec.methods);
}

// Runs the sweep driver on a worker thread while this (Python's main) thread waits with the GIL
// released and checks for signals every 100 ms: Ctrl-C (a Jupyter interrupt) sets the driver's
// stop flag, which stops it gracefully as SIGINT stops the CLI (finished runs saved, the file
// resumable); then KeyboardInterrupt is raised.
int run_interruptibly(const cli::DriverOptions& o) {
  std::atomic<int> stop{0};
  std::promise<int> code;
  std::future<int> done = code.get_future();
  std::thread worker([&] {
    try {
      const auto comm = parallel::make_serial_communicator();
      code.set_value(cli::run_sweep(o, *comm, stop));
    } catch (...) {
      code.set_exception(std::current_exception());
    }
  });
  bool interrupted = false;
  for (;;) {
    bool finished = false;
    {
      py::gil_scoped_release release;
      finished = done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
    }
    if (finished) break;
    if (!interrupted && PyErr_CheckSignals() != 0) {  // a Python exception (KeyboardInterrupt) is now set
      interrupted = true;
      stop.store(SIGINT);
    }
  }
  worker.join();
  if (interrupted) throw py::error_already_set();
  try {
    return done.get();
  } catch (const cli::UsageError& e) {
    throw py::value_error(e.what());
  }
}

// A sweep written to `out` exactly as `igbench <experiment> ... --out out` writes it.
int run_sweep(const std::string& experiment_kind, const std::vector<std::string>& scm_types, const std::vector<int>& K,
              const std::vector<int>& n_order_fit, const std::vector<std::string>& regularizations,
              const std::vector<std::int64_t>& N, const std::vector<std::int64_t>& N_avg,
              const std::vector<double>& ratios, const std::vector<std::int64_t>& N_total, int N_runs,
              std::uint32_t seed, const std::vector<std::string>& methods, const std::string& rng,
              const std::string& out, bool resume, bool progress, const std::string& command_line) {
  cli::DriverOptions o;
  sweep::SweepSpec& s = o.spec;
  s.experiment = experiment::parse_experiment(experiment_kind);
  s.scm_types = parse_all<scm::ScmType>(scm_types, [](const std::string& w) { return scm::parse_scm_type(w); });
  s.K = K;
  s.n_order_fit = n_order_fit;
  s.regularizations = parse_all<fit::Regularization>(regularizations, [](const std::string& w) { return fit::parse_regularization(w); });
  if (!N.empty()) s.N = N;
  if (!N_avg.empty()) s.N_avg = N_avg;
  if (!ratios.empty()) s.ratios = ratios;
  if (!N_total.empty()) s.N_total = N_total;
  s.N_runs = N_runs;
  s.seed = seed;
  s.rng = experiment::parse_rng(rng);
  s.methods = method_set(methods);
  if (const std::string problem = sweep::validate(s); !problem.empty()) throw py::value_error(problem);
  o.out = out;
  o.resume = resume;
  o.progress = progress;
  o.command_line = command_line;
  return run_interruptibly(o);
}

}  // namespace

void bind_experiment(py::module_& m) {
  m.def("run", &run, py::arg("experiment"), py::arg("scm_type"), py::arg("K"), py::arg("N_obs"), py::arg("N_sint"),
        py::arg("N_jint"), py::arg("n_order_fit"), py::arg("regularization"), py::arg("seed"), py::arg("run"),
        py::arg("methods"), py::arg("rng"), py::arg("alphas") = std::nullopt);
  m.def("run_sweep", &run_sweep, py::arg("experiment"), py::arg("scm_types"), py::arg("K"), py::arg("n_order_fit"),
        py::arg("regularizations"), py::arg("N"), py::arg("N_avg"), py::arg("ratios"), py::arg("N_total"),
        py::arg("N_runs"), py::arg("seed"), py::arg("methods"), py::arg("rng"), py::arg("out"), py::arg("resume"),
        py::arg("progress"), py::arg("command_line"));
  m.def("all_methods", [] {
    std::vector<std::string> names;
    for (experiment::Method x : experiment::all_methods) names.emplace_back(experiment::method_name(x));
    return names;
  });
}

}  // namespace igbench::python

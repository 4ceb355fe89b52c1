#pragma once
// Rows and files for the io tests: results with distinct, deterministic values (NaNs included),
// and scratch directories removed at the end of a test.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "igbench/io/metadata.hpp"
#include "igbench/io/result_row.hpp"

namespace igbench::io::testing {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A directory under the system temporary directory, removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    path_ = std::filesystem::temp_directory_path() / ("igbench_io_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::filesystem::path path_;
};

// A small main sweep: K=3 and 5, N = 1000, 2000, 3 runs.
inline sweep::SweepSpec small_main_spec() {
  sweep::SweepSpec s;
  s.experiment = experiment::ExperimentKind::main;
  s.K = {3, 5};
  s.N = {1000, 2000};
  s.N_runs = 3;
  return s;
}

inline sweep::SweepSpec small_ratio_spec() {
  sweep::SweepSpec s;
  s.experiment = experiment::ExperimentKind::ratio;
  s.K = {3};
  s.N_avg = {1000};
  s.ratios = {0.1, 1.0, 2.0};
  s.N_runs = 2;
  return s;
}

// The row of (point, run) of `spec` with a result whose values depend on (point, run, salt).
// Methods not run by the sweep stay NaN; alpha_sint has K entries when the method ran.
inline ResultRow make_row(const sweep::SweepSpec& spec, std::size_t point, int run, unsigned salt = 0) {
  const std::vector<sweep::SweepPoint> points = sweep::expand_points(spec);
  ResultRow r;
  r.point = static_cast<std::int64_t>(point);
  r.params = points.at(point);
  r.rng = spec.rng;
  r.run = run;
  r.seed = sweep::run_seed(spec, run);
  std::mt19937_64 gen(point * 1000 + static_cast<std::size_t>(run) * 7 + salt);
  std::uniform_real_distribution<double> u(0.01, 10.0);
  const experiment::MethodSet methods = sweep::sweep_methods(spec);
  for (experiment::Method m : experiment::all_methods)
    if (methods.has(m)) r.result[m] = {u(gen), u(gen)};
  r.result.alpha_obs = u(gen);
  if (methods.has(experiment::Method::method))
    for (int k = 0; k < r.params.K; ++k) r.result.alpha_sint.push_back(u(gen));
  if (methods.has(experiment::Method::jint)) r.result.alpha_jint = u(gen);
  if (methods.has(experiment::Method::pooled)) r.result.alpha_pooled = u(gen);
  r.result.seconds_generate = u(gen);
  r.result.seconds_solve = u(gen);
  r.result.samples_generated = 5 * r.params.N_obs + run;
  return r;
}

inline std::vector<ResultRow> all_rows(const sweep::SweepSpec& spec, unsigned salt = 0) {
  std::vector<ResultRow> rows;
  const std::size_t n_points = sweep::expand_points(spec).size();
  for (std::size_t p = 0; p < n_points; ++p)
    for (int r = 0; r < spec.N_runs; ++r) rows.push_back(make_row(spec, p, r, salt));
  return rows;
}

inline FileMetadata test_metadata() {
  FileMetadata m;
  m.igbench_version = "0.1.0-test";
  m.git_commit = "abc123";
  m.command_line = "igbench main --N 1000,2000 --K 3,5 --N_runs 3";
  m.host = "testhost";
  m.start_time = "2026-11-29T15:49:05Z";
  m.end_time = "2026-11-29T16:00:00Z";
  m.ranks = 4;
  m.threads = 2;
  m.experiment = "main";
  m.complete = true;
  m.n_tasks = 12;
  return m;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace igbench::io::testing

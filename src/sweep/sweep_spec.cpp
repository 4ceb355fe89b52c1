#include "igbench/sweep/sweep_spec.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "igbench/features/polynomial_features.hpp"

namespace igbench::sweep {

using experiment::ExperimentKind;

bool SweepPoint::operator==(const SweepPoint& o) const {
  auto same_ratio = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  return experiment == o.experiment && scm_type == o.scm_type && K == o.K &&
         n_order_fit == o.n_order_fit && regularization == o.regularization && N == o.N &&
         N_avg == o.N_avg && same_ratio(ratio, o.ratio) && N_total == o.N_total &&
         N_obs == o.N_obs && N_sint == o.N_sint && N_jint == o.N_jint;
}

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

SweepPoint main_point(int K, std::int64_t N) {
  SweepPoint p;
  p.experiment = ExperimentKind::main;
  p.K = K;
  p.N = N;
  p.ratio = nan;
  p.N_obs = p.N_sint = p.N_jint = N;
  return p;
}

SweepPoint ratio_point(int K, std::int64_t N_avg, double ratio) {
  SweepPoint p;
  p.experiment = ExperimentKind::ratio;
  p.K = K;
  p.N_avg = N_avg;
  p.ratio = ratio;
  // N_obs = int((K + 1) * N_avg / (K * r + 1)), N_sint = int(r * N_obs), in double precision.
  const double Kd = static_cast<double>(K);
  p.N_obs = static_cast<std::int64_t>((Kd + 1.0) * static_cast<double>(N_avg) / (Kd * ratio + 1.0));
  p.N_sint = static_cast<std::int64_t>(ratio * static_cast<double>(p.N_obs));
  p.N_jint = N_avg;
  return p;
}

SweepPoint convergence_point(int K, std::int64_t N_total) {
  SweepPoint p;
  p.experiment = ExperimentKind::convergence;
  p.K = K;
  p.N_total = N_total;
  p.ratio = nan;
  p.N_sint = N_total / (K + 1);
  p.N_obs = N_total - static_cast<std::int64_t>(K) * p.N_sint;
  p.N_jint = N_total;
  return p;
}

std::vector<SweepPoint> expand_points(const SweepSpec& spec) {
  std::vector<SweepPoint> points;
  for (scm::ScmType type : spec.scm_types)
    for (int K : spec.K)
      for (int d : spec.n_order_fit)
        for (fit::Regularization reg : spec.regularizations) {
          auto add = [&](SweepPoint p) {
            p.scm_type = type;
            p.n_order_fit = d;
            p.regularization = reg;
            points.push_back(p);
          };
          switch (spec.experiment) {
            case ExperimentKind::main:
              for (std::int64_t N : spec.N) add(main_point(K, N));
              break;
            case ExperimentKind::ratio:
              for (std::int64_t N_avg : spec.N_avg)
                for (double r : spec.ratios) add(ratio_point(K, N_avg, r));
              break;
            case ExperimentKind::convergence:
              for (std::int64_t N_total : spec.N_total) add(convergence_point(K, N_total));
              break;
          }
        }
  return points;
}

experiment::MethodSet sweep_methods(const SweepSpec& spec) {
  bool any = false;
  for (bool b : spec.methods.on) any = any || b;
  return any ? spec.methods : experiment::default_methods(spec.experiment, spec.rng);
}

std::uint32_t run_seed(const SweepSpec& spec, int run) {
  if (spec.experiment == ExperimentKind::main && spec.N_runs == 1) return spec.seed;
  return static_cast<std::uint32_t>(run);
}

experiment::RunSpec make_run_spec(const SweepSpec& spec, const SweepPoint& point, int run) {
  experiment::RunSpec r;
  r.experiment = point.experiment;
  r.scm_type = point.scm_type;
  r.K = point.K;
  r.N_obs = point.N_obs;
  r.N_sint = point.N_sint;
  r.N_jint = point.N_jint;
  r.n_order_fit = point.n_order_fit;
  r.regularization = point.regularization;
  r.seed = run_seed(spec, run);
  r.run = static_cast<std::uint32_t>(run);
  r.methods = sweep_methods(spec);
  r.rng = spec.rng;
  r.alphas = spec.alphas;
  return r;
}

std::vector<Task> all_tasks(const SweepSpec& spec, std::size_t n_points) {
  std::vector<Task> tasks;
  tasks.reserve(n_points * static_cast<std::size_t>(spec.N_runs));
  for (std::size_t p = 0; p < n_points; ++p)
    for (int r = 0; r < spec.N_runs; ++r) tasks.push_back({p, r});
  return tasks;
}

double estimated_cost(const experiment::RunSpec& spec) {
  const double P = static_cast<double>(features::feature_count(spec.K, spec.n_order_fit));
  const double dim = P + 1.0;
  const double K = static_cast<double>(spec.K);
  const bool single = spec.methods.has(experiment::Method::method) ||
                      spec.methods.has(experiment::Method::pooled) ||
                      spec.methods.has(experiment::Method::pooled_ref);
  double samples = static_cast<double>(spec.N_obs) + static_cast<double>(spec.N_jint);
  if (single) samples += K * static_cast<double>(spec.N_sint);
  if (spec.methods.has(experiment::Method::pooled_ref))
    samples += static_cast<double>(spec.N_obs) + K * static_cast<double>(spec.N_sint);
  const double models = 3.0 + (single ? K : 0.0);
  // per sample: K+1 polynomial evaluations and ~3K+1 random draws (~60 units) + SYRK dim^2/2
  return samples * (dim * dim / 2.0 + 60.0 * (K + 1.0)) + models * 25.0 * P * P * P / 3.0;
}

namespace {
template <class T, class F>
std::string join(const std::vector<T>& v, F&& f) {
  std::ostringstream s;
  for (std::size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << f(v[i]);
  return s.str();
}
std::string g17(double x) {
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}
}  // namespace

std::string canonical_text(const SweepSpec& spec) {
  std::ostringstream s;
  s << "experiment=" << experiment::experiment_name(spec.experiment) << "\n";
  s << "scm_type=" << join(spec.scm_types, [](scm::ScmType t) { return std::string(scm::scm_type_name(t)); }) << "\n";
  s << "K=" << join(spec.K, [](int k) { return k; }) << "\n";
  s << "n_order_fit=" << join(spec.n_order_fit, [](int d) { return d; }) << "\n";
  s << "regularization="
    << join(spec.regularizations, [](fit::Regularization r) { return std::string(fit::regularization_name(r)); }) << "\n";
  switch (spec.experiment) {
    case ExperimentKind::main: s << "N=" << join(spec.N, [](std::int64_t n) { return n; }) << "\n"; break;
    case ExperimentKind::ratio:
      s << "N_avg=" << join(spec.N_avg, [](std::int64_t n) { return n; }) << "\n";
      s << "ratios=" << join(spec.ratios, g17) << "\n";
      break;
    case ExperimentKind::convergence:
      s << "N_total=" << join(spec.N_total, [](std::int64_t n) { return n; }) << "\n";
      break;
  }
  s << "N_runs=" << spec.N_runs << "\n";
  if (spec.experiment == ExperimentKind::main && spec.N_runs == 1) s << "seed=" << spec.seed << "\n";
  const experiment::MethodSet m = sweep_methods(spec);
  std::vector<std::string> names;
  for (experiment::Method x : experiment::all_methods)
    if (m.has(x)) names.emplace_back(experiment::method_name(x));
  s << "methods=" << join(names, [](const std::string& x) { return x; }) << "\n";
  s << "rng=" << experiment::rng_name(spec.rng) << "\n";
  if (!std::equal(spec.alphas.begin(), spec.alphas.end(), fit::alpha_grid.begin(), fit::alpha_grid.end()))
    s << "alphas=" << join(spec.alphas, g17) << "\n";
  // The stream layout matters in the fast mode only (the reference mode replays numpy's draws).
  if (spec.rng == experiment::RngMode::fast && spec.streams != 1) s << "streams=" << spec.streams << "\n";
  return s.str();
}

namespace {

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = value.find(',', start);
    const std::size_t end = comma == std::string::npos ? value.size() : comma;
    items.push_back(value.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

template <class T>
T parse_number(const std::string& s) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) throw std::invalid_argument("bad number '" + s + "'");
  return value;
}

template <class T, class F>
std::vector<T> parse_list(const std::string& value, F&& parse_one) {
  std::vector<T> out;
  for (const std::string& item : split_list(value)) out.push_back(parse_one(item));
  return out;
}

}  // namespace

SweepSpec parse_canonical_text(const std::string& text) {
  SweepSpec spec;
  spec.streams = 1;  // texts written before the streams line existed
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("sweep spec line without '=': '" + line + "'");
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "experiment") {
      spec.experiment = experiment::parse_experiment(value);
    } else if (key == "scm_type") {
      spec.scm_types = parse_list<scm::ScmType>(value, [](const std::string& s) { return scm::parse_scm_type(s); });
    } else if (key == "K") {
      spec.K = parse_list<int>(value, parse_number<int>);
    } else if (key == "n_order_fit") {
      spec.n_order_fit = parse_list<int>(value, parse_number<int>);
    } else if (key == "regularization") {
      spec.regularizations = parse_list<fit::Regularization>(
          value, [](const std::string& s) { return fit::parse_regularization(s); });
    } else if (key == "N") {
      spec.N = parse_list<std::int64_t>(value, parse_number<std::int64_t>);
    } else if (key == "N_avg") {
      spec.N_avg = parse_list<std::int64_t>(value, parse_number<std::int64_t>);
    } else if (key == "ratios") {
      spec.ratios = parse_list<double>(value, parse_number<double>);
    } else if (key == "N_total") {
      spec.N_total = parse_list<std::int64_t>(value, parse_number<std::int64_t>);
    } else if (key == "N_runs") {
      spec.N_runs = parse_number<int>(value);
    } else if (key == "seed") {
      spec.seed = parse_number<std::uint32_t>(value);
    } else if (key == "methods") {
      spec.methods = {};
      for (const std::string& name : split_list(value)) spec.methods.add(experiment::parse_method(name));
    } else if (key == "rng") {
      spec.rng = experiment::parse_rng(value);
    } else if (key == "alphas") {
      spec.alphas = parse_list<double>(value, parse_number<double>);
    } else if (key == "streams") {
      spec.streams = parse_number<int>(value);
    } else {
      throw std::invalid_argument("unknown sweep spec line '" + line + "'");
    }
  }
  return spec;
}

std::string validate(const SweepSpec& spec) {
  if (spec.N_runs < 1) return "N_runs must be >= 1 (got " + std::to_string(spec.N_runs) + ")";
  if (spec.scm_types.empty() || spec.K.empty() || spec.n_order_fit.empty() || spec.regularizations.empty())
    return "every axis of the sweep needs at least one value";
  switch (spec.experiment) {
    case ExperimentKind::main:
      if (spec.N.empty()) return "--N needs at least one value";
      break;
    case ExperimentKind::ratio:
      if (spec.N_avg.empty() || spec.ratios.empty()) return "--N_avg and --ratios need at least one value each";
      for (double r : spec.ratios)
        if (!(r > 0.0) || !std::isfinite(r)) return "every ratio must be a finite number > 0 (got " + g17(r) + ")";
      break;
    case ExperimentKind::convergence:
      if (spec.N_total.empty()) return "--N_total needs at least one value";
      break;
  }
  if (std::string e = fit::validate_alpha_grid(spec.alphas); !e.empty()) return e;
  if (spec.rng == experiment::RngMode::fast && spec.streams != fast_streams_version)
    return "this sweep's rows were computed with random streams version " + std::to_string(spec.streams) +
           "; this igbench computes version " + std::to_string(fast_streams_version) +
           ": run it again into a new --out (or finish it with the igbench that started it)";
  const auto points = expand_points(spec);
  for (const SweepPoint& p : points) {
    const std::string problem = experiment::validate(make_run_spec(spec, p, 0));
    if (!problem.empty()) {
      std::string where = "K=" + std::to_string(p.K);
      if (p.N >= 0) where += ", N=" + std::to_string(p.N);
      if (p.N_avg >= 0) where += ", N_avg=" + std::to_string(p.N_avg) + ", ratio=" + g17(p.ratio);
      if (p.N_total >= 0) where += ", N_total=" + std::to_string(p.N_total);
      return "at " + where + ": " + problem;
    }
  }
  return {};
}

}  // namespace igbench::sweep

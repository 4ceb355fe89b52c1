// `igbench scm`: prints a sampled model and per-regime sample statistics.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "igbench/cli/commands.hpp"
#include "igbench/cli/options.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/scm/generate.hpp"

namespace igbench::cli {

namespace {

// Shortest text that reads back as the same double.
std::string g17(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string noise_text(const random::NoiseSpec& n) {
  std::ostringstream s;
  s << random::family_name(n.family);
  if (n.family == random::Family::lognormal)
    s << " exp(N(0, sigma^2)), sigma = " << g17(n.param);
  else
    s << ", mean " << g17(n.mean) << ", std " << g17(n.param);
  return s.str();
}

// "c * a0^2 * c1" style name of a monomial over named inputs.
std::string monomial_text(const scm::RandomPolynomial& p, std::size_t t, const std::vector<std::string>& names) {
  std::string s;
  const std::uint8_t* e = p.term_exponents(t);
  for (int j = 0; j < p.n_inputs; ++j) {
    if (e[j] == 0) continue;
    if (!s.empty()) s += " ";
    s += names[static_cast<std::size_t>(j)];
    if (e[j] > 1) s += "^" + std::to_string(e[j]);
  }
  return s.empty() ? "1" : s;
}

void print_polynomial(std::ostream& out, const std::string& title, const scm::RandomPolynomial& p,
                      const std::vector<std::string>& names) {
  out << "  " << title << ": " << p.n_terms() << " terms\n";
  for (std::size_t t = 0; t < p.n_terms(); ++t) {
    char line[128];
    const double c = p.coefficients[t];
    std::snprintf(line, sizeof line, "      %s%-24s %s\n", c < 0 ? "" : "+", g17(c).c_str(),
                  monomial_text(p, t, names).c_str());
    out << line;
  }
}

void print_mask(std::ostream& out, const scm::EdgeMask& m) {
  out << "Edge mask M (M[k][j] = 1: A_j -> A_k, strictly lower triangular):\n";
  for (int k = 0; k < m.K; ++k) {
    out << "    ";
    for (int j = 0; j < m.K; ++j) out << (m.edge(k, j) ? '1' : '0') << (j + 1 < m.K ? " " : "");
    const auto parents = m.parents(k);
    out << "    parents of A_" << k << ": ";
    if (parents.empty()) out << "none";
    for (std::size_t i = 0; i < parents.size(); ++i) out << (i ? ", " : "") << "A_" << parents[i];
    out << "\n";
  }
}

void print_model(std::ostream& out, const scm::PolynomialScm& s) {
  out << "Noise (C_k = W_k; every variable independent):\n";
  for (int k = 0; k < s.K; ++k) out << "  W_" << k << ": " << noise_text(s.W[static_cast<std::size_t>(k)]) << "\n";
  for (int k = 0; k < s.K; ++k) out << "  V_" << k << ": " << noise_text(s.V[static_cast<std::size_t>(k)]) << "\n";
  out << "  U:   " << noise_text(s.U) << "\n";
  print_mask(out, s.mask);
  out << "Structural equations: A_k = g_k(A_parents, C_k, V_k), Y = sum_k f_k(A_k, C_k) + U\n";
  for (int k = 0; k < s.K; ++k) {
    const std::string ks = std::to_string(k);
    print_polynomial(out, "f_" + ks + "(a_" + ks + ", c_" + ks + ")", s.f[static_cast<std::size_t>(k)],
                     {"a_" + ks, "c_" + ks});
  }
  for (int k = 0; k < s.K; ++k) {
    const std::string ks = std::to_string(k);
    std::vector<std::string> names;
    std::string args;
    for (int j : s.parents[static_cast<std::size_t>(k)]) {
      names.push_back("a_" + std::to_string(j));
      args += "a_" + std::to_string(j) + ", ";
    }
    names.push_back("c_" + ks);
    names.push_back("v_" + ks);
    print_polynomial(out, "g_" + ks + "(" + args + "c_" + ks + ", v_" + ks + ")", s.g[static_cast<std::size_t>(k)], names);
  }
  out << "True interventional mean: E[Y | do(a)] = sum_k (q0_k + q1_k a_k + q2_k a_k^2) + E[U]\n";
  for (int k = 0; k < s.K; ++k) {
    const auto& q = s.f_mean[static_cast<std::size_t>(k)];
    out << "  k = " << k << ": q0 " << g17(q[0]) << ", q1 " << g17(q[1]) << ", q2 " << g17(q[2]) << "\n";
  }
}

void print_vector(std::ostream& out, const std::string& name, const std::vector<double>& v) {
  out << "  " << name << ":";
  for (double x : v) out << " " << g17(x);
  out << "\n";
}

void print_model(std::ostream& out, const scm::LinearScm& s) {
  out << "Noise: W_k ~ LogNormal(0, sigma_W,k), V_k ~ LogNormal(0, sigma_V,k), U ~ LogNormal(0, sigma_U)\n";
  out << "Equations: C_k = W_k; A_k = gamma_k C_k + sum_{j<k} delta_kj M_kj A_j + V_k; "
         "Y = sum_k (alpha_k A_k + beta_k C_k) + U\n";
  out << "Coefficients:\n";
  print_vector(out, "sigma_W", s.sigma_W);
  print_vector(out, "sigma_V", s.sigma_V);
  print_vector(out, "sigma_U", {s.sigma_U});
  print_vector(out, "alpha  ", s.alpha);
  print_vector(out, "beta   ", s.beta);
  print_vector(out, "gamma  ", s.gamma);
  out << "  delta (row k):\n";
  for (int k = 0; k < s.K; ++k) {
    out << "   ";
    for (int j = 0; j < s.K; ++j) out << " " << g17(s.delta[static_cast<std::size_t>(k * s.K + j)]);
    out << "\n";
  }
  print_mask(out, s.mask);
  out << "Interventions: A_k ~ LogNormal(0, sigma_int), sigma_int = " << g17(s.sigma_int) << "\n";
}

struct ColumnStats {
  double min = INFINITY, max = -INFINITY, mean = 0.0, std = 0.0;
};

ColumnStats column_stats(const double* x, std::size_t n) {
  ColumnStats s;
  for (std::size_t i = 0; i < n; ++i) {
    s.min = std::min(s.min, x[i]);
    s.max = std::max(s.max, x[i]);
    s.mean += x[i];
  }
  s.mean /= static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) s.std += (x[i] - s.mean) * (x[i] - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(n));
  return s;
}

void print_regime_stats(std::ostream& out, const std::string& regime, const scm::SampleChunk& c) {
  auto row = [&](const std::string& var, const ColumnStats& s) {
    char line[160];
    std::snprintf(line, sizeof line, "  %-22s %-4s %12.5g %12.5g %12.5g %12.5g\n", regime.c_str(), var.c_str(),
                  s.min, s.max, s.mean, s.std);
    out << line;
  };
  for (int k = 0; k < c.K; ++k) row("A_" + std::to_string(k), column_stats(c.action(k), c.n));
  row("Y", column_stats(c.Y.data(), c.n));
}

int run_scm(const std::vector<std::string>& args) {
  po::options_description opts("igbench scm: print a sampled SCM and sample statistics per regime\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("K", po::value<int>()->default_value(3), "number of actions (>= 1)")
      ("seed", po::value<std::int64_t>()->default_value(0), "seed of the model (run r of an experiment uses seed r)")
      ("run", po::value<std::int64_t>(), "run index (default: equal to --seed, as in the experiments)")
      ("scm_type", po::value<std::string>()->default_value("polynomial"), "polynomial or linear")
      ("n", po::value<std::int64_t>()->default_value(1000), "samples per regime for the statistics (>= 2)");
  po::variables_map vm;
  parse_command_line(args, opts, vm);
  if (vm.count("help")) {
    std::cout << opts << "\nThe model is sampled from the counter-based stream (seed, run, scm_parameters).\n";
    return exit_ok;
  }
  const int K = vm["K"].as<int>();
  if (K < 1) throw UsageError("--K must be >= 1 (got " + std::to_string(K) + ")");
  const std::int64_t n = vm["n"].as<std::int64_t>();
  if (n < 2) throw UsageError("--n must be >= 2 (got " + std::to_string(n) + ")");
  const std::int64_t seed = vm["seed"].as<std::int64_t>();
  const std::int64_t run = vm.count("run") ? vm["run"].as<std::int64_t>() : seed;
  if (seed < 0 || seed > 4294967295LL) throw UsageError("--seed must be in 0..4294967295");
  if (run < 0 || run > 4294967295LL) throw UsageError("--run must be in 0..4294967295");
  scm::ScmType type{};
  try {
    type = scm::parse_scm_type(vm["scm_type"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--scm_type: ") + e.what());
  }

  const auto s32 = static_cast<std::uint32_t>(seed), r32 = static_cast<std::uint32_t>(run);
  const scm::Scm model = experiment::sample_fast_scm(type, K, s32, r32);
  std::ostream& out = std::cout;
  out << scm_text(model, s32, r32);

  // Statistics per regime on n samples each; interventions use the observational moments.
  experiment::RunSpec spec;
  spec.K = K;
  spec.seed = s32;
  spec.run = r32;
  spec.N_obs = spec.N_sint = spec.N_jint = n;
  out << "\nSample statistics (n = " << n << " per regime; std is the population std):\n";
  char head[160];
  std::snprintf(head, sizeof head, "  %-22s %-4s %12s %12s %12s %12s\n", "regime", "var", "min", "max", "mean", "std");
  out << head;
  scm::SampleChunk chunk;
  const scm::DataSetGenerator obs(model, {scm::RegimeKind::observational, 0}, {},
                                  experiment::data_stream(spec, random::StreamRole::observational));
  obs.generate(0, static_cast<std::size_t>(n), chunk);
  scm::InterventionMoments moments;
  for (int k = 0; k < K; ++k) {
    const ColumnStats s = column_stats(chunk.action(k), chunk.n);
    moments.mean.push_back(s.mean);
    moments.std.push_back(s.std);
  }
  print_regime_stats(out, "observational", chunk);
  for (int j = 0; j < K; ++j) {
    const scm::DataSetGenerator g(model, {scm::RegimeKind::single_intervention, j}, moments,
                                  experiment::data_stream(spec, random::StreamRole::single_intervention, j));
    g.generate(0, static_cast<std::size_t>(n), chunk);
    print_regime_stats(out, "do(A_" + std::to_string(j) + ")", chunk);
  }
  const scm::DataSetGenerator joint(model, {scm::RegimeKind::joint_intervention, 0}, moments,
                                    experiment::data_stream(spec, random::StreamRole::joint_intervention));
  joint.generate(0, static_cast<std::size_t>(n), chunk);
  print_regime_stats(out, "do(A_0..A_" + std::to_string(K - 1) + ")", chunk);
  return exit_ok;
}

}  // namespace

std::string scm_text(const scm::Scm& model, std::uint32_t seed, std::uint32_t run) {
  std::ostringstream out;
  out << "igbench scm: " << scm::scm_type_name(scm::scm_type(model)) << " SCM, K = " << scm::action_count(model)
      << ", seed " << seed << ", run " << run << " (fast counter-based streams)\n\n";
  std::visit([&](const auto& m) { print_model(out, m); }, model);
  return out.str();
}

int scm_command(const std::vector<std::string>& args) {
  return guarded("scm", [&] { return run_scm(args); });
}

}  // namespace igbench::cli

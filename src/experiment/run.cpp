#include "igbench/experiment/run.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/reference_run.hpp"
#include "igbench/features/moment_vector.hpp"

namespace igbench::experiment {

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

scm::Scm sample_fast_scm(scm::ScmType type, int K, std::uint32_t seed, std::uint32_t run) {
  random::StreamCursor cursor(random::PhiloxStream(seed, run, {random::StreamRole::scm_parameters, 0, 0}));
  return scm::sample_scm(type, K, cursor);
}

std::uint32_t point_tag(const RunSpec& spec) {
  std::uint64_t h = splitmix64(static_cast<std::uint64_t>(spec.N_obs));
  h = splitmix64(h ^ static_cast<std::uint64_t>(spec.N_sint));
  h = splitmix64(h ^ static_cast<std::uint64_t>(spec.N_jint));
  return static_cast<std::uint32_t>(h >> 32);
}

random::PhiloxStream data_stream(const RunSpec& spec, random::StreamRole role, int action) {
  return random::PhiloxStream(spec.seed, spec.run,
                              {role, static_cast<std::uint16_t>(action), point_tag(spec)});
}

scm::InterventionMoments intervention_moments(const stats::Moments& observational, int K) {
  // The actions are phi_1..phi_K: components 0..K-1 of the moment vector.
  scm::InterventionMoments m;
  for (int k = 0; k < K; ++k) {
    m.mean.push_back(observational.mean()(k));
    m.std.push_back(std::sqrt(observational.variance(k)));
  }
  return m;
}

namespace {

RunResult run_fast(const RunSpec& spec, const RunControl& control) {
  const auto t0 = Clock::now();
  const MethodSet& want = spec.methods;
  const bool fit_single = want.has(Method::method) || want.has(Method::pooled);
  const bool fit_obs = fit_single || want.has(Method::obs);
  // The polynomial SCM's interventions are drawn from the observational moments.
  const bool need_obs = fit_obs || spec.scm_type == scm::ScmType::polynomial;
  const int K = spec.K;

  const scm::Scm model = sample_fast_scm(spec.scm_type, K, spec.seed, spec.run);
  const features::PolynomialFeatures phi(K, spec.n_order_fit);
  const int n_features = features::moment_layout(phi).n_features;

  // Stage 1: observational data (its moments define the interventions). The whole set is always
  // generated and read, fitted or not: mu_k and sigma_k are the moments of all N_obs samples
  // (METHOD.md section 3), so no result depends on which methods were requested.
  estimators::DataSetMoments obs;
  std::int64_t samples = 0;
  scm::InterventionMoments moments;
  if (need_obs) {
    const scm::DataSetGenerator gen(model, {scm::RegimeKind::observational, 0}, {},
                                    data_stream(spec, random::StreamRole::observational));
    const DataSetPlan plan{&gen, spec.N_obs, true};
    obs = std::move(accumulate_data_sets(std::span(&plan, 1), phi, samples_per_chunk, &control).front());
    samples += obs.count();
    moments = intervention_moments(obs.whole(), K);
  }

  // Stage 2: the K single-intervention data sets and the joint one, in one parallel pass.
  std::vector<scm::DataSetGenerator> generators;
  generators.reserve(static_cast<std::size_t>(K) + 1);
  if (fit_single)
    for (int k = 0; k < K; ++k)
      generators.emplace_back(model, scm::Regime{scm::RegimeKind::single_intervention, k}, moments,
                              data_stream(spec, random::StreamRole::single_intervention, k));
  generators.emplace_back(model, scm::Regime{scm::RegimeKind::joint_intervention, 0}, moments,
                          data_stream(spec, random::StreamRole::joint_intervention));
  std::vector<DataSetPlan> plans;
  for (std::size_t i = 0; i + 1 < generators.size(); ++i) plans.push_back({&generators[i], spec.N_sint, true});
  plans.push_back({&generators.back(), spec.N_jint, want.has(Method::jint)});
  std::vector<estimators::DataSetMoments> sets = accumulate_data_sets(plans, phi, samples_per_chunk, &control);
  const estimators::DataSetMoments& joint = sets.back();
  for (const auto& s : sets) samples += s.count();

  RunResult result;
  result.samples_generated = samples;
  result.seconds_generate = seconds_since(t0);
  const auto t1 = Clock::now();

  estimators::ModelInputs in;
  in.observational = &obs;
  if (fit_single)
    for (int k = 0; k < K; ++k) in.single.push_back(&sets[static_cast<std::size_t>(k)]);
  in.joint = &joint;
  estimators::ModelRequest request;
  request.obs = fit_obs;
  request.single = fit_single;
  request.pooled = want.has(Method::pooled);
  request.jint = want.has(Method::jint);
  const estimators::FittedModels models = estimators::fit_models(in, request, n_features, spec.regularization, {}, spec.alphas);

  auto record = [&](Method m, const fit::LinearPredictor& p) {
    const estimators::Score s = estimators::score(p, joint.test, n_features);
    result[m] = {s.rmse, s.truth_rmse};
  };
  if (models.obs) {
    result.alpha_obs = models.obs->alpha;
    result.cond_obs = models.obs->condition;
  }
  if (want.has(Method::obs)) record(Method::obs, models.obs->predictor);
  if (fit_single) {
    for (const auto& m : models.single) {
      result.alpha_sint.push_back(m.alpha);
      result.cond_sint.push_back(m.condition);
    }
    if (want.has(Method::method)) record(Method::method, estimators::method_predictor(models.single, *models.obs));
  }
  if (models.pooled) {
    result.alpha_pooled = models.pooled->alpha;
    result.cond_pooled = models.pooled->condition;
    record(Method::pooled, models.pooled->predictor);
  }
  if (models.jint) {
    result.alpha_jint = models.jint->alpha;
    result.cond_jint = models.jint->condition;
    record(Method::jint, models.jint->predictor);
  }
  result.seconds_solve = seconds_since(t1);
  return result;
}

}  // namespace

RunResult run(const RunSpec& spec, const RunControl& control) {
  if (const std::string problem = validate(spec); !problem.empty()) throw std::invalid_argument(problem);
  if (spec.rng == RngMode::reference) return run_reference(spec);
  return run_fast(spec, control);
}

}  // namespace igbench::experiment

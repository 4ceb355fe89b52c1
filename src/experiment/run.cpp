#include "igbench/experiment/run.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <stdexcept>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/reference_run.hpp"
#include "igbench/features/moment_vector.hpp"

namespace igbench::experiment {

namespace {
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

// One cross-validated fit to do: its training folds and where the model goes.
struct FitJob {
  const fit::FoldMoments* folds = nullptr;
  fit::FittedModel* out = nullptr;
};

// Independent fits, in parallel when the run has threads (each fit by one thread, so the models
// do not depend on the thread count). Cost per fit: 25 solves of size p.
void fit_all(const std::vector<FitJob>& jobs, int n_features, fit::Regularization reg,
             std::span<const double> alphas) {
  const auto n_jobs = static_cast<std::ptrdiff_t>(jobs.size());
#pragma omp parallel for schedule(dynamic, 1) if (n_jobs > 1 && threads_per_run() > 1)
  for (std::ptrdiff_t i = 0; i < n_jobs; ++i) {
    const FitJob& job = jobs[static_cast<std::size_t>(i)];
    *job.out = fit::fit_cross_validated(*job.folds, n_features, reg, {}, alphas);
  }
}

// fold f of `pooled` += fold f of `set` (Chan et al.), in the order the sets come.
void merge_folds(fit::FoldMoments& pooled, const fit::FoldMoments& set) {
  for (std::size_t f = 0; f < pooled.size(); ++f) pooled[f].merge(set[f]);
}

// The fast mode, in bounded memory: a run holds O(threads) sets of P x P moments, never O(K).
//   1. observational set -> action moments mu_k, sigma_k; its folds start the pooled sums;
//   2. the single-intervention sets and the joint set, `threads_per_run()` at a time: reduce
//      them (in parallel), fit their models (in parallel), fold their training folds into the
//      pooled sums (in k order) and keep only the models and the joint test moments;
//   3. the pooled model; score everything on the joint test part.
// Unused test parts (those of the single-intervention sets) are not generated. The results do
// not depend on the grouping: each set's moments depend only on the set, the fits are
// independent and the pooled sums are merged in the fixed order obs, sint_0, .., sint_{K-1}.
RunResult run_fast(const RunSpec& spec, const RunControl& control) {
  control.enter(RunPhase::generate);
  const MethodSet& want = spec.methods;
  const bool fit_single = want.has(Method::method) || want.has(Method::pooled);
  const bool fit_obs = fit_single || want.has(Method::obs);
  const bool fit_pooled = want.has(Method::pooled);
  // The polynomial SCM's interventions are drawn from the observational moments.
  const bool need_obs = fit_obs || spec.scm_type == scm::ScmType::polynomial;
  const int K = spec.K;

  const scm::Scm model = sample_fast_scm(spec.scm_type, K, spec.seed, spec.run);
  const features::PolynomialFeatures phi(K, spec.n_order_fit);
  const int n_features = features::moment_layout(phi).n_features;
  RunResult result;
  std::int64_t samples = 0;

  // Stage 1: observational data (its moments define the interventions). Its folds are the start
  // of the pooled sums (merging into empty sums is a copy), so they are held once.
  fit::FoldMoments pooled;     // when there is a pooled model
  fit::FoldMoments obs_folds;  // when there is none
  std::optional<fit::FittedModel> obs_model;
  scm::InterventionMoments moments;
  if (need_obs) {
    const scm::DataSetGenerator gen(model, {scm::RegimeKind::observational, 0}, {},
                                    data_stream(spec, random::StreamRole::observational));
    // The whole set is always generated and read, fitted or not: mu_k and sigma_k are the
    // moments of all N_obs samples (METHOD.md section 3), so no result depends on which methods
    // were requested.
    const DataSetPlan plan{&gen, spec.N_obs, true};
    estimators::DataSetMoments obs =
        std::move(accumulate_data_sets(std::span(&plan, 1), phi, samples_per_chunk, &control).front());
    samples += obs.count();
    moments = intervention_moments(obs.whole(), K);
    if (fit_obs) obs_model.emplace();
    (fit_pooled ? pooled : obs_folds) = std::move(obs.folds);
  }

  // Stage 2: the K single-intervention sets and the joint set, in groups.
  std::vector<fit::FittedModel> single(fit_single ? static_cast<std::size_t>(K) : 0);
  std::optional<fit::FittedModel> jint_model;
  if (want.has(Method::jint)) jint_model.emplace();
  stats::Moments joint_test;
  const int n_sets = static_cast<int>(single.size()) + 1;  // the joint set last
  const int group = std::max(1, threads_per_run());
  for (int first = 0; first < n_sets; first += group) {
    control.enter(RunPhase::generate);
    const int last = std::min(n_sets, first + group);
    std::vector<scm::DataSetGenerator> generators;
    std::vector<DataSetPlan> plans;
    generators.reserve(static_cast<std::size_t>(last - first));
    for (int i = first; i < last; ++i) {
      const bool joint = i == n_sets - 1;
      if (joint)
        generators.emplace_back(model, scm::Regime{scm::RegimeKind::joint_intervention, 0}, moments,
                                data_stream(spec, random::StreamRole::joint_intervention));
      else
        generators.emplace_back(model, scm::Regime{scm::RegimeKind::single_intervention, i}, moments,
                                data_stream(spec, random::StreamRole::single_intervention, i));
      DataSetPlan plan{&generators.back(), joint ? spec.N_jint : spec.N_sint, !joint || jint_model.has_value()};
      plan.read_test = joint;
      plans.push_back(plan);
    }
    std::vector<estimators::DataSetMoments> sets = accumulate_data_sets(plans, phi, samples_per_chunk, &control);
    for (const auto& s : sets) samples += s.count();

    // The group's fits (the observational model with the first group: until then the pooled
    // sums hold its folds alone), then the group's folds into the pooled sums, in k order.
    control.enter(RunPhase::solve);
    std::vector<FitJob> jobs;
    if (first == 0 && obs_model) jobs.push_back({fit_pooled ? &pooled : &obs_folds, &*obs_model});
    for (int i = first; i < last; ++i) {
      estimators::DataSetMoments& set = sets[static_cast<std::size_t>(i - first)];
      if (i < n_sets - 1) jobs.push_back({&set.folds, &single[static_cast<std::size_t>(i)]});
      else if (jint_model) jobs.push_back({&set.folds, &*jint_model});
    }
    fit_all(jobs, n_features, spec.regularization, spec.alphas);
    if (first == 0) obs_folds = {};
    for (int i = first; i < last; ++i) {
      estimators::DataSetMoments& set = sets[static_cast<std::size_t>(i - first)];
      if (i == n_sets - 1) joint_test = std::move(set.test);
      else if (fit_pooled) merge_folds(pooled, set.folds);
    }
  }

  // Stage 3: the pooled model, then the scores on the joint test part.
  control.enter(RunPhase::solve);
  std::optional<fit::FittedModel> pooled_model;
  if (fit_pooled) {
    pooled_model.emplace();
    fit_all({{&pooled, &*pooled_model}}, n_features, spec.regularization, spec.alphas);
  }
  auto record = [&](Method m, const fit::LinearPredictor& p) {
    const estimators::Score s = estimators::score(p, joint_test, n_features);
    result[m] = {s.rmse, s.truth_rmse};
  };
  if (obs_model) {
    result.alpha_obs = obs_model->alpha;
    result.cond_obs = obs_model->condition;
  }
  if (want.has(Method::obs)) record(Method::obs, obs_model->predictor);
  if (fit_single) {
    for (const auto& m : single) {
      result.alpha_sint.push_back(m.alpha);
      result.cond_sint.push_back(m.condition);
    }
    if (want.has(Method::method)) record(Method::method, estimators::method_predictor(single, *obs_model));
  }
  if (pooled_model) {
    result.alpha_pooled = pooled_model->alpha;
    result.cond_pooled = pooled_model->condition;
    record(Method::pooled, pooled_model->predictor);
  }
  if (jint_model) {
    result.alpha_jint = jint_model->alpha;
    result.cond_jint = jint_model->condition;
    record(Method::jint, jint_model->predictor);
  }
  result.samples_generated = samples;
  control.enter(RunPhase::done);
  return result;
}

}  // namespace

RunResult run(const RunSpec& spec, const RunControl& control) {
  if (const std::string problem = validate(spec); !problem.empty()) throw std::invalid_argument(problem);
  if (spec.rng == RngMode::reference) return run_reference(spec, nullptr, control);
  return run_fast(spec, control);
}

}  // namespace igbench::experiment

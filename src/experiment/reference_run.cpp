#include "igbench/experiment/reference_run.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>

#include "igbench/estimators/estimators.hpp"
#include "igbench/experiment/accumulate.hpp"
#include "igbench/features/moment_vector.hpp"
#include "igbench/random/numpy_random_state.hpp"
#include "igbench/scm/materialised_source.hpp"
#include "igbench/scm/reference_generate.hpp"

namespace igbench::experiment {

namespace {

// The skip flags of one call of the reference's run_experiment.
struct CallFlags {
  bool skip_obs = false;
  bool skip_method = false;
  bool skip_jint = false;
  bool skip_pool = false;
};

struct CallSizes {
  std::int64_t N_obs = 0, N_sint = 0, N_jint = 0;
};

class ReferenceRun {
 public:
  ReferenceRun(const RunSpec& spec, ReferenceTrace* trace, const RunControl& control)
      : spec_(spec), trace_(trace), control_(control), rng_(spec.seed), phi_(spec.K, spec.n_order_fit),
        n_features_(features::moment_layout(phi_).n_features), model_(sample_model()),
        generator_(model_, rng_) {
    if (trace_) *trace_ = ReferenceTrace{model_, {}, {}, {}, {}};
  }

  RunResult run() {
    const MethodSet& want = spec_.methods;
    const CallSizes sizes{spec_.N_obs, spec_.N_sint, spec_.N_jint};
    switch (spec_.experiment) {
      case ExperimentKind::main:
      case ExperimentKind::ratio:
        // main: run_experiment(N); ratio: run_experiment((N_obs, N_sint, N_jint), skip_pool).
        // pooled_ref is the call's last step, so drawing it only when requested (in the ratio
        // experiment: beyond what the reference reports) changes no other number.
        call(sizes, {.skip_pool = !want.has(Method::pooled_ref)});
        break;
      case ExperimentKind::convergence:
        call(sizes, {.skip_obs = true, .skip_jint = true, .skip_pool = true});
        if (want.has(Method::jint))
          call({spec_.N_jint, spec_.N_jint, spec_.N_jint},
               {.skip_obs = true, .skip_method = true, .skip_pool = true});
        break;
    }
    result_.samples_generated = samples_;
    control_.enter(RunPhase::done);
    return result_;
  }

 private:
  scm::Scm sample_model() {
    scm::NumpyParameterSource source(rng_);
    return scm::sample_scm(spec_.scm_type, spec_.K, source);
  }

  // The reference's split of a data set of n samples, as one order: test indices, then training
  // indices. Every split builds a fresh RandomState(42), so all data sets of size n share it.
  std::span<const std::int64_t> split_order(std::int64_t n) {
    auto it = split_orders_.find(n);
    if (it == split_orders_.end()) {
      random::ReferenceSplit split = random::reference_train_test_split(n);
      std::vector<std::int64_t> order = std::move(split.test);
      order.insert(order.end(), split.train.begin(), split.train.end());
      it = split_orders_.emplace(n, std::move(order)).first;
    }
    if (trace_ && trace_->permutation_head.empty())
      trace_->permutation_head.assign(it->second.begin(),
                                      it->second.begin() + std::min<std::int64_t>(5, n));
    return it->second;
  }

  // Draws a data set of n samples from the global stream and streams it into moments: split
  // (test part and the training part's folds) or, for the pooled chunks, three folds over the
  // whole set in generation order. Cost: (3K + 1) n draws, then O(n P^2 / 2) for the moments.
  estimators::DataSetMoments draw(const scm::Regime& regime, std::int64_t n, std::string label,
                                  bool split, bool training) {
    control_.enter(RunPhase::generate);
    generator_.generate(regime, static_cast<std::size_t>(n), data_);
    samples_ += n;
    if (trace_) record_head(std::move(label), regime);
    const scm::MaterialisedSource source(data_, split ? split_order(n) : std::span<const std::int64_t>{});
    // The plain path: the reference-exact mode reproduces the reference's arithmetic (centred
    // moments of the materialised data), never the shifted power sums of the fast mode.
    const DataSetPlan plan{.source = &source, .n = n, .training = training, .test_part = split,
                           .path = AccumulationPath::plain};
    estimators::DataSetMoments moments = std::move(accumulate_data_sets(std::span(&plan, 1), phi_, samples_per_chunk, &control_).front());
    return moments;
  }

  void record_head(std::string label, const scm::Regime& regime) {
    DataSetHead head{std::move(label), static_cast<std::int64_t>(data_.n), {}, {}};
    for (std::size_t i = 0; i < std::min<std::size_t>(3, data_.n); ++i) {
      std::vector<double> a;
      for (int k = 0; k < data_.K; ++k) a.push_back(data_.a(i, k));
      head.A.push_back(std::move(a));
      head.Y.push_back(data_.Y[i]);
    }
    trace_->data_sets.push_back(std::move(head));
    if (regime.kind == scm::RegimeKind::observational && spec_.scm_type == scm::ScmType::polynomial)
      trace_->action_moments.push_back(generator_.moments());
  }

  void record_model(std::string label, const fit::FittedModel& m) {
    if (trace_) trace_->models.push_back({std::move(label), m.alpha, m.cv.mean_r2});
  }

  void report(Method m, const fit::LinearPredictor& p, const stats::Moments& test) {
    const estimators::Score s = estimators::score(p, test, n_features_);
    result_[m] = {s.rmse, s.truth_rmse};
  }

  // One call of run_experiment(scm, K, sizes, ..., flags).
  void call(const CallSizes& N, const CallFlags& flags) {
    const MethodSet& want = spec_.methods;
    const int K = spec_.K;
    const bool obs_set = !(flags.skip_obs && flags.skip_method && flags.skip_pool);
    const bool single_sets = !(flags.skip_method && flags.skip_pool);
    const bool report_obs = !flags.skip_obs && want.has(Method::obs);
    const bool report_method = !flags.skip_method && want.has(Method::method);
    const bool report_pooled = obs_set && single_sets && want.has(Method::pooled);
    const bool report_jint = !flags.skip_jint && want.has(Method::jint);

    // Data, in the reference's order.
    estimators::DataSetMoments obs;
    std::vector<estimators::DataSetMoments> single;
    if (obs_set) obs = draw({scm::RegimeKind::observational, 0}, N.N_obs, "obs", true, true);
    if (single_sets)
      for (int k = 0; k < K; ++k)
        single.push_back(draw({scm::RegimeKind::single_intervention, k}, N.N_sint,
                              "sint" + std::to_string(k), true, true));
    const estimators::DataSetMoments joint =
        draw({scm::RegimeKind::joint_intervention, 0}, N.N_jint, "jint", true, report_jint);

    // Fits (ridge consumes no draws, so fitting after all generation changes nothing).
    control_.enter(RunPhase::solve);
    estimators::ModelInputs in;
    in.observational = &obs;
    for (const auto& s : single) in.single.push_back(&s);
    in.joint = &joint;
    estimators::ModelRequest request;
    request.single = single_sets && (report_method || report_pooled);
    request.obs = obs_set && (report_obs || request.single);
    request.pooled = report_pooled;
    request.jint = report_jint;
    const estimators::FittedModels models =
        estimators::fit_models(in, request, n_features_, spec_.regularization, {}, spec_.alphas);
    if (models.obs) {
      result_.alpha_obs = models.obs->alpha;
      result_.cond_obs = models.obs->condition;
      record_model("obs", *models.obs);
      if (report_obs) report(Method::obs, models.obs->predictor, joint.test);
    }
    if (request.single) {
      result_.alpha_sint.clear();
      result_.cond_sint.clear();
      for (std::size_t k = 0; k < models.single.size(); ++k) {
        result_.alpha_sint.push_back(models.single[k].alpha);
        result_.cond_sint.push_back(models.single[k].condition);
        record_model("sint" + std::to_string(k), models.single[k]);
      }
      if (report_method)
        report(Method::method, estimators::method_predictor(models.single, *models.obs), joint.test);
    }
    if (models.pooled) {
      result_.alpha_pooled = models.pooled->alpha;
      result_.cond_pooled = models.pooled->condition;
      record_model("pooled", *models.pooled);
      report(Method::pooled, models.pooled->predictor, joint.test);
    }
    if (models.jint) {
      result_.alpha_jint = models.jint->alpha;
      result_.cond_jint = models.jint->condition;
      record_model("jint", *models.jint);
      report(Method::jint, models.jint->predictor, joint.test);
    }
    if (!flags.skip_pool) pooled_reference(N, joint.test);
  }

  // The reference's averaged-chunk baseline, scored on the joint test part.
  void pooled_reference(const CallSizes& N, const stats::Moments& joint_test) {
    const std::int64_t chunk = std::min({N.N_obs, N.N_sint, reference_pool_chunk});
    std::optional<fit::LinearPredictor> sum;
    int n_models = 0;
    auto add_chunk = [&](const scm::Regime& regime, std::int64_t n, std::string label) {
      const estimators::DataSetMoments d = draw(regime, n, std::move(label), false, true);
      control_.enter(RunPhase::solve);
      const fit::FittedModel m = fit::fit_cross_validated(d.folds, n_features_, spec_.regularization, {}, spec_.alphas);
      record_model("pool" + std::to_string(n_models++), m);
      sum = sum ? fit::LinearPredictor::combine(1.0, *sum, 1.0, m.predictor) : m.predictor;
    };
    for (std::int64_t i = 0; i < N.N_obs; i += chunk)
      add_chunk({scm::RegimeKind::observational, 0}, std::min(chunk, N.N_obs - i), "pool_obs");
    for (int k = 0; k < spec_.K; ++k)
      for (std::int64_t i = 0; i < N.N_sint; i += chunk)
        add_chunk({scm::RegimeKind::single_intervention, k}, std::min(chunk, N.N_sint - i),
                  "pool_sint" + std::to_string(k));
    // Y_pool /= 1 + K, whatever the number of chunks.
    control_.enter(RunPhase::solve);
    fit::LinearPredictor pooled = *sum;
    const double divisor = 1.0 + static_cast<double>(spec_.K);
    pooled.intercept /= divisor;
    pooled.weights /= divisor;
    report(Method::pooled_ref, pooled, joint_test);
  }

  const RunSpec& spec_;
  ReferenceTrace* trace_;
  const RunControl& control_;
  random::NumpyRandomState rng_;  // np.random's global state, seeded with spec.seed
  features::PolynomialFeatures phi_;
  int n_features_;
  scm::Scm model_;
  scm::ReferenceDataGenerator generator_;
  scm::SampleChunk data_;  // the current data set, reused
  std::map<std::int64_t, std::vector<std::int64_t>> split_orders_;
  RunResult result_;
  std::int64_t samples_ = 0;
};

}  // namespace

RunResult run_reference(const RunSpec& spec, ReferenceTrace* trace, const RunControl& control) {
  if (spec.rng != RngMode::reference) throw std::invalid_argument("run_reference: spec.rng must be reference");
  if (const std::string problem = validate(spec); !problem.empty()) throw std::invalid_argument(problem);
  ReferenceRun run(spec, trace, control);
  return run.run();
}

}  // namespace igbench::experiment

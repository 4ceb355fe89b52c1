#pragma once
// A main run held in memory, for the plain twins of the estimators: the data sets of a fast-mode
// run (observational, K single-intervention, joint), their moments through the production
// streaming pass, and direct computations on the materialised rows (QR fits, long-double
// residuals) to compare the moment path with.
#include <memory>
#include <vector>

#include <Eigen/QR>

#include "../support/data_sets.hpp"
#include "igbench/estimators/estimators.hpp"
#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/features/moment_vector.hpp"

namespace igbench::test {

// Rows of one data set: raw features (without the constant), y and mu.
struct Design {
  Eigen::MatrixXd X;
  Eigen::VectorXd y, mu;
  Design rows(std::int64_t begin, std::int64_t end) const {
    return {X.middleRows(begin, end - begin), y.segment(begin, end - begin), mu.segment(begin, end - begin)};
  }
};

inline Design design_of(const scm::SampleChunk& c, const features::PolynomialFeatures& phi) {
  const auto n = static_cast<Eigen::Index>(c.n);
  Design d{Eigen::MatrixXd(n, phi.size() - 1), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  std::vector<double> a(static_cast<std::size_t>(c.K)), f(static_cast<std::size_t>(phi.size()));
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto si = static_cast<std::size_t>(i);
    for (int k = 0; k < c.K; ++k) a[static_cast<std::size_t>(k)] = c.a(si, k);
    phi.expand(a.data(), f.data());
    for (int p = 1; p < phi.size(); ++p) d.X(i, p - 1) = f[static_cast<std::size_t>(p)];
    d.y(i) = c.Y[si];
    d.mu(i) = c.mu[si];
  }
  return d;
}

inline Design concatenate(const std::vector<Design>& parts) {
  Eigen::Index n = 0;
  for (const Design& d : parts) n += d.X.rows();
  Design out{Eigen::MatrixXd(n, parts.front().X.cols()), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  Eigen::Index r = 0;
  for (const Design& d : parts) {
    out.X.middleRows(r, d.X.rows()) = d.X;
    out.y.segment(r, d.X.rows()) = d.y;
    out.mu.segment(r, d.X.rows()) = d.mu;
    r += d.X.rows();
  }
  return out;
}

// The data sets of run `spec` (fast mode, every data set generated in full), in memory.
struct MaterialisedRun {
  std::unique_ptr<scm::Scm> model;
  features::PolynomialFeatures phi;
  std::vector<Design> data;                              // obs, sint_0..sint_{K-1}, joint
  std::vector<estimators::DataSetMoments> moments;       // the same, through the streaming pass
  int n_features() const { return phi.size() - 1; }
  const estimators::DataSetMoments& joint() const { return moments.back(); }

  // Test part [0, n_test), then the folds (the order the streaming pass reads).
  Design test_rows(std::size_t set) const {
    return data[set].rows(0, fit::test_size(data[set].X.rows()));
  }
  Design training_rows(std::size_t set) const {
    return data[set].rows(fit::test_size(data[set].X.rows()), data[set].X.rows());
  }
};

inline estimators::DataSetMoments stream_moments(const scm::SampleChunk& c, const features::PolynomialFeatures& phi) {
  const MemorySource source(c);
  const experiment::DataSetPlan plan{&source, static_cast<std::int64_t>(c.n), true};
  return std::move(experiment::accumulate_data_sets(std::span(&plan, 1), phi).front());
}

inline MaterialisedRun materialise_main_run(const experiment::RunSpec& spec) {
  MaterialisedRun r{std::make_unique<scm::Scm>(experiment::sample_fast_scm(spec.scm_type, spec.K, spec.seed, spec.run)),
                    features::PolynomialFeatures(spec.K, spec.n_order_fit), {}, {}};
  auto generate = [&](scm::Regime regime, const scm::InterventionMoments& m, random::StreamRole role, int k,
                      std::int64_t n) {
    scm::SampleChunk c;
    scm::DataSetGenerator(*r.model, regime, m, experiment::data_stream(spec, role, k))
        .generate(0, static_cast<std::size_t>(n), c);
    r.moments.push_back(stream_moments(c, r.phi));
    r.data.push_back(design_of(c, r.phi));
  };
  generate({scm::RegimeKind::observational, 0}, {}, random::StreamRole::observational, 0, spec.N_obs);
  const scm::InterventionMoments m = experiment::intervention_moments(r.moments.front().whole(), spec.K);
  for (int k = 0; k < spec.K; ++k)
    generate({scm::RegimeKind::single_intervention, k}, m, random::StreamRole::single_intervention, k, spec.N_sint);
  generate({scm::RegimeKind::joint_intervention, 0}, m, random::StreamRole::joint_intervention, 0, spec.N_jint);
  return r;
}

// Ridge fitted directly on materialised rows: standardise with the rows' mean and population
// std (scale 1 for a near-constant column), then Householder QR of the augmented system
// [Z; sqrt(alpha) I] beta = [y_c; 0] (never forming Z^T Z, so its accuracy is cond(Z) eps, not
// cond(Z)^2 eps). Returns the predictor in raw coordinates.
inline fit::LinearPredictor qr_ridge(const Design& train, double alpha) {
  const Eigen::Index n = train.X.rows(), p = train.X.cols();
  const Eigen::VectorXd mean = train.X.colwise().mean().transpose();
  Eigen::VectorXd scale(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const Eigen::ArrayXd d = train.X.col(j).array() - mean(j);
    const double var = (d.square().sum() - d.sum() * d.sum() / static_cast<double>(n)) / static_cast<double>(n);
    scale(j) = fit::is_near_constant(var, mean(j), n) ? 1.0 : std::sqrt(var);
  }
  Eigen::MatrixXd A(n + p, p);
  A.topRows(n) = (train.X.rowwise() - mean.transpose()).array().rowwise() / scale.transpose().array();
  A.bottomRows(p) = std::sqrt(alpha) * Eigen::MatrixXd::Identity(p, p);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n + p);
  const double y_mean = train.y.mean();
  b.head(n) = train.y.array() - y_mean;
  const Eigen::VectorXd beta = A.colPivHouseholderQr().solve(b);
  fit::LinearPredictor pred;
  pred.weights = beta.cwiseQuotient(scale);
  pred.intercept = y_mean - pred.weights.dot(mean);
  return pred;
}

// rmse and truth_rmse of `p` on materialised rows, every residual and sum in long double.
inline estimators::Score direct_score(const fit::LinearPredictor& p, const Design& test) {
  long double ss_y = 0.0L, ss_mu = 0.0L;
  for (Eigen::Index i = 0; i < test.X.rows(); ++i) {
    long double yhat = p.intercept;
    for (Eigen::Index j = 0; j < test.X.cols(); ++j) yhat += static_cast<long double>(p.weights(j)) * test.X(i, j);
    const long double ry = test.y(i) - yhat, rm = test.mu(i) - yhat;
    ss_y += ry * ry;
    ss_mu += rm * rm;
  }
  const long double n = static_cast<long double>(test.X.rows());
  return {static_cast<double>(std::sqrt(ss_y / n)), static_cast<double>(std::sqrt(ss_mu / n))};
}

}  // namespace igbench::test

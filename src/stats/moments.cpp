#include "igbench/stats/moments.hpp"

#include <stdexcept>

namespace igbench::stats {

Moments::Moments(int dim) : mean_(Eigen::VectorXd::Zero(dim)), comoment_(Eigen::MatrixXd::Zero(dim, dim)) {}

double Moments::variance(int j) const {
  return n_ > 0 ? comoment_(j, j) / static_cast<double>(n_) : 0.0;
}

void Moments::add_batch(Eigen::Ref<Eigen::MatrixXd> Z) {
  if (Z.cols() != dim()) throw std::invalid_argument("Moments::add_batch: dimension mismatch");
  const Eigen::Index c = Z.rows();
  if (c == 0) return;
  Moments batch(dim());
  batch.n_ = c;
  // Pass 1: the batch mean. Pass 2: M_b = (Z - 1 mean^T)^T (Z - 1 mean^T), lower half by SYRK.
  batch.mean_ = Z.colwise().sum().transpose() / static_cast<double>(c);
  Z.rowwise() -= batch.mean_.transpose();
  batch.comoment_.selfadjointView<Eigen::Lower>().rankUpdate(Z.transpose());
  batch.comoment_.triangularView<Eigen::StrictlyUpper>() = batch.comoment_.transpose();
  merge(batch);
}

void Moments::merge(const Moments& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  if (other.dim() != dim()) throw std::invalid_argument("Moments::merge: dimension mismatch");
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const Eigen::VectorXd d = other.mean_ - mean_;
  mean_ += d * (nb / n);
  comoment_ += other.comoment_;
  comoment_.noalias() += (na * nb / n) * (d * d.transpose());
  n_ += other.n_;
}

Moments Moments::from_parts(std::int64_t n, Eigen::VectorXd mean, Eigen::MatrixXd comoment) {
  Moments m;
  m.n_ = n;
  m.mean_ = std::move(mean);
  m.comoment_ = std::move(comoment);
  return m;
}

}  // namespace igbench::stats

#include "igbench/features/polynomial_features.hpp"

#include <map>
#include <stdexcept>

namespace igbench::features {

int feature_count(int n_actions, int degree) {
  long double c = 1;
  for (int i = 1; i <= degree; ++i) c = c * (n_actions + i) / i;
  if (c > 2147483647.0L) throw std::overflow_error("too many polynomial features");
  return static_cast<int>(c + 0.5L);
}

namespace {
// All combinations with replacement of t indices from 0..K-1, lexicographic.
void combinations(int K, int t, int start, std::vector<int>& cur, std::vector<std::vector<int>>& out) {
  if (static_cast<int>(cur.size()) == t) {
    out.push_back(cur);
    return;
  }
  for (int i = start; i < K; ++i) {
    cur.push_back(i);
    combinations(K, t, i, cur, out);
    cur.pop_back();
  }
}
}  // namespace

PolynomialFeatures::PolynomialFeatures(int n_actions, int degree)
    : K_(n_actions), d_(degree), P_(feature_count(n_actions, degree)) {
  if (K_ < 1 || d_ < 1) throw std::invalid_argument("PolynomialFeatures: K and d must be >= 1");
  std::map<std::vector<int>, int> index_of;
  for (int t = 0; t <= d_; ++t) {
    std::vector<std::vector<int>> combos;
    std::vector<int> cur;
    combinations(K_, t, 0, cur, combos);
    for (auto& c : combos) {
      const int p = static_cast<int>(indices_.size());
      index_of[c] = p;
      indices_.push_back(c);
      degree_of_.push_back(t);
      if (t >= 2) {
        // (i1, i2..it): parent = (i2..it), multiplier a_{i1}
        std::vector<int> rest(c.begin() + 1, c.end());
        parent_.push_back(index_of.at(rest));
        var_.push_back(c.front());
      } else {
        parent_.push_back(-1);
        var_.push_back(t == 1 ? c.front() : -1);
      }
    }
  }
}

void PolynomialFeatures::expand(const double* a, double* phi) const {
  phi[0] = 1.0;
  for (int k = 0; k < K_; ++k) phi[1 + k] = a[k];
  for (int p = K_ + 1; p < P_; ++p) {
    const auto ps = static_cast<std::size_t>(p);
    phi[p] = phi[parent_[ps]] * a[var_[ps]];
  }
}

int PolynomialFeatures::exponent(int p, int k) const {
  int e = 0;
  for (int i : indices_[static_cast<std::size_t>(p)]) e += (i == k);
  return e;
}

std::string PolynomialFeatures::name(int p) const {
  if (p == 0) return "1";
  std::string s;
  for (int k = 0; k < K_; ++k) {
    const int e = exponent(p, k);
    if (e == 0) continue;
    if (!s.empty()) s += ' ';
    s += "a" + std::to_string(k);
    if (e > 1) s += "^" + std::to_string(e);
  }
  return s;
}

}  // namespace igbench::features

#include "igbench/features/product_classes.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

namespace igbench::features {

namespace {

// A monomial as its sorted variable indices (a0^2 a3 -> {0, 0, 3}); short strings stay inline.
using Key = std::u16string;

Key key_of(const PolynomialFeatures& phi, int q) {
  Key k;
  for (int v = 0; v < phi.n_actions(); ++v)
    k.append(static_cast<std::size_t>(phi.exponent(q, v)), static_cast<char16_t>(v));
  return k;
}

Key merged(const Key& a, const Key& b) {
  Key out(a.size() + b.size(), u'\0');
  std::merge(a.begin(), a.end(), b.begin(), b.end(), out.begin());
  return out;
}

double binomial(int n, int k) {
  double c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

}  // namespace

ProductClasses::ProductClasses(const PolynomialFeatures& phi)
    : K_(phi.n_actions()), d_(phi.degree()), P_(phi.size()) {
  if (K_ > 65535) throw std::invalid_argument("ProductClasses: too many actions");
  std::vector<Key> keys(static_cast<std::size_t>(P_));
  std::unordered_map<Key, int> feature_of;
  for (int q = 0; q < P_; ++q) {
    keys[static_cast<std::size_t>(q)] = key_of(phi, q);
    feature_of.emplace(keys[static_cast<std::size_t>(q)], q);
  }

  // The dense blocks of representatives (see the header), in kernel order.
  const int y = P_, mu = P_ + 1;
  std::vector<int> features(static_cast<std::size_t>(std::max(0, P_ - 1)));
  std::iota(features.begin(), features.end(), 1);
  auto add_block = [&](std::vector<int> a, std::vector<int> b) {
    if (a.empty() || b.empty()) return;
    Block blk{static_cast<int>(rep_first_.size()), std::move(a), std::move(b)};
    for (int i : blk.a)
      for (int j : blk.b) {
        rep_first_.push_back(i);
        rep_second_.push_back(j);
      }
    blocks_.push_back(std::move(blk));
  };
  add_block({0, y, mu}, features);
  for (int v = 0; v < K_; ++v) {
    std::vector<int> a, b;
    for (int q = 1; q < P_; ++q) {
      const Key& k = keys[static_cast<std::size_t>(q)];
      if (static_cast<int>(k.back()) == v) a.push_back(q);
      if (static_cast<int>(k.size()) == d_ && static_cast<int>(k.front()) >= v) b.push_back(q);
    }
    add_block(std::move(a), std::move(b));
  }
  add_block({y, mu}, {0, y});
  add_block({mu}, {mu});

  // The pair -> representative table: feature pairs through their product monomial, pairs with
  // y' or mu' directly.
  std::unordered_map<Key, int> rep_of_monomial;
  rep_of_monomial.reserve(static_cast<std::size_t>(n_reps()));
  for (int r = 0; r < n_reps(); ++r) {
    const int i = rep_first_[static_cast<std::size_t>(r)], j = rep_second_[static_cast<std::size_t>(r)];
    if (i < P_ && j < P_ &&
        !rep_of_monomial.emplace(merged(keys[static_cast<std::size_t>(i)], keys[static_cast<std::size_t>(j)]), r).second)
      throw std::logic_error("ProductClasses: two representatives of one monomial");
  }
  const std::size_t n_cols = static_cast<std::size_t>(n_columns());
  pair_rep_.assign(n_cols * (n_cols + 1) / 2, -1);
  auto packed = [](int q, int r) {
    return static_cast<std::size_t>(q) * static_cast<std::size_t>(q + 1) / 2 + static_cast<std::size_t>(r);
  };
  for (int q = 1; q < P_; ++q)
    for (int r = 0; r <= q; ++r)
      pair_rep_[packed(q, r)] =
          rep_of_monomial.at(merged(keys[static_cast<std::size_t>(q)], keys[static_cast<std::size_t>(r)]));
  for (int r = 0; r < n_reps(); ++r) {
    const int i = rep_first_[static_cast<std::size_t>(r)], j = rep_second_[static_cast<std::size_t>(r)];
    if (i >= P_ || j >= P_) pair_rep_[packed(std::max(i, j), std::min(i, j))] = r;
  }

  // The change of basis: every sub-monomial beta of alpha (exponents beta_k <= alpha_k).
  term_begin_.push_back(0);
  term_begin_.push_back(0);  // feature 0 (the constant) has no terms
  for (int alpha = 1; alpha < P_; ++alpha) {
    std::vector<int> ea(static_cast<std::size_t>(K_));
    for (int v = 0; v < K_; ++v) ea[static_cast<std::size_t>(v)] = phi.exponent(alpha, v);
    std::vector<int> eb(static_cast<std::size_t>(K_), 0);
    // Odometer over beta (variable 0 fastest).
    for (;;) {
      Key kb, kg;
      double coef = 1;
      for (int v = 0; v < K_; ++v) {
        const auto vs = static_cast<std::size_t>(v);
        kb.append(static_cast<std::size_t>(eb[vs]), static_cast<char16_t>(v));
        kg.append(static_cast<std::size_t>(ea[vs] - eb[vs]), static_cast<char16_t>(v));
        coef *= binomial(ea[vs], eb[vs]);
      }
      term_beta_.push_back(feature_of.at(kb));
      term_gamma_.push_back(feature_of.at(kg));
      term_coef_.push_back(coef);
      int v = 0;
      while (v < K_ && eb[static_cast<std::size_t>(v)] == ea[static_cast<std::size_t>(v)]) eb[static_cast<std::size_t>(v++)] = 0;
      if (v == K_) break;
      ++eb[static_cast<std::size_t>(v)];
    }
    term_begin_.push_back(static_cast<int>(term_beta_.size()));
    max_terms_ = std::max(max_terms_, term_begin_[static_cast<std::size_t>(alpha) + 1] -
                                          term_begin_[static_cast<std::size_t>(alpha)]);
  }
}

std::shared_ptr<const ProductClasses> product_classes(const PolynomialFeatures& phi) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, std::shared_ptr<const ProductClasses>> cache;
  const std::lock_guard lock(mutex);
  auto& entry = cache[{phi.n_actions(), phi.degree()}];
  if (!entry) entry = std::make_shared<const ProductClasses>(phi);
  return entry;
}

}  // namespace igbench::features

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

  // Classes in order of first appearance, each with its representative pair (i, j).
  std::vector<std::pair<int, int>> rep_pair;
  std::unordered_map<Key, int> class_of;
  class_of.reserve(static_cast<std::size_t>(P_) * 4);
  const std::size_t n_cols = static_cast<std::size_t>(n_columns());
  std::vector<std::int32_t> pair_class(n_cols * (n_cols + 1) / 2, -1);
  auto packed = [](int q, int r) {
    return static_cast<std::size_t>(q) * static_cast<std::size_t>(q + 1) / 2 + static_cast<std::size_t>(r);
  };
  for (int q = 1; q < P_; ++q) {
    for (int r = 0; r <= q; ++r) {
      Key m = merged(keys[static_cast<std::size_t>(q)], keys[static_cast<std::size_t>(r)]);
      auto [it, fresh] = class_of.try_emplace(std::move(m), static_cast<int>(rep_pair.size()));
      if (fresh) {
        const Key& mono = it->first;
        const int e = static_cast<int>(mono.size());
        const auto h = static_cast<std::size_t>(std::max(0, e - d_));
        rep_pair.emplace_back(feature_of.at(mono.substr(0, h)), feature_of.at(mono.substr(h)));
      }
      pair_class[packed(q, r)] = it->second;
    }
  }
  // Every pair with y' (column P) or mu' (column P + 1) is a class of its own.
  for (int q = P_; q < P_ + 2; ++q)
    for (int r = 0; r <= q; ++r) {
      pair_class[packed(q, r)] = static_cast<int>(rep_pair.size());
      rep_pair.emplace_back(q, r);
    }

  // Representatives sorted by (i, j): groups of equal i.
  std::vector<int> order(rep_pair.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return rep_pair[static_cast<std::size_t>(a)] < rep_pair[static_cast<std::size_t>(b)];
  });
  std::vector<std::int32_t> rank(rep_pair.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto [i, j] = rep_pair[static_cast<std::size_t>(order[r])];
    rank[static_cast<std::size_t>(order[r])] = static_cast<std::int32_t>(r);
    if (group_column_.empty() || group_column_.back() != i) {
      group_column_.push_back(i);
      group_begin_.push_back(static_cast<int>(r));
    }
    rep_column_.push_back(j);
  }
  group_begin_.push_back(static_cast<int>(rep_column_.size()));
  pair_rep_.resize(pair_class.size());
  for (std::size_t t = 0; t < pair_class.size(); ++t)
    pair_rep_[t] = pair_class[t] < 0 ? -1 : rank[static_cast<std::size_t>(pair_class[t])];

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

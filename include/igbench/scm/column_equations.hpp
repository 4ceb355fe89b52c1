#pragma once
// The structural equations of both SCMs over a chunk of samples, column by column (one
// equation at a time over all samples, so the loops vectorise). Per sample they compute exactly
// what structural_equations() computes, in the reference's order of operations; the fast
// generator and the reference-exact generator both use them. Inputs: the noise columns C, V, U
// (column k of C at C + k n) and, in `out`, the intervened actions already in place.
#include <vector>

#include "igbench/scm/generate.hpp"

namespace igbench::scm {

// A_k = g_k(A_parents(k), C_k, V_k) for every action the regime does not intervene on, in k
// order. `term` is scratch of n doubles. Cost O(sum_k terms(g_k) n).
void polynomial_actions(const PolynomialScm& scm, const Regime& regime, std::size_t n, const double* C,
                        const double* V, SampleChunk& out, double* term);
// Y = ((f_0(A_0, C_0) + f_1(A_1, C_1)) + ...) + U. `term` and `fk` are scratch of n doubles.
void polynomial_outcome(const PolynomialScm& scm, std::size_t n, const double* C, const double* U,
                        SampleChunk& out, double* term, double* fk);

// A_k = (gamma_k C_k + sum_{j<k} A_j (delta_kj M_kj)) + V_k for the actions not intervened on,
// the sum over j sequential from 0. `parent_sum` is scratch of n doubles.
void linear_actions(const LinearScm& scm, const Regime& regime, std::size_t n, const double* C,
                    const double* V, SampleChunk& out, double* parent_sum);
// Y = sum_k (alpha_k A_k + beta_k C_k) + U (numpy's pairwise sum over k), per sample.
void linear_outcome_columns(const LinearScm& scm, std::size_t n, const double* C, const double* U,
                            SampleChunk& out);

// mu(a) = E[Y | do(a)] of every sample into out.mu. Cost O(K n).
void true_mean_columns(const Scm& scm, SampleChunk& out);

}  // namespace igbench::scm

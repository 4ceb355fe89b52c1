#pragma once
// The cost model of a run's memory, for feasibility checks before a sweep starts.
//
// A fast-mode run holds, at its peak, a bounded number of P x P moment matrices, never O(K) of
// them and only O(log N) (the pairwise merge stacks) that grows with N (see run_fast in run.cpp):
//   the pooled sums (3 folds, when pooled is requested; else the observational folds until the
//   observational model is fitted), the data sets being reduced (T at a time, T = threads per
//   run: 3 folds each, 4 parts for the joint set), the accumulation's pending chunk moments and
//   merge stacks, and the concurrent fits (T, each holding a few p x p matrices: training moments,
//   Gram, shifted Gram and its Cholesky factor); plus each thread's chunk buffers (the chunk's
//   samples and its moment vectors, samples_per_chunk x (P + 1) doubles).
// The reference-exact mode also holds its materialised data set (N (3K + 5) doubles) and every
// data set's moments (K + 2 sets).
#include <cstdint>

#include "igbench/experiment/run_spec.hpp"

namespace igbench::experiment {

// Bytes of one (P + 1) x (P + 1) matrix of doubles for K actions and degree d.
std::int64_t moment_matrix_bytes(int K, int n_order_fit);

// An upper estimate of the peak resident memory of one run of `spec` on `threads` threads,
// including the process's fixed footprint (libraries, MPI, HDF5: about 20 MB). Checked against
// measured peaks by tests/experiment/test_peak_memory.cpp.
std::int64_t estimated_peak_bytes(const RunSpec& spec, int threads = 1);

}  // namespace igbench::experiment

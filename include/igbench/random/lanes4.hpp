#pragma once
// Four double (or 64-bit integer) lanes in one 256-bit vector, as GCC/Clang vector types, for the
// generator's batched kernels (random/{distributions,log_batch,exp_batch}.cpp, scm/generate.cpp).
// With AVX2/FMA they compile to single instructions; without, to the same lane-by-lane
// arithmetic (every lane's value is the same either way: fma4 is a fused multiply-add on both).
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace igbench::lanes4 {

using u64x4 = std::uint64_t __attribute__((vector_size(32)));
using i64x4 = std::int64_t __attribute__((vector_size(32)));
using f64x4 = double __attribute__((vector_size(32)));

inline f64x4 load4(const double* p) {
  f64x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(double* p, f64x4 v) { std::memcpy(p, &v, sizeof v); }

inline f64x4 splat(double x) { return f64x4{x, x, x, x}; }

// a b + c rounded once, lane by lane.
inline f64x4 fma4(f64x4 a, f64x4 b, f64x4 c) {
#if defined(__AVX2__) && defined(__FMA__)
  return reinterpret_cast<f64x4>(_mm256_fmadd_pd(reinterpret_cast<__m256d>(a), reinterpret_cast<__m256d>(b),
                                                 reinterpret_cast<__m256d>(c)));
#else
  return f64x4{std::fma(a[0], b[0], c[0]), std::fma(a[1], b[1], c[1]), std::fma(a[2], b[2], c[2]),
               std::fma(a[3], b[3], c[3])};
#endif
}

// where(mask) a else b, lane by lane, as bits (both sides computed; no branch to mispredict).
inline f64x4 select4(u64x4 mask, f64x4 a, f64x4 b) {
  return reinterpret_cast<f64x4>((mask & reinterpret_cast<u64x4>(a)) | (~mask & reinterpret_cast<u64x4>(b)));
}

// Whether any lane of a comparison mask is set.
inline bool any_lane(u64x4 mask) {
#if defined(__AVX2__)
  return _mm256_testz_si256(reinterpret_cast<__m256i>(mask), reinterpret_cast<__m256i>(mask)) == 0;
#else
  return (mask[0] | mask[1] | mask[2] | mask[3]) != 0;
#endif
}

}  // namespace igbench::lanes4

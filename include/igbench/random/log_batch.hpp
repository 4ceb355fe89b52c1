#pragma once
// The natural log of a batch of doubles, bit for bit the value of the C library's log (glibc
// 2.28+, x86-64 FMA variant), four lanes at a time.
//
// glibc's log (Szabolcs Nagy, ARM optimized-routines, MIT licence) computes, for x = 2^k z
// with z in [0x1.6p-1, 0x1.6p0) and i the 128-interval of z holding c ~ 1 / invc_i:
//   r = fma(z, invc_i, -1),  w = fma(k, ln2hi, log c_i),  hi = r + w,
//   lo = fma(k, ln2lo, (w - hi) + r),
//   log x = fma(r^3, fma(fma(r, A4, A3), r^2, fma(r, A2, A1)), fma(r^2, A0, lo)) + hi,
// the operations (and fusions) of the machine code of __ieee754_log_fma in glibc 2.36, with its
// table and coefficients; likewise its separate path for |x - 1| < ~0.06 (a degree-12
// polynomial in r = x - 1, see log_batch.cpp). Every step is one correctly rounded IEEE
// operation, so the lanes give the library's values exactly; the inputs glibc treats as special
// (zero, subnormals, negatives, inf and NaN) are passed to std::log itself. Tests compare with
// std::log on millions of inputs, which also catches a C library whose log differs.
#include <cstddef>

namespace igbench::random {

// y[i] = std::log(x[i]) for i < n (x and y may not overlap unless x == y). Cost ~2 ns per value
// against ~9 ns for the library call.
void log_batch(const double* x, double* y, std::size_t n);

}  // namespace igbench::random

#pragma once
// The exponential of a batch of doubles, bit for bit the value of the C library's exp (glibc
// 2.28+, x86-64 FMA variant), four lanes at a time.
//
// glibc's exp (Szabolcs Nagy, ARM optimized-routines, MIT licence) writes x = k ln2 / 128 + r,
// |r| <= ln2 / 256, and exp x = 2^(k/128) exp(r) with 2^(j/128) from a 128-entry table and
// exp(r) - 1 a degree-5 polynomial; log_batch.hpp's approach: the operations (and fusions) of the
// machine code of __ieee754_exp_fma in glibc 2.36, with its table and coefficients, each one
// correctly rounded IEEE operation, so the lanes give the library's values exactly. Inputs glibc
// treats apart (|x| < 2^-54 or |x| >= 512, inf, NaN) are passed to std::exp itself. Tests compare
// with std::exp on millions of inputs, which also catches a C library whose exp differs.
#include <cstddef>

namespace igbench::random {

// y[i] = std::exp(x[i]) for i < n (x and y may not overlap unless x == y). Cost ~1 ns per value
// against ~5 ns for the library call.
void exp_batch(const double* x, double* y, std::size_t n);

}  // namespace igbench::random

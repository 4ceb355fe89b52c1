#pragma once
// numpy-compatible rounding of intermediate products.
//
// numpy 1.24 as shipped by Debian for x86-64 is compiled without FMA, so every a * b + c it
// evaluates is rounded twice: first the product, then the sum. GCC contracts such expressions into
// one fused multiply-add whenever the target has FMA (-ffp-contract=fast is its C++ default), also
// across statements. rounded(x) returns x unchanged through an empty asm statement the compiler
// cannot see through, so the product that produced x is materialised as a double before it meets
// the addition that consumes it. Cost: none beyond keeping x in a register.

namespace igbench::random {

inline double rounded(double x) {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  __asm__("" : "+x"(x));
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
  __asm__("" : "+w"(x));
#else
  volatile double v = x;
  x = v;
#endif
  return x;
}

}  // namespace igbench::random

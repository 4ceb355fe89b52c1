#include "igbench/random/log_batch.hpp"

#include "igbench/random/lanes4.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace igbench::random {

namespace {

using namespace lanes4;  // u64x4, f64x4, fma4, select4, ... (random/lanes4.hpp)

// glibc's __log_data (LOG_TABLE_BITS = 7, LOG_POLY_ORDER = 6), as shipped in glibc 2.28-2.36.
constexpr double ln2hi = 0x1.62e42fefa3800p-1, ln2lo = 0x1.ef35793c76730p-45;
constexpr double A0 = -0x1.0000000000001p-1, A1 = 0x1.555555551305bp-2, A2 = -0x1.fffffffeb4590p-3,
                 A3 = 0x1.999b324f10111p-3, A4 = -0x1.55575e506c89fp-3;
struct InvcLogc {
  double invc, logc;
};
constexpr InvcLogc table[128] = {
    {0x1.734f0c3e0de9fp+0, -0x1.7cc7f79e69000p-2},
    {0x1.713786a2ce91fp+0, -0x1.76feec20d0000p-2},
    {0x1.6f26008fab5a0p+0, -0x1.713e31351e000p-2},
    {0x1.6d1a61f138c7dp+0, -0x1.6b85b38287800p-2},
    {0x1.6b1490bc5b4d1p+0, -0x1.65d5590807800p-2},
    {0x1.69147332f0cbap+0, -0x1.602d076180000p-2},
    {0x1.6719f18224223p+0, -0x1.5a8ca86909000p-2},
    {0x1.6524f99a51ed9p+0, -0x1.54f4356035000p-2},
    {0x1.63356aa8f24c4p+0, -0x1.4f637c36b4000p-2},
    {0x1.614b36b9ddc14p+0, -0x1.49da7fda85000p-2},
    {0x1.5f66452c65c4cp+0, -0x1.445923989a800p-2},
    {0x1.5d867b5912c4fp+0, -0x1.3edf439b0b800p-2},
    {0x1.5babccb5b90dep+0, -0x1.396ce448f7000p-2},
    {0x1.59d61f2d91a78p+0, -0x1.3401e17bda000p-2},
    {0x1.5805612465687p+0, -0x1.2e9e2ef468000p-2},
    {0x1.56397cee76bd3p+0, -0x1.2941b3830e000p-2},
    {0x1.54725e2a77f93p+0, -0x1.23ec58cda8800p-2},
    {0x1.52aff42064583p+0, -0x1.1e9e129279000p-2},
    {0x1.50f22dbb2bddfp+0, -0x1.1956d2b48f800p-2},
    {0x1.4f38f4734ded7p+0, -0x1.141679ab9f800p-2},
    {0x1.4d843cfde2840p+0, -0x1.0edd094ef9800p-2},
    {0x1.4bd3ec078a3c8p+0, -0x1.09aa518db1000p-2},
    {0x1.4a27fc3e0258ap+0, -0x1.047e65263b800p-2},
    {0x1.4880524d48434p+0, -0x1.feb224586f000p-3},
    {0x1.46dce1b192d0bp+0, -0x1.f474a7517b000p-3},
    {0x1.453d9d3391854p+0, -0x1.ea4443d103000p-3},
    {0x1.43a2744b4845ap+0, -0x1.e020d44e9b000p-3},
    {0x1.420b54115f8fbp+0, -0x1.d60a22977f000p-3},
    {0x1.40782da3ef4b1p+0, -0x1.cc00104959000p-3},
    {0x1.3ee8f5d57fe8fp+0, -0x1.c202956891000p-3},
    {0x1.3d5d9a00b4ce9p+0, -0x1.b81178d811000p-3},
    {0x1.3bd60c010c12bp+0, -0x1.ae2c9ccd3d000p-3},
    {0x1.3a5242b75dab8p+0, -0x1.a45402e129000p-3},
    {0x1.38d22cd9fd002p+0, -0x1.9a877681df000p-3},
    {0x1.3755bc5847a1cp+0, -0x1.90c6d69483000p-3},
    {0x1.35dce49ad36e2p+0, -0x1.87120a645c000p-3},
    {0x1.34679984dd440p+0, -0x1.7d68fb4143000p-3},
    {0x1.32f5cceffcb24p+0, -0x1.73cb83c627000p-3},
    {0x1.3187775a10d49p+0, -0x1.6a39a9b376000p-3},
    {0x1.301c8373e3990p+0, -0x1.60b3154b7a000p-3},
    {0x1.2eb4ebb95f841p+0, -0x1.5737d76243000p-3},
    {0x1.2d50a0219a9d1p+0, -0x1.4dc7b8fc23000p-3},
    {0x1.2bef9a8b7fd2ap+0, -0x1.4462c51d20000p-3},
    {0x1.2a91c7a0c1babp+0, -0x1.3b08abc830000p-3},
    {0x1.293726014b530p+0, -0x1.31b996b490000p-3},
    {0x1.27dfa5757a1f5p+0, -0x1.2875490a44000p-3},
    {0x1.268b39b1d3bbfp+0, -0x1.1f3b9f879a000p-3},
    {0x1.2539d838ff5bdp+0, -0x1.160c8252ca000p-3},
    {0x1.23eb7aac9083bp+0, -0x1.0ce7f57f72000p-3},
    {0x1.22a012ba940b6p+0, -0x1.03cdc49fea000p-3},
    {0x1.2157996cc4132p+0, -0x1.f57bdbc4b8000p-4},
    {0x1.201201dd2fc9bp+0, -0x1.e370896404000p-4},
    {0x1.1ecf4494d480bp+0, -0x1.d17983ef94000p-4},
    {0x1.1d8f5528f6569p+0, -0x1.bf9674ed8a000p-4},
    {0x1.1c52311577e7cp+0, -0x1.adc79202f6000p-4},
    {0x1.1b17c74cb26e9p+0, -0x1.9c0c3e7288000p-4},
    {0x1.19e010c2c1ab6p+0, -0x1.8a646b372c000p-4},
    {0x1.18ab07bb670bdp+0, -0x1.78d01b3ac0000p-4},
    {0x1.1778a25efbcb6p+0, -0x1.674f145380000p-4},
    {0x1.1648d354c31dap+0, -0x1.55e0e6d878000p-4},
    {0x1.151b990275fddp+0, -0x1.4485cdea1e000p-4},
    {0x1.13f0ea432d24cp+0, -0x1.333d94d6aa000p-4},
    {0x1.12c8b7210f9dap+0, -0x1.22079f8c56000p-4},
    {0x1.11a3028ecb531p+0, -0x1.10e4698622000p-4},
    {0x1.107fbda8434afp+0, -0x1.ffa6c6ad20000p-5},
    {0x1.0f5ee0f4e6bb3p+0, -0x1.dda8d4a774000p-5},
    {0x1.0e4065d2a9fcep+0, -0x1.bbcece4850000p-5},
    {0x1.0d244632ca521p+0, -0x1.9a1894012c000p-5},
    {0x1.0c0a77ce2981ap+0, -0x1.788583302c000p-5},
    {0x1.0af2f83c636d1p+0, -0x1.5715e67d68000p-5},
    {0x1.09ddb98a01339p+0, -0x1.35c8a49658000p-5},
    {0x1.08cabaf52e7dfp+0, -0x1.149e364154000p-5},
    {0x1.07b9f2f4e28fbp+0, -0x1.e72c082eb8000p-6},
    {0x1.06ab58c358f19p+0, -0x1.a55f152528000p-6},
    {0x1.059eea5ecf92cp+0, -0x1.63d62cf818000p-6},
    {0x1.04949cdd12c90p+0, -0x1.228fb8caa0000p-6},
    {0x1.038c6c6f0ada9p+0, -0x1.c317b20f90000p-7},
    {0x1.02865137932a9p+0, -0x1.419355daa0000p-7},
    {0x1.0182427ea7348p+0, -0x1.81203c2ec0000p-8},
    {0x1.008040614b195p+0, -0x1.0040979240000p-9},
    {0x1.fe01ff726fa1ap-1, 0x1.feff384900000p-9},
    {0x1.fa11cc261ea74p-1, 0x1.7dc41353d0000p-7},
    {0x1.f6310b081992ep-1, 0x1.3cea3c4c28000p-6},
    {0x1.f25f63ceeadcdp-1, 0x1.b9fc114890000p-6},
    {0x1.ee9c8039113e7p-1, 0x1.1b0d8ce110000p-5},
    {0x1.eae8078cbb1abp-1, 0x1.58a5bd001c000p-5},
    {0x1.e741aa29d0c9bp-1, 0x1.95c8340d88000p-5},
    {0x1.e3a91830a99b5p-1, 0x1.d276aef578000p-5},
    {0x1.e01e009609a56p-1, 0x1.07598e598c000p-4},
    {0x1.dca01e577bb98p-1, 0x1.253f5e30d2000p-4},
    {0x1.d92f20b7c9103p-1, 0x1.42edd8b380000p-4},
    {0x1.d5cac66fb5ccep-1, 0x1.606598757c000p-4},
    {0x1.d272caa5ede9dp-1, 0x1.7da76356a0000p-4},
    {0x1.cf26e3e6b2ccdp-1, 0x1.9ab434e1c6000p-4},
    {0x1.cbe6da2a77902p-1, 0x1.b78c7bb0d6000p-4},
    {0x1.c8b266d37086dp-1, 0x1.d431332e72000p-4},
    {0x1.c5894bd5d5804p-1, 0x1.f0a3171de6000p-4},
    {0x1.c26b533bb9f8cp-1, 0x1.067152b914000p-3},
    {0x1.bf583eeece73fp-1, 0x1.147858292b000p-3},
    {0x1.bc4fd75db96c1p-1, 0x1.2266ecdca3000p-3},
    {0x1.b951e0c864a28p-1, 0x1.303d7a6c55000p-3},
    {0x1.b65e2c5ef3e2cp-1, 0x1.3dfc33c331000p-3},
    {0x1.b374867c9888bp-1, 0x1.4ba366b7a8000p-3},
    {0x1.b094b211d304ap-1, 0x1.5933928d1f000p-3},
    {0x1.adbe885f2ef7ep-1, 0x1.66acd2418f000p-3},
    {0x1.aaf1d31603da2p-1, 0x1.740f8ec669000p-3},
    {0x1.a82e63fd358a7p-1, 0x1.815c0f51af000p-3},
    {0x1.a5740ef09738bp-1, 0x1.8e92954f68000p-3},
    {0x1.a2c2a90ab4b27p-1, 0x1.9bb3602f84000p-3},
    {0x1.a01a01393f2d1p-1, 0x1.a8bed1c2c0000p-3},
    {0x1.9d79f24db3c1bp-1, 0x1.b5b515c01d000p-3},
    {0x1.9ae2505c7b190p-1, 0x1.c2967ccbcc000p-3},
    {0x1.9852ef297ce2fp-1, 0x1.cf635d5486000p-3},
    {0x1.95cbaeea44b75p-1, 0x1.dc1bd3446c000p-3},
    {0x1.934c69de74838p-1, 0x1.e8c01b8cfe000p-3},
    {0x1.90d4f2f6752e6p-1, 0x1.f5509c0179000p-3},
    {0x1.8e6528effd79dp-1, 0x1.00e6c121fb800p-2},
    {0x1.8bfce9fcc007cp-1, 0x1.071b80e93d000p-2},
    {0x1.899c0dabec30ep-1, 0x1.0d46b9e867000p-2},
    {0x1.87427aa2317fbp-1, 0x1.13687334bd000p-2},
    {0x1.84f00acb39a08p-1, 0x1.1980d67234800p-2},
    {0x1.82a49e8653e55p-1, 0x1.1f8ffe0cc8000p-2},
    {0x1.8060195f40260p-1, 0x1.2595fd7636800p-2},
    {0x1.7e22563e0a329p-1, 0x1.2b9300914a800p-2},
    {0x1.7beb377dcb5adp-1, 0x1.3187210436000p-2},
    {0x1.79baa679725c2p-1, 0x1.377266dec1800p-2},
    {0x1.77907f2170657p-1, 0x1.3d54ffbaf3000p-2},
    {0x1.756cadbd6130cp-1, 0x1.432eee32fe000p-2},
};
constexpr std::uint64_t off = 0x3fe6000000000000ULL;

// glibc takes its main path for x positive, normal, finite and outside [1 - 2^-4, 1 + 0x1.09p-4).
constexpr std::uint64_t near1_lo = 0x3fee000000000000ULL, near1_hi = 0x3ff1090000000000ULL;

// The table entries i[l] of 4 lanes: with AVX2 one 16-byte load per entry (invc, logc) and two
// unpacks, instead of a load per double.
inline void table_entries(u64x4 i, f64x4& invc, f64x4& logc) {
#if defined(__AVX2__)
  const auto entry = [&](int l) { return _mm_loadu_pd(&table[i[l]].invc); };
  const __m256d e02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(entry(0)), entry(2), 1);  // inv0 log0 inv2 log2
  const __m256d e13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(entry(1)), entry(3), 1);  // inv1 log1 inv3 log3
  invc = reinterpret_cast<f64x4>(_mm256_unpacklo_pd(e02, e13));
  logc = reinterpret_cast<f64x4>(_mm256_unpackhi_pd(e02, e13));
#else
  invc = f64x4{table[i[0]].invc, table[i[1]].invc, table[i[2]].invc, table[i[3]].invc};
  logc = f64x4{table[i[0]].logc, table[i[1]].logc, table[i[2]].logc, table[i[3]].logc};
#endif
}

// The main path on 4 lanes (lanes off it give garbage, replaced by the caller).
inline f64x4 log_main4(f64x4 x) {
  const u64x4 ix = reinterpret_cast<u64x4>(x);
  const u64x4 tmp = ix - off;
  const u64x4 i = (tmp >> 45) & 127;
  const i64x4 k = reinterpret_cast<i64x4>(tmp) >> 52;  // arithmetic shift
  const u64x4 iz = ix - (tmp & 0xfff0000000000000ULL);
  const f64x4 z = reinterpret_cast<f64x4>(iz);
  // k exactly as a double (|k| < 2^51): the bits of 1.5 2^52 + k, minus 1.5 2^52
  const f64x4 kd = reinterpret_cast<f64x4>(reinterpret_cast<u64x4>(k) + 0x4338000000000000ULL) - 0x1.8p52;
  f64x4 invc, logc;
  table_entries(i, invc, logc);
  const f64x4 r = fma4(z, invc, splat(-1.0));
  const f64x4 w = fma4(kd, splat(ln2hi), logc);
  const f64x4 hi = r + w;
  const f64x4 lo = fma4(kd, splat(ln2lo), (w - hi) + r);
  const f64x4 r2 = r * r;
  const f64x4 r3 = r * r2;
  const f64x4 p12 = fma4(r, splat(A2), splat(A1));
  const f64x4 p34 = fma4(r, splat(A4), splat(A3));
  const f64x4 t = fma4(r2, splat(A0), lo);
  const f64x4 p = fma4(p34, r2, p12);
  return fma4(r3, p, t) + hi;
}

// glibc's path for x near 1 (|x - 1| < ~0.06), LOG_POLY1_ORDER = 12: with r = x - 1,
//   log x = hi + (r^3 P(r) + lo),  hi = r - rhi^2 / 2,  rhi = r rounded to 26 bits,
// in the operations (and fusions) of __ieee754_log_fma (glibc 2.36):
//   P = fma(fma(fma(r^3, B10, fma(r^2, B9, fma(r, B8, B7))), r^3, fma(r^2, B6, fma(r, B5, B4))),
//           r^3, fma(r^2, B3, fma(r, B2, B1))),
//   rhi = fma(-2^27, r, fma(r, 2^27, r)),  hi = fma(rhi^2, B0, r),
//   lo = fma(B0 (r - rhi), rhi + r, fma(rhi^2, B0, r - hi)),  log x = hi + fma(P, r^3, lo);
// x = 1 gives +0 (as the library's special case). The coefficients are __log_data.poly1.
constexpr double B0 = -0x1p-1, B1 = 0x1.5555555555577p-2, B2 = -0x1.ffffffffffdcbp-3, B3 = 0x1.999999995dd0cp-3,
                 B4 = -0x1.55555556745a7p-3, B5 = 0x1.24924a344de30p-3, B6 = -0x1.fffffa4423d65p-4,
                 B7 = 0x1.c7184282ad6cap-4, B8 = -0x1.999eb43b068ffp-4, B9 = 0x1.78182f7afd085p-4,
                 B10 = -0x1.5521375d145cdp-4;
constexpr double split = 0x1p27;

inline f64x4 log_near1_4(f64x4 x) {
  const f64x4 r = x - 1.0;
  const f64x4 r2 = r * r;
  const f64x4 r3 = r * r2;
  const f64x4 p12 = fma4(r2, splat(B3), fma4(r, splat(B2), splat(B1)));
  const f64x4 p45 = fma4(r2, splat(B6), fma4(r, splat(B5), splat(B4)));
  const f64x4 p78 = fma4(r3, splat(B10), fma4(r2, splat(B9), fma4(r, splat(B8), splat(B7))));
  const f64x4 p = fma4(fma4(p78, r3, p45), r3, p12);
  const f64x4 rhi = fma4(splat(-split), r, fma4(r, splat(split), r));
  const f64x4 rhi2 = rhi * rhi;
  const f64x4 hi = fma4(rhi2, splat(B0), r);
  const f64x4 lo = fma4(B0 * (r - rhi), rhi + r, fma4(rhi2, splat(B0), r - hi));
  const f64x4 y = hi + fma4(p, r3, lo);
  return reinterpret_cast<f64x4>(reinterpret_cast<u64x4>(y) & reinterpret_cast<u64x4>(x != 1.0));
}

// Lane masks (all ones where true) of the inputs glibc treats apart: near 1, and zero,
// subnormals, negatives, inf and NaN (`special`).
inline u64x4 near1_lanes(u64x4 ix) { return reinterpret_cast<u64x4>(ix - near1_lo < near1_hi - near1_lo); }
inline u64x4 special_lanes(u64x4 ix) { return reinterpret_cast<u64x4>((ix >> 48) - 0x0010 >= 0x7ff0 - 0x0010); }


}  // namespace

void log_batch(const double* x, double* y, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    f64x4 v;
    std::memcpy(&v, x + i, sizeof v);
    f64x4 l = log_main4(v);
    const u64x4 ix = reinterpret_cast<u64x4>(v);
    const u64x4 near1 = near1_lanes(ix);
    if (any_lane(near1)) l = select4(near1, log_near1_4(v), l);
    const u64x4 special = special_lanes(ix);
    if (any_lane(special)) {  // the library itself (before the store, x may be y)
      for (int j = 0; j < 4; ++j)
        if (special[j] != 0) l[j] = std::log(v[j]);
    }
    std::memcpy(y + i, &l, sizeof l);
  }
  for (; i < n; ++i) y[i] = std::log(x[i]);
}

}  // namespace igbench::random

"""Medians with a percentile-bootstrap interval, for heavy-tailed per-run values.

The same algorithm as igbench's C++ summary (include/igbench/stats/across_runs.hpp), so both
print the same interval bit for bit: B = 2000 resamples of the finite values (in row order),
indices from SplitMix64 seeded with BOOTSTRAP_SEED, index = floor(((x >> 11) * 2^-53) * n); the
resample medians sorted as m_(0..B-1); lower = m_(floor(B (1 - level) / 2)),
upper = m_(ceil(B (1 + level) / 2) - 1). The median of an even count is the mean of the two
middle values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SEED = 0x6967626E63680001
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_LEVEL = 0.95
_MASK = (1 << 64) - 1


def splitmix64(seed: int, count: int) -> np.ndarray:
    """The first `count` outputs of SplitMix64 from `seed`, as uint64 (vectorised: the states are
    seed + i * golden for i = 1..count, each output a pure function of its state)."""
    golden = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        z = np.uint64(seed & _MASK) + golden * np.arange(1, count + 1, dtype=np.uint64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@dataclass(frozen=True)
class MedianStat:
    n: int          # finite values
    median: float   # NaN when n == 0
    lower: float    # bootstrap interval; NaN when n < 2
    upper: float


def median_with_bootstrap(values, resamples: int = BOOTSTRAP_RESAMPLES, level: float = BOOTSTRAP_LEVEL,
                          seed: int = BOOTSTRAP_SEED) -> MedianStat:
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return MedianStat(0, math.nan, math.nan, math.nan)
    median = float(np.median(x))
    if n < 2 or resamples < 1:
        return MedianStat(n, median, math.nan, math.nan)
    u = (splitmix64(seed, resamples * n) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    idx = (u * float(n)).astype(np.int64).reshape(resamples, n)
    medians = np.sort(np.median(x[idx], axis=1))
    lo = int(math.floor(resamples * (1.0 - level) / 2.0))
    hi = int(math.ceil(resamples * (1.0 + level) / 2.0)) - 1
    return MedianStat(n, median, float(medians[min(lo, resamples - 1)]), float(medians[min(hi, resamples - 1)]))


def largest(values, runs, count: int = 3) -> list[tuple[int, float]]:
    """(run, value) of the `count` largest finite values, largest first (ties: earlier row)."""
    v = np.asarray(values, dtype=float)
    order = [i for i in np.argsort(-v, kind="stable") if np.isfinite(v[i])]
    return [(int(runs[i]), float(v[i])) for i in order[:count]]

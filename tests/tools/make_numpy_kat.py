#!/usr/bin/python3
"""Known-answer generator for igbench::random::NumpyRandomState.

Writes the files of tests/data/numpy_kat/ from numpy's legacy global RandomState
(`np.random.seed(s)` followed by the legacy `np.random.*` functions), and the index split of
scikit-learn's `train_test_split(X, test_size=0.2, random_state=42)`. The C++ test
(tests/random/test_numpy_random_state.cpp) replays every recipe below and compares bit for bit,
so the test suite needs neither Python nor numpy at run time.

Run with the interpreter that sees numpy (Debian's, numpy 1.24):
    /usr/bin/python3 tests/tools/make_numpy_kat.py [output_dir]
output_dir defaults to tests/data/numpy_kat next to this script's tests/ folder. scikit-learn is
optional: without it the split is derived from RandomState(42).permutation(n) (what
ShuffleSplit does); with it, that derivation is asserted equal to sklearn's own output. The output
is deterministic: rerunning rewrites identical files.

File format (all files)
-----------------------
Plain text, one record per line; lines starting with '#' are comments, blank lines are ignored.
A record is whitespace-separated tokens:

    <name> <key> <type> <count> <v_1> ... <v_count>

  name   the recipe (see below), [A-Za-z0-9_.]+
  key    an integer: the seed given to np.random.seed (or, for the train_test_split file, the
         sample count n); '-' for parameter records that belong to no seed
  type   u32 (unsigned decimal), i64 (signed decimal) or f64 (printf '%.17g': 17 significant
         digits, which strtod parses back to the identical double)
  count  number of values that follow (may be 0)

Unless stated otherwise each record starts from a fresh `np.random.seed(key)` and lists, in
order, every value the recipe returned (arrays flattened in C order).

streams.txt (keys = the seeds 0, 1, 42, 12345, 4294967295)
  param records (key '-'):
    normal_loc / normal_scale      f64 vectors (length K=5) for normal_broadcast
    lognormal_sigma                f64 vector (length 4) for lognormal_broadcast
    binomial_inversion_recipe      f64 triples (n, p, count) for binomial_inversion
  raw_uint32            u32  first 1000 raw MT19937 outputs (_bit_generator.random_raw)
  random_sample         f64  random_sample(200)
  standard_normal_calls f64  standard_normal(n) for n in 3, 4, scalar, 1, 5, (3,4), 2, 7, 100
                             (odd call sizes, so the cached second Gaussian crosses calls)
  normal_scalar         f64  5 x normal(1.5, 2.0), then normal(-3.0, 0.25, size=6)
  normal_broadcast      f64  normal(normal_loc, normal_scale, size=(40, 5))
  uniform_degenerate    f64  3 x uniform(0.5, 0.5), uniform(0.5, 1.5, size=50), random_sample(3)
  uniform_general       f64  uniform(-2.0, 3.0, size=20), then uniform(1e-3, 7.5)
  logistic              f64  3 x logistic(), logistic(size=100), logistic(2.0, 0.5, size=10)
  lognormal_broadcast   f64  lognormal(0.0, lognormal_sigma, size=(30, 4))
  randint3              i64  20 x randint(0, 3) (== choice(list_of_3) indices), randint(0, 3, 200)
  randint_ranges        i64  10 x randint(-5, 7); 3 x randint(0, 1) (draws nothing);
                             5 x randint(0, 2**32); 5 x randint(0, 2**32 + 1);
                             5 x randint(0, 2**40); 5 x randint(-2**62, 2**62);
                             3 x randint(int64 min, int64 max); 10 x randint(10**6, 10**6 + 1000);
                             3 x randint(0, 2**31)
  binomial_p03_8x8      i64  binomial(1, 0.3, size=(8, 8))
  binomial_p05_8x8      i64  binomial(1, 0.5, size=(8, 8))
  binomial_inversion    i64  for (n, p, c) in binomial_inversion_recipe: binomial(n, p, size=c)
  mixed                 f64  the interleaved sequence of mixed_sequence() below, integers stored as
                             exact doubles
  reseed                f64  standard_normal(), seed(key) again, standard_normal(3)

permutation.txt (keys = the same seeds)
  perm.<n>        i64  permutation(n), full listing, n in 0 1 2 3 10 100 800 1000 2000
  perm_head.<n>   i64  first 100 entries of permutation(n), n in 8000 10000 100000
  perm_tail.<n>   i64  last 100 entries of the same permutation (another fresh seed)

train_test_split.txt (key = n; split of np.arange(n), test_size=0.2, random_state=42)
  tts_test / tts_train            i64  full index lists, n in 2 3 5 10 800 1000 2000
  tts_test_head / tts_train_head  i64  first 100 indices, n in 8000 10000
  tts_sizes                       i64  (n_test, n_train) for every n above
"""

import os
import sys

import numpy as np

SEEDS = [0, 1, 42, 12345, 4294967295]

NORMAL_LOC = [0.0, 1.5, -2.25, 10.0, 1e-3]
NORMAL_SCALE = [1.0, 0.5, 2.0, 0.0, 3.7]
LOGNORMAL_SIGMA = [0.1, 0.5, 1.0, 2.0]

# (n, p, count). Inversion: min(p, 1-p) * n <= 30, including the boundary and the legacy
# no-shortcut cases n == 0, p == 0 and p == 1 (each still draws one double).
BINOMIAL_INVERSION = [
    (1, 0.3, 20), (1, 0.5, 20), (10, 0.7, 20), (100, 0.2, 20), (60, 0.5, 10),
    (200, 0.15, 10), (0, 0.3, 2), (5, 0.0, 2), (5, 1.0, 2), (1, 1.0, 2), (3, 0.2, 5),
    (1000, 0.01, 10), (40, 0.75, 10), (30, 0.999, 5),
]
PERM_FULL = [0, 1, 2, 3, 10, 100, 800, 1000, 2000]
PERM_LARGE = [8000, 10000, 100000]
TTS_FULL = [2, 3, 5, 10, 800, 1000, 2000]
TTS_LARGE = [8000, 10000]


def fmt_f64(x):
    return "%.17g" % float(x)


class Writer:
    def __init__(self, path, title):
        self.path = path
        self.lines = [
            "# " + title,
            "# Generated by tests/tools/make_numpy_kat.py from numpy's legacy RandomState;",
            "# do not edit. Format: <name> <key> <type> <count> <values...> (see the script).",
        ]

    def record(self, name, key, typ, values):
        values = list(values)
        if typ == "f64":
            toks = [fmt_f64(v) for v in values]
        elif typ == "u32":
            toks = []
            for v in values:
                v = int(v)
                assert 0 <= v <= 0xFFFFFFFF
                toks.append(str(v))
        elif typ == "i64":
            toks = []
            for v in values:
                v = int(v)
                assert -(2**63) <= v < 2**63
                toks.append(str(v))
        else:
            raise ValueError(typ)
        self.lines.append(" ".join([name, str(key), typ, str(len(toks))] + toks))

    def close(self):
        with open(self.path, "w", encoding="ascii", newline="\n") as f:
            f.write("\n".join(self.lines) + "\n")
        return os.path.getsize(self.path)


def flat(a):
    return np.asarray(a).ravel(order="C").tolist()


def mixed_sequence():
    """The interleaved recipe replayed by the C++ test (MixedSequence). Returns floats."""
    means = np.array(NORMAL_LOC[:3])
    stds = np.array(NORMAL_SCALE[:3])
    out = []
    for r in range(25):
        out += flat(np.random.standard_normal(3))
        out.append(np.random.random_sample())
        out.append(np.random.normal(1.5, 2.0))
        out.append(np.random.randint(0, 3))
        out.append(np.random.binomial(1, 0.3))
        out.append(np.random.logistic())
        out.append(np.random.lognormal(0.0, 0.5))
        out.append(np.random.standard_normal())
        out.append(np.random.uniform(0.5, 0.5))
        out.append(np.random.uniform(0.5, 1.5))
        out += flat(np.random.binomial(1, 0.5, size=2))
        out += flat(np.random.normal(means, stds, size=(2, 3)))
        if r % 5 == 0:
            out += flat(np.random.permutation(7 + r))
        out.append(np.random.randint(0, 10))
        out.append(np.random.binomial(50, 0.3))
        out.append(np.random.binomial(60, 0.4))  # inversion branch (n * p <= 30)
        out += flat(np.random.standard_normal(2))
    return [float(v) for v in out]


def binomial_recipe(recipe):
    out = []
    for n, p, c in recipe:
        out += flat(np.random.binomial(n, p, size=c))
    return out


def write_streams(path):
    w = Writer(path, "numpy legacy RandomState streams, per seed")
    w.record("normal_loc", "-", "f64", NORMAL_LOC)
    w.record("normal_scale", "-", "f64", NORMAL_SCALE)
    w.record("lognormal_sigma", "-", "f64", LOGNORMAL_SIGMA)
    w.record("binomial_inversion_recipe", "-", "f64", [v for t in BINOMIAL_INVERSION for v in t])
    for n, p, _ in BINOMIAL_INVERSION:
        assert min(p, 1 - p) * n <= 30.0

    lst3 = ["a", "b", "c"]
    for s in SEEDS:
        raw = np.random.RandomState(s)._bit_generator.random_raw(1000)
        # The global state seeded with s gives the same stream.
        np.random.seed(s)
        assert flat(np.random.randint(0, 2**32, size=1000, dtype=np.uint64)) == flat(raw)
        w.record("raw_uint32", s, "u32", flat(raw))

        np.random.seed(s)
        w.record("random_sample", s, "f64", flat(np.random.random_sample(200)))

        np.random.seed(s)
        vals = []
        for size in [3, 4, None, 1, 5, (3, 4), 2, 7, 100]:
            vals += flat(np.random.standard_normal(size))
        w.record("standard_normal_calls", s, "f64", vals)

        np.random.seed(s)
        vals = [np.random.normal(1.5, 2.0) for _ in range(5)]
        vals += flat(np.random.normal(-3.0, 0.25, size=6))
        w.record("normal_scalar", s, "f64", vals)

        np.random.seed(s)
        w.record("normal_broadcast", s, "f64",
                 flat(np.random.normal(np.array(NORMAL_LOC), np.array(NORMAL_SCALE),
                                       size=(40, len(NORMAL_LOC)))))

        np.random.seed(s)
        vals = [np.random.uniform(0.5, 0.5) for _ in range(3)]
        vals += flat(np.random.uniform(0.5, 1.5, size=50))
        vals += flat(np.random.random_sample(3))
        w.record("uniform_degenerate", s, "f64", vals)

        np.random.seed(s)
        vals = flat(np.random.uniform(-2.0, 3.0, size=20)) + [np.random.uniform(1e-3, 7.5)]
        w.record("uniform_general", s, "f64", vals)

        np.random.seed(s)
        vals = [np.random.logistic() for _ in range(3)]
        vals += flat(np.random.logistic(size=100))
        vals += flat(np.random.logistic(2.0, 0.5, size=10))
        w.record("logistic", s, "f64", vals)

        np.random.seed(s)
        w.record("lognormal_broadcast", s, "f64",
                 flat(np.random.lognormal(0.0, np.array(LOGNORMAL_SIGMA),
                                          size=(30, len(LOGNORMAL_SIGMA)))))

        np.random.seed(s)
        vals = [np.random.randint(0, 3) for _ in range(20)] + flat(np.random.randint(0, 3, 200))
        # np.random.choice(list_of_3) draws the same indices.
        np.random.seed(s)
        picks = [np.random.choice(lst3) for _ in range(20)] + flat(np.random.choice(lst3, 200))
        assert [lst3.index(str(c)) for c in picks] == vals
        w.record("randint3", s, "i64", vals)

        np.random.seed(s)
        i64 = np.iinfo(np.int64)
        vals = [np.random.randint(-5, 7) for _ in range(10)]
        vals += [np.random.randint(0, 1) for _ in range(3)]
        vals += [np.random.randint(0, 2**32) for _ in range(5)]
        vals += [np.random.randint(0, 2**32 + 1) for _ in range(5)]
        vals += [np.random.randint(0, 2**40) for _ in range(5)]
        vals += [np.random.randint(-2**62, 2**62) for _ in range(5)]
        vals += [np.random.randint(i64.min, i64.max) for _ in range(3)]
        vals += [np.random.randint(10**6, 10**6 + 1000) for _ in range(10)]
        vals += [np.random.randint(0, 2**31) for _ in range(3)]
        w.record("randint_ranges", s, "i64", vals)

        np.random.seed(s)
        w.record("binomial_p03_8x8", s, "i64", flat(np.random.binomial(1, 0.3, size=(8, 8))))
        np.random.seed(s)
        w.record("binomial_p05_8x8", s, "i64", flat(np.random.binomial(1, 0.5, size=(8, 8))))
        np.random.seed(s)
        w.record("binomial_inversion", s, "i64", binomial_recipe(BINOMIAL_INVERSION))

        np.random.seed(s)
        mixed = mixed_sequence()
        w.record("mixed", s, "f64", mixed)

        np.random.seed(s)
        vals = [np.random.standard_normal()]
        np.random.seed(s)  # must clear the cached second Gaussian
        vals += flat(np.random.standard_normal(3))
        assert vals[0] == vals[1]
        w.record("reseed", s, "f64", vals)
    return w.close()


def write_permutations(path):
    w = Writer(path, "numpy legacy RandomState.permutation(n), per seed")
    for s in SEEDS:
        for n in PERM_FULL:
            np.random.seed(s)
            perm = flat(np.random.permutation(n))
            rs = np.random.RandomState(s)
            assert flat(rs.permutation(n)) == perm
            w.record("perm.%d" % n, s, "i64", perm)
        for n in PERM_LARGE:
            np.random.seed(s)
            perm = flat(np.random.permutation(n))
            assert sorted(perm) == list(range(n))
            w.record("perm_head.%d" % n, s, "i64", perm[:100])
            w.record("perm_tail.%d" % n, s, "i64", perm[-100:])
    return w.close()


def split_indices(n):
    """(test, train) of train_test_split(arange(n), test_size=0.2, random_state=42)."""
    import math
    n_test = math.ceil(0.2 * n)
    perm = flat(np.random.RandomState(42).permutation(n))
    test, train = perm[:n_test], perm[n_test:]
    try:
        from sklearn.model_selection import train_test_split
    except ImportError:
        return test, train, False
    sk_train, sk_test = train_test_split(np.arange(n), test_size=0.2, random_state=42)
    assert flat(sk_test) == test and flat(sk_train) == train, n
    return test, train, True


def write_splits(path):
    w = Writer(path, "scikit-learn train_test_split(arange(n), test_size=0.2, random_state=42)")
    used_sklearn = False
    for n in TTS_FULL + TTS_LARGE:
        test, train, used_sklearn = split_indices(n)
        w.record("tts_sizes", n, "i64", [len(test), len(train)])
        if n in TTS_FULL:
            w.record("tts_test", n, "i64", test)
            w.record("tts_train", n, "i64", train)
        else:
            w.record("tts_test_head", n, "i64", test[:100])
            w.record("tts_train_head", n, "i64", train[:100])
    if used_sklearn:
        from sklearn.model_selection import train_test_split
        for n in [0, 1]:
            try:
                train_test_split(np.arange(n), test_size=0.2, random_state=42)
            except ValueError:
                pass
            else:
                raise AssertionError("sklearn accepted n=%d" % n)
    return w.close(), used_sklearn


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "numpy_kat")
    os.makedirs(out, exist_ok=True)
    total = write_streams(os.path.join(out, "streams.txt"))
    total += write_permutations(os.path.join(out, "permutation.txt"))
    size, used_sklearn = write_splits(os.path.join(out, "train_test_split.txt"))
    total += size
    print("numpy %s; train_test_split %s; wrote %d bytes to %s" % (
        np.__version__,
        "checked against scikit-learn" if used_sklearn else "derived from permutation",
        total, os.path.normpath(out)))


if __name__ == "__main__":
    main()

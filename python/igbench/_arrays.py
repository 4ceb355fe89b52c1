"""Argument checks shared by the estimators: arrays of any layout and dtype convertible to
float64 become float64 views (no copy when they already are float64, whatever their strides);
everything else raises ValueError with one line saying what is wrong and how to fix it.
NaN and inf are found by the C++ core while it reads the arrays (no temporary of size n)."""
from __future__ import annotations

import numbers

import numpy as np

# Three contiguous folds of at least 2 samples each (METHOD.md section 6).
MIN_SAMPLES = 6


def as_float64(x, name: str) -> np.ndarray:
    """`x` as a float64 ndarray (a view when possible)."""
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name} is a string, not an array of numbers: pass a numpy array or nested lists")
    try:
        arr = np.asarray(x)
    except Exception as e:  # ragged lists, objects numpy cannot hold
        raise ValueError(f"{name} is not an array of numbers ({e}): pass a rectangular numpy array") from None
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} has complex values (dtype {arr.dtype}): pass real numbers")
    if arr.dtype.kind in "MmV":
        raise ValueError(f"{name} has dtype {arr.dtype}, not convertible to float64: pass real numbers")
    if arr.dtype != np.float64:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError, OverflowError) as e:
            raise ValueError(f"{name} is not convertible to float64 ({e}): pass real numbers") from None
    if not arr.flags.aligned:
        arr = np.array(arr, dtype=np.float64)
    return arr


def check_design(A, name: str, K: int | None = None, ref: str = "the fitted model") -> np.ndarray:
    """A 2-D samples x actions array with at least one column (and K columns if given)."""
    arr = as_float64(A, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (samples x actions), got shape {arr.shape}: "
                         f"reshape a single action with A.reshape(-1, 1)")
    if arr.shape[1] < 1:
        raise ValueError(f"{name} has no columns: K must be >= 1 (got 0)")
    if K is not None and arr.shape[1] != K:
        raise ValueError(f"{name} has {arr.shape[1]} columns but {ref} has K = {K}: every data set and "
                         f"prediction uses the same K actions, in the same order")
    return arr


def check_outcome(Y, name: str, n: int) -> np.ndarray:
    """A 1-D outcome of n values ((n, 1) is accepted and viewed as 1-D)."""
    arr = as_float64(Y, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of outcomes, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} values but its actions have {n} rows: give one outcome per sample")
    return arr


def check_data_set(pair, name: str, K: int | None = None, minimum: int = MIN_SAMPLES, ref: str = "observational A"):
    """An (A, Y) pair: A n x K, Y n values, n >= minimum."""
    if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
        raise ValueError(f"{name} must be a pair (A, Y) of actions (samples x K) and outcomes (samples)")
    A = check_design(pair[0], f"{name} A", K, ref)
    Y = check_outcome(pair[1], f"{name} Y", A.shape[0])
    if A.shape[0] < minimum:
        raise ValueError(f"{name} has {A.shape[0]} samples, too few: a data set needs at least {minimum} samples "
                         f"(three folds of 2)")
    return A, Y


def check_int(value, name: str, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer (got {value!r})")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum} (got {value})")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum} (got {value})")
    return value


def check_seed(value, name: str = "seed") -> int:
    return check_int(value, name, 0, 2**32 - 1)

"""Method names, colours, markers and order, and the figure geometry: the one place every
figure and table takes them from.

Order (top of a legend first): our method, the joint-interventional oracle, the pooled
baseline(s), the observational model. Colours are from the Okabe-Ito colour-blind-safe palette;
each method also has its own marker and line style so figures survive grey-scale printing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodStyle:
    key: str        # the column suffix in the result file: rmse_<key>, truth_rmse_<key>
    label: str      # the name shown in figures
    color: str
    marker: str
    linestyle: str


# Every method igbench can report, in the order figures and tables show them.
METHODS: tuple[MethodStyle, ...] = (
    MethodStyle("method", "our method", "#D55E00", "o", "-"),
    MethodStyle("jint", "joint-interventional data (oracle)", "#000000", "s", "--"),
    MethodStyle("pooled", "pooled data", "#0072B2", "^", "-."),
    MethodStyle("pooled_ref", "pooled (reference averaging)", "#56B4E9", "v", ":"),
    MethodStyle("obs", "observational data", "#E69F00", "D", (0, (1, 1.5))),
)
METHOD_ORDER: tuple[str, ...] = tuple(m.key for m in METHODS)
BY_KEY: dict[str, MethodStyle] = {m.key: m for m in METHODS}

# The oracle every paired difference is taken against.
REFERENCE_METHOD = "jint"

# The two metrics (column prefixes) and what they measure, as axis labels.
METRICS: tuple[str, ...] = ("rmse", "truth_rmse")
METRIC_LABEL = {
    "rmse": "RMSE vs. observed Y",
    "truth_rmse": "RMSE vs. true E[Y | do(a)]",
}

# The sweep axis of each experiment: the column, and its axis label.
X_LABEL = {
    "main": "samples per data set N",
    "ratio": "ratio of single-interventional\nto observational samples",
    "convergence": "total samples N_total",
}

# Single-column figure of an ICML paper (3.25 in text width).
FIG_WIDTH = 3.3  # inches
FIG_FORMATS = ("png", "pdf")
PNG_DPI = 300

RC = {
    "font.size": 7.5,
    "axes.titlesize": 7.5,
    "axes.labelsize": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "figure.titlesize": 7.5,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.minor.width": 0.4,
    "ytick.minor.width": 0.4,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "xtick.minor.size": 1.5,
    "ytick.minor.size": 1.5,
    "lines.linewidth": 1.1,
    "lines.markersize": 3.5,
    "errorbar.capsize": 2.0,
    "axes.grid": True,
    "grid.linewidth": 0.4,
    "grid.alpha": 0.35,
    "legend.frameon": False,
    "legend.handlelength": 2.4,
    "pdf.fonttype": 42,   # TrueType in PDFs: text stays editable and searchable
    "ps.fonttype": 42,
    "figure.constrained_layout.h_pad": 0.02,
    "figure.constrained_layout.w_pad": 0.02,
}
SHADE_ALPHA = 0.2


def style(key: str) -> MethodStyle:
    """The style of method `key`; unknown keys (a future method) get a grey fallback."""
    try:
        return BY_KEY[key]
    except KeyError:
        return MethodStyle(key, key, "#777777", "x", "-")


def ordered(keys) -> list[str]:
    """`keys` in the canonical method order (unknown keys last, alphabetically)."""
    keys = set(keys)
    known = [k for k in METHOD_ORDER if k in keys]
    return known + sorted(keys - set(METHOD_ORDER))

"""Figures of the three experiments, one per group (results.GroupStats), as PNG and PDF.

- main: mean +- SEM per method as a point with an error bar (one row per method), panels
  "RMSE vs. observed Y" and "RMSE vs. true E[Y | do(a)]"; a group with several N draws lines
  with error bars over N (log x) instead.
- ratio: lines with a shaded band of +-SEM over the ratio (log x), same two panels (a sweep of
  one point gets error bars: a band needs two).
- convergence: lines with shaded +-SEM over N_total (log x); the truth panel is log-log.

Every number drawn comes from GroupStats.series (the same numbers as `analysis summary`); each
point's band uses that point's own SEM. Artists carry gid "<metric>:<method>" (the mean line or
points) and "<metric>:<method>:sem" (the band or the error bars) so tests can find them.
"""
from __future__ import annotations

import contextlib
import os
import textwrap
import warnings

import matplotlib

matplotlib.use("Agg")  # files only; no display on cluster nodes
import matplotlib as mpl  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter  # noqa: E402
from matplotlib.transforms import blended_transform_factory  # noqa: E402

from . import results, style  # noqa: E402


def _runs_text(g: results.GroupStats) -> str:
    lo, hi = g.runs_range()
    runs = f"{lo} runs" if lo == hi else f"{lo}-{hi} runs"
    failed = sum(p.n_failed for p in g.points)
    return runs + (f" ({failed} failed run{'s' if failed > 1 else ''} excluded)" if failed else "")


def _power_label(v: float) -> str:
    e = int(np.floor(np.log10(v) + 1e-9))
    m = v / 10.0 ** e
    return f"$10^{{{e}}}$" if abs(m - 1) < 1e-6 else f"${m:g}\\times10^{{{e}}}$"


def _tick_formatter(lo: float, hi: float) -> FuncFormatter:
    """Plain numbers (0.05, 1, 200, 5000) unless the axis reaches 10^5 over two decades or
    more; then every label is a power of ten, so one axis never mixes the two styles."""
    powers = hi >= 1e5 and lo > 0 and hi / lo >= 100
    return FuncFormatter(lambda v, _pos=None: "" if v <= 0 else (_power_label(v) if powers else f"{v:g}"))


def _log_ticks(axis, lo: float, hi: float):
    """Readable log ticks: 1-2-5 steps over a short range, decades over a long one."""
    span = np.log10(hi / lo) if lo > 0 and hi > 0 else np.inf
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if span < 2.2 else (1.0,)))
    axis.set_major_formatter(_tick_formatter(lo, hi))
    axis.set_minor_formatter(NullFormatter())


def _sweep_ticks(axis, xs):
    """The sweep axis: a tick at every point when there are few, else readable log ticks."""
    if len(xs) <= 6:
        axis.set_major_locator(FixedLocator(xs))
        axis.set_major_formatter(_tick_formatter(xs.min(), xs.max()))
        axis.set_minor_formatter(NullFormatter())
    else:
        _log_ticks(axis, xs.min(), xs.max())


@contextlib.contextmanager
def _nan_errors_quiet():
    """A point with one run has SEM NaN and gets no error bar; matplotlib would warn about it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Warning: converting a masked element to nan")
        yield


def _wrap(label: str, width: int = 20) -> str:
    return "\n".join(textwrap.wrap(label, width))


STATS = ("mean", "median")
_STAT_TEXT = {"mean": "mean \u00b1 SEM", "median": "median, 95% bootstrap interval"}


def _center_band(g: results.GroupStats, metric: str, m: str, stat: str):
    """x, centre, lower, upper, drawn-record of one series: mean +- SEM, or the median and its
    bootstrap interval (analysis.robust)."""
    x, mean, sem, n = g.series(metric, m)
    if stat == "median":
        _, med, lo, hi = g.median_series(metric, m)
        return x, med, lo, hi, dict(x=x, median=med, lower=lo, upper=hi, n=n)
    return x, mean, mean - sem, mean + sem, dict(x=x, mean=mean, sem=sem, n=n)


def _errors(center, lower, upper):
    """Asymmetric error-bar lengths (NaN where no interval)."""
    return np.vstack([center - lower, upper - center])


def _main_points(g: results.GroupStats, stat: str = "mean"):
    """main with one N: a point with an SEM error bar per method, methods listed top to bottom."""
    methods = g.all_methods()
    height = 0.9 + 0.22 * len(methods) * 2
    fig = Figure(figsize=(style.FIG_WIDTH, height), layout="constrained")
    axes = fig.subplots(2, 1, sharey=True)
    pos = {m: len(methods) - 1 - i for i, m in enumerate(methods)}  # first method on top
    drawn = {}
    for ax, metric in zip(axes, style.METRICS):
        for m in g.methods[metric]:
            s = style.style(m)
            x, center, lower, upper, record = _center_band(g, metric, m, stat)
            y = np.full_like(center, pos[m], dtype=float)
            with _nan_errors_quiet():
                c = ax.errorbar(center, y, xerr=_errors(center, lower, upper), fmt=s.marker, color=s.color, ecolor=s.color,
                                elinewidth=1.0, capthick=1.0, label=s.label)
            c.lines[0].set_gid(f"{metric}:{m}")
            c.lines[2][0].set_gid(f"{metric}:{m}:sem")
            drawn[(metric, m)] = record
        ax.set_xlabel(style.METRIC_LABEL[metric])
        ax.set_yticks([pos[m] for m in methods], [_wrap(style.style(m).label) for m in methods])
        ax.set_ylim(-0.6, len(methods) - 0.4)
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.08)
    (N,) = [p.x for p in g.points]
    fig.suptitle(f"{g.key.title()}, N={results.format_x(N)}\n{_STAT_TEXT[stat]} over {_runs_text(g)}")
    fig.align_ylabels(axes)
    return fig, drawn


def _lines(g: results.GroupStats, shaded: bool, stat: str = "mean"):
    """Lines over the sweep axis (log x): shaded +-SEM bands, or error bars (main over N)."""
    fig = Figure(figsize=(style.FIG_WIDTH, 3.5), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    drawn = {}
    handles = {}
    for ax, metric in zip(axes, style.METRICS):
        for m in g.methods[metric]:
            s = style.style(m)
            x, center, lower, upper, record = _center_band(g, metric, m, stat)
            if shaded:
                (line,) = ax.plot(x, center, color=s.color, marker=s.marker, linestyle=s.linestyle,
                                  label=s.label, gid=f"{metric}:{m}", zorder=3)
                ax.fill_between(x, lower, upper, color=s.color, alpha=style.SHADE_ALPHA,
                                linewidth=0, gid=f"{metric}:{m}:sem", zorder=2)
            else:
                with _nan_errors_quiet():
                    c = ax.errorbar(x, center, yerr=_errors(center, lower, upper), color=s.color, marker=s.marker, linestyle=s.linestyle,
                                    label=s.label, zorder=3)
                line = c.lines[0]
                line.set_gid(f"{metric}:{m}")
                c.lines[2][0].set_gid(f"{metric}:{m}:sem")
            handles.setdefault(m, line)
            drawn[(metric, m)] = record
        ax.set_ylabel(_wrap(style.METRIC_LABEL[metric], 14))
        ax.set_xscale("log")
    if g.experiment == "convergence":
        axes[1].set_yscale("log")
        _log_ticks(axes[1].yaxis, *axes[1].get_ylim())
    _sweep_ticks(axes[1].xaxis, np.array([p.x for p in g.points]))
    axes[1].set_xlabel(style.X_LABEL[g.experiment])
    # Legend above the panels, centred on the figure, two columns read row by row.
    order = style.ordered(handles)
    ncol = 2 if len(order) > 1 else 1
    rows = -(-len(order) // ncol)
    by_column = [order[r * ncol + c] for c in range(ncol) for r in range(rows) if r * ncol + c < len(order)]
    axes[0].legend([handles[m] for m in by_column], [style.style(m).label for m in by_column],
                   loc="lower center", ncol=ncol, borderaxespad=0.0, columnspacing=1.2, handlelength=2.2,
                   bbox_to_anchor=(0.5, 1.03),
                   bbox_transform=blended_transform_factory(fig.transFigure, axes[0].transAxes))
    fig.suptitle(f"{g.key.title()}\n{_STAT_TEXT[stat]} over {_runs_text(g)}")
    fig.align_ylabels(axes)
    return fig, drawn


def draw(g: results.GroupStats, stat: str = "mean"):
    """The figure of one group; returns (figure, {(metric, method): dict(x, mean, sem, n)})
    with exactly the numbers drawn (dict(x, median, lower, upper, n) with stat="median")."""
    if stat not in STATS:
        raise ValueError(f"stat must be one of {STATS}, not {stat!r}")
    with mpl.rc_context(style.RC):
        if g.experiment == "main" and len(g.points) == 1:
            return _main_points(g, stat)
        # A band needs two points: a one-point sweep gets an error bar instead.
        return _lines(g, shaded=g.experiment != "main" and len(g.points) > 1, stat=stat)


def save(fig: Figure, out_dir, stem: str, formats=style.FIG_FORMATS) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    with mpl.rc_context(style.RC):
        for fmt in formats:
            path = os.path.join(out_dir, f"{stem}.{fmt}")
            fig.savefig(path, dpi=style.PNG_DPI if fmt == "png" else None)
            paths.append(path)
    return paths


def plot_groups(groups, out_dir, formats=style.FIG_FORMATS, stat: str = "mean") -> list[str]:
    """Draws and saves the figure of every group; returns the files written (stems get a
    "_median" suffix with stat="median")."""
    written = []
    for g in groups:
        fig, _ = draw(g, stat)
        written += save(fig, out_dir, g.key.stem() + ("_median" if stat == "median" else ""), formats)
    return written


def plot_file(path, out_dir, formats=style.FIG_FORMATS, stat: str = "mean") -> list[str]:
    """Draws every group of result file `path` into `out_dir`; returns the files written."""
    return plot_groups(results.analyse(results.load(path)), out_dir, formats, stat)

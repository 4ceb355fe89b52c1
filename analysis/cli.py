"""Command line: `python3 -m analysis <command>` (run from the repository root).

Exit codes: 0 success, 1 an output could not be written, 2 bad input (a missing or unreadable
result file, a file that is not an igbench result file, bad arguments); the error is one line on
stderr naming the file.
"""
from __future__ import annotations

import argparse
import sys

from . import results, style

DESCRIPTION = "Figures and tables of igbench result files (docs/results-format.md)."
PLOT_HELP = """Draws one figure per group of the file (experiment, scm_type, K, n_order_fit,
regularization, rng; and N_avg for the data ratio experiment) as PNG and PDF in DIR, named like
main_polynomial_K5_d3_ridge.png: main = mean +- SEM per method; ratio = lines with shaded SEM
over the ratio (log x); convergence = lines with shaded SEM over N_total (log x, truth panel
log-log). With --stat median: the median and its 95% percentile-bootstrap interval instead
(files named ..._median.png), robust to the heavy-tailed runs of the linear SCM. Prints the
files written."""
SUMMARY_HELP = """Prints, per group, point and method: the number of runs used (status ok, finite
value), mean +- SEM of rmse and truth_rmse, and the paired difference method - jint +- SEM.
SEM = std(ddof=1)/sqrt(n); the median with its 95% percentile-bootstrap interval (2000
resamples, the same numbers as `igbench summary`); and the runs with the largest values."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m analysis", description=DESCRIPTION)
    sub = p.add_subparsers(dest="command", required=True, metavar="{plot,summary}")
    pl = sub.add_parser("plot", help="draw the figures of a result file", description=PLOT_HELP)
    pl.add_argument("results", metavar="RESULTS.h5", help="an igbench result file")
    pl.add_argument("--out", metavar="DIR", required=True, help="folder for the figures (created if needed)")
    pl.add_argument("--formats", default=",".join(style.FIG_FORMATS),
                    help="comma-separated file formats (default: %(default)s)")
    pl.add_argument("--stat", choices=("mean", "median"), default="mean",
                    help="mean +- SEM (default, as the paper) or median with a 95%% bootstrap interval")
    su = sub.add_parser("summary", help="print the tables of a result file", description=SUMMARY_HELP)
    su.add_argument("results", metavar="RESULTS.h5", help="an igbench result file")
    su.add_argument("--csv", metavar="PATH", help="also write the table as CSV (one row per group, point, method)")
    return p


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "plot":
        from matplotlib.backend_bases import FigureCanvasBase
        formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
        supported = FigureCanvasBase.get_supported_filetypes()
        bad = [f for f in formats if f not in supported]
        if bad or not formats:
            parser.error(f"--formats: unsupported {', '.join(bad) or 'empty list'} "
                         f"(choose from {', '.join(sorted(supported))})")
    try:
        rf = results.load(args.results)
        groups = results.analyse(rf)
    except results.ResultsError as e:
        print(f"analysis: error: {e}", file=sys.stderr)
        return 2
    try:
        if args.command == "plot":
            from . import plots  # matplotlib only when drawing
            for path in plots.plot_groups(groups, args.out, formats, args.stat):
                print(path)
        else:
            from . import summary
            sys.stdout.write(summary.text(rf, groups))
            if args.csv:
                summary.write_csv(args.csv, groups)
    except OSError as e:
        print(f"analysis: error: cannot write {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0

"""The tables of a result file: per group, point and method the number of runs, mean +- SEM of
rmse and truth_rmse, their medians with 95% bootstrap intervals (analysis.robust), the paired
difference method - jint +- SEM, and the runs with the largest rmse (results.analyse)."""
from __future__ import annotations

import csv
import math

from . import results, style

CSV_COLUMNS = (
    "experiment", "scm_type", "K", "n_order_fit", "regularization", "rng",
    "N", "N_avg", "ratio", "N_total", "N_obs", "N_sint", "N_jint", "runs", "failed", "method",
    "n_rmse", "rmse_mean", "rmse_sem", "n_truth_rmse", "truth_rmse_mean", "truth_rmse_sem",
    "n_diff_rmse", "diff_rmse_mean", "diff_rmse_sem",
    "n_diff_truth_rmse", "diff_truth_rmse_mean", "diff_truth_rmse_sem",
    "rmse_median", "rmse_median_lower", "rmse_median_upper",
    "truth_rmse_median", "truth_rmse_median_lower", "truth_rmse_median_upper",
)


def rows(groups):
    """One dict per (group, point, method present in the group), numbers as floats/ints."""
    out = []
    for g in groups:
        k = g.key
        for p in g.points:
            size = p.sizes[0] if len(p.sizes) == 1 else (None, None, None)
            base = dict(experiment=k.experiment, scm_type=k.scm_type, K=k.K, n_order_fit=k.n_order_fit,
                        regularization=k.regularization, rng=k.rng,
                        N=int(p.x) if k.experiment == "main" else None,
                        N_avg=k.N_avg, ratio=p.x if k.experiment == "ratio" else None,
                        N_total=int(p.x) if k.experiment == "convergence" else None,
                        N_obs=size[0], N_sint=size[1], N_jint=size[2], runs=p.n_rows, failed=p.n_failed)
            for m in g.all_methods():
                row = dict(base, method=m)
                for metric in style.METRICS:
                    s = p.stats.get((metric, m)) if m in g.methods[metric] else None
                    d = p.diffs.get((metric, m)) if m in g.methods[metric] else None
                    q = p.medians.get((metric, m)) if m in g.methods[metric] else None
                    row[f"{metric}_median"] = q.median if q else None
                    row[f"{metric}_median_lower"] = q.lower if q else None
                    row[f"{metric}_median_upper"] = q.upper if q else None
                    row[f"n_{metric}"] = s.n if s else None
                    row[f"{metric}_mean"] = s.mean if s else None
                    row[f"{metric}_sem"] = s.sem if s else None
                    row[f"n_diff_{metric}"] = d.n if d else None
                    row[f"diff_{metric}_mean"] = d.mean if d else None
                    row[f"diff_{metric}_sem"] = d.sem if d else None
                out.append(row)
    return out


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "nan" if v is not None else "-"
    return f"{v:.6g}"


def _pm(mean, sem) -> str:
    return "-" if mean is None else f"{_num(mean)} +- {_num(sem)}"


def _ci(median, lower, upper) -> str:
    return "-" if median is None else f"{_num(median)} [{_num(lower)}, {_num(upper)}]"


def _worst(p, g) -> str:
    """The runs with the largest rmse per method, e.g. "method run 17 (3.66), run 4 (1.2)"."""
    parts = []
    for m in g.methods.get("rmse", []):
        runs = p.worst.get(("rmse", m), [])
        if runs:
            parts.append(f"{m} " + ", ".join(f"run {r} ({_num(v)})" for r, v in runs))
    return "; ".join(parts)


def _int(v) -> str:
    return "" if v is None else str(int(v))


def text(rf: results.ResultFile, groups) -> str:
    """The plain-text tables `analysis summary` prints."""
    a = rf.attrs
    failed = int((rf.runs["status"] != "ok").sum())
    lines = [f"# {rf.path}: experiment {a.get('experiment', '?')}, {rf.n_rows} rows, {failed} failed; "
             f"igbench {a.get('igbench_version', '?')} ({str(a.get('git_commit', '?'))[:12]}), "
             f"complete={a.get('complete', '?')}",
             "# mean +- SEM over runs with status ok and a finite value; "
             f"diff = method - {style.REFERENCE_METHOD}, paired by run; "
             "median [95% percentile-bootstrap interval, 2000 resamples]"]
    header = ("method", "n", "rmse", "truth_rmse", f"rmse diff vs {style.REFERENCE_METHOD}",
              f"truth_rmse diff vs {style.REFERENCE_METHOD}", "rmse median", "truth_rmse median")
    for g in groups:
        lines += ["", f"== {g.experiment}: {g.key.title()}  [{g.key.stem()}]"]
        table_rows = rows([g])
        for p in g.points:
            size = "; ".join(f"N_obs={o}, N_sint={s}, N_jint={j}" for o, s, j in p.sizes)
            lines.append(f"-- {p.label(g.experiment)} ({size}; {p.n_rows} runs, {p.n_failed} failed)")
            cells = [header]
            for r in table_rows:
                if r[g.x_name] != p.x:
                    continue
                n1, n2 = r["n_rmse"], r["n_truth_rmse"]
                n = _int(n1) if n1 == n2 or n2 is None else (_int(n2) if n1 is None else f"{_int(n1)}/{_int(n2)}")
                cells.append((r["method"], n, _pm(r["rmse_mean"], r["rmse_sem"]),
                              _pm(r["truth_rmse_mean"], r["truth_rmse_sem"]),
                              _pm(r["diff_rmse_mean"], r["diff_rmse_sem"]),
                              _pm(r["diff_truth_rmse_mean"], r["diff_truth_rmse_sem"]),
                              _ci(r["rmse_median"], r["rmse_median_lower"], r["rmse_median_upper"]),
                              _ci(r["truth_rmse_median"], r["truth_rmse_median_lower"],
                                  r["truth_rmse_median_upper"])))
            widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
            for c in cells:
                lines.append("  " + "  ".join(v.ljust(w) if i == 0 else v.rjust(w)
                                              for i, (v, w) in enumerate(zip(c, widths))).rstrip())
            worst = _worst(p, g)
            if worst:
                lines.append(f"  largest rmse: {worst}")
    return "\n".join(lines) + "\n"


def write_csv(path, groups) -> None:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for r in rows(groups):
            w.writerow({k: ("" if r[k] is None else (repr(r[k]) if isinstance(r[k], float) else r[k]))
                        for k in CSV_COLUMNS})

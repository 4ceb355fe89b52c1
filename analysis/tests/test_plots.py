"""Figures: files written, and the numbers drawn (read back from the matplotlib artists) equal
the statistics computed independently from the file."""
import os
import subprocess
import sys

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from analysis import plots, results, style
from conftest import ALL_METHODS, Sweep
from independent import arrays_close, expected

EXPERIMENTS = ("main", "ratio", "convergence")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def by_gid(fig, gid):
    found = fig.findobj(lambda a: a.get_gid() == gid)
    assert len(found) <= 1, gid
    return found[0] if found else None


def check_artists(fig, g, want):
    """Every plotted mean and SEM equals the independent statistics; nothing else is drawn."""
    horizontal = g.experiment == "main" and len(g.points) == 1
    xs = np.array(sorted(want["points"]))
    for metric in style.METRICS:
        for m in ALL_METHODS:
            line, band = by_gid(fig, f"{metric}:{m}"), by_gid(fig, f"{metric}:{m}:sem")
            if m not in want["methods"][metric]:
                assert line is None and band is None, (metric, m)
                continue
            mean = np.array([want["points"][x][(metric, m)][1] for x in xs])
            sem = np.array([want["points"][x][(metric, m)][2] for x in xs])
            if horizontal:  # one point per method: x = mean, error bar along x
                assert arrays_close(line.get_xdata(), mean)
                segs = np.array(band.get_segments())
                assert arrays_close(segs[:, 0, 0], mean - sem) and arrays_close(segs[:, 1, 0], mean + sem)
                assert arrays_close(segs[:, 0, 1], line.get_ydata())
                continue
            assert arrays_close(line.get_xdata(), xs) and arrays_close(line.get_ydata(), mean)
            if g.experiment == "main" or len(xs) == 1:  # error bars
                segs = np.array(band.get_segments())
                assert arrays_close(segs[:, 0, 0], xs)
                assert arrays_close(segs[:, 0, 1], mean - sem) and arrays_close(segs[:, 1, 1], mean + sem)
            else:  # shaded band: at each x the polygon spans that point's own mean -+ SEM
                (path,) = band.get_paths()
                v = path.vertices
                for x, lo, hi in zip(xs, mean - sem, mean + sem):
                    ys = v[v[:, 0] == x, 1]
                    assert arrays_close([ys.min(), ys.max()], [lo, hi]), (metric, m, x)


def figures(path):
    return [(g, *plots.draw(g)) for g in results.analyse(results.load(path))]


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_cli_writes_png_and_pdf_of_every_group(result_file, experiment, tmp_path):
    path = result_file(experiment)
    done = run_cli("plot", path, "--out", tmp_path / "figs")
    assert done.returncode == 0, done.stderr
    names = sorted(os.listdir(tmp_path / "figs"))
    assert names == sorted(f"{s}.{ext}" for s in expected(path) for ext in ("png", "pdf"))
    assert sorted(done.stdout.split()) == sorted(str(tmp_path / "figs" / n) for n in names)
    for n in names:
        with open(tmp_path / "figs" / n, "rb") as f:
            head = f.read(8)
        assert head.startswith(b"\x89PNG" if n.endswith(".png") else b"%PDF"), n
    import matplotlib.image
    for n in names:
        if n.endswith(".png"):
            width_in = matplotlib.image.imread(tmp_path / "figs" / n).shape[1] / style.PNG_DPI
            assert abs(width_in - style.FIG_WIDTH) < 0.05, (n, width_in)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_drawn_numbers_equal_the_file(result_file, experiment):
    path = result_file(experiment)
    want = expected(path)
    for g, fig, drawn in figures(path):
        w = want[g.key.stem()]
        check_artists(fig, g, w)
        # The numbers the function reports drawing are the same ones.
        for (metric, m), d in drawn.items():
            xs = sorted(w["points"])
            assert arrays_close(d["mean"], [w["points"][x][(metric, m)][1] for x in xs])
            assert arrays_close(d["sem"], [w["points"][x][(metric, m)][2] for x in xs])


def test_main_with_several_N_and_all_methods(synthetic_file):
    path = synthetic_file(Sweep("main", N=(200, 400, 800), N_runs=4, methods=ALL_METHODS, failed=((1, 0),)))
    want = expected(path)
    ((g, fig, _),) = figures(path)
    assert set(want[g.key.stem()]["methods"]["rmse"]) == set(ALL_METHODS)
    check_artists(fig, g, want[g.key.stem()])
    assert fig.axes[0].get_xscale() == "log"


def test_each_point_is_shaded_with_its_own_sem(synthetic_file):
    # The reference shaded every point with the last point's SEM; here SEMs differ by point,
    # and check_artists compares each x's band with that point's SEM.
    path = synthetic_file(Sweep("convergence", N_total=(200, 2000, 20000), N_runs=6))
    want = expected(path)
    ((g, fig, _),) = figures(path)
    sems = [want[g.key.stem()]["points"][x][("truth_rmse", "method")][2] for x in sorted(want[g.key.stem()]["points"])]
    assert len(set(np.round(sems, 12))) == len(sems)
    check_artists(fig, g, want[g.key.stem()])


def test_a_one_point_sweep_gets_error_bars(synthetic_file):
    path = synthetic_file(Sweep("ratio", ratios=(1.0,), N_runs=3), Sweep("convergence", N_total=(400,), N_runs=3))
    want = expected(path)
    for g, fig, _ in figures(path):
        check_artists(fig, g, want[g.key.stem()])


def test_axes_labels_scales_and_fonts(result_file):
    for experiment in EXPERIMENTS:
        for g, fig, _ in figures(result_file(experiment)):
            top, bottom = fig.axes[:2]
            texts = [a.get_xlabel() + a.get_ylabel() for a in (top, bottom)]
            assert any("RMSE vs. observed Y" in t.replace("\n", " ") for t in texts)
            assert any("RMSE vs. true E[Y | do(a)]" in t.replace("\n", " ") for t in texts)
            if experiment != "main" or len(g.points) > 1:
                assert bottom.get_xscale() == "log"
                assert bottom.get_xlabel() == style.X_LABEL[experiment]
            if experiment == "convergence":
                assert bottom.get_yscale() == "log" and top.get_yscale() == "linear"
            assert abs(fig.get_figwidth() - style.FIG_WIDTH) < 1e-9
            for t in fig.findobj(Text):
                if t.get_text() and t.get_visible():
                    assert 7 <= t.get_fontsize() <= 8, (t.get_text(), t.get_fontsize())


def test_legend_does_not_cover_the_panels(result_file):
    for experiment in ("ratio", "convergence"):
        for g, fig, _ in figures(result_file(experiment)):
            FigureCanvasAgg(fig).draw()
            legend = fig.axes[0].get_legend()
            assert legend is not None
            box = legend.get_window_extent()
            for ax in fig.axes:
                assert not box.overlaps(ax.get_window_extent()), experiment
            assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1


def test_same_colours_and_order_in_every_figure(result_file, synthetic_file):
    paths = [result_file(e) for e in EXPERIMENTS]
    paths.append(synthetic_file(Sweep("main", N=(200, 400), methods=ALL_METHODS)))
    colours = {}
    for path in paths:
        for g, fig, _ in figures(path):
            for metric in style.METRICS:
                for m in g.methods[metric]:
                    line = by_gid(fig, f"{metric}:{m}")
                    colours.setdefault(m, set()).add(mcolors.to_hex(line.get_color()))
                    band = by_gid(fig, f"{metric}:{m}:sem")
                    c = band.get_color() if g.experiment == "main" or len(g.points) == 1 else band.get_facecolor()
                    assert mcolors.to_hex(np.asarray(c)[0], keep_alpha=False) == mcolors.to_hex(style.style(m).color)
            if g.experiment == "main" and len(g.points) == 1:
                labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
                assert labels == [style.style(m).label for m in g.all_methods()]
                assert g.all_methods() == style.ordered(g.all_methods())
            else:
                legend = fig.axes[0].get_legend()
                labels = [t.get_text() for t in legend.get_texts()]
                rows = -(-len(labels) // 2)
                row_major = [labels[c * rows + r] for r in range(rows) for c in range(2) if c * rows + r < len(labels)]
                assert row_major == [style.style(m).label for m in g.all_methods()]
    for m, cs in colours.items():
        assert cs == {mcolors.to_hex(style.style(m).color)}, m
    assert set(colours) == set(ALL_METHODS)
    assert len({s.color for s in style.METHODS}) == len(style.METHODS)

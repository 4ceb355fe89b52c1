"""`cmake --install` puts the package into Debian's dist-packages layout; it imports from there
(not from the build tree) and runs the README example."""
import os
import subprocess
import sys

from conftest import BUILD_DIR
from test_experiment import README_EXAMPLE


def cache():
    p = subprocess.run(["cmake", "-LA", "-N", BUILD_DIR], capture_output=True, text=True, timeout=60)
    return dict(l.split("=", 1) for l in p.stdout.splitlines() if "=" in l and ":" in l.split("=", 1)[0])


def cache_value(name):
    return next(v for k, v in cache().items() if k.split(":")[0] == name)


def test_install_into_a_prefix_and_import(tmp_path):
    prefix = tmp_path / "prefix"
    p = subprocess.run(["cmake", "--install", BUILD_DIR, "--component", "python", "--prefix", str(prefix)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    site = prefix / cache_value("IGBENCH_PYTHON_INSTALL_DIR")
    assert (site / "igbench" / "__init__.py").exists()
    env = {k: val for k, val in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    code = "import igbench; print(igbench.__file__)\n" + README_EXAMPLE
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.splitlines()[:2]
    assert first.startswith(str(site)), first
    assert second.startswith("Our method RMSE: ")


def test_debian_layout_for_prefix_usr():
    """For prefix /usr the package goes to lib/python3/dist-packages (Debian's own packages)."""
    prefix = cache_value("CMAKE_INSTALL_PREFIX")
    v = f"{sys.version_info[0]}.{sys.version_info[1]}"
    want = "lib/python3/dist-packages" if prefix == "/usr" else f"lib/python{v}/dist-packages"
    assert cache_value("IGBENCH_PYTHON_INSTALL_DIR") == want
    # the directory is on Debian's python3 path for that prefix
    site_dirs = subprocess.run([sys.executable, "-c", "import site; print(site.getsitepackages())"],
                               capture_output=True, text=True).stdout
    assert os.path.join(prefix, want) in site_dirs

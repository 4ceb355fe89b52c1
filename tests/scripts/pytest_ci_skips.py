"""pytest plugin (loaded with -p pytest_ci_skips): the skip policy.

Under CI=true a skipped test is a test that did not run, so the session fails (exit status 1)
and names the skipped tests; elsewhere skips behave as usual.
"""
from __future__ import annotations

import os

_skipped: list[str] = []


def _on_ci() -> bool:
    return os.environ.get("CI") == "true"


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _on_ci() and _skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _on_ci() and _skipped:
        terminalreporter.write_line(
            f"CI=true: {len(_skipped)} skipped test(s) count as failures: " + ", ".join(_skipped), red=True)

"""Tests that measure themselves: the suite names the tests that should be marked slow.

A test whose call takes longer than ``VOTING_SLOW_SECONDS`` (default 5) should carry
``@pytest.mark.slow``, so that ``python -m pytest -m "not slow"`` stays the quick loop
(CI runs everything, and prints the slowest tests with ``--durations``). This plugin,
enabled by ``tests/conftest.py``, lists at the end of a run every test over the
threshold that is not marked. It never fails a run: timings vary with the machine and
its load, and the first call of a numba kernel compiles it on a cold cache (a test that
is slow only then need not be marked).
"""

from __future__ import annotations

import os

import pytest

DEFAULT_SLOW_SECONDS = 5.0
"""Seconds of a test's call above which it should be marked slow."""


class SlowReport:
    """Collects the calls over ``threshold`` seconds without the ``slow`` marker."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.unmarked: list[tuple[float, str]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        late = report.when == "call" and report.duration > self.threshold
        if late and "slow" not in report.keywords:
            self.unmarked.append((report.duration, report.nodeid))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.unmarked:
            return
        terminalreporter.write_sep("=", f"over {self.threshold:g} s and not marked slow")
        for seconds, nodeid in sorted(self.unmarked, reverse=True):
            terminalreporter.write_line(f"{seconds:.2f}s {nodeid}")
        terminalreporter.write_line(
            "(mark them @pytest.mark.slow if they are slow on a warm numba cache; "
            "a cold cache compiles kernels)"
        )


def pytest_configure(config: pytest.Config) -> None:
    """Register the report, with ``VOTING_SLOW_SECONDS`` as its threshold."""
    threshold = float(os.environ.get("VOTING_SLOW_SECONDS", DEFAULT_SLOW_SECONDS))
    config.pluginmanager.register(SlowReport(threshold), "voting-slow-report")

"""The suite's own timing report (``tests/slow_report.py``): tests over the threshold
and not marked slow are listed at the end of a run, marked ones are not."""

from __future__ import annotations

import pytest

pytest_plugins = ("pytester",)

SAMPLE = """
import pytest

def test_first():
    pass

@pytest.mark.slow
def test_marked():
    pass

def test_unmarked():
    pass
"""


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    pytester.makeini("[pytest]\nmarkers =\n    slow: long-running tests\n")
    pytester.makepyfile(test_sample=SAMPLE)
    return pytester.runpytest_inprocess(
        "-p", "tests.slow_report", "-p", "no:randomly", "-W", "ignore::pytest.PytestWarning"
    )


def test_tests_over_the_threshold_without_the_marker_are_listed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOTING_SLOW_SECONDS", "-1")  # every call is "slow"
    result = _run(pytester)
    result.assert_outcomes(passed=3)
    out = result.stdout.str()
    assert "over -1 s and not marked slow" in out
    assert "test_sample.py::test_unmarked" in out
    assert "test_sample.py::test_first" in out
    assert "test_sample.py::test_marked" not in out


def test_nothing_is_listed_under_the_threshold(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOTING_SLOW_SECONDS", "3600")
    result = _run(pytester)
    result.assert_outcomes(passed=3)
    assert "not marked slow" not in result.stdout.str()

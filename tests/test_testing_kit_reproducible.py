"""The same budget searches the same examples, whatever ran before in the process.

A :class:`voting.testing.Budget` with a fixed ``max_examples`` promises the same
examples in the same order on every run. Hypothesis (6.131 and later) also draws
constants from the source of the modules a process has imported, so before the kit
hid them, a check's examples depended on what had been imported first (the numba
kernels, the user's own modules): the first draft of Black's method in
``docs/testing-your-method.md`` failed three checks in a fresh process and two after
a run on the numba engine. ``tests/kit_replay.py`` runs that check after chosen prior
work and records every profile the method was run on, with the outcome.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import hypothesis
import pytest

from tests.kit_replay import DraftBlack, after, plain_hypothesis_examples, replay
from voting.testing import Budget, check_anonymity

ROOT = Path(__file__).resolve().parent.parent

PRIOR_CONSTANTS = "CODES = (101, 103, 107, 109, 113, 117, 200, 255)\n"
"""Local source with integers in the range of the ballot codes the strategies draw."""


def _constants_dir(tmp_path: Path) -> Path:
    (tmp_path / "prior_constants.py").write_text(PRIOR_CONSTANTS, encoding="utf-8")
    return tmp_path


def _fresh_process(*steps: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.kit_replay", *steps],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record: dict[str, Any] = json.loads(done.stdout)
    return record


def test_the_same_budget_searches_the_same_examples_twice_in_one_process(
    tmp_path: Path,
) -> None:
    first = replay()
    with after([f"constants={_constants_dir(tmp_path)}", "numba", "check", "hypothesis"]):
        second = replay()
    assert second == first
    assert len(first["profiles"]) > 12 * 30  # every check ran, on its derived profiles too
    statuses = {o["check"]: o["status"] for o in first["outcomes"]}
    assert statuses["check_weights_equal_repetition"] == "failed"  # the draft's bug


@pytest.fixture(scope="module")
def fresh_processes(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], ...]:
    """The records of a fresh process that did nothing first, and of one that imported
    local source, counted on numba, ran another check and a plain hypothesis test, and
    loaded a hypothesis profile."""
    folder = _constants_dir(tmp_path_factory.mktemp("prior"))
    bare = _fresh_process()
    busy = _fresh_process(f"constants={folder}", "numba", "check", "hypothesis", "profile")
    return bare, busy


def test_fresh_processes_after_different_work_search_the_same_examples(
    fresh_processes: tuple[dict[str, Any], ...],
) -> None:
    bare, busy = fresh_processes
    assert busy["kit"] == bare["kit"]
    assert bare["kit"] == replay()  # and the same as in this process, whatever it ran


@pytest.mark.skipif(
    hypothesis.version.__version_info__ < (6, 131, 1),
    reason="hypothesis before 6.131.1 draws no constants from local source code",
)
def test_the_same_prior_work_changes_what_plain_hypothesis_draws(
    fresh_processes: tuple[dict[str, Any], ...],
) -> None:
    """The control: the same prior work changes a plain seeded hypothesis search of the
    same strategies, so the equality above is the kit's doing."""
    bare, busy = fresh_processes
    assert busy["plain"] != bare["plain"]


def test_hypothesis_outside_the_kit_keeps_its_local_constants(tmp_path: Path) -> None:
    """The kit hides local constants only while it searches: a plain hypothesis test
    run after a check draws as it did before it."""
    budget = Budget(seconds=None, max_examples=50)
    with after([f"constants={_constants_dir(tmp_path)}"]):
        check_anonymity(DraftBlack(), budget=budget)  # imports what a check imports
        before = plain_hypothesis_examples()
        check_anonymity(DraftBlack(), budget=budget)
        assert plain_hypothesis_examples() == before


def test_numba_compile_time_is_not_counted_against_the_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A budget counts CPU time less numba's compile time: with every CPU second
    reported as compiling, a 0.01 s budget never runs out and the search goes on to
    ``max_examples``; counted plainly, it stops after the first round of 50."""
    import time

    import voting._dispatch as dispatch
    from voting.methods.positional import Plurality

    budget = Budget(seconds=0.01, min_examples=50, max_examples=150, shrink=False)
    assert check_anonymity(Plurality(), budget=budget).examples < 150
    monkeypatch.setattr(dispatch, "compile_cpu_seconds", time.process_time)
    assert check_anonymity(Plurality(), budget=budget).examples == 150


def test_compile_time_is_measured() -> None:
    """Compiling a new numba function adds to ``compile_cpu_seconds``."""
    import numba

    from voting._dispatch import compile_cpu_seconds

    before = compile_cpu_seconds()

    @numba.njit(cache=False)  # type: ignore[untyped-decorator]  # numba has no type hints
    def _fresh(x: int) -> int:  # a new function: numba must compile it
        return x * 3 + 1

    assert _fresh(2) == 7
    assert compile_cpu_seconds() > before

"""How long a check searches: the :class:`Budget`, and the search loop that honours it.

A check passes only when a search found nothing, so how much was searched is part of
every pass. The default budget is *time*, not a count of examples: a count that suits
a slow method (a few dozen examples) leaves a fast one almost untested, while
violations of criteria such as monotonicity hide in one profile out of hundreds. The
time is the CPU time of the process, so that a machine shared with other work
searches as much as an idle one (it only takes longer by the clock).

The search is a sequence of hypothesis runs (*rounds*) of :data:`ROUND` examples,
each seeded by ``(budget.seed, property, round)``; the budget is looked at between
rounds. What a round generates depends on that seed, the strategy and the method's
results alone: not on the machine, the clock or the engine, nor on what ran before in
the process, since every round runs under
:func:`~voting.testing._isolation.isolated_generation` (hypothesis would otherwise
draw constants from the source of whatever modules the process has imported) and
under :data:`~voting.testing.DEFAULT_SETTINGS`, which do not inherit the loaded
settings profile. So a longer budget, or a faster machine, runs the same rounds first
and then more; ``Budget(seconds=None, max_examples=N)`` searches exactly the same
``N`` examples, with the same outcome, on every run (for the same versions of
hypothesis and of this library).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import hypothesis
from hypothesis import Phase, given
from hypothesis.errors import Unsatisfiable

from voting.exceptions import InvalidParameterError
from voting.methods import Method
from voting.testing._core import (
    DEFAULT_SETTINGS,
    CheckFailure,
    Property,
    Tally,
    _HasProfile,
    evaluate,
    options_for,
)
from voting.testing._isolation import isolated_generation

__all__ = [
    "DEFAULT_BUDGET",
    "FIND_BUDGET",
    "Budget",
    "Searched",
    "find_failure_for",
    "run_property",
]

C = TypeVar("C", bound=_HasProfile)

ROUND = 50
"""Examples per round of a budgeted search (the last one may be cut by ``max_examples``)."""


@dataclass(frozen=True, slots=True)
class Budget:
    """How much one check searches before it passes.

    Parameters
    ----------
    seconds : float or None, default 4.0
        Search for about this much CPU time (of this process, per check); None sets
        no time limit. CPU time rather than wall-clock time, so that a loaded machine
        searches as much as an idle one. Time numba spends compiling kernels (a cold
        cache) is not counted, so a first run searches as much as a later one.
    min_examples : int, default 50
        Search at least this many examples, even past ``seconds`` (a slow method);
        ``max_examples`` wins when smaller.
    max_examples : int or None, default None
        Stop after this many examples; None sets no cap. Required when ``seconds``
        is None.
    seed : int, default 0
        Which sequence of examples is searched. The same seed gives the same
        examples in the same order, in any process and whatever ran in it before,
        so a failure found once is found again by a budget at least as large;
        change it to search elsewhere.
    shrink : bool, default True
        Shrink a counterexample to a minimal one before reporting it. False reports
        the first one found as it is: faster, when only whether the property fails
        matters.

    Examples
    --------
    >>> Budget(seconds=10)  # a nightly job
    Budget(seconds=10, min_examples=50, max_examples=None, seed=0, shrink=True)
    >>> Budget(seconds=None, max_examples=500)  # the same 500 examples on any machine
    Budget(seconds=None, min_examples=50, max_examples=500, seed=0, shrink=True)
    """

    seconds: float | None = 4.0
    min_examples: int = 50
    max_examples: int | None = None
    seed: int = 0
    shrink: bool = True

    def __post_init__(self) -> None:
        if self.seconds is not None and not (
            isinstance(self.seconds, int | float) and math.isfinite(self.seconds)
        ):
            raise InvalidParameterError(
                f"Budget(seconds={self.seconds!r}): give a finite number of seconds, or None"
            )
        if self.seconds is not None and self.seconds < 0:
            raise InvalidParameterError(f"Budget(seconds={self.seconds}) must be at least 0")
        for label, value in (("min_examples", self.min_examples), ("seed", self.seed)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidParameterError(
                    f"Budget({label}={value!r}) must be an int of at least 0"
                )
        if self.max_examples is not None:
            if (
                isinstance(self.max_examples, bool)
                or not isinstance(self.max_examples, int)
                or self.max_examples < 1
            ):
                raise InvalidParameterError(
                    f"Budget(max_examples={self.max_examples!r}) must be a positive int or None"
                )
        elif self.seconds is None:
            raise InvalidParameterError(
                "Budget(seconds=None, max_examples=None) would search forever; "
                "give seconds, max_examples or both"
            )
        if not isinstance(self.shrink, bool):
            raise InvalidParameterError(f"Budget(shrink={self.shrink!r}) must be True or False")

    def describe(self) -> str:
        """``4 CPU s per check, at least 50 examples, seed 0``."""
        parts = []
        if self.seconds is not None:
            parts.append(f"{self.seconds:g} CPU s per check")
        if self.max_examples is not None:
            parts.append(f"at most {self.max_examples:,} examples")
        if self.min_examples and (self.max_examples or self.min_examples + 1) > self.min_examples:
            parts.append(f"at least {self.min_examples:,} examples")
        return f"{', '.join(parts)}, seed {self.seed}"


DEFAULT_BUDGET = Budget()
"""The budget of every check unless the caller gives one: about 4 CPU seconds per
check, at least 50 examples, seed 0."""

FIND_BUDGET = Budget(seconds=10.0)
"""The budget of :func:`voting.testing.find_violation`: a longer search (about 10 CPU
seconds), which stops at the first counterexample."""


@dataclass(frozen=True, slots=True)
class Searched:
    """How much a check searched: returned by every check that passes.

    Attributes
    ----------
    check : str
        ``"check_monotonicity"``.
    examples : int
        Generated cases the property was verified on (cases a check skips, such as
        a profile without a Condorcet winner, are not counted).
    runs : int
        Calls of the method's ``run`` (a case may need several: the profile and
        each profile derived from it).
    seconds : float
        Wall-clock time of the search.
    cpu_seconds : float
        CPU time of the search, less any time numba spent compiling kernels meanwhile
        (what :attr:`Budget.seconds` limits).
    budget : Budget or None
        The budget searched under; None when explicit hypothesis settings were given.
    """

    check: str
    examples: int
    runs: int
    seconds: float
    cpu_seconds: float
    budget: Budget | None

    def __str__(self) -> str:
        where = "explicit settings" if self.budget is None else f"seed {self.budget.seed}"
        return (
            f"{self.examples:,} examples ({self.runs:,} runs) in {self.cpu_seconds:.1f} CPU s "
            f"({self.seconds:.1f} s), {where}"
        )


def _search_cpu() -> float:
    """CPU seconds of this process, less the time numba spent compiling kernels: what a
    budget counts (a cold numba cache must not shorten a search)."""
    from voting._dispatch import compile_cpu_seconds

    return time.process_time() - compile_cpu_seconds()


def _settings_for_round(base: hypothesis.settings, size: int, shrink: bool) -> hypothesis.settings:
    phases = base.phases if shrink else tuple(p for p in base.phases if p != Phase.shrink)
    return hypothesis.settings(
        base, max_examples=size, derandomize=False, database=None, phases=phases
    )


def _next_size(budget: Budget, done: int, cpu: float) -> int:
    """How many examples the next round asks for; 0 when the budget is spent."""
    if budget.seconds is not None and cpu >= budget.seconds and done >= budget.min_examples:
        return 0
    if budget.max_examples is not None:
        return max(0, min(ROUND, budget.max_examples - done))
    return ROUND


def run_property(
    prop: Property[C],
    method: Method[Any],
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Search for a case on which ``method`` breaks ``prop``.

    Returns how much was searched, or raises the shrunk :class:`CheckFailure` (its
    ``searched`` attribute says how much was searched before the first failure).
    With ``settings``, one hypothesis run under exactly those settings; otherwise
    rounds under ``budget`` (default :data:`DEFAULT_BUDGET`).
    """
    if settings is not None and budget is not None:
        raise InvalidParameterError(
            "give settings= (one hypothesis run, exactly as configured) or budget= "
            "(a time budget), not both"
        )
    options = options_for(method)
    strategy = prop.cases(options)
    chosen = None if settings is not None else budget if budget is not None else DEFAULT_BUDGET
    tally = Tally()
    start, cpu_start = time.perf_counter(), _search_cpu()
    first: list[Searched] = []

    def searched() -> Searched:
        wall, cpu = time.perf_counter() - start, _search_cpu() - cpu_start
        return Searched(prop.check_name, tally.examples, tally.runs, wall, cpu, chosen)

    def check(case: C) -> None:
        failure = evaluate(prop, method, options, case, tally)
        if failure is not None:
            if not first:
                first.append(searched())
            failure.searched = first[0]
            raise failure

    check.__name__ = check.__qualname__ = prop.check_name

    if chosen is None:
        assert settings is not None
        with isolated_generation():
            settings(given(strategy)(check))()
        return searched()

    base = DEFAULT_SETTINGS
    round_index = 0
    while (size := _next_size(chosen, tally.examples, _search_cpu() - cpu_start)) > 0:
        before_examples, before_cases = tally.examples, tally.cases
        test = _settings_for_round(base, size, chosen.shrink)(
            hypothesis.seed(f"{chosen.seed}:{prop.name}:{round_index}")(given(strategy)(check))
        )
        round_index += 1
        try:
            with isolated_generation():
                test()
        except Unsatisfiable:
            if tally.examples == 0:
                raise
            break
        new_examples = tally.examples - before_examples
        new_cases = tally.cases - before_cases
        if new_examples == 0 or (new_examples < size and new_cases < size):
            break  # the strategy has no more distinct cases to give
    return searched()


def find_failure_for(
    prop: Property[C],
    method: Method[Any],
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> CheckFailure | None:
    """The failure on the minimal counterexample of ``prop``, or None if none is found."""
    if settings is None and budget is None:
        budget = FIND_BUDGET
    try:
        run_property(prop, method, settings, budget)
    except CheckFailure as failure:
        return failure
    return None

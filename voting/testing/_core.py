"""The machinery shared by every check: settings, failures, trials and properties.

A *property* pairs a strategy of cases (a profile plus whatever the property varies:
a permutation, a ballot to add, ...) with a ``verify`` function that runs the method
through a :class:`Trial` and calls :meth:`Trial.fail` when the property is broken.
The same property and the same search (:mod:`voting.testing._search`) drive both its
``check_<name>`` function and :func:`voting.testing.find_violation`, so the two cannot
drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NoReturn, Protocol, TypeVar, cast

import hypothesis
from hypothesis import HealthCheck, Phase
from hypothesis.errors import HypothesisException
from hypothesis.strategies import SearchStrategy

from voting.methods import Method
from voting.profile import Profile
from voting.results import Result
from voting.testing import strategies as vst
from voting.ties import CandidateOrder, TieBreak

__all__ = [
    "DEFAULT_SETTINGS",
    "FIND_SETTINGS",
    "CheckFailure",
    "Options",
    "Property",
    "Tally",
    "Trial",
    "options_for",
]

DEFAULT_SETTINGS = hypothesis.settings(
    # hypothesis's own defaults, not the profile loaded when this module is imported
    hypothesis.settings.get_profile("default"),
    max_examples=1000,
    deadline=None,  # the first call of a method pays for numba compilation
    database=None,
    derandomize=True,  # the same examples on every run: reproducible in CI
    report_multiple_bugs=False,
    # no Phase.explain: the failure message already shows the whole counterexample
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
"""The hypothesis settings of every search: no deadline, no example database, no
health checks on slow or filtered data; what they leave unset is hypothesis's
default, whatever settings profile the process has loaded. The default
:class:`~voting.testing.Budget` runs rounds of these with their own sizes and seeds;
passed as ``settings=`` to a check, they run once: 1000 examples, derandomized (the
same on every run)."""

FIND_SETTINGS = hypothesis.settings(DEFAULT_SETTINGS, max_examples=4000)
"""Explicit settings for a long, reproducible :func:`voting.testing.find_violation`:
4000 derandomized examples (the default is :data:`~voting.testing.FIND_BUDGET`)."""


class _HasProfile(Protocol):
    @property
    def profile(self) -> Profile: ...


C = TypeVar("C", bound=_HasProfile)


# ------------------------------------------------------------------ failures
@dataclass
class Run:
    """One call of ``run`` made while verifying a property."""

    name: str
    profile: Profile
    method: Method[Any]
    note: str = ""
    result: Result[Any] | None = None
    error: BaseException | None = None


def _describe_result(result: Result[Any]) -> str:
    return f"elected={result.elected!r} winners={result.winners!r} ranking={result.ranking!r}"


class CheckFailure(AssertionError):
    """A check found a profile on which the method breaks the property.

    The message names the check and the method, says what went wrong, and gives
    the shrunk counterexample as code to paste, with what the method returned on
    it (and on every profile derived from it).

    Attributes
    ----------
    check : str
        The check's name (``"check_condorcet_winner"``).
    method : Method
        The method under test.
    reason : str
        What went wrong, in one sentence.
    profile : Profile
        The counterexample.
    runs : tuple of Run
        Every call of ``run`` the check made on it, with its result.
    searched : Searched or None
        How much the search had covered when it first failed (before shrinking);
        None for a failure built outside a search.
    """

    def __init__(self, check: str, method: Method[Any], reason: str, runs: Sequence[Run]) -> None:
        self.check = check
        self.method = method
        self.reason = reason
        self.runs = tuple(runs)
        self.profile: Profile | None = self.runs[0].profile if self.runs else None
        self.searched: Any = None
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [f"{self.check} failed for {self.method!r}: {self.reason}"]
        if not self.runs:
            return lines[0]
        lines += ["", "Counterexample (paste to reproduce):", "", "    from voting import Profile"]
        lines.append(f"    method = {self.method!r}")
        defined: set[str] = set()
        for run in self.runs:
            if run.name not in defined:
                note = f"  # {run.note}" if run.note else ""
                lines.append(f"    {run.name} = {run.profile.to_code()}{note}")
                defined.add(run.name)
            call = "method" if run.method is self.method else repr(run.method)
            lines.append(f"    {call}.run({run.name})")
            if run.result is not None:
                lines.append(f"    # -> {_describe_result(run.result)}")
            elif run.error is not None:
                lines.append(f"    # -> raised {type(run.error).__name__}: {run.error}")
        return "\n".join(lines)


class _Violation(Exception):
    """Raised by :meth:`Trial.fail`; turned into a :class:`CheckFailure`."""


@dataclass
class Tally:
    """What a search has covered so far.

    Attributes
    ----------
    cases : int
        Cases generated and handed to the property (skipped ones included).
    examples : int
        Cases the property was verified on (not skipped by an ``assume``).
    runs : int
        Calls of the method's ``run``.
    """

    cases: int = 0
    examples: int = 0
    runs: int = 0


class Trial:
    """Runs the method for a property and records every call for the failure report."""

    def __init__(self, method: Method[Any], options: Options, tally: Tally | None = None) -> None:
        self.method = method
        self.options = options
        self.runs: list[Run] = []
        self.tally = tally if tally is not None else Tally()

    def run(
        self,
        profile: Profile,
        name: str = "profile",
        note: str = "",
        method: Method[Any] | None = None,
    ) -> Result[Any]:
        """``method.run(profile)``, recorded as the variable ``name``."""
        m = self.method if method is None else method
        entry = Run(name, profile, m, note)
        self.runs.append(entry)
        self.tally.runs += 1
        try:
            result: Result[Any] = m.run(profile)
        except Exception as exc:
            entry.error = exc
            raise
        entry.result = result
        return result

    def fail(self, reason: str) -> NoReturn:
        """Report that the property does not hold."""
        raise _Violation(reason)


# ------------------------------------------------------------------- options
@dataclass(frozen=True, slots=True)
class Options:
    """What profiles a method is tested on, read from its tags and parameters.

    Attributes
    ----------
    allow_ties, allow_truncation : bool
        From ``supports_ties`` and ``supports_truncation``.
    min_candidates, max_candidates : int
        2 to 5 for one seat; ``seats + 1`` to ``seats + 3`` (at least 5) otherwise.
    max_voters : int
        At most 8 drawn ballots (each of weight 1 to 9).
    seats : int
        The method's ``seats`` parameter (1 when it has none).
    seats_settable : bool
        The method is a dataclass with a ``seats`` field, so checks may vary it.
    deterministic : bool
        From the ``deterministic`` tag.
    """

    allow_ties: bool
    allow_truncation: bool
    min_candidates: int
    max_candidates: int
    max_voters: int
    seats: int
    seats_settable: bool
    deterministic: bool

    def profiles(self, **overrides: Any) -> SearchStrategy[Profile]:
        """:func:`voting.testing.strategies.profiles` for these options."""
        return vst.profiles(**self.kwargs(**overrides))

    def kwargs(self, **overrides: Any) -> dict[str, Any]:
        """Keyword arguments of the public strategies for these options."""
        out: dict[str, Any] = {
            "min_candidates": self.min_candidates,
            "max_candidates": self.max_candidates,
            "max_voters": self.max_voters,
            "allow_ties": self.allow_ties,
            "allow_truncation": self.allow_truncation,
        }
        out.update(overrides)
        return out


def is_dataclass_instance(obj: object) -> bool:
    """Whether ``obj`` is a dataclass instance (a plain bool: no type narrowing)."""
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type)


def dataclass_fields(obj: object) -> tuple[dataclasses.Field[Any], ...]:
    """``dataclasses.fields`` of a dataclass instance, or ``()``."""
    if not is_dataclass_instance(obj):
        return ()
    return dataclasses.fields(cast(Any, obj))


def replace_fields(method: Method[Any], **changes: Any) -> Method[Any]:
    """``dataclasses.replace(method, **changes)``."""
    out: Method[Any] = dataclasses.replace(cast(Any, method), **changes)
    return out


def _seats_of(method: object) -> int:
    seats = getattr(method, "seats", 1)
    return seats if isinstance(seats, int) and not isinstance(seats, bool) and seats >= 1 else 1


def options_for(method: Method[Any]) -> Options:
    """The :class:`Options` a method is checked with."""
    tags = method.tags()
    seats = _seats_of(method)
    settable = any(f.name == "seats" for f in dataclass_fields(method))
    lo = 2 if seats == 1 else seats + 1
    return Options(
        allow_ties=tags.supports_ties,
        allow_truncation=tags.supports_truncation,
        min_candidates=lo,
        max_candidates=max(5, seats + 3),
        max_voters=8,
        seats=seats,
        seats_settable=settable,
        deterministic=tags.deterministic,
    )


def with_seats(method: Method[Any], seats: int) -> Method[Any]:
    """``method`` with ``seats`` seats (``dataclasses.replace``), or itself."""
    if _seats_of(method) == seats:
        return method
    return replace_fields(method, seats=seats)


def pin_tie_breaks(method: Method[Any], candidates: Sequence[str]) -> tuple[Method[Any], bool]:
    """``method`` with its :class:`~voting.ties.TieBreak` fields set to
    ``CandidateOrder(order=candidates)``, so ties are broken by name, not position.

    Each field is replaced only if the method accepts a ``CandidateOrder`` there
    (its constructor may insist on, say, a ``Random``). Returns the method and
    whether every tie-break field was pinned (False also when it has none).
    """
    out = method
    complete = True
    found = False
    for f in dataclass_fields(method):
        if not isinstance(getattr(method, f.name, None), TieBreak):
            continue
        found = True
        try:
            out = replace_fields(out, **{f.name: CandidateOrder(order=tuple(candidates))})
        except (TypeError, ValueError):
            complete = False
    return out, complete and found


# ---------------------------------------------------------------- properties
@dataclass(frozen=True)
class Property(Generic[C]):
    """One property: its cases and how to verify one.

    Attributes
    ----------
    name : str
        ``"condorcet_winner"``; the check is ``check_condorcet_winner``.
    cases : callable
        ``cases(options) -> SearchStrategy`` of cases with a ``profile`` attribute.
    verify : callable
        ``verify(trial, case)``: runs the method through ``trial`` and calls
        ``trial.fail(reason)`` when the property is broken.
    """

    name: str
    cases: Callable[[Options], SearchStrategy[C]]
    verify: Callable[[Trial, C], None]
    check_name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "check_name", f"check_{self.name}")


def evaluate(
    prop: Property[C], method: Method[Any], options: Options, case: C, tally: Tally | None = None
) -> CheckFailure | None:
    """Verify one case: None when the property holds, else the failure to report.

    ``tally`` (when given) counts the case, whether it was verified or skipped by an
    ``assume``, and the calls of ``run``.
    """
    trial = Trial(method, options, tally)
    trial.tally.cases += 1
    try:
        prop.verify(trial, case)
    except _Violation as v:
        trial.tally.examples += 1
        return CheckFailure(prop.check_name, method, str(v), trial.runs)
    except HypothesisException:
        raise  # assume() and friends
    except Exception as exc:
        last = trial.runs[-1] if trial.runs else None
        if last is not None and last.error is exc:
            call = "method" if last.method is method else repr(last.method)
            reason = f"{call}.run({last.name}) raised {type(exc).__name__}: {exc}"
        else:
            reason = f"the check could not evaluate the result: {type(exc).__name__}: {exc}"
        trial.tally.examples += 1
        failure = CheckFailure(prop.check_name, method, reason, trial.runs)
        failure.__cause__ = exc
        return failure
    trial.tally.examples += 1
    return None


# ------------------------------------------------------------------ outcomes
def tie_key(result: Result[Any]) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """What a count decides before any tie-break: the winner set and the ranking's tiers."""
    return frozenset(result.winners), tuple(frozenset(t) for t in result.ranking)


def outcome_key(
    result: Result[Any], with_elected: bool = True
) -> tuple[frozenset[str], tuple[frozenset[str], ...], frozenset[str] | None]:
    """:func:`tie_key` plus the elected set (after tie-breaking) when ``with_elected``."""
    winners, ranking = tie_key(result)
    return winners, ranking, frozenset(result.elected) if with_elected else None


def describe_change(before: Result[Any], after: Result[Any], with_elected: bool = True) -> str:
    """Which of winners, ranking and elected differ between two results, and how."""
    parts = []
    if set(before.winners) != set(after.winners):
        parts.append(
            f"the winners went from {names(frozenset(before.winners))} to "
            f"{names(frozenset(after.winners))}"
        )
    if tie_key(before)[1] != tie_key(after)[1]:
        parts.append(f"the ranking went from {_tiers(before)} to {_tiers(after)}")
    if with_elected and set(before.elected) != set(after.elected):
        parts.append(
            f"the elected went from {names(frozenset(before.elected))} to "
            f"{names(frozenset(after.elected))}"
        )
    return "; ".join(parts) if parts else "the results differ"


def _tiers(result: Result[Any]) -> str:
    return " > ".join("=".join(sorted(t)) for t in result.ranking)


def names(items: Sequence[str] | frozenset[str]) -> str:
    """``A, B`` (sorted for sets), or ``nobody``."""
    seq = sorted(items) if isinstance(items, frozenset | set) else list(items)
    return ", ".join(seq) if seq else "nobody"

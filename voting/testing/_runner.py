"""Choosing, running and reporting checks: the sklearn-style entry points."""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import hypothesis

from voting.exceptions import InvalidParameterError
from voting.methods import Method
from voting.profile import Profile
from voting.testing import _api_checks as api
from voting.testing import _property_checks as props
from voting.testing import _transform_checks as trans
from voting.testing._core import CheckFailure, Property, dataclass_fields
from voting.testing._search import DEFAULT_BUDGET, Budget, Searched, find_failure_for

if TYPE_CHECKING:
    import pytest

__all__ = [
    "Check",
    "CheckOutcome",
    "CheckReport",
    "check_method",
    "find_failure",
    "find_violation",
    "method_checks",
    "parametrize_with_checks",
]


class Check(Protocol):
    """A check: ``check(method, *, settings=None, budget=None)`` raises
    :class:`CheckFailure`, or returns how much it searched (:class:`Searched`)."""

    __name__: str

    def __call__(
        self,
        method: Method[Any],
        /,
        *,
        settings: hypothesis.settings | None = None,
        budget: Budget | None = None,
    ) -> Searched: ...


_API: tuple[tuple[Check, Property[Any]], ...] = (
    (api.check_returns_valid_result, api.RETURNS_VALID_RESULT),
    (api.check_deterministic, api.DETERMINISTIC),
    (api.check_no_profile_mutation, api.NO_PROFILE_MUTATION),
)
_UNIVERSAL: tuple[tuple[Check, Property[Any]], ...] = (
    (props.check_anonymity, props.ANONYMITY),
    (props.check_neutrality, props.NEUTRALITY),
    (props.check_weights_equal_repetition, props.WEIGHTS_EQUAL_REPETITION),
)
_TAGGED: tuple[tuple[str, Check, Property[Any]], ...] = (
    ("pareto", props.check_pareto, props.PARETO),
    ("majority", props.check_majority, props.MAJORITY),
    ("condorcet_winner", props.check_condorcet_winner, props.CONDORCET_WINNER),
    ("condorcet_loser", props.check_condorcet_loser, props.CONDORCET_LOSER),
    ("smith", props.check_smith, props.SMITH),
    ("schwartz", props.check_schwartz, props.SCHWARTZ),
    ("monotonic", trans.check_monotonicity, trans.MONOTONICITY),
    ("participation", trans.check_participation, trans.PARTICIPATION),
    ("reversal_symmetry", trans.check_reversal_symmetry, trans.REVERSAL_SYMMETRY),
    ("clone_independent", trans.check_independence_of_clones, trans.INDEPENDENCE_OF_CLONES),
    (
        "droop_proportional",
        props.check_droop_proportionality,
        props.DROOP_PROPORTIONALITY,
    ),
)

ALL_CHECKS: dict[str, Check] = {
    c.__name__: c for c, _ in (*_API, *_UNIVERSAL, *((c, p) for _, c, p in _TAGGED))
}
"""Every check by name, in the order :func:`method_checks` yields them."""

_PROPERTIES: dict[str, Property[Any]] = {
    c.__name__: p for c, p in (*_API, *_UNIVERSAL, *((c, p) for _, c, p in _TAGGED))
}

TAG_OF_CHECK: dict[str, str] = {c.__name__: tag for tag, c, _ in _TAGGED}
"""The :class:`~voting.methods.MethodTags` field that switches each tag-gated check on."""


def method_checks(method: Method[Any]) -> Iterator[Check]:
    """The checks that apply to ``method``, chosen from its tags.

    The single source of truth for what a method is held to. API checks come first
    (:func:`check_returns_valid_result`, :func:`check_deterministic` when the
    ``deterministic`` tag is set, :func:`check_no_profile_mutation`), then the
    universal properties (anonymity, neutrality, weights equal repetition), then one
    check per criterion tag set to True (``condorcet_winner`` gives
    :func:`check_condorcet_winner`, ``monotonic`` gives :func:`check_monotonicity`,
    ``clone_independent`` gives :func:`check_independence_of_clones`, ...). Every check
    generates tied or truncated ballots only when ``supports_ties`` or
    ``supports_truncation`` is set.

    Parameters
    ----------
    method : Method

    Yields
    ------
    Check
        Callables ``check(method, *, settings=None)``.
    """
    tags = method.tags()
    for check, _ in _API:
        if check is api.check_deterministic and not tags.deterministic:
            continue
        yield check
    for check, _ in _UNIVERSAL:
        yield check
    for tag, check, _ in _TAGGED:
        if bool(getattr(tags, tag, False)):
            yield check


def _resolve(check: str | Check) -> tuple[str, Property[Any]]:
    name = check if isinstance(check, str) else getattr(check, "__name__", repr(check))
    key = name if name.startswith("check_") else f"check_{name}"
    if key not in _PROPERTIES:
        raise InvalidParameterError(
            f"unknown check or property {name!r}; known checks are {sorted(_PROPERTIES)} "
            "(the check_ prefix is optional)."
        )
    return key, _PROPERTIES[key]


# ------------------------------------------------------------------ reports
Status = Literal["passed", "failed", "xfail", "xpass", "error"]


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """How one check went.

    Attributes
    ----------
    check : str
        ``"check_condorcet_winner"``.
    status : {"passed", "failed", "xfail", "xpass", "error"}
        ``xfail``: failed as expected; ``xpass``: expected to fail but passed;
        ``error``: the check itself could not run (for example hypothesis found no
        valid example).
    seconds : float
    failure : BaseException, optional
        The :class:`CheckFailure` (``failed``, ``xfail``) or the error (``error``).
    reason : str, optional
        Why the failure is expected (from ``expected_failed``).
    searched : Searched, optional
        How much was searched: the whole search for a pass, the search up to the
        first counterexample for a failure; None for an error.
    """

    check: str
    status: Status
    seconds: float
    failure: BaseException | None = None
    reason: str | None = None
    searched: Searched | None = None

    @property
    def ok(self) -> bool:
        """Passed, or failed as expected."""
        return self.status in ("passed", "xfail")


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The outcome of :func:`check_method`: one :class:`CheckOutcome` per check run.

    ``str(report)`` is a summary table followed by the message of every unexpected
    failure. :meth:`raise_if_failed` turns a bad report into an ``AssertionError``.
    """

    method: str
    outcomes: tuple[CheckOutcome, ...]
    budget: Budget | None = None
    """The budget every check searched under; None when explicit settings were given."""

    @property
    def ok(self) -> bool:
        """True when every check passed or failed as expected."""
        return all(o.ok for o in self.outcomes)

    @property
    def passed(self) -> tuple[str, ...]:
        """Names of the checks that passed."""
        return tuple(o.check for o in self.outcomes if o.status == "passed")

    @property
    def failed(self) -> tuple[str, ...]:
        """Names of the checks that failed unexpectedly, passed unexpectedly or erred."""
        return tuple(o.check for o in self.outcomes if not o.ok)

    @property
    def failures(self) -> dict[str, BaseException]:
        """The failure (or error) of every check that did not pass, by check name."""
        return {o.check: o.failure for o in self.outcomes if o.failure is not None}

    def __getitem__(self, check: str) -> CheckOutcome:
        for o in self.outcomes:
            if o.check == check:
                return o
        raise KeyError(check)

    def summary(self, searched: bool = True) -> str:
        """One line per check: status, name, how much was searched, and the reason for
        expected failures.

        A pass is only as good as its search, so each line says how many examples
        were tried and for how long (a failure: how many until the first
        counterexample). ``searched=False`` leaves that out (for output that must
        not vary between machines, such as a doctest).
        """
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        head = ", ".join(f"{n} {s}" for s, n in counts.items())
        lines = [f"check_method({self.method}): {head}"]
        if searched and self.budget is not None:
            lines[0] += f"; budget {self.budget.describe()}"
        width = max((len(o.check) for o in self.outcomes), default=0)
        for o in self.outcomes:
            label = o.status if o.ok else o.status.upper()
            extra = ""
            if searched and o.searched is not None:
                s = o.searched
                tried = f"{s.examples:,} examples in {s.cpu_seconds:.1f} CPU s"
                extra = f"  {tried}" if o.status in ("passed", "xpass") else f"  after {tried}"
            why = f"  ({o.reason})" if o.reason else ""
            lines.append(f"  {label:<7} {o.check:<{width}}{extra}{why}".rstrip())
        return "\n".join(lines)

    def __str__(self) -> str:
        parts = [self.summary()]
        for o in self.outcomes:
            if o.status == "xpass":
                parts.append(f"{o.check} was expected to fail ({o.reason}) but passed.")
            elif not o.ok and o.failure is not None:
                parts.append(str(o.failure))
        return "\n\n".join(parts)

    def raise_if_failed(self) -> None:
        """Raise ``AssertionError`` with this report when :attr:`ok` is False."""
        if not self.ok:
            raise AssertionError(str(self))


def check_method(
    method: Method[Any],
    expected_failed: Mapping[str, str] | None = None,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> CheckReport:
    """Run every check that applies to ``method`` and report how each went.

    Parameters
    ----------
    method : Method
        Any object with ``name``, ``tags()`` and ``run(profile)``.
    expected_failed : mapping of str to str, optional
        Check names (``"check_monotonicity"``) mapped to the reason they are known
        to fail. Those checks must fail (status ``xfail``); one that passes is
        reported as ``xpass`` and makes the report not ok. A name that
        :func:`method_checks` would not yield is run as well.
    settings : hypothesis.settings, optional
        One hypothesis run per check under exactly these settings (derive yours from
        :data:`DEFAULT_SETTINGS`, e.g. ``settings(DEFAULT_SETTINGS,
        max_examples=500)``). Not with ``budget``.
    budget : Budget, optional
        How long each check searches (default :data:`DEFAULT_BUDGET`: about 4 CPU s per
        check, at least 50 examples). Not with ``settings``.

    Returns
    -------
    CheckReport
        Never raises for a failing check; call :meth:`CheckReport.raise_if_failed`.
        Each outcome says how much its check searched.
    """
    if settings is not None and budget is not None:
        raise InvalidParameterError(
            "give settings= (one hypothesis run, exactly as configured) or budget= "
            "(a time budget), not both"
        )
    if settings is None and budget is None:
        budget = DEFAULT_BUDGET
    expected = dict(expected_failed or {})
    for name in expected:
        if name not in ALL_CHECKS:
            raise InvalidParameterError(
                f"expected_failed names {name!r}, which is not a check; checks are "
                f"{sorted(ALL_CHECKS)}."
            )
    checks = list(method_checks(method))
    checks += [ALL_CHECKS[n] for n in expected if ALL_CHECKS[n] not in checks]
    outcomes = []
    for check in checks:
        name = check.__name__
        reason = expected.get(name)
        start = time.perf_counter()
        try:
            searched = check(method, settings=settings, budget=budget)
        except CheckFailure as failure:
            status: Status = "xfail" if reason is not None else "failed"
            elapsed = time.perf_counter() - start
            outcomes.append(CheckOutcome(name, status, elapsed, failure, reason, failure.searched))
            continue
        except Exception as error:
            outcomes.append(CheckOutcome(name, "error", time.perf_counter() - start, error, reason))
            continue
        status = "xpass" if reason is not None else "passed"
        elapsed = time.perf_counter() - start
        outcomes.append(CheckOutcome(name, status, elapsed, None, reason, searched))
    return CheckReport(repr(method), tuple(outcomes), budget)


def _method_id(method: Method[Any]) -> str:
    """``schulze``, or ``stv(seats=3)`` when parameters differ from their defaults."""
    name = str(getattr(method, "name", type(method).__name__))
    changed = []
    for f in dataclass_fields(method):
        if not f.init:
            continue
        value = getattr(method, f.name)
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = dataclasses.MISSING
        if default is dataclasses.MISSING or value != default:
            changed.append(f"{f.name}={value!r}")
    return f"{name}({', '.join(changed)})" if changed else name


def parametrize_with_checks(
    methods: Iterable[Method[Any]],
    *,
    expected_failed: Callable[[Method[Any]], Mapping[str, str]] | None = None,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> pytest.MarkDecorator:
    """A ``pytest.mark.parametrize`` over every (method, check) pair.

    Decorate a test taking ``method`` and ``check`` that calls ``check(method)``::

        @parametrize_with_checks([Schulze(), MyMethod()])
        def test_methods(method, check):
            check(method)

    Test ids read ``schulze-check_condorcet_winner`` (with non-default parameters:
    ``stv(seats=3)-check_droop_proportionality``).

    Parameters
    ----------
    methods : iterable of Method
    expected_failed : callable, optional
        ``expected_failed(method)`` returns a mapping of check names to reasons,
        as for :func:`check_method`; those checks are marked
        ``xfail(strict=True, raises=CheckFailure)``.
    settings : hypothesis.settings, optional
        Passed to every check (one hypothesis run under exactly these settings).
    budget : Budget, optional
        Passed to every check (default :data:`DEFAULT_BUDGET`).

    Returns
    -------
    pytest.MarkDecorator
    """
    import pytest

    if settings is not None and budget is not None:
        raise InvalidParameterError("give settings= or budget=, not both")

    params = []
    for method in methods:
        expected = dict(expected_failed(method)) if expected_failed is not None else {}
        checks = list(method_checks(method))
        checks += [
            ALL_CHECKS[n] for n in expected if n in ALL_CHECKS and ALL_CHECKS[n] not in checks
        ]
        for check in checks:
            name = check.__name__
            marks = []
            if name in expected:
                marks.append(
                    pytest.mark.xfail(strict=True, raises=CheckFailure, reason=expected[name])
                )
            bound: Callable[..., Searched] = (
                check
                if settings is None and budget is None
                else functools.partial(check, settings=settings, budget=budget)
            )
            params.append(
                pytest.param(method, bound, id=f"{_method_id(method)}-{name}", marks=marks)
            )
    return pytest.mark.parametrize(("method", "check"), params)


def find_failure(
    method: Method[Any],
    check: str | Check,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> CheckFailure | None:
    """Like :func:`find_violation`, but the whole :class:`CheckFailure` (with its message)."""
    _, prop = _resolve(check)
    return find_failure_for(prop, method, settings, budget)


def find_violation(
    method: Method[Any],
    check: str | Check,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Profile | None:
    """A minimal profile on which ``method`` breaks a property, or None.

    Parameters
    ----------
    method : Method
    check : str or Check
        The property (``"condorcet_winner"``), its check's name
        (``"check_condorcet_winner"``) or the check itself. Tags are ignored: any
        property can be searched for.
    settings : hypothesis.settings, optional
        One hypothesis run under exactly these settings (for example
        :data:`FIND_SETTINGS`: 4000 derandomized examples). Not with ``budget``.
    budget : Budget, optional
        How long to search (default :data:`FIND_BUDGET`: about 10 s); the search
        stops at the first counterexample and shrinks it.

    Returns
    -------
    Profile or None
        The shrunk counterexample (for checks that change the profile, the profile
        before the change; :func:`find_failure` says what the change was), or None
        when the search found nothing.
    """
    failure = find_failure(method, check, settings, budget)
    return None if failure is None else failure.profile

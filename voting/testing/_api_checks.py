"""Checks of the API contract every method must honour, whatever its tags.

Each check runs the method on generated profiles (ties and truncation only where the
method's tags support them) and raises :class:`~voting.testing.CheckFailure` with the
shrunk counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import hypothesis
from hypothesis.strategies import SearchStrategy

from voting.methods import Method
from voting.profile import Profile
from voting.results import Result
from voting.testing._core import Options, Property, Trial, describe_change, names
from voting.testing._search import Budget, Searched, run_property

__all__ = ["check_deterministic", "check_no_profile_mutation", "check_returns_valid_result"]


@dataclass(frozen=True)
class ProfileCase:
    """A case that is just a profile."""

    profile: Profile


def profile_cases(options: Options) -> SearchStrategy[ProfileCase]:
    """Profiles for ``options``, wrapped as cases."""
    return options.profiles().map(ProfileCase)


def _full_key(result: Result[Any]) -> tuple[Any, ...]:
    return (
        result.method,
        result.candidates,
        result.ranking,
        result.seats,
        result.winners,
        result.elected,
        result.tied_at_last_seat,
        result.ties_broken,
    )


# ------------------------------------------------------------- valid result
def _verify_valid(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    method = trial.method
    result = trial.run(profile)
    if not isinstance(result, Result):
        trial.fail(f"run() returned a {type(result).__name__}, not a voting.results.Result.")
    try:
        result.check(profile)
    except ValueError as exc:
        trial.fail(f"the result breaks its invariants: {exc}")
    expected_name = getattr(method, "name", None)
    if result.method != expected_name:
        trial.fail(
            f"result.method is {result.method!r} but the method's name is {expected_name!r}."
        )
    kind = method.tags().kind
    if kind != "committee" and result.seats != 1:
        trial.fail(f"a {kind} method returned seats={result.seats}; expected 1.")
    declared = getattr(method, "seats", None)
    if isinstance(declared, int) and result.seats != declared:
        trial.fail(f"result.seats is {result.seats} but the method has seats={declared}.")
    if not result.winners:
        trial.fail("result.winners is empty.")
    top: set[str] = set()
    for tier in result.ranking:
        if len(top) >= result.seats:
            break
        top.update(tier)
    if not top <= set(result.winners):
        trial.fail(
            f"winners ({names(result.winners)}) do not include the top tiers of the ranking "
            f"that fill {result.seats} seat(s) ({names(frozenset(top))})."
        )
    if top != set(result.winners) and not any(t.decisive for t in result.ties_broken):
        trial.fail(
            f"winners ({names(result.winners)}) go beyond the top tiers of the ranking "
            f"({names(frozenset(top))}) but no broken tie is marked decisive: only a tie "
            "that a tie-break decided can make another candidate a possible winner."
        )


RETURNS_VALID_RESULT: Property[ProfileCase] = Property(
    "returns_valid_result", profile_cases, _verify_valid
)


def check_returns_valid_result(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """``run`` returns a well-formed :class:`~voting.results.Result`.

    For every generated profile: the result is a ``Result`` whose
    :meth:`~voting.results.Result.check` passes (the ranking partitions the
    profile's candidates, ``elected`` holds ``seats`` distinct names among
    ``winners``, ties are recorded); ``result.method`` is the method's ``name``;
    ``seats`` is 1 for single-winner and ranking methods and the method's ``seats``
    parameter otherwise; ``winners`` is non-empty and holds the union of the top
    tiers of ``ranking`` needed to fill the seats, and anyone more only with a
    decisive broken tie (a method that breaks ties while it counts lists every
    candidate who wins under some resolution of them). An exception from ``run``
    fails.
    """
    return run_property(RETURNS_VALID_RESULT, method, settings, budget)


# ------------------------------------------------------------- determinism
def _verify_deterministic(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    first = trial.run(profile)
    again = trial.run(profile)
    copy = Profile(
        profile.ranks.copy(), profile.weights.copy(), profile.candidates, profile.unranked
    )
    fresh = trial.run(copy, name="copy", note="an equal profile")
    for label, other in (("a second run", again), ("an equal profile", fresh)):
        if _full_key(other) != _full_key(first):
            trial.fail(f"{label} gave a different result: {describe_change(first, other)}.")


DETERMINISTIC: Property[ProfileCase] = Property(
    "deterministic", profile_cases, _verify_deterministic
)


def check_deterministic(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """The same profile always gives the same result.

    ``run`` is called twice on one profile and once on an equal copy (fresh arrays,
    no cached pairwise matrix); the three results must agree on every field but
    ``explanation``: method, candidates, ranking, seats, winners, elected,
    tied_at_last_seat and ties_broken. Applies when the ``deterministic`` tag is True.
    """
    return run_property(DETERMINISTIC, method, settings, budget)


# ------------------------------------------------------------ no mutation
def _verify_no_mutation(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    ranks, weights = profile.ranks.copy(), profile.weights.copy()
    candidates, unranked = profile.candidates, profile.unranked
    before = repr(trial.method)
    trial.run(profile)
    if not (
        (profile.ranks == ranks).all()
        and (profile.weights == weights).all()
        and profile.candidates == candidates
        and profile.unranked == unranked
    ):
        trial.fail("run() changed the profile it was given.")
    if profile.ranks.flags.writeable or profile.weights.flags.writeable:
        trial.fail("run() made the profile's arrays writeable.")
    if repr(trial.method) != before:
        trial.fail(f"run() changed the method's parameters (now {trial.method!r}).")


NO_PROFILE_MUTATION: Property[ProfileCase] = Property(
    "no_profile_mutation", profile_cases, _verify_no_mutation
)


def check_no_profile_mutation(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """``run`` changes neither the profile nor the method.

    After ``run``, the profile's ranks, weights, candidates and unranked policy
    equal their values before, its arrays are still read-only, and the method's
    ``repr`` (its parameters) is unchanged.
    """
    return run_property(NO_PROFILE_MUTATION, method, settings, budget)

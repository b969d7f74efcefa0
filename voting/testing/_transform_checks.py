"""Checks that compare a method's results before and after a change to the ballots.

Monotonicity (raise a winner), participation (add a ballot), reversal symmetry
(turn every ballot upside down) and independence of clones (add a near-copy of a
candidate). The changes live in :mod:`voting.testing._transforms`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import hypothesis
from hypothesis import assume
from hypothesis import strategies as st

from voting._typing import UNRANKED
from voting.methods import Method
from voting.profile import Profile
from voting.testing import _reference as ref
from voting.testing import strategies as vst
from voting.testing._core import Options, Property, Trial, names
from voting.testing._search import Budget, Searched, run_property
from voting.testing._transforms import (
    ABOVE,
    BELOW,
    CLONE_PLACEMENTS,
    TIED,
    add_ballot,
    add_clone,
    raise_candidate,
    reverse_ballots,
)

__all__ = [
    "check_independence_of_clones",
    "check_monotonicity",
    "check_participation",
    "check_reversal_symmetry",
]


def _sorted_winners(profile: Profile, winners: tuple[str, ...]) -> list[int]:
    return sorted(profile.index(w) for w in winners)


# ------------------------------------------------------------- monotonicity
@dataclass(frozen=True)
class RaiseCase:
    """A profile, which of its winners to raise, and on which ballots.

    ``changes`` holds ``(ballot, lift, keep)``: raise the winner ``lift`` steps on
    ballot ``ballot`` for all but ``keep`` of its voters (who stay as they were);
    ``ballot`` counts only the ballots on which the winner can move up.
    """

    profile: Profile
    choice: int
    changes: tuple[tuple[int, int, int], ...]


@st.composite
def _raise_cases(draw: st.DrawFn, options: Options) -> RaiseCase:
    profile = draw(options.profiles())
    n, v = profile.num_candidates, profile.num_ballots
    changes = draw(
        st.lists(
            st.tuples(
                st.integers(0, v - 1), st.integers(1, 2 * n + 1), st.integers(0, vst.MAX_WEIGHT)
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda t: t[0],
        )
    )
    choice = draw(st.integers(0, n - 1))
    return RaiseCase(profile, choice, tuple(changes))


def _apply_raise(
    profile: Profile, w: int, changes: tuple[tuple[int, int, int], ...], allow_ties: bool
) -> tuple[Profile, list[int], int]:
    """``profile`` with ``w`` raised as ``changes`` say; the ballots touched; voters kept."""
    rows = [list(r) for r, _ in ref.ballots(profile)]
    weights = profile.weights.tolist()
    extra_rows: list[list[int]] = []
    extra_weights: list[int] = []
    touched: list[int] = []
    for ballot, lift, keep in changes:
        new = list(raise_candidate(rows[ballot], w, lift, profile.unranked, allow_ties))
        if _same_order(rows[ballot], new):
            continue
        kept = min(keep, weights[ballot] - 1)
        touched.append(ballot)
        if kept:
            weights[ballot] -= kept
            extra_rows.append(rows[ballot])
            extra_weights.append(kept)
        rows[ballot] = new
    out = Profile(rows + extra_rows, weights + extra_weights, profile.candidates, profile.unranked)
    return out, touched, sum(extra_weights)


def _same_order(old: list[int], new: list[int]) -> bool:
    """Whether two rank rows order every pair of candidates alike."""
    n = len(old)
    return all(
        (old[a] < old[b]) == (new[a] < new[b]) and (old[a] == old[b]) == (new[a] == new[b])
        for a in range(n)
        for b in range(n)
    )


def _raises(
    profile: Profile, w: int, case: RaiseCase, allow_ties: bool
) -> list[tuple[tuple[int, int, int], ...]] | None:
    """The raises to try, each a tuple of ``changes``: the drawn one, then its neighbours.

    Ballot numbers in ``case.changes`` count only the ballots on which ``w`` can move
    up (modulo their number), so no drawn raise is wasted on a ballot that already
    puts ``w`` alone on top. None when there is no such ballot.
    """
    rows = [list(r) for r, _ in ref.ballots(profile)]
    top = 2 * profile.num_candidates + 1
    movable = [
        b
        for b, row in enumerate(rows)
        if not _same_order(row, list(raise_candidate(row, w, top, profile.unranked, allow_ties)))
    ]
    if not movable:
        return None
    chosen: dict[int, tuple[int, int]] = {}
    for b, lift, keep in case.changes:
        chosen.setdefault(movable[b % len(movable)], (lift, keep))
    drawn = tuple((b, lift, keep) for b, (lift, keep) in chosen.items())
    out: list[tuple[tuple[int, int, int], ...]] = [drawn]
    weights = profile.weights.tolist()
    for b in movable:
        # w to the top for all the ballot's voters, then for a half, a third, two thirds
        kept = [0, weights[b] // 2, weights[b] - weights[b] // 3, weights[b] // 3]
        out += [((b, top, k),) for k in dict.fromkeys(kept) if k < weights[b]]
    return list(dict.fromkeys(out))


def _verify_monotonicity(trial: Trial, case: RaiseCase) -> None:
    profile = case.profile
    before = trial.run(profile)
    idx = _sorted_winners(profile, before.winners)
    w = idx[case.choice % len(idx)]
    tries = _raises(profile, w, case, trial.options.allow_ties)
    assume(tries is not None)
    assert tries is not None
    name = profile.candidates[w]
    for changes in tries:
        raised, touched, kept = _apply_raise(profile, w, changes, trial.options.allow_ties)
        if not touched:
            continue
        some = f" (for all but {kept} of their voters)" if kept else ""
        after = trial.run(raised, "raised", f"{name} raised on ballot(s) {touched}{some}")
        if name not in after.winners:
            trial.fail(
                f"{name} is a winner, but after raising {name} on ballot(s) {touched}{some} "
                f"the winners are {names(frozenset(after.winners))}."
            )
        trial.runs.pop()  # keep the failure report to the profile and the raise that broke


MONOTONICITY: Property[RaiseCase] = Property("monotonicity", _raise_cases, _verify_monotonicity)


def check_monotonicity(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Raising a winner on some ballots keeps them among the winners.

    Pick ``w`` in ``winners`` (before tie-breaking) and move ``w`` up on one to three
    ballots (possibly for only some of the voters who cast that ballot), leaving
    every other candidate's order untouched: ``w`` may leave a tier to stand alone
    just above it, join the tier above, or climb several such steps; an unranked
    ``w`` becomes ranked (under ``unranked="ignore"`` only at the very top). Then
    ``w`` must still be among the ``winners``.

    Each generated profile is tried with the drawn raise and with its neighbours:
    ``w`` raised to the top on one ballot at a time, for all of its voters, then for
    a half, a third and two thirds of them. Monotonicity failures (instant runoff,
    STV) need a raise that changes who is eliminated first, by the right number of
    voters, which a single random raise rarely is.
    """
    return run_property(MONOTONICITY, method, settings, budget)


# ------------------------------------------------------------- participation
@dataclass(frozen=True)
class BallotCase:
    """A profile, and a ballot cast by ``weight`` more voters."""

    profile: Profile
    row: tuple[int, ...]
    weight: int


@st.composite
def _ballot_cases(draw: st.DrawFn, options: Options) -> BallotCase:
    profile = draw(options.profiles())
    row = draw(
        vst.rankings(
            profile.num_candidates,
            allow_ties=options.allow_ties,
            allow_truncation=options.allow_truncation,
        )
    )
    weight = draw(st.integers(1, vst.MAX_WEIGHT))
    return BallotCase(profile, row, weight)


def _verify_participation(trial: Trial, case: BallotCase) -> None:
    profile = case.profile
    before = trial.run(profile)
    assume(before.seats == 1 and len(before.winners) == 1)
    more = add_ballot(profile, case.row, case.weight)
    after = trial.run(more, "more", f"{case.weight} more voter(s) cast the last ballot")
    assume(len(after.winners) == 1)
    x, y = profile.index(before.winners[0]), profile.index(after.winners[0])
    if x != y and ref.prefers(case.row, x, y, profile.unranked):
        trial.fail(
            f"{before.winners[0]} wins; {case.weight} more voter(s) who prefer "
            f"{before.winners[0]} to {after.winners[0]} turn up, and {after.winners[0]} wins."
        )


PARTICIPATION: Property[BallotCase] = Property(
    "participation", _ballot_cases, _verify_participation
)


def check_participation(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Voting never hurts (no-show paradox).

    Let ``x`` be the unique winner of a profile (one seat). Add a ballot cast by
    one or more voters; if the new unique winner is ``y != x``, the added ballot
    must not prefer ``x`` to ``y``. Profiles with a tie before or after are skipped.
    """
    return run_property(PARTICIPATION, method, settings, budget)


# --------------------------------------------------------- reversal symmetry
def _untied(row: list[int]) -> bool:
    ranked = [r for r in row if r != UNRANKED]
    return len(set(ranked)) == len(ranked)


@dataclass(frozen=True)
class _Plain:
    profile: Profile


def _reversal_cases(options: Options) -> st.SearchStrategy[_Plain]:
    return options.profiles().map(_Plain)


def _verify_reversal(trial: Trial, case: _Plain) -> None:
    profile = case.profile
    before = trial.run(profile)
    assume(before.seats == 1 and len(before.winners) == 1 and profile.num_candidates >= 2)
    reversed_profile = reverse_ballots(profile)
    if not trial.options.allow_ties:  # the unranked may become a tied top tier
        assume(all(_untied(row) for row, _ in ref.ballots(reversed_profile)))
    after = trial.run(reversed_profile, "reversed", "every ballot reversed")
    if set(after.winners) == set(before.winners):
        trial.fail(
            f"{before.winners[0]} is the unique winner both of the profile and of its "
            "reversal (every ballot turned upside down)."
        )


REVERSAL_SYMMETRY: Property[_Plain] = Property(
    "reversal_symmetry", _reversal_cases, _verify_reversal
)


def check_reversal_symmetry(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """The unique winner does not also win when every ballot is reversed.

    Reversal turns each preference ``a > b`` into ``b > a`` and keeps ties (under
    ``unranked="last"`` the unranked candidates become the top tier; under
    ``"ignore"`` they stay unranked). When a one-seat result has a unique winner
    ``x``, the reversed profile's ``winners`` must not be ``{x}``. Ties are skipped.
    """
    return run_property(REVERSAL_SYMMETRY, method, settings, budget)


# ------------------------------------------------------ independence of clones
@dataclass(frozen=True)
class CloneCase:
    """A profile, the candidate to clone, and where the clone goes on each ballot."""

    profile: Profile
    target: int
    placements: tuple[int, ...]


@st.composite
def _clone_cases(draw: st.DrawFn, options: Options) -> CloneCase:
    profile = draw(options.profiles())
    target = draw(st.integers(0, profile.num_candidates - 1))
    kinds = (BELOW, ABOVE, TIED) if options.allow_ties else (BELOW, ABOVE)
    places = draw(
        st.lists(st.sampled_from(kinds), min_size=profile.num_ballots, max_size=profile.num_ballots)
    )
    return CloneCase(profile, target, tuple(places))


def _verify_clones(trial: Trial, case: CloneCase) -> None:
    profile = case.profile
    before = trial.run(profile)
    assume(before.seats == 1)
    old = set(before.winners)
    first = case.target % profile.num_candidates
    for target in (first, *(c for c in range(profile.num_candidates) if c != first)):
        cloned = add_clone(profile, target, case.placements)
        c, clone = profile.candidates[target], cloned.candidates[-1]
        where = ", ".join(CLONE_PLACEMENTS[p] for p in case.placements)
        after = trial.run(cloned, "cloned", f"{clone} placed {where} {c} on the ballots")
        new = set(after.winners)
        if c not in old and new != old:
            trial.fail(
                f"adding {clone}, a clone of the losing candidate {c}, changed the winners "
                f"from {names(frozenset(old))} to {names(frozenset(new))}."
            )
        if old == {c} and not new <= {c, clone}:
            trial.fail(
                f"{c} wins alone, but after adding its clone {clone} the winners are "
                f"{names(frozenset(new))}."
            )
        trial.runs.pop()  # keep the failure report to the profile and the clone that broke


INDEPENDENCE_OF_CLONES: Property[CloneCase] = Property(
    "independence_of_clones", _clone_cases, _verify_clones
)


def check_independence_of_clones(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Adding a clone of a candidate neither spoils nor splits.

    A clone ``c'`` of ``c`` is a new candidate (added last) that every ballot puts
    next to ``c``, so that each other candidate is preferred to both, to neither, or
    is tied with both: just above, just below or (when ties are supported) tied with
    ``c``; tied with ``c`` when ``c`` shares its tier with others; unranked when
    ``c`` is. For a one-seat result with winners ``W``: if ``c`` is
    not in ``W``, the winners with the clone are exactly ``W``; if ``W = {c}``, the
    winners with the clone are within ``{c, c'}``. Each generated profile is tried
    with a clone of every candidate in turn (the drawn one first), each placed as drawn.
    """
    return run_property(INDEPENDENCE_OF_CLONES, method, settings, budget)

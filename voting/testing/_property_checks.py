"""Checks of voting criteria read off one profile, and of the universal symmetries.

Universal (every method): anonymity, neutrality, weights equal repetition.
Tag-gated: Pareto, majority, Condorcet winner and loser, Smith, Schwartz, Droop
proportionality. The oracles come from :mod:`voting.testing._reference`, which is
independent of :mod:`voting.pairwise_matrix` and the numba kernels.

Where ties are possible the checks compare ``winners``, the set *before*
tie-breaking; criteria stated for one winner apply to results with one seat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import hypothesis
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from voting._typing import UNRANKED
from voting.methods import Method
from voting.profile import Profile
from voting.testing import _reference as ref
from voting.testing import strategies as vst
from voting.testing._api_checks import ProfileCase, profile_cases
from voting.testing._core import (
    Options,
    Property,
    Trial,
    describe_change,
    names,
    outcome_key,
    pin_tie_breaks,
    tie_key,
    with_seats,
)
from voting.testing._search import Budget, Searched, run_property
from voting.testing._transforms import expand_weights, permute_ballots, permute_candidates

__all__ = [
    "check_anonymity",
    "check_condorcet_loser",
    "check_condorcet_winner",
    "check_droop_proportionality",
    "check_majority",
    "check_neutrality",
    "check_pareto",
    "check_schwartz",
    "check_smith",
    "check_weights_equal_repetition",
]


@dataclass(frozen=True)
class PermutationCase:
    """A profile and a permutation (of its ballots or of its candidates)."""

    profile: Profile
    permutation: tuple[int, ...]


def _spec(options: Options, **overrides: Any) -> vst._Spec:
    kw = options.kwargs(**overrides)
    return vst._spec(
        kw["min_candidates"],
        kw["max_candidates"],
        kw.get("min_voters", 1),
        kw["max_voters"],
        kw["allow_ties"],
        kw["allow_truncation"],
        kw.get("unranked"),
        kw.get("weighted", True),
    )


def _show(result_names: tuple[str, ...] | frozenset[str]) -> str:
    return names(frozenset(result_names))


# ------------------------------------------------------------------ anonymity
@st.composite
def _ballot_permutations(draw: st.DrawFn, options: Options) -> PermutationCase:
    profile = draw(options.profiles(min_voters=2))
    perm = draw(st.permutations(range(profile.num_ballots)))
    return PermutationCase(profile, tuple(perm))


def _verify_anonymity(trial: Trial, case: PermutationCase) -> None:
    first = trial.run(case.profile)
    shuffled = permute_ballots(case.profile, case.permutation)
    second = trial.run(shuffled, "shuffled", f"ballots in the order {list(case.permutation)}")
    det = trial.options.deterministic
    if outcome_key(first, det) != outcome_key(second, det):
        trial.fail(
            f"reordering the ballots changed the result: {describe_change(first, second, det)}."
        )


ANONYMITY: Property[PermutationCase] = Property(
    "anonymity", _ballot_permutations, _verify_anonymity
)


def check_anonymity(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """The order of the ballots does not matter.

    For a profile and a permutation of its ballots (with their weights), the two
    results have the same ``winners`` (as a set), the same ``ranking`` (tiers as
    sets) and, for deterministic methods, the same ``elected`` set.
    """
    return run_property(ANONYMITY, method, settings, budget)


# ----------------------------------------------------------------- neutrality
@st.composite
def _candidate_permutations(draw: st.DrawFn, options: Options) -> PermutationCase:
    profile = draw(options.profiles())
    perm = draw(st.permutations(range(profile.num_candidates)))
    return PermutationCase(profile, tuple(perm))


def _verify_neutrality(trial: Trial, case: PermutationCase) -> None:
    profile = case.profile
    moved = permute_candidates(profile, case.permutation)
    note = f"columns in the order {list(moved.candidates)}"
    pinned, complete = pin_tie_breaks(trial.method, profile.candidates)
    method = None if pinned is trial.method else pinned
    first = trial.run(profile, method=method)
    second = trial.run(moved, "moved", note, method=method)
    if complete:
        same = outcome_key(first) == outcome_key(second)
    else:
        assume(not (first.ties_broken or second.ties_broken))
        same = tie_key(first) == tie_key(second)
    if not same:
        change = describe_change(first, second, complete)
        trial.fail(f"listing the candidates in another order changed the result: {change}.")


NEUTRALITY: Property[PermutationCase] = Property(
    "neutrality", _candidate_permutations, _verify_neutrality
)


def check_neutrality(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Candidates are treated alike: reordering the columns only relabels the result.

    The profile's columns are permuted (each candidate keeps its name and its ranks
    on every ballot). Breaking ties by position is not neutral by design, so every
    :class:`~voting.ties.TieBreak` parameter of the method is first pinned to
    ``CandidateOrder(order=<the original candidate order>)`` (where the method
    accepts one); both counts then break ties by name, and ``winners``, ``ranking``
    (tiers as sets) and ``elected`` (as a set) must agree. When some tie-break
    parameter cannot be pinned, or there is none, only ``winners`` and ``ranking``
    are compared, and profiles where either count broke a tie are skipped.
    """
    return run_property(NEUTRALITY, method, settings, budget)


# ----------------------------------------------------------------- weights
def _weighted_cases(options: Options) -> SearchStrategy[ProfileCase]:
    return options.profiles(weighted=True).map(ProfileCase)


def _verify_weights(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    det = trial.options.deterministic
    first = trial.run(profile)
    expanded = trial.run(expand_weights(profile), "expanded", "each ballot repeated weight times")
    compressed = trial.run(profile.compress(), "compressed", "profile.compress()")
    if outcome_key(first, det) != outcome_key(expanded, det):
        trial.fail(
            "a ballot of weight k counts differently from k copies of weight 1: "
            f"{describe_change(first, expanded, det)}."
        )
    if outcome_key(first, det) != outcome_key(compressed, det):
        trial.fail(
            "merging identical ballots (profile.compress()) changed the result: "
            f"{describe_change(first, compressed, det)}."
        )


WEIGHTS_EQUAL_REPETITION: Property[ProfileCase] = Property(
    "weights_equal_repetition", _weighted_cases, _verify_weights
)


def check_weights_equal_repetition(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """A ballot of weight ``k`` counts as ``k`` identical ballots of weight 1.

    The results on a weighted profile, on the same profile with every ballot
    repeated ``weight`` times, and on ``profile.compress()`` (identical ballots
    merged) agree on ``winners``, ``ranking`` and, for deterministic methods, the
    ``elected`` set. This is what makes compressing a profile safe.
    """
    return run_property(WEIGHTS_EQUAL_REPETITION, method, settings, budget)


# ------------------------------------------------------------------ Pareto
def _dominate(row: list[int], d: int, c: int, unranked: str) -> list[int]:
    """Change one ballot as little as possible so that it prefers ``d`` to ``c``."""
    if ref.prefers(row, d, c, unranked):
        return row
    new = [UNRANKED if r == UNRANKED else 2 * r + 2 for r in row]
    rd, rc = row[d], row[c]
    if rd != UNRANKED and rc != UNRANKED:
        if rc < rd:
            new[d], new[c] = new[c], new[d]
        else:
            new[c] = new[d] + 1
    elif rd != UNRANKED:
        new[c] = new[d] + 1
    elif rc != UNRANKED:
        new[d] = new[c] - 1
    else:
        bottom = max((r for r in new if r != UNRANKED), default=0)
        new[d] = bottom + 2
        new[c] = bottom + 4 if unranked == "ignore" else UNRANKED
    return new


@st.composite
def _pareto_profiles(draw: st.DrawFn, options: Options) -> ProfileCase:
    """Profiles where every voter prefers some candidate ``d`` to another ``c``."""
    profile = draw(options.profiles())
    d = draw(st.integers(0, profile.num_candidates - 1))
    c = draw(st.sampled_from([x for x in range(profile.num_candidates) if x != d]))
    rows = [_dominate(row, d, c, profile.unranked) for row, _ in ref.ballots(profile)]
    return ProfileCase(Profile(rows, profile.weights, profile.candidates, profile.unranked))


def _pareto_cases(options: Options) -> SearchStrategy[ProfileCase]:
    return st.one_of(profile_cases(options), _pareto_profiles(options))


def _verify_pareto(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    dominated = ref.pareto_dominated(ref.pairwise_support(profile), profile.num_voters)
    assume(dominated)
    result = trial.run(profile)
    winners = set(result.winners)
    for c, d in sorted(dominated.items()):
        cn, dn = profile.candidates[c], profile.candidates[d]
        if result.seats == 1 and cn in winners:
            trial.fail(
                f"every voter prefers {dn} to {cn}, yet {cn} is among the winners "
                f"({_show(result.winners)})."
            )
        if result.seats > 1 and cn in winners and dn not in winners:
            trial.fail(f"every voter prefers {dn} to {cn}, yet {cn} is a winner and {dn} is not.")


PARETO: Property[ProfileCase] = Property("pareto", _pareto_cases, _verify_pareto)


def check_pareto(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """A candidate every voter ranks below another never wins.

    When every voter prefers ``d`` to ``c`` (under the profile's unranked policy:
    with ``"ignore"`` a ballot that leaves either unranked prefers neither), ``c``
    is not among the ``winners`` of a one-seat result; with more seats, ``c`` is a
    winner only if ``d`` is one too. Profiles with no dominated candidate are skipped.
    """
    return run_property(PARETO, method, settings, budget)


# ----------------------------------------------------------------- majority
def _majority_cases(options: Options) -> SearchStrategy[ProfileCase]:
    return vst._profiles_with_majority_winner(_spec(options, min_voters=0)).map(ProfileCase)


def _verify_majority(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    m = ref.majority_winner(profile)
    assume(m is not None)
    assert m is not None
    name = profile.candidates[m]
    result = trial.run(profile)
    ok = set(result.winners) == {name} if result.seats == 1 else name in result.winners
    if not ok:
        trial.fail(
            f"more than half of the voters prefer {name} to every other candidate, but the "
            f"winners are {_show(result.winners)}."
        )


MAJORITY: Property[ProfileCase] = Property("majority", _majority_cases, _verify_majority)


def check_majority(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """A candidate a majority prefers to everyone else wins outright.

    When more than half of the voters (by weight) prefer ``m`` to every other
    candidate (ranked alone on top; under ``unranked="ignore"`` the ballot must also
    rank everyone), ``winners`` is exactly ``{m}`` for one seat and contains ``m``
    otherwise. Profiles are built with such a candidate.
    """
    return run_property(MAJORITY, method, settings, budget)


# -------------------------------------------------------- Condorcet winner
def _cw_cases(options: Options) -> SearchStrategy[ProfileCase]:
    return vst.profiles_with_condorcet_winner(**options.kwargs(min_voters=0)).map(ProfileCase)


def _verify_condorcet_winner(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    cw = ref.condorcet_winner(ref.pairwise_support(profile))
    assume(cw is not None)
    assert cw is not None
    name = profile.candidates[cw]
    result = trial.run(profile)
    ok = set(result.winners) == {name} if result.seats == 1 else name in result.winners
    if not ok:
        trial.fail(
            f"{name} beats every other candidate head to head (Condorcet winner), but the "
            f"winners are {_show(result.winners)}."
        )


CONDORCET_WINNER: Property[ProfileCase] = Property(
    "condorcet_winner", _cw_cases, _verify_condorcet_winner
)


def check_condorcet_winner(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """The Condorcet winner, when there is one, wins outright.

    The Condorcet winner beats every other candidate head to head: strictly more
    voters prefer it in each pairwise contest (under the profile's unranked
    policy). ``winners`` must be exactly ``{it}`` for one seat and contain it
    otherwise. Profiles are built with a Condorcet winner.
    """
    return run_property(CONDORCET_WINNER, method, settings, budget)


# --------------------------------------------------------- Condorcet loser
def _cl_cases(options: Options) -> SearchStrategy[ProfileCase]:
    return vst._profiles_with_condorcet_loser(_spec(options, min_voters=0)).map(ProfileCase)


def _verify_condorcet_loser(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    cl = ref.condorcet_loser(ref.pairwise_support(profile))
    assume(cl is not None)
    assert cl is not None
    name = profile.candidates[cl]
    result = trial.run(profile)
    if result.seats == 1 and name in result.winners:
        trial.fail(
            f"every other candidate beats {name} head to head (Condorcet loser), yet it is "
            f"among the winners ({_show(result.winners)})."
        )


CONDORCET_LOSER: Property[ProfileCase] = Property(
    "condorcet_loser", _cl_cases, _verify_condorcet_loser
)


def check_condorcet_loser(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """The Condorcet loser never wins.

    The Condorcet loser loses every head-to-head contest (two or more candidates).
    It must not be among the ``winners`` of a one-seat result (results with more
    seats are not constrained). Profiles are built with a Condorcet loser.
    """
    return run_property(CONDORCET_LOSER, method, settings, budget)


# --------------------------------------------------------- Smith, Schwartz
def _cycle_cases(options: Options) -> SearchStrategy[ProfileCase]:
    plain = profile_cases(options)
    if options.max_candidates < 3:
        return plain
    cycles = vst.condorcet_cycles(
        **options.kwargs(min_voters=0, min_candidates=max(3, options.min_candidates))
    ).map(ProfileCase)
    return st.one_of(plain, cycles)


def _verify_smith(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    smith = frozenset(profile.candidates[i] for i in ref.smith_set(ref.pairwise_support(profile)))
    result = trial.run(profile)
    if result.seats == 1 and not set(result.winners) <= smith:
        trial.fail(
            f"the winners ({_show(result.winners)}) are not all in the Smith set ({names(smith)})."
        )


SMITH: Property[ProfileCase] = Property("smith", _cycle_cases, _verify_smith)


def check_smith(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Every winner is in the Smith set.

    The Smith set is the smallest non-empty set of candidates who each beat every
    candidate outside it head to head. For one seat, ``winners`` must be a subset.
    Half the profiles are built with a majority cycle.
    """
    return run_property(SMITH, method, settings, budget)


def _verify_schwartz(trial: Trial, case: ProfileCase) -> None:
    profile = case.profile
    schwartz = frozenset(
        profile.candidates[i] for i in ref.schwartz_set(ref.pairwise_support(profile))
    )
    result = trial.run(profile)
    if result.seats == 1 and not set(result.winners) <= schwartz:
        trial.fail(
            f"the winners ({_show(result.winners)}) are not all in the Schwartz set "
            f"({names(schwartz)})."
        )


SCHWARTZ: Property[ProfileCase] = Property("schwartz", _cycle_cases, _verify_schwartz)


def check_schwartz(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Every winner is in the Schwartz set.

    The Schwartz set is the union of the minimal non-empty sets of candidates that
    no outsider beats head to head (it is within the Smith set, and smaller when
    pairwise ties matter). For one seat, ``winners`` must be a subset. Half the
    profiles are built with a majority cycle.
    """
    return run_property(SCHWARTZ, method, settings, budget)


# ------------------------------------------------------- Droop proportionality
def _coalition_cases(options: Options) -> SearchStrategy[vst.SolidCoalition]:
    if options.seats_settable:
        return vst.solid_coalitions(**options.kwargs(min_voters=0, min_candidates=2))
    return vst.solid_coalitions(seats=options.seats, **options.kwargs(min_voters=0))


def _coalitions(profile: Profile, drawn: frozenset[str]) -> list[frozenset[int]]:
    """The drawn coalition, then every candidate alone and every ballot's top tiers."""
    n = profile.num_candidates
    out = [frozenset(profile.index(c) for c in drawn)]
    out += [frozenset([c]) for c in range(n)]
    for row, _ in ref.ballots(profile):
        ranked = sorted({r for r in row if r != UNRANKED})
        for t in ranked:
            top = frozenset(c for c in range(n) if row[c] != UNRANKED and row[c] <= t)
            if len(top) < n:
                out.append(top)
    return list(dict.fromkeys(out))


def _verify_droop(trial: Trial, case: vst.SolidCoalition) -> None:
    profile = case.profile
    n, voters = profile.num_candidates, profile.num_voters
    seats = [case.seats]
    if trial.options.seats_settable:
        seats += [s for s in (1, 2, 3) if s != case.seats and s < n]
    coalitions = _coalitions(profile, case.coalition)
    support = [ref.solid_support(profile, sorted(c)) for c in coalitions]
    for k in seats:
        quota = ref.droop_quota(voters, k)
        checks = [(c, v // quota) for c, v in zip(coalitions, support, strict=True) if v >= quota]
        if not checks:
            continue
        result = trial.run(profile, method=with_seats(trial.method, k))
        winners = {profile.index(w) for w in result.winners}
        for coalition, quotas in checks:
            need = min(quotas, len(coalition))
            if len(coalition & winners) < need:
                members = frozenset(profile.candidates[c] for c in coalition)
                trial.fail(
                    f"with {k} seat(s) the Droop quota is {quota} of {voters} voters; "
                    f"{quotas} quota(s) of voters prefer {names(members)} to every other "
                    f"candidate, so at least {need} of them should win, but the winners are "
                    f"{_show(result.winners)}."
                )
        trial.runs.pop()  # keep the failure report to the count that broke


DROOP_PROPORTIONALITY: Property[vst.SolidCoalition] = Property(
    "droop_proportionality", _coalition_cases, _verify_droop
)


def check_droop_proportionality(
    method: Method[Any],
    *,
    settings: hypothesis.settings | None = None,
    budget: Budget | None = None,
) -> Searched:
    """Solid coalitions of ``j`` Droop quotas get ``j`` of their candidates elected.

    For ``s`` seats and ``V`` voters the Droop quota is ``floor(V / (s + 1)) + 1``.
    When at least ``j`` quotas of voters solidly support a set ``S`` (each ranks
    every member of ``S`` and prefers it to every non-member; see
    :func:`~voting.testing.strategies.solid_coalitions`), at least ``min(j, |S|)``
    members of ``S`` are among the ``winners`` (before tie-breaking). Methods with
    a ``seats`` field are checked with 1 to 3 seats (``dataclasses.replace``), others
    with their own.

    Each generated profile (built around a drawn coalition) is counted once per
    number of seats, and every coalition it holds is checked against that count:
    the drawn one, each candidate alone, and the top tiers of each ballot.
    """
    return run_property(DROOP_PROPORTIONALITY, method, settings, budget)

"""When two profiles give the same counts: :meth:`voting.Profile.equivalent` and friends.

Two profiles can store the same election differently. Under ``unranked="last"`` a
ballot that leaves exactly one candidate unranked, and ranks the others strictly,
says the same as the complete ranking with that candidate last: every pairwise
count is equal, and a method that transfers votes (IRV, STV) reaches that candidate
only when it is the one left, when it is elected or the count is over either way.
And a profile whose ballots are all complete (or empty) counts the same under both
unranked policies. :func:`canonical` rewrites a profile into one form per election
(those ballots completed, identical ballots merged, rows sorted), so equivalence is
equality of canonical forms, with the policy compared only where some ballot
depends on it.

Nothing else is identified: candidates must be the same names in the same order
(every tie-break falls back on it), weights must sum to the same voters, and a tied
last tier is *not* the same as leaving those candidates unranked (STV splits a vote
between tied candidates; an unranked tail exhausts it).
"""

from __future__ import annotations

import numpy as np

from voting._typing import UNRANKED
from voting.profile import Profile

__all__ = ["canonical", "difference", "materialise_unranked", "policy_dependent_voters"]


def canonical(profile: Profile) -> Profile:
    """The canonical form of ``profile``: same counts, one storage per election.

    Under ``unranked="last"`` a ballot ranking all but one candidate strictly (at
    least one ranked) gets that candidate as its last tier; then identical ballots
    are merged (:meth:`Profile.compress`). Runtime complexity: O(V·C + V log V).
    """
    ranks = profile.ranks
    c = profile.num_candidates
    if profile.unranked == "last" and c >= 2 and profile.num_ballots:
        unranked = ranks == UNRANKED
        one_left = unranked.sum(axis=1) == 1
        deepest = np.where(unranked, -1, ranks).max(axis=1)
        fill = one_left & (deepest == c - 2)  # the c - 1 ranked ones are strict
        if bool(fill.any()):
            filled = ranks.copy()
            filled[unranked & fill[:, None]] = c - 1
            profile = Profile(filled, profile.weights, profile.candidates, profile.unranked)
    return profile.compress()


def policy_dependent_voters(profile: Profile) -> int:
    """Voters whose (canonical) ballot counts differently under the two policies.

    A ballot depends on the unranked policy when it ranks at least one candidate
    and leaves at least one unranked (after :func:`canonical`'s completion under
    ``"last"``).
    """
    canon = canonical(profile)
    unranked = (canon.ranks == UNRANKED).sum(axis=1)
    partial = (unranked > 0) & (unranked < canon.num_candidates)
    return int(canon.weights[partial].sum())


def difference(a: Profile, b: Profile) -> str | None:
    """Why ``a`` and ``b`` can count differently (``None`` when they are equivalent)."""
    if a.candidates != b.candidates:
        if set(a.candidates) == set(b.candidates):
            return (
                f"the candidates are in a different order ({list(a.candidates)} and "
                f"{list(b.candidates)}); tie-breaks follow that order"
            )
        return f"the candidates differ: {list(a.candidates)} and {list(b.candidates)}"
    if a.num_voters != b.num_voters:
        return f"{a.num_voters} voters against {b.num_voters}"
    ca, cb = canonical(a), canonical(b)
    if ca.unranked != cb.unranked:
        dep_a, dep_b = policy_dependent_voters(ca), policy_dependent_voters(cb)
        if dep_a or dep_b:
            n = max(dep_a, dep_b)
            return (
                f"unranked={a.unranked!r} against unranked={b.unranked!r}, and {n} voters "
                "rank some candidates but not all, so the policies count them differently"
            )
    if ca.ranks.shape != cb.ranks.shape or not bool(np.array_equal(ca.ranks, cb.ranks)):
        return f"the ballots differ ({ca.num_ballots} distinct against {cb.num_ballots})"
    if not bool(np.array_equal(ca.weights, cb.weights)):
        return "the same ballots are cast by different numbers of voters"
    return None


def materialise_unranked(profile: Profile) -> Profile:
    """Each ballot's unranked candidates as one tied tier below its ranked ones.

    Only for ``unranked="last"`` profiles, where that is what unranked means to a
    pairwise count: the pairwise matrix (so Schulze, ranked pairs, Borda, ...) is
    unchanged. Methods that transfer votes (IRV, STV) are not: they now see a tied
    last preference where the ballot stopped. Ballots that rank nobody stay empty.

    Raises
    ------
    InvalidProfileError
        Under ``unranked="ignore"``, where unranked candidates are not below the
        ranked ones and this would change every count involving them.
    """
    from voting.exceptions import InvalidProfileError

    if profile.unranked != "last":
        raise InvalidProfileError(
            f"materialise_unranked() needs unranked='last'; this profile has "
            f"unranked={profile.unranked!r}, where an unranked candidate is compared with "
            "nobody, so ranking it last would change the count."
        )
    ranks = profile.ranks
    unranked = ranks == UNRANKED
    ranked_any = ~unranked.all(axis=1)
    todo = unranked & ranked_any[:, None]
    if not bool(todo.any()):
        return profile
    deepest = np.where(unranked, -1, ranks).max(axis=1)
    filled = np.where(todo, (deepest + 1)[:, None], ranks).astype(np.int32)
    return Profile(filled, profile.weights, profile.candidates, profile.unranked)

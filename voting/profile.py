"""The one ballot container of the library: :class:`Profile`.

A profile holds ballots as a dense rank-position array: ``ranks[v, c]`` is the tier of
candidate ``c`` on ballot ``v`` (0 is the top tier, equal values are ties, and
:data:`voting.UNRANKED` marks a candidate the ballot leaves unranked), with the number
of voters who cast each ballot in ``weights``. Strict, tied and truncated ballots all
fit this one representation.

Equivalence
-----------
When two profiles give the same counts: :meth:`Profile.equivalent`, and the module's
:func:`canonical`, :func:`difference`, :func:`policy_dependent_voters` and
:func:`materialise_unranked` (which the writers and the command line use).

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

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from voting._checks import check_candidates, check_policy
from voting._dispatch import kernels, use_numba
from voting._distinct import distinct_rows
from voting._numpy_paths import ranks as _np_ranks
from voting._typing import (
    UNRANKED,
    RankArray,
    UnrankedPolicy,
    WeightArray,
)
from voting.exceptions import InvalidProfileError
from voting.limits import MAX_VOTERS, check_total, exact_total
from voting.pairwise_matrix import PairwiseMatrix, count_matrix

__all__ = ["Profile", "Tier"]

Tier = str | Collection[str]
"""One tier of a ballot: a candidate name, or a collection of names tied together."""


def _readonly(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    a.setflags(write=False)
    return a


def _canonical_ranks(ranks: ArrayLike, n_candidates: int) -> RankArray:
    """Validate ``ranks`` and return a read-only, C-contiguous, dense int32 array."""
    arr = np.asarray(ranks)
    if arr.size == 0:  # an empty list has dtype float64: any dtype holds no ballots
        arr = (
            arr.astype(np.int32).reshape(0, n_candidates) if arr.ndim < 2 else arr.astype(np.int32)
        )
    if arr.ndim != 2:
        raise InvalidProfileError(
            f"ranks has {arr.ndim} dimension(s); expected a 2-D array of shape "
            f"(n_ballots, n_candidates={n_candidates})."
        )
    if arr.shape[1] != n_candidates:
        hint = (
            " Transpose with ranks.T if ballots are columns."
            if arr.shape[0] == n_candidates
            else ""
        )
        raise InvalidProfileError(
            f"ranks has shape {arr.shape}; expected (n_ballots, n_candidates={n_candidates})."
            + hint
        )
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise InvalidProfileError(
            f"ranks has dtype {arr.dtype}; expected integers (tiers, 0 = top, "
            f"{UNRANKED} = unranked)."
        )
    if arr.size:
        lo = int(arr.min())
        hi = int(arr.max())
        if lo < 0:
            v = int(np.argwhere(arr < 0)[0][0])
            raise InvalidProfileError(
                f"ballot {v} has a negative rank ({arr[v].tolist()}); ranks are tiers "
                f"counted from 0 (top), with {UNRANKED} for unranked."
            )
        if hi > UNRANKED:
            v = int(np.argwhere(arr > UNRANKED)[0][0])
            raise InvalidProfileError(
                f"ballot {v} has a rank above the int32 range ({arr[v].tolist()})."
            )
    own = not arr.flags.writeable and arr.dtype == np.int32 and arr.flags.c_contiguous
    out = arr if own else np.ascontiguousarray(arr, dtype=np.int32).copy()
    return cast(RankArray, _readonly(_dense(out)))


def _dense(ranks: RankArray) -> RankArray:
    """``ranks`` with every row's tiers made dense (``0..k-1``); a new array if any changed."""
    if not ranks.size:
        return ranks
    if use_numba("ranks", ranks.size):
        k = kernels("ranks")
        first = int(k._first_non_dense_row(ranks))
        return cast(RankArray, k._dense_ranks_from(ranks, first) if first >= 0 else ranks)
    first = _np_ranks.first_non_dense_row(ranks)
    return _np_ranks.dense_ranks_from(ranks, first) if first >= 0 else ranks


def _weight_array(weights: ArrayLike) -> np.ndarray[Any, Any]:
    """``weights`` as an array, with Python ints too large for int64 kept exact (object
    dtype) so that the range check below sees their true values."""
    try:
        return np.asarray(weights)
    except OverflowError:  # pragma: no cover - numpy versions that refuse huge ints
        return np.asarray(weights, dtype=object)


def _check_weight_range(arr: np.ndarray[Any, Any]) -> None:
    """Refuse a weight below 1 or above :data:`voting.limits.MAX_VOTERS`, before any
    conversion to int64 could wrap it (a uint64 of 2**64 - 1 would become -1, a float
    of 1e20 the int64 minimum)."""
    if arr.dtype == object:  # Python ints beyond the int64 range, or junk
        items = arr.tolist()
        for v, item in enumerate(items):
            if isinstance(item, bool) or not isinstance(item, int | np.integer):
                raise InvalidProfileError(
                    f"ballot {v} has weight {item!r} of type {type(item).__name__}; weights "
                    "count voters and must be integers."
                )
        low = next((v for v, x in enumerate(items) if x < 1), None)
        high = next((v for v, x in enumerate(items) if x > MAX_VOTERS), None)
    else:
        below = arr < 1
        low = int(np.argmax(below)) if below.any() else None
        high = None
        if arr.dtype.kind != "i":  # a signed integer of 64 bits or fewer is in range
            # compare in the array's own type: MAX_VOTERS as a float64 is 2**63
            above = arr >= 2.0**63 if arr.dtype.kind == "f" else arr > np.uint64(MAX_VOTERS)
            high = int(np.argmax(above)) if above.any() else None
    if low is not None:
        raise InvalidProfileError(
            f"ballot {low} has weight {_item(arr[low])!r}; every weight must be >= 1 (drop the "
            "ballot instead of giving it weight 0)."
        )
    if high is not None:
        raise InvalidProfileError(
            f"ballot {high} has weight {_item(arr[high])!r}, more than the {MAX_VOTERS:,} "
            "(2**63 - 1) voters a profile counts exactly in int64."
        )


def _item(x: object) -> object:
    """A NumPy scalar as the Python number it holds (for messages)."""
    return x.item() if isinstance(x, np.generic) else x


def _canonical_weights(weights: ArrayLike | None, n_ballots: int) -> WeightArray:
    if weights is None:
        return cast(WeightArray, _readonly(np.ones(n_ballots, dtype=np.int64)))
    arr = _weight_array(weights)
    if arr.ndim != 1 or arr.shape[0] != n_ballots:
        raise InvalidProfileError(
            f"weights has shape {arr.shape}; expected ({n_ballots},), one count per ballot."
        )
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer)
        or np.issubdtype(arr.dtype, np.floating)
        or arr.dtype == object
    ):
        raise InvalidProfileError(
            f"weights has dtype {arr.dtype}; expected integers (voters per ballot)."
        )
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            v = int(np.argmax(bad))
            raise InvalidProfileError(
                f"ballot {v} has weight {arr[v].item()!r}; weights count voters and must be "
                "whole numbers."
            )
    if n_ballots:
        _check_weight_range(arr)
    own = not arr.flags.writeable and arr.dtype == np.int64 and arr.flags.c_contiguous
    out = arr if own else np.ascontiguousarray(arr, dtype=np.int64).copy()
    check_total(exact_total(out), "the weights")
    return cast(WeightArray, _readonly(out))


@dataclass(frozen=True, eq=False)
class Profile:
    """Ranked ballots with ties and truncation, as one dense array.

    Parameters
    ----------
    ranks : array_like of int, shape (n_ballots, n_candidates)
        ``ranks[v, c]`` is the tier of candidate ``c`` on ballot ``v``: 0 is the
        top tier, equal values are ties, :data:`voting.UNRANKED` (the int32 maximum)
        marks a candidate the ballot leaves unranked. Any non-negative integers are
        accepted; they are stored *dense* (each ballot's tiers are ``0..k-1``).
    weights : array_like of int, shape (n_ballots,), optional
        How many voters cast each ballot (each >= 1). Default: one each.
    candidates : sequence of str
        Unique, non-empty candidate names, in column order.
    unranked : {"last", "ignore"}, default "last"
        How unranked candidates compare. ``"last"``: tied below every ranked
        candidate (Debian's rule). ``"ignore"``: a pair counts only when the ballot
        ranks both (CIVS "No opinion", Elekto).

    Attributes
    ----------
    ranks : ndarray of int32, shape (n_ballots, n_candidates)
        Read-only and C-contiguous.
    weights : ndarray of int64, shape (n_ballots,)
        Read-only.
    candidates : tuple of str
    unranked : {"last", "ignore"}

    Raises
    ------
    InvalidProfileError
        On a wrong shape or dtype, a negative rank or weight, a zero weight, an
        empty candidate list or duplicate candidate names. The message names the
        ballot (row index) at fault.

    Notes
    -----
    Arrays are copied unless they are already read-only, C-contiguous and of the
    right dtype, so a profile never changes under its cached pairwise matrix.
    A ballot that ranks no candidate is kept: it counts in :attr:`num_voters` and
    contributes to no pairwise comparison.

    Examples
    --------
    >>> p = Profile.from_rankings([["A", "B", "C"], [{"B", "C"}, "A"], ["C"]],
    ...                           weights=[3, 2, 1])
    >>> p.num_voters
    6
    >>> p.ranks.tolist()
    [[0, 1, 2], [1, 0, 0], [2147483647, 2147483647, 0]]
    """

    ranks: RankArray
    weights: WeightArray
    candidates: tuple[str, ...]
    unranked: UnrankedPolicy = "last"
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        ranks: ArrayLike,
        weights: ArrayLike | None = None,
        candidates: Iterable[str] | None = None,
        unranked: UnrankedPolicy = "last",
    ) -> None:
        if candidates is None:
            raise InvalidProfileError(
                "candidates is required; use Profile.from_arrays to get default names."
            )
        names = check_candidates(candidates)
        policy = check_policy(unranked)
        r = _canonical_ranks(ranks, len(names))
        w = _canonical_weights(weights, r.shape[0])
        object.__setattr__(self, "ranks", r)
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "candidates", names)
        object.__setattr__(self, "unranked", policy)
        object.__setattr__(self, "_index", {name: i for i, name in enumerate(names)})

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_arrays(
        cls,
        ranks: ArrayLike,
        weights: ArrayLike | None = None,
        candidates: Iterable[str] | None = None,
        *,
        unranked: UnrankedPolicy = "last",
    ) -> Profile:
        """Build a profile from a rank array (see the class docstring).

        ``candidates`` defaults to ``("c0", "c1", ...)``.

        Examples
        --------
        >>> Profile.from_arrays([[0, 1], [1, 0]], weights=[2, 1]).candidates
        ('c0', 'c1')
        """
        arr = np.asarray(ranks)
        if candidates is None:
            if arr.ndim != 2:
                raise InvalidProfileError(
                    f"ranks has {arr.ndim} dimension(s); expected (n_ballots, n_candidates)."
                )
            candidates = tuple(f"c{i}" for i in range(arr.shape[1]))
        return cls(arr, weights, candidates, unranked)

    @classmethod
    def from_rankings(
        cls,
        ballots: Iterable[Sequence[Tier]],
        candidates: Iterable[str] | None = None,
        weights: ArrayLike | None = None,
        *,
        unranked: UnrankedPolicy = "last",
    ) -> Profile:
        """Build a profile from ballots written as tiers, best first.

        Parameters
        ----------
        ballots : iterable of sequences of tiers
            Each ballot lists tiers from best to worst; a tier is a candidate name or a
            collection (set, tuple, list) of names tied together. Candidates a ballot
            does not mention are unranked on it.
        candidates : iterable of str, optional
            The candidates, in column order. Default: every name that appears on some
            ballot, sorted (so the order does not depend on the order of ballots).
        weights : array_like of int, optional
            Voters per ballot; default one each.
        unranked : {"last", "ignore"}, default "last"

        Raises
        ------
        InvalidProfileError
            A ballot names an unknown candidate, names one twice, or has an empty
            tier; or any constructor check fails.

        Examples
        --------
        >>> p = Profile.from_rankings([["A", ("B", "C")]], candidates=["C", "B", "A", "D"])
        >>> p.ranks.tolist()
        [[1, 1, 0, 2147483647]]
        """
        rows = [list(b) for b in ballots]
        if candidates is None:
            found: set[str] = set()
            for v, ballot in enumerate(rows):
                for tier in ballot:
                    found.update(_tier_names(tier, v))
            names = tuple(sorted(found))
            if not names:
                raise InvalidProfileError(
                    "no candidate appears on any ballot and candidates was not given."
                )
        else:
            names = check_candidates(candidates)
        index = {name: i for i, name in enumerate(names)}
        ranks = np.full((len(rows), len(names)), UNRANKED, dtype=np.int32)
        for v, ballot in enumerate(rows):
            for t, tier in enumerate(ballot):
                for name in _tier_names(tier, v):
                    c = index.get(name)
                    if c is None:
                        raise InvalidProfileError(
                            f"ballot {v} names unknown candidate {name!r}; candidates are "
                            f"{list(names)}."
                        )
                    if ranks[v, c] != UNRANKED:
                        raise InvalidProfileError(
                            f"ballot {v} ranks {name!r} twice (tiers {ranks[v, c]} and {t}); "
                            "rank each candidate at most once, or put tied names in one tier."
                        )
                    ranks[v, c] = t
        return cls(ranks, weights, names, unranked)

    # ---------------------------------------------------------------- properties
    @property
    def num_voters(self) -> int:
        """Total weight: the number of voters."""
        return int(self.weights.sum())

    @property
    def num_ballots(self) -> int:
        """Number of rows (distinct ballots once :meth:`compress` has run)."""
        return int(self.ranks.shape[0])

    @property
    def num_candidates(self) -> int:
        """Number of candidates."""
        return len(self.candidates)

    @cached_property
    def is_strict(self) -> bool:
        """True when no ballot ties two candidates or leaves one unranked."""
        if self.num_ballots == 0:
            return True
        c = self.num_candidates
        return bool((self.ranks.max(axis=1) == c - 1).all())

    @cached_property
    def pairwise(self) -> PairwiseMatrix:
        """The pairwise matrix of this profile, computed once (see :func:`voting.pairwise`)."""
        return count_matrix(self.candidates, self.ranks, self.weights, self.unranked)

    def index(self, candidate: str | int) -> int:
        """Column index of ``candidate`` (a name, or an index that is checked)."""
        if isinstance(candidate, str):
            try:
                return self._index[candidate]
            except KeyError:
                raise InvalidProfileError(
                    f"unknown candidate {candidate!r}; candidates are {list(self.candidates)}."
                ) from None
        i = int(candidate)
        if not 0 <= i < self.num_candidates:
            raise InvalidProfileError(
                f"candidate index {i} is out of range for {self.num_candidates} candidates."
            )
        return i

    # --------------------------------------------------------------- transforms
    def compress(self) -> Profile:
        """Merge identical ballots, summing their weights.

        The rows come out in lexicographic order of their ranks (unranked after
        every tier), so two profiles holding the same multiset of ballots compress
        to equal profiles. Each row is packed into int64 keys (base C + 1 digits),
        sorted once, and weights are summed exactly in int64.
        Runtime complexity: O(V·C + V·log V).
        """
        if self.num_ballots == 0:
            return self
        ranks, weights = distinct_rows(self.ranks, self.weights)
        return Profile(ranks, weights, self.candidates, self.unranked)

    def restrict(self, candidates: Iterable[str | int]) -> Profile:
        """The profile on a subset of candidates, in the order given.

        Ballots keep their relative order of the remaining candidates; tiers are
        renumbered. A ballot that ranks none of them is kept (it abstains).
        """
        idx = [self.index(c) for c in candidates]
        if len(set(idx)) != len(idx):
            raise InvalidProfileError("restrict() got a candidate twice.")
        if not idx:
            raise InvalidProfileError("restrict() needs at least one candidate.")
        names = tuple(self.candidates[i] for i in idx)
        return Profile(self.ranks[:, idx], self.weights, names, self.unranked)

    def with_unranked(self, unranked: UnrankedPolicy) -> Profile:
        """The same ballots under another unranked policy."""
        return Profile(self.ranks, self.weights, self.candidates, unranked)

    def equivalent(self, other: Profile) -> bool:
        """True when ``other`` gives the same counts, however the two are stored.

        ``==`` compares storage (rows in order, the policy); ``equivalent`` compares
        what every method counts: the same candidates in the same order, and the
        same multiset of ballots once identical ones are merged and, under
        ``unranked="last"``, a ballot ranking all but one candidate strictly is read
        as the complete ranking with that one last. The policies must agree unless
        every ballot ranks all candidates or none. A tied last tier is *not* the same
        as leaving those candidates unranked (STV splits a vote between tied
        candidates; an unranked tail exhausts it). See :func:`canonical`.
        Runtime complexity: O(V·C + V log V).

        Examples
        --------
        >>> a = Profile.from_rankings([["A", "B"], ["A", "B"]], candidates=["A", "B", "C"])
        >>> b = Profile.from_rankings([["A", "B", "C"]], candidates=["A", "B", "C"], weights=[2])
        >>> a == b, a.equivalent(b)
        (False, True)
        >>> a.equivalent(a.with_unranked("ignore"))
        False
        """
        if not isinstance(other, Profile):
            raise InvalidProfileError(
                f"equivalent() compares two profiles; got {type(other).__name__}."
            )
        return difference(self, other) is None

    def materialise_unranked(self) -> Profile:
        """Each ballot's unranked candidates written as one tied tier below its ranked ones.

        For ``unranked="last"`` profiles only. Every pairwise count is kept (what
        Debian's and CIVS's Condorcet counts use); methods that transfer votes (IRV,
        STV) then see a tied last preference where the ballot stopped, so the result
        is *not* :meth:`equivalent` in general. Used to write ``"last"`` ballots into
        formats read with ``unranked="ignore"`` (CIVS CSV), on request.

        Raises
        ------
        InvalidProfileError
            Under ``unranked="ignore"``.

        Examples
        --------
        >>> p = Profile.from_rankings([["A"], []], candidates=["A", "B", "C"])
        >>> p.materialise_unranked().ranks.tolist()
        [[0, 1, 1], [2147483647, 2147483647, 2147483647]]
        """
        return materialise_unranked(self)

    def __add__(self, other: object) -> Profile:
        """Concatenate the ballots of two profiles over the same candidates."""
        if not isinstance(other, Profile):
            return NotImplemented
        if other.candidates != self.candidates:
            raise InvalidProfileError(
                f"cannot add profiles over different candidates: {list(self.candidates)} "
                f"and {list(other.candidates)}; use restrict() to align them first."
            )
        if other.unranked != self.unranked:
            raise InvalidProfileError(
                f"cannot add profiles with unranked={self.unranked!r} and "
                f"unranked={other.unranked!r}; convert one with with_unranked()."
            )
        ranks = _readonly(np.concatenate([self.ranks, other.ranks]))
        weights = _readonly(np.concatenate([self.weights, other.weights]))
        return Profile(ranks, weights, self.candidates, self.unranked)

    # -------------------------------------------------------------- conversions
    def to_rankings(self) -> list[tuple[frozenset[str], ...]]:
        """Each ballot as tiers of names, best first (the inverse of :meth:`from_rankings`)."""
        out: list[tuple[frozenset[str], ...]] = []
        for row in self.ranks:
            tiers: dict[int, set[str]] = {}
            for c, r in enumerate(row.tolist()):
                if r != UNRANKED:
                    tiers.setdefault(r, set()).add(self.candidates[c])
            out.append(tuple(frozenset(tiers[t]) for t in sorted(tiers)))
        return out

    def to_code(self) -> str:
        """Python source that rebuilds this profile (for reporting counterexamples)."""
        ballots = []
        for tiers in self.to_rankings():
            parts = []
            for tier in tiers:
                names = sorted(tier)
                parts.append(repr(names[0]) if len(names) == 1 else repr(tuple(names)))
            ballots.append("[" + ", ".join(parts) + "]")
        return (
            "Profile.from_rankings([" + ", ".join(ballots) + "], "
            f"candidates={list(self.candidates)!r}, weights={self.weights.tolist()!r}, "
            f"unranked={self.unranked!r})"
        )

    # ------------------------------------------------------------------ dunders
    def __eq__(self, other: object) -> bool:
        """Same candidates, policy, rows (in order) and weights."""
        if not isinstance(other, Profile):
            return NotImplemented
        return (
            self.candidates == other.candidates
            and self.unranked == other.unranked
            and self.ranks.shape == other.ranks.shape
            and bool(np.array_equal(self.ranks, other.ranks))
            and bool(np.array_equal(self.weights, other.weights))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Profile({self.num_ballots} ballots, {self.num_voters} voters, "
            f"{self.num_candidates} candidates {list(self.candidates)!r}, "
            f"unranked={self.unranked!r})"
        )

    def __len__(self) -> int:
        return self.num_ballots

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython / hypothesis pretty-printing: the code that rebuilds the profile."""
        printer.text("Profile(...)" if cycle else self.to_code())


def _tier_names(tier: Tier, ballot: int) -> tuple[str, ...]:
    if isinstance(tier, str):
        return (tier,)
    try:
        names = tuple(tier)
    except TypeError:
        raise InvalidProfileError(
            f"ballot {ballot} has tier {tier!r}; a tier is a name or a collection of names."
        ) from None
    if not names:
        raise InvalidProfileError(f"ballot {ballot} has an empty tier.")
    for name in names:
        if not isinstance(name, str):
            raise InvalidProfileError(
                f"ballot {ballot} has {name!r} ({type(name).__name__}) in a tier; "
                "candidates are named by str."
            )
    return names


# ------------------------------------------------------------- equivalence
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

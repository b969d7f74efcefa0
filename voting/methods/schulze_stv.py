"""Schulze STV: the Schulze method applied to committees that differ in one candidate.

Definition implemented (Schulze, "Free Riding and Vote Management under Proportional
Representation by the Single Transferable Vote", 2011, section 5, and "The Schulze
Method of Voting", arXiv:1804.02973, the section on Schulze STV), for ``N`` seats:

1. *Support strength.* For a committee ``S`` (``N`` candidates) and a candidate
   ``d`` outside it, ``t(S, d)`` is the largest ``t`` such that the ballots can be
   divided among the members of ``S`` (each ballot's weight split fractionally, a
   ballot giving to a member only if it prefers that member to ``d``) so that every
   member gets at least ``t``. It is how strongly ``S`` is supported against ``d``
   when its voters manage their votes as well as they can ("vote-management-proof"
   support). It equals ``min over non-empty T ⊆ S of W(T) / |T|``, ``W(T)`` the weight
   of the ballots preferring at least one member of ``T`` to ``d`` (max-flow min-cut),
   and is computed exactly: ``t · lcm(1..N)`` is an integer.
2. *Links.* For ``S' = S − {a} ∪ {d}`` the link ``S → S'`` has strength
   ``t(S, d)`` and the link back ``t(S', a)``. ``S`` *defeats* ``S'`` when
   ``t(S, d) > t(S', a)``; the defeat's strength is the pair
   ``(t(S, d), t(S', a))``, compared like Schulze's winning votes (more support is
   stronger; for equal support, less support for the loser is stronger).
   Committees that differ in more than one candidate are not linked.
3. *Schulze.* A path's strength is that of its weakest defeat; ``P[A, B]`` is the
   strength of the strongest path of defeats from ``A`` to ``B`` (none: weaker than
   any path). ``A`` beats ``B`` when ``P[A, B] > P[B, A]``. The winning committees
   are those no committee beats (Schulze proves there is at least one); a tie among
   several is broken by ``tie_break`` and recorded.

With one seat, ``t({a}, b)`` is the weight of ballots preferring ``a`` to ``b``, so
the method is exactly :class:`~voting.Schulze` with ``strength="winning"``.

Ballots with ties and unranked candidates (``completion``)
----------------------------------------------------------
``completion="none"`` (default): a ballot supports a member ``c`` against ``d`` only
if it ranks ``c`` strictly above ``d`` under the profile's policy: with
``unranked="last"`` a ranked candidate is above every unranked one; with
``unranked="ignore"`` a ballot that leaves ``c`` or ``d`` unranked supports neither.
A ballot that ties ``c`` with ``d`` supports neither. On ballots that are strict over
the candidates they rank, under ``unranked="last"``, this is Schulze's definition.
``completion="proportional"``: Schulze's proportional completion of such ballots
(:mod:`voting.methods._proportional_completion`; exact, pure Python, small elections),
which reproduces the strengths of Schulze's reference program. Neither completion
guarantees Droop proportionality on ballots with ties (see :meth:`SchulzeSTV.tags`).

``links="all"`` replaces step 2's defeats by every link of positive strength, with
strength ``t(S, d)`` alone, as Schulze's reference program (prog01) computes it.

Computation
-----------
Ballots are compressed first. All ``K = binom(C, N)`` committees are enumerated;
``t(S, d)`` for all ``K · (C − N)`` pairs costs ``O(V · N + N · 2^N)`` each (a subset-sum
transform over the ``2^N`` preference masks), or, up to 24 candidates, ``O(2^N)``
lookups in a ``2^C`` subset-sum table built once per outsider; the defeat graph has at most
``K · N · (C − N)`` edges. The winners are found without the all-pairs closure: a
widest-path search (Dijkstra, max–min) from and to one committee finds whether
anything beats it; the search moves to a committee that does (the Schulze relation
is transitive, so this ends at an unbeaten one), then checks every committee tied
with it. Beyond ``max_seconds`` of estimated work,
:class:`~voting.exceptions.ComputationTooLargeError` is raised before anything is
computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels
from voting._params import Constraints, Integer, Number, OneOf
from voting.exceptions import ComputationTooLargeError, UnsupportedProfileError
from voting.methods._base import MethodTags, SeatsMethod, check_size
from voting.methods._proportional_completion import completed_strengths
from voting.profile import Profile
from voting.render import Explanation
from voting.results import Result, committee_from_committees, committee_order

__all__ = [
    "COMPLETIONS",
    "LINKS",
    "CommitteeComparison",
    "PathComparison",
    "SchulzeSTV",
    "SchulzeSTVExplanation",
    "estimate_seconds",
]


def _k() -> Any:
    """The kernels (:mod:`voting._kernels.schulze_stv`), imported with numba on first use."""
    return kernels("schulze_stv")


_INT64_LIMIT = 2**62
_MAX_SEATS = 20
_OPS_PER_SECOND = 1.0e8
"""Calibration of :func:`estimate_seconds`: kernel steps per second on one core of
the benchmark machine (measured 1.5e8 to 2e8, rounded down to stay conservative)."""
PARALLEL_MIN_STEPS = 20_000_000
"""Support strengths are computed on all threads from this many kernel steps on."""

Completion = Literal["none", "proportional"]
"""How ballots that do not order a member and an outsider count (see the module doc)."""

COMPLETIONS: tuple[Completion, ...] = get_args(Completion)

Links = Literal["defeats", "all"]
"""Which links between committees the Schulze step uses (see :class:`SchulzeSTV`)."""

LINKS: tuple[Links, ...] = get_args(Links)

_COMPLETION_STEPS_PER_SECOND = 2.0e5
"""Calibration of the pure-Python proportional completion (pattern pairs per second)."""

Strength = tuple[Fraction, Fraction]
"""A defeat's strength: (support of the winner, support of the loser)."""


LOOKUP_MAX_CANDIDATES = 24
"""The lookup kernel tabulates ``2^C`` int64 sums (128 MiB at 24 candidates)."""
CLOSEST_RIVALS = 20
"""How many closest challengers the explanation lists."""
MAX_LINKS = 20_000_000
"""Committee links kept in memory at most (24 bytes each before pruning)."""


def _plan(num_candidates: int, seats: int, num_ballots: int) -> tuple[str, int]:
    """The cheaper support-strength kernel for this size, and its kernel steps."""
    c, n = num_candidates, seats
    pairs = math.comb(c, n) * (c - n)
    by_ballots = pairs * (num_ballots * n + n * 2**n)
    if c > LOOKUP_MAX_CANDIDATES:
        return "ballots", by_ballots
    by_lookup = c * (c * 2**c + num_ballots) + pairs * 3 * 2**n
    return ("lookup", by_lookup) if by_lookup < by_ballots else ("ballots", by_ballots)


def estimate_seconds(
    num_candidates: int, seats: int, num_ballots: int, completion: Completion = "none"
) -> float:
    """Rough time, in seconds, that :class:`SchulzeSTV` needs for this size.

    Counts the kernel steps (support strengths by the cheaper kernel, links, a few
    widest-path searches) and divides by a calibrated one-core rate; good to a
    factor of about two. With ``completion="proportional"`` the pure-Python
    completion dominates: about ``patterns²`` steps per strength, ``patterns`` being
    at most ``min(V, 3^N)``.
    """
    c, n = num_candidates, seats
    k = math.comb(c, n)
    if completion == "proportional":
        patterns = min(num_ballots, int(3**n))
        per = 50 + n * patterns + patterns * patterns + n * (1 << n)
        return 0.05 + k * (c - n) * per / _COMPLETION_STEPS_PER_SECOND
    steps = _plan(c, n, num_ballots)[1]
    steps += k * n * (c - n) * (2 * n + 150)  # links, codes, CSR, widest-path searches
    return 0.05 + steps / _OPS_PER_SECOND


@dataclass(frozen=True, slots=True)
class CommitteeComparison:
    """One comparison of two committees that differ in one candidate.

    Attributes
    ----------
    committee, rival : tuple of str
        The two committees (members in profile order).
    removed : str
        The member of ``committee`` that ``rival`` lacks.
    added : str
        The member of ``rival`` that ``committee`` lacks.
    support : Fraction
        ``t(committee, added)``: vote-management-proof support of ``committee``
        against ``added``.
    rival_support : Fraction
        ``t(rival, removed)``.
    """

    committee: tuple[str, ...]
    rival: tuple[str, ...]
    removed: str
    added: str
    support: Fraction
    rival_support: Fraction

    @property
    def defeats(self) -> bool:
        """True when ``committee`` defeats ``rival`` directly."""
        return self.support > self.rival_support

    def __str__(self) -> str:
        rel = ">" if self.defeats else ("<" if self.support < self.rival_support else "=")
        return (
            f"{{{', '.join(self.committee)}}} vs {{{', '.join(self.rival)}}} "
            f"(-{self.removed} +{self.added}): {_fmt(self.support)} {rel} "
            f"{_fmt(self.rival_support)}"
        )


@dataclass(frozen=True, slots=True)
class PathComparison:
    """Strongest beat paths between the elected committee and a rival.

    ``forward`` is the strength of the strongest path of defeats from the elected
    committee to ``rival`` (its weakest defeat: winner's and loser's support),
    ``backward`` from ``rival`` back; ``None`` when there is no such path. The elected
    committee is unbeaten: ``backward`` is never stronger than ``forward``.
    """

    rival: tuple[str, ...]
    forward: Strength | None
    backward: Strength | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SchulzeSTVExplanation(Explanation):
    """How a Schulze STV result came about.

    ``to_text()`` lists the elected committee's comparisons with its neighbours and
    its closest challengers; ``to_dict()`` gives the fields (supports and path
    strengths exact, as strings).

    Attributes
    ----------
    seats : int
    num_committees : int
        ``binom(C, seats)``: committees compared.
    winning_committees : tuple of tuple of str
        Every committee no other committee beats (more than one: a tie).
    comparisons : tuple of CommitteeComparison
        The elected committee against each of its ``seats · (C − seats)`` neighbours.
    paths : tuple of PathComparison
        The elected committee against its closest challengers: the (at most
        :data:`CLOSEST_RIVALS`) committees with the strongest beat paths back to it,
        strongest first. None of them beats it (forward path at least as strong).
    challengers : int
        How many committees have a beat path to the elected committee at all.
    """

    seats: int
    num_committees: int
    winning_committees: tuple[tuple[str, ...], ...]
    comparisons: tuple[CommitteeComparison, ...]
    paths: tuple[PathComparison, ...] = field(repr=False)
    challengers: int = 0

    def to_text(self) -> str:
        """The unbeaten committees, the elected committee against each neighbour
        (``support > rival support``), then its closest challengers' beat paths."""
        lines = [
            f"Schulze STV, {self.seats} seat(s), {self.num_committees} committees; "
            f"unbeaten: {' | '.join('{' + ', '.join(c) + '}' for c in self.winning_committees)}"
        ]
        if self.comparisons:
            lines.append(
                "Against each committee one candidate away: support over the added "
                "candidate vs the rival's over the removed one"
            )
        lines.extend(f"  {c}" for c in self.comparisons)
        if self.paths:
            lines.append(
                f"{self.challengers} committee(s) have a beat path to the elected one; "
                "the strongest, with the path each way:"
            )
            lines.extend(
                f"  {{{', '.join(p.rival)}}}: forward {_strength_text(p.forward)}, "
                f"back {_strength_text(p.backward)}"
                for p in self.paths
            )
        return "\n".join(lines)


def _strength_text(strength: Strength | None) -> str:
    return "none" if strength is None else f"{_fmt(strength[0])} to {_fmt(strength[1])}"


def _fmt(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


@dataclass(frozen=True, kw_only=True)
class SchulzeSTV(SeatsMethod):
    """Schulze STV (Schulze 2011): a Condorcet-proportional committee method.

    Committees that differ in one candidate are compared by the vote-management-proof
    support of each against the other's extra candidate, and the Schulze method over
    these comparisons picks the committee; see the module docstring for the exact
    definition and how ties and unranked candidates count.

    Parameters
    ----------
    seats : int, default 1
        Committee size ``N`` (at most 20).
    tie_break : TieBreak, default CandidateOrder()
        Picks among tied unbeaten committees: the committee whose members come
        first in the tie-break's priority (compared as sorted priority lists;
        :func:`~voting.results.committee_from_committees`).
    completion : {"none", "proportional"}, default "none"
        ``"none"``: a ballot supports a member against an outsider only if it ranks
        the member strictly above the outsider under the profile's ``unranked``
        policy (numba kernels, exact integers). ``"proportional"``: Schulze's
        proportional completion of ballots that do not order them (exact
        Fractions, pure Python: small elections only); see
        :mod:`voting.methods._proportional_completion`.
    links : {"defeats", "all"}, default "defeats"
        ``"defeats"``: the Schulze method proper, with winning votes: a link counts
        only when it is a defeat (``t(S, d) > t(S', a)``), its strength the pair
        ``(t(S, d), t(S', a))``. ``"all"``: every link counts with strength
        ``t(S, d)``, whatever the link back; this is what Schulze's reference
        program (prog01) computes, and with ``completion="proportional"`` it
        reproduces that program's output.
    max_seconds : float, default 60.0
        Refuse (:class:`~voting.exceptions.ComputationTooLargeError`) profiles whose
        estimated counting time (:func:`estimate_seconds`) is longer.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B", "C"]] * 12 + [["A", "C", "B"]] * 38
    ...     + [["C", "A", "B"]] * 13 + [["B"]] * 27)
    >>> r = SchulzeSTV(seats=2).run(p)
    >>> r.elected
    ('A', 'B')
    >>> print(r.explanation.comparisons[0])
    {A, B} vs {B, C} (-A +C): 77/2 > 13
    """

    name: ClassVar[str] = "schulze_stv"
    parameter_constraints: ClassVar[Constraints] = {
        "seats": Integer(
            low=1, high=_MAX_SEATS, note="the support strength enumerates 2^seats subsets"
        ),
        "completion": OneOf(COMPLETIONS),
        "links": OneOf(LINKS),
        "max_seconds": Number(low=0, low_open=True),
    }
    completion: Completion = "none"
    links: Links = "defeats"
    max_seconds: float = 60.0

    def tags(self) -> MethodTags:
        """The criteria this configuration guarantees (checked by the property-test kit).

        * one seat, ``completion="none"``, ``links="defeats"``: it is
          ``Schulze(strength="winning")``, with that method's criteria;
        * committees claim no criterion. Schulze proves Droop proportionality for
          ballots that rank every candidate strictly; ballots with ties break it
          under both completions (counterexamples in ``tests/test_schulze_stv.py``):
          ``completion="none"`` counts a tie between a member and an outsider as no
          support, and ``completion="proportional"`` does too where no other ballot
          orders the two, as it has no proportions to complete the tie from (see
          :mod:`voting.methods._proportional_completion`); ``links="all"`` claims
          nothing.
        """
        if self.links != "defeats":
            return MethodTags(kind="single_winner" if self.seats == 1 else "committee")
        if self.seats == 1 and self.completion == "none":
            return MethodTags(
                kind="single_winner",
                condorcet_winner=True,
                condorcet_loser=True,
                smith=True,
                schwartz=True,
                pareto=True,
                monotonic=True,
                reversal_symmetry=True,
                clone_independent=True,
            )
        return MethodTags(kind="single_winner" if self.seats == 1 else "committee")

    def run(self, profile: Profile, /) -> Result[SchulzeSTVExplanation]:
        """Count ``profile``.

        Raises
        ------
        InvalidProfileError
            More seats than candidates.
        ComputationTooLargeError
            The estimated time exceeds ``max_seconds``, or the committee links would
            not fit in memory.
        UnsupportedProfileError
            The total weight is too large for exact int64 strengths.
        """
        profile = self.check_profile(profile)
        names = profile.candidates
        c, n = len(names), self.seats
        if n == c:
            expl = SchulzeSTVExplanation(
                seats=n, num_committees=1, winning_committees=(names,), comparisons=(), paths=()
            )
            return committee_from_committees(self.name, names, [range(c)], self.tie_break, expl)
        compressed = profile.compress()
        est = estimate_seconds(c, n, compressed.num_ballots, self.completion)
        check_size(
            self.name,
            "max_seconds",
            self.max_seconds,
            est,
            size=f"{c} candidates and {n} seats make {math.comb(c, n):,} committees and "
            f"{math.comb(c, n) * n * (c - n):,} comparisons over {compressed.num_ballots:,} "
            f"distinct ballots, which would take about {est:,.0f} s",
            otherwise="use fewer candidates or seats",
        )
        scale = math.lcm(*range(1, n + 1))
        total = int(compressed.weights.sum())
        if total * scale >= _INT64_LIMIT:
            raise UnsupportedProfileError(
                f"schulze_stv: total weight {total} times lcm(1..{n}) = {scale} does not fit "
                "exact int64 arithmetic; scale the weights down."
            )
        ranks = np.ascontiguousarray(compressed.ranks, dtype=np.int32)
        weights = np.ascontiguousarray(compressed.weights, dtype=np.int64)
        links = math.comb(c, n) * n * (c - n)
        if links > MAX_LINKS:
            raise ComputationTooLargeError(
                f"schulze_stv: {c} candidates and {n} seats make {links:,} committee "
                f"comparisons, more than the {MAX_LINKS:,} this exact count keeps in memory."
            )
        ignore = compressed.unranked == "ignore"
        committees = _k()._committees(c, n)
        if self.completion == "proportional":
            fracs = completed_strengths(_k()._prefers(ranks, ignore), weights, committees)
            values = sorted({x for row in fracs for x in row})
            code_of = {x: i for i, x in enumerate(values)}
            strengths = np.array(
                [[code_of[x] for x in row] for row in fracs], dtype=np.int64
            ).reshape(committees.shape[0], c - n)

            def to_fraction(x: int) -> Fraction:
                return values[int(x)]

        else:
            strengths = self._kernel_strengths(ranks, weights, committees, c, n, scale, ignore)

            def to_fraction(x: int) -> Fraction:
                return Fraction(int(x), scale)

        src, dst, win, lose = _k()._committee_links(committees, strengths, c, self.links == "all")
        graph = _Graph.build(committees.shape[0], src, dst, win, lose)
        winners = graph.unbeaten(strengths.sum(axis=1))
        return self._result(names, committees, strengths, to_fraction, graph, winners)

    @staticmethod
    def _kernel_strengths(
        ranks: NDArray[np.int32],
        weights: NDArray[np.int64],
        committees: NDArray[np.int32],
        c: int,
        n: int,
        scale: int,
        ignore: bool,
    ) -> NDArray[np.int64]:
        """Scaled support strengths by the cheaper numba kernel for this size."""
        kind, steps = _plan(c, n, ranks.shape[0])
        strengths: NDArray[np.int64]
        if kind == "lookup":
            lookup = (
                _k()._support_strengths_lookup_parallel
                if steps >= PARALLEL_MIN_STEPS
                else _k()._support_strengths_lookup
            )
            strengths = lookup(_k()._better_masks(ranks, ignore), weights, committees, c, scale)
        elif steps >= PARALLEL_MIN_STEPS:
            strengths = _k()._support_strengths_parallel(
                _k()._prefers(ranks, ignore), weights, committees, c, scale
            )
        else:
            strengths = _k()._support_strengths(
                _k()._prefers(ranks, ignore), weights, committees, c, scale
            )
        return strengths

    def _result(
        self,
        names: tuple[str, ...],
        committees: NDArray[np.int32],
        strengths: NDArray[np.int64],
        to_fraction: Callable[[int], Fraction],
        graph: _Graph,
        winners: list[int],
    ) -> Result[SchulzeSTVExplanation]:
        """The result: the unbeaten committees (``winners``, indices into ``committees``),
        one elected by the tie-break, explained against its neighbours and rivals."""
        members = [tuple(int(x) for x in committees[k]) for k in winners]
        ordered = [winners[i] for i in committee_order(names, members, self.tie_break)]
        chosen = ordered[0]

        def label(k: int) -> tuple[str, ...]:
            return tuple(names[int(i)] for i in committees[k])

        paths, challengers = _closest_rivals(graph, chosen, to_fraction, label)
        expl = SchulzeSTVExplanation(
            seats=self.seats,
            num_committees=int(committees.shape[0]),
            winning_committees=tuple(label(k) for k in ordered),
            comparisons=_neighbours(names, committees, strengths, to_fraction, chosen),
            paths=paths,
            challengers=challengers,
        )
        return committee_from_committees(self.name, names, members, self.tie_break, expl)


def _neighbours(
    names: tuple[str, ...],
    committees: NDArray[np.int32],
    strengths: NDArray[np.int64],
    to_fraction: Callable[[int], Fraction],
    chosen: int,
) -> tuple[CommitteeComparison, ...]:
    """Committee ``chosen`` against each committee that differs from it in one member."""
    members = [int(x) for x in committees[chosen]]
    outsiders = [d for d in range(len(names)) if d not in set(members)]
    label = tuple(names[i] for i in members)
    comps: list[CommitteeComparison] = []
    for a in members:
        for j, d in enumerate(outsiders):
            other = sorted((set(members) - {a}) | {d})
            target = _colex(other)
            back = strengths[target, a - sum(1 for x in other if x < a)]
            comps.append(
                CommitteeComparison(
                    committee=label,
                    rival=tuple(names[i] for i in other),
                    removed=names[a],
                    added=names[d],
                    support=to_fraction(int(strengths[chosen, j])),
                    rival_support=to_fraction(int(back)),
                )
            )
    return tuple(comps)


def _closest_rivals(
    graph: _Graph,
    chosen: int,
    to_fraction: Callable[[int], Fraction],
    label: Callable[[int], tuple[str, ...]],
) -> tuple[tuple[PathComparison, ...], int]:
    """The (at most :data:`CLOSEST_RIVALS`) committees with the strongest beat paths
    back to ``chosen``, strongest first, and how many have a path back at all."""
    fwd, bwd = graph.paths(chosen)

    def decode(code: int) -> Strength | None:
        if code == 0:
            return None
        w, l_ = graph.table[code]
        return (to_fraction(int(w)), to_fraction(int(l_)))

    back = np.flatnonzero(bwd > 0)
    back = back[back != chosen]
    closest = back[np.lexsort((back, -bwd[back]))][:CLOSEST_RIVALS]
    paths = tuple(
        PathComparison(rival=label(k), forward=decode(int(fwd[k])), backward=decode(int(bwd[k])))
        for k in closest.tolist()
    )
    return paths, int(back.size)


def _colex(members: list[int]) -> int:
    return sum(math.comb(m, i + 1) for i, m in enumerate(members))


@dataclass(frozen=True, slots=True)
class _Graph:
    """The defeat graph between committees, strengths as dense codes (1 = weakest)."""

    num_nodes: int
    indptr: NDArray[np.int64]
    targets: NDArray[np.int64]
    codes: NDArray[np.int64]
    rindptr: NDArray[np.int64]
    rtargets: NDArray[np.int64]
    rcodes: NDArray[np.int64]
    table: NDArray[np.int64]  # code -> (win, lose), row 0 unused

    @staticmethod
    def build(
        k: int,
        src: NDArray[np.int32],
        dst: NDArray[np.int32],
        win: NDArray[np.int64],
        lose: NDArray[np.int64],
    ) -> _Graph:
        if src.size:
            base = int(max(int(win.max()), int(lose.max()))) + 1
            if base * base < _INT64_LIMIT:
                # one int64 key per defeat, ascending = stronger: win first, then -lose
                keys = win * base + (base - 1 - lose)
                uniq, inv = np.unique(keys, return_inverse=True)
                codes = inv.astype(np.int64).reshape(-1) + 1
                table = np.zeros((uniq.size + 1, 2), dtype=np.int64)
                table[1:, 0] = uniq // base
                table[1:, 1] = base - 1 - uniq % base
            else:
                pairs = np.stack([win, lose], axis=1)
                order = np.lexsort((-lose, win))
                sp = pairs[order]
                new = np.ones(sp.shape[0], dtype=bool)
                new[1:] = np.any(sp[1:] != sp[:-1], axis=1)
                code_sorted = np.cumsum(new).astype(np.int64)
                codes = np.empty_like(code_sorted)
                codes[order] = code_sorted
                table = np.zeros((int(code_sorted[-1]) + 1, 2), dtype=np.int64)
                table[code_sorted] = sp
        else:
            codes = np.zeros(0, dtype=np.int64)
            table = np.zeros((1, 2), dtype=np.int64)
        indptr, targets, ecodes = _csr(k, src, dst, codes)
        rindptr, rtargets, rcodes = _csr(k, dst, src, codes)
        return _Graph(k, indptr, targets, ecodes, rindptr, rtargets, rcodes, table)

    def paths(self, node: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Strongest-path codes from ``node`` to every committee and back (0 = none)."""
        fwd = _k()._widest_from(self.indptr, self.targets, self.codes, node, self.num_nodes)
        bwd = _k()._widest_from(self.rindptr, self.rtargets, self.rcodes, node, self.num_nodes)
        return fwd, bwd

    def unbeaten(self, score: NDArray[np.int64]) -> list[int]:
        """Every committee that no committee beats (ascending indices).

        ``score`` only guides the search (start at the best-scoring committee, move
        to the best-scoring one that beats it); the result does not depend on it.
        """
        x = int(np.argmax(score))
        candidates = np.ones(self.num_nodes, dtype=bool)
        while True:
            fwd, bwd = self.paths(x)
            beaters = (bwd > fwd) & candidates
            if not beaters.any():
                break
            # Schulze's relation is transitive: whatever beats a beater of x beats x
            candidates = beaters
            x = int(np.flatnonzero(beaters)[np.argmax(score[beaters])])
        winners = [x]
        indegree = np.diff(self.rindptr)
        for y in np.flatnonzero(fwd == bwd).tolist():
            if y == x:
                continue
            if indegree[y] == 0:  # nothing defeats y, so nothing beats it
                winners.append(y)
                continue
            f2, b2 = self.paths(y)
            if not (b2 > f2).any():
                winners.append(y)
        return sorted(winners)


def _csr(
    k: int, src: NDArray[np.int32], dst: NDArray[np.int32], codes: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    if src.size and bool(np.all(src[1:] >= src[:-1])):
        order = np.arange(src.size)  # already grouped by source (forward links)
    else:
        order = np.argsort(src, kind="stable")
    counts = np.bincount(src, minlength=k)
    indptr = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return (
        indptr,
        np.ascontiguousarray(dst[order], dtype=np.int64),
        np.ascontiguousarray(codes[order], dtype=np.int64),
    )

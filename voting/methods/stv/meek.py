"""Meek's method: the Reference Meek Rule, New Zealand's Schedule 1A, equal preferences.

Meek STV (Hill, Wichmann and Woodall, Algorithm 123, 1987) gives every elected
candidate a *keep factor* ``kf``: each ballot gives a candidate it reaches the
fraction ``kf`` of the weight it still carries and passes the rest on, so surpluses
flow to later preferences on every ballot at once, including past candidates elected
later. Excluded candidates keep nothing. The keep factors are iterated until every
elected candidate holds (almost) exactly a quota.

Three rule sets share this module:

``"meek"``: the Proportional Representation Foundation's *Reference Meek Rule*
    (fixed point with 9 decimals):

    - a ballot reaching a candidate with keep factor ``kf`` while carrying weight ``w``
      gives ``ceil9(w·kf)`` (rounded up to 9 decimals) and keeps ``w - ceil9(w·kf)``;
    - quota = ``trunc9(Σ votes / (S + 1)) + 10^-9``; elected when vote ≥ quota;
    - new ``kf = ceil9(ceil9(kf·quota) / vote)``;
    - iterate until the total surplus is below ``10^-6`` or stops falling; a candidate
      reaching the quota ends the round;
    - otherwise exclude the lowest hopeful; every hopeful within the total surplus of
      the lowest counts as tied with it, and the tie goes to ``tie_break`` (the rule's
      "defined tiebreaking procedure", procedure T).

``"meek-nz"``: the New Zealand method (Local Electoral Regulations 2001, Schedule 1A),
    counted by :mod:`voting.methods.stv.meek_nz` clause by clause; it shares the
    distribution (:class:`Distributor` with ``nz=True``: clause 10 rounds the weight
    passed on up, separately from the vote kept).

``"meek-equal"``: the Reference Meek Rule extended to ballots ranking candidates equal
    (I. D. Hill's extension): at a tier of ``k`` candidates ranked equal, the ``k'`` of
    them not excluded each keep ``floor9(w·kf / k')`` and the rest goes on to the
    next tier. On strict ballots this is exactly ``"meek"``.

:class:`MeekCount` is the count, one method per step: a distribution
(:meth:`~KeepFactorCount.distribute_votes`), the keep factors' update
(:meth:`~MeekCount.update_keep_factors`), the iterations of a round
(:meth:`~MeekCount.iterate`) and an exclusion (:meth:`~MeekCount.exclude_lowest`);
:class:`KeepFactorCount` is what it shares with New Zealand's count.

Known deviations from the official rules
----------------------------------------
- ``meek-nz``: see :mod:`voting.methods.stv.meek_nz`.
- ``meek-equal``: Hill's extension splits ``w`` exactly; here each share is rounded
  *down* to 9 decimals so that a ballot never gives more than it holds (the
  Reference Rule's round-up could make the shares of ``k`` hopefuls exceed ``w``).
- Withdrawn candidates are candidates the profile does not have: BLT withdrawals are
  dropped by the reader (``ReadReport.withdrawn``), otherwise use
  ``profile.restrict``.

Runtime complexity: O(I·P) for I iterations in total and P positions visited per
distribution (P ≤ U·C for U unique rankings; typically close to U because a ballot
stops at its first hopeful candidate).

References
----------
.. [1] I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123: Single
   Transferable Vote by Meek's method", The Computer Journal 30(3):277-281, 1987.
.. [2] Proportional Representation Foundation, "Reference Meek Rule",
   https://prfound.org/resources/reference/reference-meek-rule/
.. [3] New Zealand Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A,
   "New Zealand method of counting single transferable votes".
.. [4] I. D. Hill, "Implementing STV by Meek's method", Voting matters 22, 2006.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, ClassVar, Literal, cast

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import PARALLEL_MIN_CELLS, kernels, num_threads, use_numba
from voting._numpy_paths.stv import MeekFlat
from voting.methods.stv._arith import Arithmetic, FixedPoint, ceil_div
from voting.methods.stv._ballots import Ballots
from voting.methods.stv._count import Count, CountOutcome
from voting.methods.stv._quota import fixed_quota

__all__ = ["MEEK_RULES", "KeepFactorCount", "MeekCount", "count_meek", "keep_value"]

MEEK_RULES = ("meek", "meek-nz", "meek-equal")
DECIMALS = 9
SCALE = 10**DECIMALS


class Distributor:
    """Runs the Meek distributions of one set of ballots.

    Strict rankings are reduced, once per round, to the trie of their effective
    prefixes (:func:`_meek_reduce`), which every iteration of the round then
    distributes: the work per iteration no longer depends on the number of voters.
    Ballots with candidates ranked equal use the flat kernel over unique rankings
    (parallel above ``PARALLEL_MIN_CELLS`` cells). Few ballots are distributed by
    :class:`voting._numpy_paths.stv.MeekFlat` instead, with no numba kernel (the
    cost model of :mod:`voting._dispatch`).
    """

    TRIE_NODES: ClassVar[int] = 1024
    """Trie nodes allocated at first (the arrays double when full)."""
    TRIE_SLOTS: ClassVar[int] = 4096
    """Slots of the trie's hash table at first (a power of two; doubles when half full)."""

    def __init__(self, ballots: Ballots, *, nz: bool) -> None:
        self.ballots = ballots
        self.nz = nz
        self.trie: tuple[NDArray[Any], ...] | None = None
        self.flat: MeekFlat | None = None
        if not use_numba("meek", ballots.order.size):
            self.flat = MeekFlat(ballots.order, ballots.tier, ballots.length, ballots.mult)
            return
        self.k: Any = kernels("stv")
        if ballots.strict:
            u = ballots.n_unique
            self.term = np.zeros(u, dtype=np.int32)
            self.pos = np.full(u, -1, dtype=np.int32)
            self.stop = np.full(u, -2, dtype=np.int32)
            cap = self.TRIE_NODES
            self.cand = np.full(cap, -1, dtype=np.int32)
            self.parent = np.full(cap, -1, dtype=np.int32)
            self.through = np.zeros(cap, dtype=np.int64)
            self.ends = np.zeros(cap, dtype=np.int64)
            self.table = np.full(self.TRIE_SLOTS, -1, dtype=np.int32)
            self.nodes = 1

    def new_round(self, excluded: NDArray[np.bool_], elected: NDArray[np.bool_]) -> None:
        """Candidate states changed: update the trie of effective prefixes."""
        b = self.ballots
        if self.flat is not None or not b.strict:
            return
        self.cand, self.parent, self.through, self.ends, self.table, self.nodes = (
            self.k._meek_reduce(
                b.order,
                b.length,
                b.mult,
                excluded,
                elected,
                self.term,
                self.pos,
                self.stop,
                self.cand,
                self.parent,
                self.through,
                self.ends,
                self.table,
                self.nodes,
            )
        )
        n = self.nodes
        start, child = self.k._trie_children(self.parent, n)
        self.trie = (self.cand[:n], self.through[:n], self.ends[:n], start, child)

    def __call__(self, kf: NDArray[np.int64]) -> tuple[NDArray[np.int64], int]:
        """Scaled votes per candidate and the scaled non-transferable weight."""
        scale = np.int64(SCALE)
        if self.flat is not None:
            return self.flat(kf, SCALE, self.nz)
        if self.trie is not None:
            distribute = cast(Callable[..., Any], self.k._trie_distribute)  # a numba dispatcher
            votes, excess = distribute(*self.trie, kf, scale, self.nz)
            return votes, int(excess)
        b = self.ballots
        threads = num_threads()
        if threads > 1 and b.n_unique * b.n_candidates >= PARALLEL_MIN_CELLS:
            votes, excess = self.k._meek_distribute_parallel(
                b.order, b.tier, b.length, b.mult, kf, scale, self.nz, threads
            )
        else:
            votes, excess = self.k._meek_distribute_serial(
                b.order, b.tier, b.length, b.mult, kf, scale, self.nz
            )
        return votes, int(excess)


def keep_value(kf: int, quota: int, votes: int) -> int:
    """The next keep factor, ``kf × quota / votes``, both operations rounded up to 9
    decimals (scaled): the Reference Meek Rule's update, and Schedule 1A clause 17's.

    Examples
    --------
    >>> keep_value(SCALE, 5 * SCALE, 10 * SCALE)
    500000000
    """
    return ceil_div(ceil_div(kf * quota, SCALE) * SCALE, votes)


class KeepFactorCount(Count):
    """What every Meek count has: keep factors, a :class:`Distributor` and 9 decimals.

    The count's figures after :meth:`distribute_votes` are those of the distribution
    with the current keep factors :attr:`kf` (scaled by ``10**9``).
    """

    NZ: ClassVar[bool] = False
    """Distribute by Schedule 1A's clause 10 (see :class:`Distributor`)."""

    @classmethod
    def arithmetic(cls, rule: str) -> Arithmetic:
        return FixedPoint(DECIMALS)

    def prepare(self) -> None:
        self.kf = np.full(self.n, SCALE, dtype=np.int64)
        self.distribute = Distributor(self.ballots, nz=self.NZ)

    def keep_factors(self) -> tuple[Fraction, ...]:
        return tuple(self.arith.frac(k) for k in self.kf.tolist())

    def new_round(self) -> None:
        """Candidates changed state: tell the distributor (:meth:`Distributor.new_round`)."""
        status = self.state.status
        self.distribute.new_round(
            np.array([st == "excluded" for st in status], dtype=np.bool_),
            np.array([st == "elected" for st in status], dtype=np.bool_),
        )

    def distribute_votes(self) -> None:
        """Distribute every ballot with the current keep factors and set the figures."""
        votes, excess = self.distribute(self.kf)
        self.votes = votes.tolist()
        self.exhausted = excess
        self.quota = self.quota_from(votes, excess)

    def quota_from(self, votes: NDArray[np.int64], excess: int) -> int:
        """The quota of a distribution."""
        raise NotImplementedError


class MeekCount(KeepFactorCount):
    """A count by the Reference Meek Rule (``rule="meek"``), or its extension to equal
    preferences (``"meek-equal"``); the parameters are
    :class:`~voting.methods.stv._count.Count`'s.

    The loss to rounding stays 0: the Reference Rule moves exactly what it rounds, so
    every round checks that the votes plus the non-transferable votes are the valid
    votes.
    """

    RULES = ("meek", "meek-equal")
    OMEGA = 10 ** (DECIMALS - 6)
    """The surplus limit, 0.000001, scaled by ``10**9``."""

    def quota_from(self, votes: NDArray[np.int64], excess: int) -> int:
        """``trunc9(Σ votes / (S + 1)) + 10^-9`` for the exact Droop quota."""
        return fixed_quota(self.quota_name, int(votes.sum()), self.seats, SCALE)

    def round_surplus(self) -> int:
        """The total surplus of the elected candidates."""
        surplus: int = max(0, sum(self.votes[c] - self.quota for c in self.state.elected()))
        return surplus

    def update_keep_factors(self) -> None:
        """Each elected candidate's new ``kf = ceil9(ceil9(kf × quota) / votes)``."""
        for c in self.state.elected():
            self.kf[c] = keep_value(int(self.kf[c]), self.quota, self.votes[c])

    def iterate(
        self, hopeful: Sequence[int]
    ) -> tuple[Literal["elected", "omega", "stable"], list[int], int]:
        """Distribute and update keep factors until a hopeful reaches the quota (they
        are elected), the total surplus is below :attr:`OMEGA`, or it stops falling.
        Returns why the round ended, who was elected (best first) and the iterations."""
        last_surplus: int | None = None
        iterations = 0
        while True:
            self.distribute_votes()
            iterations += 1
            newly = [c for c in hopeful if self.votes[c] >= self.quota]
            if newly:
                return "elected", self.state.elect(newly, self.votes), iterations
            surplus = self.round_surplus()
            if surplus < self.OMEGA:
                return "omega", [], iterations
            if last_surplus is not None and surplus >= last_surplus:
                return "stable", [], iterations
            last_surplus = surplus
            self.update_keep_factors()

    def exclude_lowest(self, hopeful: Sequence[int], why: str, iterations: int) -> None:
        """Exclude the hopeful with the fewest votes; every hopeful within the total
        surplus of the lowest is tied with it, and the tie goes to ``tie_break``."""
        votes, state = self.votes, self.state
        low = min(votes[c] for c in hopeful)
        tied = [c for c in hopeful if votes[c] <= low + self.round_surplus()]
        pick = state.choose(
            tied,
            lowest=True,
            history="none",
            context=f"exclusion in round {len(state.rounds) + 1}",
            harmless=state.harmless_exclusion(tied, votes),
        )
        state.exclude([pick], [self.arith.frac(v) for v in votes])
        self.kf[pick] = 0
        reason = "surplus below the limit" if why == "omega" else "surplus stopped falling"
        self.record(
            "exclusion",
            f"{self.candidates[pick]} excluded with the fewest votes "
            f"({self.arith.show(votes[pick])}; {reason} after {iterations} iteration(s))",
            excluded=[pick],
            iterations=iterations,
        )

    def run(self) -> CountOutcome:
        """Count round by round: iterate, then elect or exclude, until the seats fill."""
        while not self.state.complete():
            hopeful = self.state.hopeful()
            self.new_round()
            why, elected, iterations = self.iterate(hopeful)
            if why != "elected":
                self.exclude_lowest(hopeful, why, iterations)
                continue
            self.record(
                "iteration",
                f"{self.with_votes(elected)} reached the quota after {iterations} iteration(s)",
                elected=elected,
                iterations=iterations,
            )
        self.new_round()
        self.distribute_votes()
        self.end_round(
            "elected as the remaining hopeful candidates fill the remaining seats: ",
            "all seats filled; not elected: ",
            iterations=1,
        )
        return self.outcome(
            (
                f"arithmetic: fixed point, {DECIMALS} decimals; votes kept rounded up, "
                "the rest passed on",
                f"ties: {self.tie_break.describe()}",
            )
        )


count_meek = MeekCount.count
"""Count ``ballots`` by ``"meek"`` or ``"meek-equal"``: ``MeekCount(...).run()``."""

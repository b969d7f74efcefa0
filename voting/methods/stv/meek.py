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
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import PARALLEL_MIN_CELLS, kernels, num_threads, use_numba
from voting._numpy_paths.stv import MeekFlat
from voting.methods._universes import Chooser
from voting.methods.stv._arith import ceil_div, format_value
from voting.methods.stv._ballots import Ballots
from voting.methods.stv._count import CountOutcome, CountState
from voting.methods.stv._explain import Status, STVRound
from voting.methods.stv._quota import QuotaName, fixed_quota
from voting.ties import TieBreak

__all__ = ["MEEK_RULES", "count_meek"]

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
            cap = 1024
            self.cand = np.full(cap, -1, dtype=np.int32)
            self.parent = np.full(cap, -1, dtype=np.int32)
            self.through = np.zeros(cap, dtype=np.int64)
            self.ends = np.zeros(cap, dtype=np.int64)
            self.table = np.full(4096, -1, dtype=np.int32)
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


def _frac(x: int) -> Fraction:
    return Fraction(int(x), SCALE)


def count_meek(
    ballots: Ballots,
    candidates: Sequence[str],
    seats: int,
    *,
    rule: str,
    quota: QuotaName,
    tie_break: TieBreak,
    chooser: Chooser | None = None,
) -> CountOutcome:
    """Count ``ballots`` by ``"meek"`` or ``"meek-equal"`` (see the module docstring)."""
    omega = 10 ** (DECIMALS - 6)
    n = ballots.n_candidates
    state = CountState(rule, tuple(candidates), seats, ballots.valid, tie_break, chooser=chooser)
    kf = np.full(n, SCALE, dtype=np.int64)
    distribute = Distributor(ballots, nz=False)

    def refresh() -> None:
        distribute.new_round(
            np.array([st == "excluded" for st in state.status], dtype=np.bool_),
            np.array([st == "elected" for st in state.status], dtype=np.bool_),
        )

    def quota_of(votes: NDArray[np.int64], excess: int) -> int:
        return fixed_quota(quota, int(votes.sum()), seats, SCALE)

    def loss_of(votes: NDArray[np.int64], excess: int) -> int:
        # The Reference Rule moves exactly what it rounds, so nothing is lost: the
        # loss is 0 and the round check verifies Σ votes + excess = valid votes.
        return 0

    def round_record(
        number: int,
        action: str,
        description: str,
        votes: NDArray[np.int64],
        excess: int,
        q: int,
        surplus: int,
        iterations: int,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        status: Sequence[Status] | None = None,
    ) -> STVRound:
        return state.record(
            STVRound(
                number=number,
                action=action,  # type: ignore[arg-type]
                description=description,
                tallies=tuple(_frac(v) for v in votes.tolist()),
                status=tuple(status if status is not None else state.statuses()),
                quota=_frac(q),
                exhausted=_frac(excess),
                loss=_frac(loss_of(votes, excess)),
                surplus=_frac(surplus),
                keep_factors=tuple(_frac(k) for k in kf.tolist()),
                elected=state.names(elected),
                excluded=state.names(excluded),
                iterations=iterations,
            )
        )

    number = 0
    while True:
        hopeful = state.hopeful()
        left = state.seats_left()
        if left <= 0 or len(hopeful) <= left:
            break
        number += 1
        refresh()
        last_surplus: int | None = None
        iterations = 0
        while True:
            votes, excess = distribute(kf)
            iterations += 1
            vlist = votes.tolist()
            q = quota_of(votes, excess)
            newly = [c for c in hopeful if vlist[c] >= q]
            if newly:
                state.elect(newly, vlist)
            surplus = max(0, sum(vlist[c] - q for c in state.elected()))
            if newly:
                why = "elected"
                break
            if surplus < omega:
                why = "omega"
                break
            if last_surplus is not None and surplus >= last_surplus:
                why = "stable"
                break
            last_surplus = surplus
            for c in state.elected():
                kf[c] = ceil_div(ceil_div(int(kf[c]) * q, SCALE) * SCALE, vlist[c])
        if why == "elected":
            ordered = sorted(newly, key=lambda c: (-vlist[c], c))
            text = ", ".join(
                f"{candidates[c]} ({format_value(_frac(vlist[c]), DECIMALS)})" for c in ordered
            )
            round_record(
                number,
                "iteration",
                f"{text} reached the quota after {iterations} iteration(s)",
                votes,
                excess,
                q,
                surplus,
                iterations,
                elected=ordered,
            )
            continue
        low = min(vlist[c] for c in hopeful)
        tied = [c for c in hopeful if vlist[c] <= low + surplus]
        pick = state.choose(
            tied,
            lowest=True,
            history="none",
            context=f"exclusion in round {number}",
            harmless=state.harmless_exclusion(tied, vlist),
        )
        state.exclude([pick], [_frac(v) for v in vlist])
        kf[pick] = 0
        reason = "surplus below the limit" if why == "omega" else "surplus stopped falling"
        round_record(
            number,
            "exclusion",
            f"{candidates[pick]} excluded with the fewest votes "
            f"({format_value(_frac(vlist[pick]), DECIMALS)}; {reason} after "
            f"{iterations} iteration(s))",
            votes,
            excess,
            q,
            surplus,
            iterations,
            excluded=[pick],
        )

    hopeful = state.hopeful()
    refresh()
    votes, excess = distribute(kf)
    vlist = votes.tolist()
    q = quota_of(votes, excess)
    left = state.seats_left()
    final = [_frac(v) for v in vlist]
    if hopeful:
        number += 1
        if left > 0:
            ordered = state.elect(hopeful, vlist)
            desc = (
                "elected as the remaining hopeful candidates fill the remaining seats: "
                + ", ".join(candidates[c] for c in ordered)
            )
            elected: Sequence[int] = ordered
            status: Sequence[Status] | None = None
        else:
            desc = "all seats filled; not elected: " + ", ".join(candidates[c] for c in hopeful)
            elected = ()
            status = ["excluded" if s == "hopeful" else s for s in state.status]
        surplus = max(0, sum(vlist[c] - q for c in state.elected()))
        round_record(
            number, "end", desc, votes, excess, q, surplus, 1, elected=elected, status=status
        )
    notes = (
        f"arithmetic: fixed point, {DECIMALS} decimals; votes kept rounded up, the rest passed on",
        f"ties: {tie_break.describe()}",
    )
    return state.outcome(final, notes)

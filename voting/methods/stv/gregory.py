"""Weighted inclusive Gregory: the Scottish 2007 rules, and an exact fractional baseline.

``"scottish"``: The Scottish Local Government Elections Order 2007 (SSI 2007/42),
    Schedule 1, rules 45-52:

    - quota = ``floor(valid ballots / (S + 1)) + 1``, an integer (rule 46);
    - at the end of every stage each candidate with at least the quota is elected
      (rule 47);
    - while surpluses are pending, one surplus per stage, the largest first (rule
      49); *all* the candidate's papers move (inclusive), each with transfer value
      ``value × surplus / votes``, calculated to five decimal places with any
      remainder ignored (rule 48(3)); the elected candidate keeps the quota;
    - otherwise the candidate with the fewest votes is excluded and all their papers
      move at their current values in one stage (rule 50);
    - ties in surplus order or exclusion go to the candidate with more (fewer) votes
      at the most recent earlier stage where the tied candidates' votes differed,
      then by lot (``tie_break``) (rules 49(2)-(3), 51);
    - when the continuing candidates are as many as the seats left, they are all
      elected (rule 52).

``"fractional"``: the same procedure with exact rational arithmetic and no
    truncation (Cambridge-style fractional surplus transfer, as a simple baseline);
    default quota the integer Droop quota.

Papers with the same ranking always travel together and carry the same value, so the
count keeps one state per unique ranking: the candidate holding it and its *value
class*. A surplus transfer maps each value class present at the candidate to its new
value, computed once in exact integer (or rational) arithmetic; the kernels move and
count papers by class.

Known deviations from the official rules
----------------------------------------
- Rule 51's "most recently preceding stage at which they had an unequal number of
  votes" is read as narrowing: when three or more are tied, those still level at
  that stage are compared at the stage before, and so on.
- Withdrawn candidates must be removed from the profile first.

Runtime complexity: O(S·U·C) for S stages and U unique rankings (each stage moves
and counts the papers once).

References
----------
.. [1] The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
   rules 45-52, https://www.legislation.gov.uk/ssi/2007/42/contents/made
.. [2] Scottish Government, "Scottish Local Government Elections 2007: Guidance on
   the counting of votes" (worked example of the count).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._numpy_paths import stv as _np_stv
from voting.methods._universes import Chooser
from voting.methods.stv._arith import format_value
from voting.methods.stv._ballots import Ballots
from voting.methods.stv._count import CountOutcome, CountState
from voting.methods.stv._explain import CountInvariantError, Status, STVRound
from voting.methods.stv._quota import QuotaName, exact_quota, fixed_quota
from voting.ties import TieBreak

__all__ = ["GREGORY_RULES", "count_gregory"]

GREGORY_RULES = ("scottish", "fractional")


class Papers:
    """Where every unique ranking's papers are, and their value classes.

    ``values[k]`` is the exact value of class ``k`` (a scaled ``int`` for fixed-point
    rules, a ``Fraction`` otherwise); equal values share a class.
    """

    def __init__(self, ballots: Ballots, one: Any) -> None:
        self.b = ballots
        n = ballots.n_candidates
        # the kernels, or their NumPy versions for few ballots (voting._dispatch)
        self.k: Any = kernels("stv") if use_numba("gregory", ballots.order.size) else None
        start = _np_stv.gregory_start if self.k is None else self.k._gregory_start
        self.at: NDArray[np.int32]
        self.pos: NDArray[np.int32]
        self.at, self.pos = start(ballots.order, ballots.length, np.ones(n, np.bool_))
        self.cls = np.zeros(ballots.n_unique, dtype=np.int32)
        self.arrived = np.zeros(ballots.n_unique, dtype=np.int32)
        self.values: list[Any] = [one]
        self._index: dict[Any, int] = {one: 0}
        self.counts: NDArray[np.int64] = self.tally_counts()

    def class_of(self, value: Any) -> int:
        k = self._index.get(value)
        if k is None:
            k = len(self.values)
            self.values.append(value)
            self._index[value] = k
        return k

    def tally_counts(self) -> NDArray[np.int64]:
        tally = _np_stv.gregory_tally if self.k is None else self.k._gregory_tally
        counts: NDArray[np.int64] = tally(
            self.at, self.cls, self.b.mult, self.b.n_candidates, len(self.values)
        )
        return counts

    def totals(self, zero: Any) -> tuple[list[Any], Any]:
        """Recount: value held by each candidate's papers, and the exhausted value."""
        self.counts = self.tally_counts()
        n = self.b.n_candidates
        out = [zero] * (n + 1)
        rows, cols = np.nonzero(self.counts)
        for r, k in zip(rows.tolist(), cols.tolist(), strict=True):
            out[r] = out[r] + int(self.counts[r, k]) * self.values[k]
        return out[:n], out[n]

    def move(
        self,
        sources: Sequence[int],
        continuing: NDArray[np.bool_],
        stage: int,
        class_map: NDArray[np.int32] | None = None,
        class_select: NDArray[np.bool_] | None = None,
        parcel: int = -1,
        keep_stuck: bool = False,
    ) -> None:
        k = len(self.values)
        src = np.zeros(self.b.n_candidates, dtype=np.bool_)
        src[list(sources)] = True
        cmap = np.arange(k, dtype=np.int32) if class_map is None else class_map
        sel = np.ones(k, dtype=np.bool_) if class_select is None else class_select
        move = _np_stv.gregory_move if self.k is None else self.k._gregory_move
        move(
            self.b.order,
            self.b.length,
            self.at,
            self.pos,
            self.cls,
            self.arrived,
            src,
            sel,
            cmap,
            continuing,
            parcel,
            stage,
            keep_stuck,
        )


def count_gregory(
    ballots: Ballots,
    candidates: Sequence[str],
    seats: int,
    *,
    rule: str,
    quota: QuotaName,
    tie_break: TieBreak,
    chooser: Chooser | None = None,
) -> CountOutcome:
    """Count ``ballots`` by weighted inclusive Gregory (see the module docstring)."""
    n = ballots.n_candidates
    state = CountState(rule, tuple(candidates), seats, ballots.valid, tie_break, chooser=chooser)
    decimals: int | None
    one: Any
    transfer: Callable[[Any, Any, Any], Any]
    as_frac: Callable[[Any], Fraction]
    zero: Any
    if rule == "scottish":
        decimals = 5
        scale = 10**decimals
        one, zero = scale, 0
        q: Any = fixed_quota(quota, ballots.valid * scale, seats, scale)
        strict_gt = False

        def transfer(v: Any, s: Any, t: Any) -> Any:
            return (v * s) // t  # rule 48(3): five decimals, remainder ignored

        def as_frac(x: Any) -> Fraction:
            return Fraction(int(x), scale)
    else:
        decimals = None
        one, zero = Fraction(1), Fraction(0)
        q, strict_gt = exact_quota(quota, Fraction(ballots.valid), seats)

        def transfer(v: Any, s: Any, t: Any) -> Any:
            return v * s / t

        def as_frac(x: Any) -> Fraction:
            return Fraction(x)

    def has_quota(v: Any) -> bool:
        return bool(v > q) if strict_gt else bool(v >= q)

    papers = Papers(ballots, one)
    votes: list[Any] = [zero] * n
    done: set[int] = set()  # elected, surplus transferred: they keep the quota
    loss: Any = zero
    exhausted: Any = zero
    pending: list[int] = []

    def recount() -> None:
        nonlocal exhausted
        held, exhausted = papers.totals(zero)
        for c in range(n):
            if c in done:
                if held[c] != zero:  # inclusive transfer moves every paper
                    raise CountInvariantError(f"{rule}: papers left with {candidates[c]}")
                votes[c] = q
            elif state.status[c] == "excluded":
                if held[c] != zero:
                    raise CountInvariantError(f"{rule}: papers left with {candidates[c]}")
                votes[c] = zero
            else:
                votes[c] = held[c]

    def elect_new() -> list[int]:
        newly = [c for c in state.hopeful() if has_quota(votes[c])]
        ordered = state.elect(newly, votes) if newly else []
        pending.extend(c for c in ordered if votes[c] > q)
        return ordered

    def record(
        number: int,
        action: str,
        desc: str,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        surplus: Any = None,
        tv: Any = None,
        status: Sequence[Status] | None = None,
    ) -> None:
        state.record(
            STVRound(
                number=number,
                action=action,  # type: ignore[arg-type]
                description=desc,
                tallies=tuple(as_frac(v) for v in votes),
                status=tuple(status if status is not None else state.statuses()),
                quota=as_frac(q),
                exhausted=as_frac(exhausted),
                loss=as_frac(loss),
                surplus=as_frac(zero if surplus is None else surplus),
                transfer_value=None if tv is None else as_frac(tv),
                elected=state.names(elected),
                excluded=state.names(excluded),
            )
        )

    def show(x: Any) -> str:
        return format_value(as_frac(x), decimals)

    def elected_text(ordered: Sequence[int]) -> str:
        if not ordered:
            return ""
        return "; elected: " + ", ".join(f"{candidates[c]} ({show(votes[c])})" for c in ordered)

    stage = 1
    recount()
    newly = elect_new()
    record(
        stage, "first preferences", "first preferences counted" + elected_text(newly), elected=newly
    )
    while True:
        left = state.seats_left()
        hopeful = state.hopeful()
        if left <= 0 or len(hopeful) <= left:
            break
        stage += 1
        continuing = np.zeros(n, dtype=np.bool_)
        continuing[hopeful] = True
        if pending:
            best = max(votes[c] for c in pending)
            tied = [c for c in pending if votes[c] == best]
            x = state.choose(
                tied, lowest=False, history="backward", context=f"surplus order at stage {stage}"
            )
            pending.remove(x)
            total = votes[x]
            surplus = total - q
            counts = papers.counts
            cmap = np.arange(len(papers.values), dtype=np.int32)
            moved: Any = zero
            for k in np.nonzero(counts[x])[0].tolist():
                new_value = transfer(papers.values[k], surplus, total)
                cmap[k] = papers.class_of(new_value)
                moved = moved + int(counts[x, k]) * new_value
            papers.move([x], continuing, stage, class_map=cmap)
            loss = loss + (surplus - moved)
            done.add(x)
            recount()
            newly = elect_new()
            tv = transfer(one, surplus, total)
            record(
                stage,
                "surplus",
                f"surplus of {candidates[x]} ({show(surplus)}) transferred, "
                f"transfer value {show(tv)} per paper of value one" + elected_text(newly),
                elected=newly,
                surplus=surplus,
                tv=tv,
            )
            continue
        low = min(votes[c] for c in hopeful)
        tied = [c for c in hopeful if votes[c] == low]
        x = state.choose(
            tied,
            lowest=True,
            history="backward",
            context=f"exclusion at stage {stage}",
            harmless=state.harmless_exclusion(tied, votes),
        )
        state.exclude([x], [as_frac(v) for v in votes])
        papers.move([x], continuing & (np.arange(n) != x), stage)
        recount()
        newly = elect_new()
        record(
            stage,
            "exclusion",
            f"{candidates[x]} excluded with the fewest votes ({show(low)}), papers "
            "transferred at their current values" + elected_text(newly),
            elected=newly,
            excluded=[x],
        )

    hopeful = state.hopeful()
    if hopeful:
        stage += 1
        if state.seats_left() > 0:
            ordered = state.elect(hopeful, votes)
            desc = (
                "continuing candidates equal the vacancies left, so they are elected: "
                + ", ".join(candidates[c] for c in ordered)
            )
            record(stage, "end", desc, elected=ordered)
        else:
            record(
                stage,
                "end",
                "all seats filled; not elected: " + ", ".join(candidates[c] for c in hopeful),
                status=["excluded" if s == "hopeful" else s for s in state.status],
            )
    arith = (
        f"fixed point, {decimals} decimals, transfer values truncated per paper"
        if decimals is not None
        else "exact rational"
    )
    notes = (
        f"arithmetic: {arith}",
        f"ties: most recent earlier stage with unequal votes, then {tie_break.describe()}",
    )
    return state.outcome([as_frac(v) for v in votes], notes)

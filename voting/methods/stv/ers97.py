"""The Electoral Reform Society's 1997 STV rules (ERS97), counted exactly.

R. A. Newland and F. S. Britton, *How to conduct an election by the Single
Transferable Vote*, 3rd edition (ERS, 1997), section 5. Values have two decimals:

- quota (5.1.6): valid votes / (S + 1) to two decimals; if not exact, the remainder
  is ignored and 0.01 added (i.e. rounded up to two decimals);
- a candidate is deemed elected (5.1.7, 5.3.13, 5.4.9), in descending order of votes,
  up to the places left, when the vote reaches the quota or the *total active vote*
  (continuing candidates' votes + surpluses awaiting transfer) divided by one more
  than the places left (rounded up to two decimals);
- surpluses are transferred largest first, one per stage (5.2.3), but are deferred
  while their total cannot change the order at the bottom (5.2.2);
- a surplus transfers only the *last received batch* of papers (5.3.2; all papers at
  the first stage); if the transferable papers' value exceeds the surplus each moves
  at ``surplus / number of transferable papers`` truncated to two decimals (5.3.7),
  otherwise at its present value; the rest is non-transferable (5.3.9);
- exclusion (5.2.5) takes as many of the lowest candidates together as possible, as
  long as enough remain to fill the places and their votes plus the deferred
  surpluses do not exceed the next candidate's vote; their papers move in batches of
  equal value, highest value first, each batch a sub-stage after which candidates may
  be elected (5.4), and before anyone is elected the quota is recalculated without
  the non-transferable votes (5.4.8);
- stages (4.2, 5.2.4, 5.2.7): the first preferences are stage 1, each surplus
  transfer and each exclusion (of one or more candidates together, all its batches)
  one stage more. The rounds of the explanation are sub-stages: each batch of an
  exclusion is a round (5.4.11: one column of the exclusion form), and
  ``STVRound.stage`` / ``STVRound.batch`` give its ERS97 stage and ``(k, n)`` batch;
  ``STVExplanation.stages()`` gives the result sheet (the last round of each stage).
  The final ``"end"`` round (the election of 5.5.1 or the formal exclusion of 5.5.2)
  moves no votes and has ``stage=None``; it says which batches of an exclusion were
  left untransferred because the places were settled;
- ties (5.2.3, 5.2.5, 5.6.2) go to the votes at the first stage or the earliest
  point where the tied candidates differed, then to lot (``tie_break``);
- when the continuing candidates are as many as the places left they are elected
  (5.5.1), and once all places are filled the count stops (5.5.2).

Known deviations from the official rules
----------------------------------------
- 5.6.2: when candidates level at every earlier point compete for the last places,
  the rules elect none of them at that stage; here ``tie_break`` decides at once.
- The non-transferable difference of a surplus (5.3.9) is split in the explanation
  into "non-transferable" (not enough transferable papers) and "loss to rounding"
  (the remainder of the two-decimal transfer value); ERS97 adds both to the
  non-transferable votes.

Runtime complexity: O(S·U·C) for S stages and sub-stages (batches), U unique rankings.

References
----------
.. [1] R. A. Newland and F. S. Britton, "How to conduct an election by the Single
   Transferable Vote", 3rd ed., Electoral Reform Society, 1997, section 5,
   https://www.electoral-reform.org.uk/latest-news-and-research/publications/how-to-conduct-an-election-by-the-single-transferable-vote-3rd-edition/
.. [2] C. Rosenstiel, "Changes to the ERS rules", Voting matters 11, 2000.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from voting._numpy_paths import stv as _np_stv
from voting.methods._universes import Chooser
from voting.methods.stv._arith import ceil_div, format_value
from voting.methods.stv._ballots import Ballots
from voting.methods.stv._count import CountOutcome, CountState
from voting.methods.stv._explain import Action, Status, STVRound
from voting.methods.stv._quota import QuotaName, fixed_quota
from voting.methods.stv.gregory import Papers
from voting.ties import TieBreak

__all__ = ["count_ers97"]

DECIMALS = 2
SCALE = 10**DECIMALS


def count_ers97(
    ballots: Ballots,
    candidates: Sequence[str],
    seats: int,
    *,
    quota: QuotaName,
    tie_break: TieBreak,
    chooser: Chooser | None = None,
) -> CountOutcome:
    """Count ``ballots`` by the ERS97 rules (see the module docstring)."""
    n = ballots.n_candidates
    state = CountState("ers97", tuple(candidates), seats, ballots.valid, tie_break, chooser=chooser)
    valid_s = ballots.valid * SCALE

    def quota_of(total: int) -> int:
        return fixed_quota(quota, total, seats, SCALE, round_up_exact=True)

    q = quota_of(valid_s)
    papers = Papers(ballots, SCALE)
    votes = [0] * n
    fixed: dict[int, int] = {}  # elected with surplus transferred: they keep the quota
    pending: list[int] = []
    exhausted = 0  # non-transferable: exhausted papers + surplus differences
    nt_surplus = 0
    loss = 0
    arrival = 0  # id of the last batch of papers moved
    stage = 0  # ERS97 stage number (4.2): first preferences, surplus, exclusion
    leftover = ""  # batches of an exclusion left untransferred (5.5), for the end round

    def frac(x: int) -> Fraction:
        return Fraction(x, SCALE)

    def show(x: int) -> str:
        return format_value(frac(x), DECIMALS)

    def recount() -> None:
        nonlocal exhausted
        held, ex = papers.totals(0)
        for c in range(n):
            votes[c] = fixed[c] if c in fixed else held[c]
        exhausted = ex + nt_surplus

    def surplus_of(c: int) -> int:
        return max(0, votes[c] - q)

    def elect_check() -> list[int]:
        """Deem elected everyone reaching the quota or the active-vote threshold."""
        out: list[int] = []
        while True:
            left = state.seats_left()
            hopeful = state.hopeful()
            if left <= 0 or not hopeful:
                return out
            # 6.20: continuing candidates' votes plus votes awaiting transfer (pending
            # surpluses and the batches of excluded candidates not yet transferred)
            waiting = sum(votes[c] for c in range(n) if state.status[c] == "excluded")
            active = sum(votes[c] for c in hopeful) + sum(surplus_of(c) for c in pending) + waiting
            threshold = max(1, min(q, ceil_div(active, left + 1)))
            qualified = [c for c in hopeful if votes[c] >= threshold]
            if not qualified:
                return out
            if len(qualified) > left:
                qualified = _top(qualified, left)
            ordered = state.elect(qualified, votes)
            pending.extend(c for c in ordered if votes[c] > q)
            out.extend(ordered)

    def _top(cands: list[int], k: int) -> list[int]:
        chosen: list[int] = []
        rest = sorted(cands, key=lambda c: -votes[c])
        while len(chosen) < k:
            best = votes[rest[0]]
            tied = [c for c in rest if votes[c] == best]
            if len(chosen) + len(tied) <= k:
                chosen += tied
            else:
                c = state.choose(tied, lowest=False, history="forward", context="last place")
                chosen.append(c)
                tied = [c]
            rest = [c for c in rest if c not in tied]
        return chosen

    def record(
        action: Action,
        desc: str,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        surplus: int = 0,
        tv: int | None = None,
        status: Sequence[Status] | None = None,
        staged: bool = True,
        batch: tuple[int, int] | None = None,
    ) -> None:
        """Record a round; ``staged`` rounds carry the current stage number."""
        state.record(
            STVRound(
                number=len(state.rounds) + 1,
                action=action,
                description=desc,
                tallies=tuple(frac(v) for v in votes),
                status=tuple(status if status is not None else state.statuses()),
                quota=frac(q),
                exhausted=frac(exhausted),
                loss=frac(loss),
                surplus=frac(surplus),
                transfer_value=None if tv is None else frac(tv),
                elected=state.names(elected),
                excluded=state.names(excluded),
                stage=stage if staged else None,
                batch=batch,
            )
        )

    def elected_text(ordered: Sequence[int]) -> str:
        if not ordered:
            return ""
        return "; elected: " + ", ".join(f"{candidates[c]} ({show(votes[c])})" for c in ordered)

    def continuing_mask() -> NDArray[np.bool_]:
        mask = np.zeros(n, dtype=np.bool_)
        mask[state.hopeful()] = True
        return mask

    def deferred(total_surplus: int) -> bool:
        """5.2.2: the surpluses cannot change who is lowest, so transfer is deferred."""
        hopeful = sorted(votes[c] for c in state.hopeful())
        left = state.seats_left()
        if len(hopeful) >= 2 and total_surplus <= hopeful[1] - hopeful[0]:
            return True
        for k in range(2, len(hopeful) - left + 1):
            if k < len(hopeful) and total_surplus <= hopeful[k] - sum(hopeful[:k]):
                return True
        return False

    def exclusion_set(total_deferred: int) -> list[int]:
        """5.2.5: the largest group of lowest candidates that can go together."""
        hopeful = sorted(state.hopeful(), key=lambda c: votes[c])
        v = [votes[c] for c in hopeful]
        left = state.seats_left()
        k = 1
        for size in range(2, len(hopeful) - left + 1):
            if size < len(v) and sum(v[:size]) + total_deferred <= v[size]:
                k = size
        boundary = v[k - 1]
        group = [c for c in hopeful if votes[c] < boundary]
        level = [c for c in hopeful if votes[c] == boundary]
        # with no surplus deferred, every candidate without votes goes in turn and
        # nothing moves: which of them goes first cannot matter (a deferred surplus
        # can reach them later, so then it can)
        harmless = total_deferred == 0 and boundary == 0 and state.harmless_exclusion(level, votes)
        while len(group) < k:
            c = state.choose(
                level, lowest=True, history="forward", context="exclusion", harmless=harmless
            )
            group.append(c)
            level.remove(c)
        return group

    recount()
    newly = elect_check()
    stage = 1
    record("first preferences", "first preferences counted" + elected_text(newly), newly)
    while True:
        left = state.seats_left()
        hopeful = state.hopeful()
        if left <= 0 or len(hopeful) <= left:
            break
        total_surplus = sum(surplus_of(c) for c in pending)
        if pending and not deferred(total_surplus):
            best = max(surplus_of(c) for c in pending)
            tied = [c for c in pending if surplus_of(c) == best]
            x = state.choose(tied, lowest=False, history="forward", context="surplus order")
            pending.remove(x)
            s = surplus_of(x)
            at_x = papers.at == x
            parcel = int(papers.arrived[at_x].max()) if at_x.any() else 0
            cont = continuing_mask()
            src = np.zeros(n, dtype=np.bool_)
            src[x] = True
            parcel_counts = _np_stv.gregory_parcel if papers.k is None else papers.k._gregory_parcel
            counts = parcel_counts(
                ballots.order,
                ballots.length,
                papers.at,
                papers.pos,
                papers.cls,
                papers.arrived,
                ballots.mult,
                src,
                parcel,
                cont,
                len(papers.values),
            )
            n_transferable = int(counts[0].sum())
            value = sum(int(counts[0, k]) * papers.values[k] for k in range(counts.shape[1]))
            cmap = np.arange(len(papers.values), dtype=np.int32)
            if value > s:
                tv = s // n_transferable  # 5.3.7: two decimals, remainder ignored
                new = papers.class_of(tv)
                cmap[:] = new
                moved = n_transferable * tv
                loss += s - moved
                tv_shown: int | None = tv
            else:
                moved = value
                nt_surplus += s - moved
                tv_shown = None
            arrival += 1
            papers.move([x], cont, arrival, class_map=cmap, parcel=parcel, keep_stuck=True)
            fixed[x] = q
            recount()
            newly = elect_check()
            stage += 1  # 5.2.4: the transfer of a surplus is a stage
            how = (
                f"each of {n_transferable} transferable papers at {show(tv_shown)}"
                if tv_shown is not None
                else "transferable papers at their present value"
            )
            record(
                "surplus",
                f"surplus of {candidates[x]} ({show(s)}) transferred from its last batch, "
                + how
                + elected_text(newly),
                newly,
                surplus=s,
                tv=tv_shown,
            )
            continue
        group = exclusion_set(total_surplus)
        state.exclude(group, [frac(v) for v in votes])
        stage += 1  # 5.2.7: the exclusion, all its batches, is one stage
        names = ", ".join(candidates[c] for c in group)
        values_present = sorted(
            {papers.values[k] for c in group for k in np.nonzero(papers.counts[c])[0].tolist()},
            reverse=True,
        )
        if not values_present:
            recount()
            newly = elect_check()
            record(
                "exclusion",
                f"{names} excluded (no papers to transfer)" + elected_text(newly),
                newly,
                excluded=group,
            )
            continue
        transferred = False
        n_batches = len(values_present)
        for i, value in enumerate(values_present):
            if state.seats_left() <= 0 or len(state.hopeful()) <= state.seats_left():
                break  # 5.5.1-5.5.2: the result is settled, no further transfers
            select = np.zeros(len(papers.values), dtype=np.bool_)
            select[papers.class_of(value)] = True
            arrival += 1
            papers.move(group, continuing_mask(), arrival, class_select=select)
            recount()
            if not state.elected() and exhausted > 0:
                q = quota_of(valid_s - exhausted)  # 5.4.8
            newly = elect_check()
            desc = (
                f"{names} excluded: batch {i + 1} of {n_batches} "
                f"(papers of value {show(value)}) transferred" + elected_text(newly)
            )
            settled = state.seats_left() <= 0 or len(state.hopeful()) <= state.seats_left()
            if settled and i + 1 < n_batches:
                rest = (
                    f"batch {n_batches}" if i + 2 == n_batches else f"batches {i + 2}-{n_batches}"
                )
                leftover = (
                    f"{rest} of {n_batches} of the exclusion of {names} (stage {stage}) "
                    "not transferred"
                )
                if not state.hopeful():  # no end round follows: say it here
                    desc += f"; {leftover} as all places are filled (5.5.2)"
                    leftover = ""
            record(
                "exclusion",
                desc,
                newly,
                excluded=() if transferred else group,
                batch=(i + 1, n_batches),
            )
            transferred = True
        if not transferred:
            recount()
            record(
                "exclusion",
                f"{names} excluded; the places are settled, so nothing is transferred",
                excluded=group,
            )

    hopeful = state.hopeful()
    if hopeful:
        if state.seats_left() > 0:
            ordered = state.elect(hopeful, votes)
            record(
                "end",
                "continuing candidates equal the places left, so they are elected (5.5.1): "
                + ", ".join(candidates[c] for c in ordered)
                + (f"; {leftover} as the places are settled" if leftover else ""),
                ordered,
                staged=False,
            )
        else:
            record(
                "end",
                "all places filled; not elected: "
                + ", ".join(candidates[c] for c in hopeful)
                + (f"; {leftover} (5.5.2)" if leftover else ""),
                status=["excluded" if s == "hopeful" else s for s in state.status],
                staged=False,
            )
    notes = (
        "arithmetic: fixed point, 2 decimals; last-batch surplus transfers (ERS97 5.3)",
        f"ties: earliest point with unequal votes, then {tie_break.describe()}",
    )
    return state.outcome([frac(v) for v in votes], notes)

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

:class:`ERS97Count` is the count, one method per step: the quota (5.1.6, 5.4.8), the
election test (:meth:`~ERS97Count.elect_check`), deferral (:meth:`~ERS97Count.deferred`),
a surplus stage (:meth:`~ERS97Count.surplus_stage`), the exclusion set
(:meth:`~ERS97Count.exclusion_set`) and an exclusion stage with its batches
(:meth:`~ERS97Count.exclusion_stage`, :meth:`~ERS97Count.transfer_batch`).

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

import numpy as np

from voting.methods.stv._arith import Arithmetic, FixedPoint, ceil_div
from voting.methods.stv._count import Count, CountOutcome
from voting.methods.stv._papers import Papers
from voting.methods.stv._quota import fixed_quota

__all__ = ["ERS97Count", "count_ers97"]

DECIMALS = 2
SCALE = 10**DECIMALS


class ERS97Count(Count):
    """A count by the ERS97 rules (see the module docstring); values are ints scaled
    by ``10**2``. The parameters are :class:`~voting.methods.stv._count.Count`'s."""

    RULES = ("ers97",)

    @classmethod
    def arithmetic(cls, rule: str) -> Arithmetic:
        return FixedPoint(DECIMALS)

    def prepare(self) -> None:
        self.valid_s = self.ballots.valid * SCALE
        self.quota = self.quota_of(self.valid_s)
        self.papers = Papers(self.ballots, SCALE)
        self.fixed: dict[int, int] = {}  # elected with surplus transferred: keep the quota
        self.pending: list[int] = []  # elected, surplus not yet transferred
        self.nt_surplus = 0  # non-transferable differences of surpluses (5.3.9)
        self.arrival = 0  # id of the last batch of papers moved
        self.stage = 0  # ERS97 stage number (4.2): first preferences, surplus, exclusion
        self.leftover = ""  # batches of an exclusion left untransferred (5.5), for the end

    # ------------------------------------------------------------------ figures
    def quota_of(self, total: int) -> int:
        """5.1.6: ``total / (S + 1)`` rounded up to two decimals (or the chosen quota)."""
        return fixed_quota(self.quota_name, total, self.seats, SCALE, round_up_exact=True)

    def recount(self) -> None:
        """Count the papers; candidates whose surplus moved keep the quota (5.3.11)."""
        held, ex = self.papers.totals(0)
        for c in range(self.n):
            self.votes[c] = self.fixed[c] if c in self.fixed else held[c]
        self.exhausted = ex + self.nt_surplus

    def surplus_of(self, c: int) -> int:
        """The candidate's votes above the quota (0 below it)."""
        surplus: int = max(0, self.votes[c] - self.quota)
        return surplus

    # ------------------------------------------------------------------ election
    def elect_check(self) -> list[int]:
        """5.1.7, 5.3.13, 5.4.9: deem elected everyone reaching the quota or the
        active-vote threshold, in descending order of votes."""
        out: list[int] = []
        state, votes = self.state, self.votes
        while True:
            left = state.seats_left()
            hopeful = state.hopeful()
            if left <= 0 or not hopeful:
                return out
            # 6.20: continuing candidates' votes plus votes awaiting transfer (pending
            # surpluses and the batches of excluded candidates not yet transferred)
            waiting = sum(votes[c] for c in range(self.n) if state.status[c] == "excluded")
            active = (
                sum(votes[c] for c in hopeful)
                + sum(self.surplus_of(c) for c in self.pending)
                + waiting
            )
            threshold = max(1, min(self.quota, ceil_div(active, left + 1)))
            qualified = [c for c in hopeful if votes[c] >= threshold]
            if not qualified:
                return out
            if len(qualified) > left:
                qualified = self.top(qualified, left)
            ordered = state.elect(qualified, votes)
            self.pending.extend(c for c in ordered if votes[c] > self.quota)
            out.extend(ordered)

    def top(self, cands: list[int], k: int) -> list[int]:
        """The ``k`` of ``cands`` with the most votes; ties (5.6.2) by the earliest
        point where the tied candidates differed, then by lot."""
        chosen: list[int] = []
        rest = sorted(cands, key=lambda c: -self.votes[c])
        while len(chosen) < k:
            best = self.votes[rest[0]]
            tied = [c for c in rest if self.votes[c] == best]
            if len(chosen) + len(tied) <= k:
                chosen += tied
            else:
                c = self.state.choose(tied, lowest=False, history="forward", context="last place")
                chosen.append(c)
                tied = [c]
            rest = [c for c in rest if c not in tied]
        return chosen

    # ------------------------------------------------------------------ surpluses
    def deferred(self, total_surplus: int) -> bool:
        """5.2.2: the surpluses cannot change who is lowest, so transfer is deferred."""
        hopeful = sorted(self.votes[c] for c in self.state.hopeful())
        left = self.state.seats_left()
        if len(hopeful) >= 2 and total_surplus <= hopeful[1] - hopeful[0]:
            return True
        for k in range(2, len(hopeful) - left + 1):
            if k < len(hopeful) and total_surplus <= hopeful[k] - sum(hopeful[:k]):
                return True
        return False

    def next_surplus(self) -> int:
        """5.2.3: the largest pending surplus; ties by the earliest point where the
        tied candidates differed, then by lot."""
        best = max(self.surplus_of(c) for c in self.pending)
        tied = [c for c in self.pending if self.surplus_of(c) == best]
        x = self.state.choose(tied, lowest=False, history="forward", context="surplus order")
        self.pending.remove(x)
        return x

    def transfer_surplus(self, x: int) -> tuple[int, int | None, int]:
        """5.3: transfer ``x``'s surplus from its last batch of papers.

        If the transferable papers are worth more than the surplus each moves at
        ``surplus / papers`` truncated to two decimals (5.3.7; the remainder is lost
        to rounding), otherwise at its present value (the difference is
        non-transferable, 5.3.9). ``x`` then keeps the quota. Returns the surplus,
        the transfer value (None for present value) and the transferable papers.
        """
        s = self.surplus_of(x)
        parcel = self.papers.last_batch(x)
        cont = self.continuing()
        counts = self.papers.parcel(x, parcel, cont)
        n_transferable = int(counts[0].sum())
        value = sum(int(counts[0, k]) * self.papers.values[k] for k in range(counts.shape[1]))
        cmap = np.arange(len(self.papers.values), dtype=np.int32)
        tv: int | None = None
        if value > s:
            tv = s // n_transferable  # 5.3.7: two decimals, remainder ignored
            cmap[:] = self.papers.class_of(tv)
            self.loss += s - n_transferable * tv
        else:
            self.nt_surplus += s - value
        self.arrival += 1
        self.papers.move([x], cont, self.arrival, class_map=cmap, parcel=parcel, keep_stuck=True)
        self.fixed[x] = self.quota
        self.recount()
        return s, tv, n_transferable

    def surplus_stage(self) -> None:
        """A stage transferring the largest surplus (5.2.3, 5.2.4, 5.3)."""
        x = self.next_surplus()
        s, tv, n_transferable = self.transfer_surplus(x)
        newly = self.elect_check()
        self.stage += 1  # 5.2.4: the transfer of a surplus is a stage
        show = self.arith.show
        how = (
            f"each of {n_transferable} transferable papers at {show(tv)}"
            if tv is not None
            else "transferable papers at their present value"
        )
        self.record(
            "surplus",
            f"surplus of {self.candidates[x]} ({show(s)}) transferred from its last batch, "
            + how
            + self.elected_text(newly),
            elected=newly,
            surplus=s,
            transfer_value=tv,
            stage=self.stage,
        )

    # ------------------------------------------------------------------ exclusions
    def exclusion_set(self, total_deferred: int) -> list[int]:
        """5.2.5: the largest group of lowest candidates that can go together."""
        state, votes = self.state, self.votes
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

    def batch_values(self, group: Sequence[int]) -> list[int]:
        """5.4.4: the values of the papers ``group`` holds, highest first: one batch each."""
        values, counts = self.papers.values, self.papers.counts
        present = {values[k] for c in group for k in np.nonzero(counts[c])[0].tolist()}
        return sorted(present, reverse=True)

    def transfer_batch(self, group: Sequence[int], value: int) -> None:
        """5.4.5: move the papers of ``value`` held by ``group``; before anyone is
        elected the quota is recalculated without the non-transferable votes (5.4.8)."""
        select = np.zeros(len(self.papers.values), dtype=np.bool_)
        select[self.papers.class_of(value)] = True
        self.arrival += 1
        self.papers.move(group, self.continuing(), self.arrival, class_select=select)
        self.recount()
        if not self.state.elected() and self.exhausted > 0:
            self.quota = self.quota_of(self.valid_s - self.exhausted)  # 5.4.8

    def exclusion_stage(self, group: list[int]) -> None:
        """A stage excluding ``group`` together (5.2.5, 5.2.7), its papers moved in
        batches of equal value, each batch a round (5.4.11), until the places are
        settled (5.5)."""
        self.state.exclude(group, [self.arith.frac(v) for v in self.votes])
        self.stage += 1  # 5.2.7: the exclusion, all its batches, is one stage
        names = ", ".join(self.candidates[c] for c in group)
        values = self.batch_values(group)
        if not values:
            self.recount()
            newly = self.elect_check()
            desc = f"{names} excluded (no papers to transfer)" + self.elected_text(newly)
            self.record("exclusion", desc, elected=newly, excluded=group, stage=self.stage)
            return
        n_batches = len(values)
        for i, value in enumerate(values):
            if self.state.complete():  # 5.5.1-5.5.2: settled, no further transfers
                if i == 0:  # settled before the first batch: nothing moves
                    self.recount()
                    desc = f"{names} excluded; the places are settled, so nothing is transferred"
                    self.record("exclusion", desc, excluded=group, stage=self.stage)
                return
            self.transfer_batch(group, value)
            newly = self.elect_check()
            desc = (
                f"{names} excluded: batch {i + 1} of {n_batches} "
                f"(papers of value {self.arith.show(value)}) transferred"
                + self.elected_text(newly)
                + self.leave_batches(names, i + 1, n_batches)
            )
            self.record(
                "exclusion",
                desc,
                elected=newly,
                excluded=group if i == 0 else (),
                stage=self.stage,
                batch=(i + 1, n_batches),
            )

    def leave_batches(self, names: str, done: int, n_batches: int) -> str:
        """5.5: once the places are settled the batches after ``done`` stay where they
        are; the end round says so, or this round when no end round follows."""
        if not self.state.complete() or done >= n_batches:
            return ""
        rest = f"batch {n_batches}" if done + 1 == n_batches else f"batches {done + 1}-{n_batches}"
        self.leftover = (
            f"{rest} of {n_batches} of the exclusion of {names} (stage {self.stage}) "
            "not transferred"
        )
        if self.state.hopeful():
            return ""
        text, self.leftover = f"; {self.leftover} as all places are filled (5.5.2)", ""
        return text

    # ------------------------------------------------------------------ the count
    def run(self) -> CountOutcome:
        """Count stage by stage until the places are settled (5.5)."""
        self.recount()
        newly = self.elect_check()
        self.stage = 1
        self.record(
            "first preferences",
            "first preferences counted" + self.elected_text(newly),
            elected=newly,
            stage=self.stage,
        )
        while not self.state.complete():
            total_surplus = sum(self.surplus_of(c) for c in self.pending)
            if self.pending and not self.deferred(total_surplus):
                self.surplus_stage()
            else:
                self.exclusion_stage(self.exclusion_set(total_surplus))
        left = f"; {self.leftover}" if self.leftover else ""
        self.end_round(  # 5.5.1, 5.5.2: the end round is not a stage
            "continuing candidates equal the places left, so they are elected (5.5.1): ",
            "all places filled; not elected: ",
            elect_suffix=left + (" as the places are settled" if left else ""),
            filled_suffix=left + (" (5.5.2)" if left else ""),
        )
        return self.outcome(
            (
                "arithmetic: fixed point, 2 decimals; last-batch surplus transfers (ERS97 5.3)",
                f"ties: earliest point with unequal votes, then {self.tie_break.describe()}",
            )
        )


count_ers97 = ERS97Count.count
"""Count ``ballots`` by the ERS97 rules: ``ERS97Count(...).run()``."""

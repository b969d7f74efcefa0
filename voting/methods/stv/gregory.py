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
class* (:class:`~voting.methods.stv._papers.Papers`). A surplus transfer maps each
value class present at the candidate to its new value, computed once in exact integer
(or rational) arithmetic; the kernels move and count papers by class.

:class:`GregoryCount` is the count, one method per step: :meth:`~GregoryCount.recount`,
:meth:`~GregoryCount.elect_new` (rule 47), :meth:`~GregoryCount.transfer_surplus`
(rules 48-49) and :meth:`~GregoryCount.exclude_lowest` (rules 50-51).

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

from fractions import Fraction

import numpy as np

from voting.methods.stv._arith import Arithmetic, FixedPoint, Rational, Value
from voting.methods.stv._count import Count, CountOutcome
from voting.methods.stv._explain import CountInvariantError
from voting.methods.stv._papers import Papers
from voting.methods.stv._quota import exact_quota, fixed_quota

__all__ = ["GREGORY_RULES", "GregoryCount", "count_gregory"]

GREGORY_RULES = ("scottish", "fractional")


class GregoryCount(Count):
    """A weighted inclusive Gregory count (see the module docstring).

    ``rule`` is ``"scottish"`` (five-decimal fixed point, transfer values truncated
    per paper) or ``"fractional"`` (exact rationals); the other parameters are
    :class:`~voting.methods.stv._count.Count`'s.
    """

    RULES = GREGORY_RULES

    @classmethod
    def arithmetic(cls, rule: str) -> Arithmetic:
        return FixedPoint(5) if rule == "scottish" else Rational()

    def prepare(self) -> None:
        valid = self.ballots.valid
        if isinstance(self.arith, FixedPoint):  # rule 46: an integer quota
            scale = self.arith.scale
            self.quota = fixed_quota(self.quota_name, valid * scale, self.seats, scale)
            self.strict_gt = False
        else:
            self.quota, self.strict_gt = exact_quota(self.quota_name, Fraction(valid), self.seats)
        self.papers = Papers(self.ballots, self.arith.one)
        self.done: set[int] = set()  # elected, surplus transferred: they keep the quota
        self.pending: list[int] = []  # elected, surplus not yet transferred
        self.stage = 1

    def has_quota(self, vote: Value) -> bool:
        """Rule 47: the vote reaches the quota (exceeds it, for an exact Droop quota)."""
        return bool(vote > self.quota) if self.strict_gt else bool(vote >= self.quota)

    def recount(self) -> None:
        """Count every candidate's papers; elected candidates whose surplus moved keep
        the quota, and neither they nor the excluded may hold a paper."""
        zero = self.arith.zero
        held, self.exhausted = self.papers.totals(zero)
        for c in range(self.n):
            if c in self.done or self.state.status[c] == "excluded":
                if held[c] != zero:  # inclusive transfer moves every paper
                    raise CountInvariantError(
                        f"{self.state.rule}: papers left with {self.candidates[c]}"
                    )
                self.votes[c] = self.quota if c in self.done else zero
            else:
                self.votes[c] = held[c]

    def elect_new(self) -> list[int]:
        """Rule 47: elect every hopeful with the quota, best first; their surpluses wait."""
        newly = [c for c in self.state.hopeful() if self.has_quota(self.votes[c])]
        ordered = self.state.elect(newly, self.votes) if newly else []
        self.pending.extend(c for c in ordered if self.votes[c] > self.quota)
        return ordered

    def next_surplus(self) -> int:
        """Rule 49: the largest pending surplus; ties by the most recent stage where
        the tied candidates' votes differed, then by lot."""
        best = max(self.votes[c] for c in self.pending)
        tied = [c for c in self.pending if self.votes[c] == best]
        x = self.state.choose(
            tied, lowest=False, history="backward", context=f"surplus order at stage {self.stage}"
        )
        self.pending.remove(x)
        return x

    def transfer_surplus(self, x: int) -> tuple[Value, Value]:
        """Rule 48: move all of ``x``'s papers, each at ``value × surplus / votes`` (in
        the rule's arithmetic); the rest is lost to rounding. Returns the surplus and
        the transfer value of a paper of value one."""
        total = self.votes[x]
        surplus = total - self.quota
        counts = self.papers.counts
        cmap = np.arange(len(self.papers.values), dtype=np.int32)
        moved: Value = self.arith.zero
        for k in np.nonzero(counts[x])[0].tolist():
            new_value = self.arith.times_ratio(self.papers.values[k], surplus, total)
            cmap[k] = self.papers.class_of(new_value)
            moved = moved + int(counts[x, k]) * new_value
        self.papers.move([x], self.continuing(), self.stage, class_map=cmap)
        self.loss = self.loss + (surplus - moved)
        self.done.add(x)
        self.recount()
        return surplus, self.arith.times_ratio(self.arith.one, surplus, total)

    def exclude_lowest(self) -> tuple[int, Value]:
        """Rules 50-51: exclude the hopeful with the fewest votes (ties by the most
        recent stage where they differed, then by lot) and move all their papers at
        their current values. Returns who and their votes."""
        hopeful = self.state.hopeful()
        low = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] == low]
        x = self.state.choose(
            tied,
            lowest=True,
            history="backward",
            context=f"exclusion at stage {self.stage}",
            harmless=self.state.harmless_exclusion(tied, self.votes),
        )
        continuing = self.continuing()
        self.state.exclude([x], [self.arith.frac(v) for v in self.votes])
        continuing[x] = False
        self.papers.move([x], continuing, self.stage)
        self.recount()
        return x, low

    def run(self) -> CountOutcome:
        """Count stage by stage until the seats are filled (rules 45-52)."""
        show = self.arith.show
        self.recount()
        newly = self.elect_new()
        desc = "first preferences counted" + self.elected_text(newly)
        self.record("first preferences", desc, elected=newly)
        while not self.state.complete():
            self.stage += 1
            if self.pending:
                x = self.next_surplus()
                surplus, tv = self.transfer_surplus(x)
                newly = self.elect_new()
                self.record(
                    "surplus",
                    f"surplus of {self.candidates[x]} ({show(surplus)}) transferred, "
                    f"transfer value {show(tv)} per paper of value one" + self.elected_text(newly),
                    elected=newly,
                    surplus=surplus,
                    transfer_value=tv,
                )
                continue
            x, low = self.exclude_lowest()
            newly = self.elect_new()
            self.record(
                "exclusion",
                f"{self.candidates[x]} excluded with the fewest votes ({show(low)}), papers "
                "transferred at their current values" + self.elected_text(newly),
                elected=newly,
                excluded=[x],
            )
        self.end_round(  # rule 52
            "continuing candidates equal the vacancies left, so they are elected: ",
            "all seats filled; not elected: ",
        )
        decimals = self.arith.decimals
        arith = (
            f"fixed point, {decimals} decimals, transfer values truncated per paper"
            if decimals is not None
            else "exact rational"
        )
        return self.outcome(
            (
                f"arithmetic: {arith}",
                "ties: most recent earlier stage with unequal votes, then "
                + self.tie_break.describe(),
            )
        )


count_gregory = GregoryCount.count
"""Count ``ballots`` by weighted inclusive Gregory: ``GregoryCount(...).run()``."""

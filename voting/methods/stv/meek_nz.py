"""Meek's method as New Zealand's Local Electoral Regulations 2001, Schedule 1A, state it.

Schedule 1A ("New Zealand method of counting single transferable votes", inserted by
SR 2003/391) is Hill's Algorithm 123 written as law, with its own arithmetic, its own
order of operations and its own tie rules. This module follows its clauses one by one
(Part 1, multi-member vacancies; Part 5, tie breaking):

- cl. 5, 11: quota ``q = (v - vnt) / (n + 1) + 0.000000001``, truncated to 9 decimals,
  where ``v`` is the number of valid voting documents and ``vnt`` the non-transferable
  votes (computed anew at every step);
- cl. 6, 12: a hopeful candidate whose votes equal or exceed the quota becomes
  successful;
- cl. 7, 17: at the start of every step after the first, each successful candidate's
  keep value becomes ``ceil9(ceil9(q × kc) / vc)``, with the quota and votes of the step
  before (cl. 7, ``ceil9(q / vc)``, is the same formula while ``kc = 1``);
- cl. 8, 9, 16: hopeful candidates keep 1, withdrawn and excluded candidates 0;
- cl. 10: a voting document gives its m-th preference
  ``vm = (1 - k1) × (1 - k2) × … × (1 - km-1) × km``, every multiplication rounded
  *up* to 9 decimals, from left to right (so the weight passed on is rounded up
  separately from the vote kept, and a document can give a little more than one vote:
  a negative "loss to rounding"); the weight left when a document is exhausted is its
  non-transferable vote;
- cl. 13, 14: in the same step, the hopeful candidate with the fewest votes is excluded
  when those votes plus the total surplus are less than every other hopeful
  candidate's votes, or when the total surplus is less than 0.0001 (total surplus:
  the sum of every candidate's votes in excess of the quota);
- cl. 23: a stable state (iterating can no longer elect or exclude anyone) excludes
  the candidate with the fewest votes;
- cl. 19, 40: a tie for fewest votes goes to "ahead at first difference": the earliest
  *step* (distribution) at which the tied candidates' votes differed; those with the
  fewest votes there, if more than one, go to
- cl. 41-48: the Schedule's pseudo-random numbers, the lowest excluded;
- cl. 3: counting is complete when the successful candidates fill the vacancies, or
  when the successful and hopeful candidates together are no more than the vacancies
  (the hopeful candidates are then successful);
- cl. 20: a candidate with no preference on any voting document is withdrawn at the
  start.

:class:`MeekNZCount` is the count, one method per clause or group of clauses:
:meth:`~MeekNZCount.withdraw_unranked` (cl. 20), :meth:`~MeekNZCount.run_step`
(cl. 5, 10, 11), :meth:`~MeekNZCount.elect_successful` (cl. 6, 12),
:meth:`~MeekNZCount.next_keep_values` (cl. 7, 17), :meth:`~MeekNZCount.exclusion`
(cl. 13, 14, 23) and :meth:`~MeekNZCount.break_tie` (cl. 19, 40-48).

Readings where the text is open
-------------------------------
- Non-transferable votes (cl. 2, 5, 11) are the weight literally "remaining
  untransferred" on exhausted documents. Rounding up in cl. 10 can create votes; they
  stay in the candidates' tallies and show as a negative loss to rounding (J. Lundell's
  Droop and A. Conway's ConcreteSTV ``LegislationIgnoreRoundingGains`` read it so;
  ConcreteSTV's ``Legislation`` variant instead counts the gains against ``vnt``).
- Clause 13 runs in the step where clause 12 elected someone (it follows clause 12 in
  the same step); clause 3's completion test runs after clause 12 and after clause 13.
- Stable state (cl. 23): the keep values of the next step would equal this step's
  (the count would repeat itself exactly), or the total surplus did not fall since
  the previous step with the same candidates successful and excluded.
- Ahead at first difference (cl. 40) looks only at the earliest step where the tied
  candidates differ; if several share the fewest votes there, the lowest PRN among
  *them* decides (cl. 19).
- PRNs (cl. 44, 45): clause 43 is applied four times and those values discarded; the
  first candidate gets the fifth value (as OpenSTV's ``MeekNZSTV`` does). Candidates
  are numbered in profile order; ``c`` is the number of candidates in the profile.
  Clause 48 (``10000 - PRN`` at each later step) is applied literally, so at even
  steps the order of the PRNs is reversed. The lowest PRN is excluded.

Deviations
----------
- Clause 21 (fewer candidates with votes than vacancies: the rest stay vacant) is not
  applied: candidates without votes are then not withdrawn, and the count fills every
  seat.
- The Department of Internal Affairs' "STV Calculator" is reported to differ from the
  text (rounding in cl. 10, an exclusion at step 1, its PRNG); this follows the text.

References
----------
.. [1] Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A,
   https://www.legislation.govt.nz/regulation/public/2001/0145/latest/DLM57125.html
.. [2] I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123: Single
   Transferable Vote by Meek's method", The Computer Journal 30(3):277-281, 1987.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from voting.methods.stv._count import CountOutcome
from voting.methods.stv._explain import Status
from voting.methods.stv._quota import fixed_quota
from voting.methods.stv.meek import DECIMALS, SCALE, KeepFactorCount
from voting.methods.stv.meek import keep_value as nz_keep_value
from voting.ties import BrokenTie

__all__ = [
    "OMEGA",
    "MeekNZCount",
    "count_meek_nz",
    "nz_keep_value",
    "nz_prns",
    "prn_at_step",
]

OMEGA = 10 ** (DECIMALS - 4)
"""Clause 13's surplus limit, 0.0001, scaled by ``10**9``."""


def nz_prns(n_candidates: int, vacancies: int, valid: int) -> list[int]:
    """The step-1 pseudo-random number of each candidate (Schedule 1A, cl. 41-47).

    Parameters
    ----------
    n_candidates : int
        ``c``, the number of candidates.
    vacancies : int
        ``n``.
    valid : int
        ``v``, the number of valid voting documents.

    Returns
    -------
    list of int, distinct, in candidate order.

    Examples
    --------
    >>> nz_prns(3, 1, 10)
    [14184, 24897, 17934]
    """
    x, y, z = n_candidates + 5, vacancies, (valid + 1000 * (valid % 10)) % 30323

    def clause_43() -> int:
        nonlocal x, y, z
        x = (171 * x) % 30269
        y = (172 * y) % 30307
        z = (170 * z) % 30323
        return (10000 * x) // 30269 + (10000 * y) // 30307 + (10000 * z) // 30323

    for _ in range(4):  # clause 44: the first 4 values are discarded
        clause_43()
    prns: list[int] = []
    for _ in range(n_candidates):  # clauses 45-47
        rc = clause_43()
        while rc in prns:
            rc = clause_43()
        prns.append(rc)
    return prns


def prn_at_step(prns: Sequence[int], step: int) -> list[int]:
    """Clause 48: each later step replaces every PRN by ``10000 - PRN``."""
    return list(prns) if step % 2 == 1 else [10000 - r for r in prns]


class MeekNZCount(KeepFactorCount):
    """A count by Schedule 1A (see the module docstring); the parameters are
    :class:`~voting.methods.stv._count.Count`'s.

    ``quota`` other than ``"droop-exact"`` replaces the formula of clauses 5 and 11
    (the total is still ``v - vnt``). ``tie_break`` is never consulted: the Schedule
    settles its ties itself (clauses 19, 40-48).
    """

    RULES = ("meek-nz",)
    NZ = True

    def prepare(self) -> None:
        super().prepare()
        self.valid_s = self.ballots.valid * SCALE
        self.prns = nz_prns(self.n, self.seats, self.ballots.valid)
        self.steps: list[tuple[int, ...]] = []  # every step's votes, for clause 40
        self.seen: list[tuple[Status, ...]] = []  # the candidates' states, step by step
        self.since = 0  # steps since the last round recorded
        self.last_surplus: int | None = None  # for clause 23, with the same states
        self.withdraw_unranked()

    def withdraw_unranked(self) -> None:
        """Clause 20: candidates with no preference at all are withdrawn (keep value 0)."""
        ranked = np.zeros(self.n, dtype=np.bool_)
        order = self.ballots.order
        ranked[order[order >= 0]] = True
        withdrawn = [c for c in range(self.n) if not ranked[c]]
        if withdrawn and self.n - len(withdrawn) >= self.seats:
            self.state.exclude(withdrawn, [0] * self.n)
            self.kf[withdrawn] = 0

    def quota_from(self, votes: NDArray[np.int64], excess: int) -> int:
        """Clauses 5, 11: ``(v - vnt) / (n + 1) + 0.000000001``, truncated to 9 decimals."""
        return fixed_quota(self.quota_name, self.valid_s - excess, self.seats, SCALE)

    def round_surplus(self) -> int:
        """Clause 14: the sum of every candidate's votes in excess of the quota."""
        return sum(max(0, v - self.quota) for v in self.votes)

    def run_step(self) -> None:
        """One step: distribute the votes (clause 10) and compute the quota (clauses 5,
        11); the loss to rounding is what clause 10's rounding up created (negative)."""
        if not self.seen or self.seen[-1] != self.state.statuses():  # a state changed
            self.seen.append(self.state.statuses())
            self.new_round()
        self.distribute_votes()
        self.steps.append(tuple(self.votes))
        self.loss = self.valid_s - sum(self.votes) - self.exhausted

    def elect_successful(self) -> list[int]:
        """Clauses 6, 12: hopefuls with at least the quota become successful (recorded)."""
        newly = [c for c in self.state.hopeful() if self.votes[c] >= self.quota]
        if not newly:
            return []
        ordered = self.state.elect(newly, self.votes)
        self.record(
            "iteration",
            f"{self.with_votes(ordered)} reached the quota at step {len(self.steps)}",
            elected=ordered,
            iterations=self.since,
        )
        self.since, self.last_surplus = 0, None
        return ordered

    def next_keep_values(self) -> NDArray[np.int64]:
        """Clauses 7, 17: the keep values of the next step (needed for clause 23)."""
        nxt = self.kf.copy()
        for c in self.state.elected():
            nxt[c] = nz_keep_value(int(self.kf[c]), self.quota, self.votes[c])
        return nxt

    def exclusion(self, newly: Sequence[int], nxt: NDArray[np.int64]) -> tuple[int | None, str]:
        """Clause 13 (or 23): the candidate to exclude at this step, if any, and why."""
        votes, surplus = self.votes, self.round_surplus()
        hopeful = self.state.hopeful()
        if not hopeful:
            return None, ""
        low = min(votes[c] for c in hopeful)
        lowest = [c for c in hopeful if votes[c] == low]
        others = [votes[c] for c in hopeful if votes[c] != low]
        if len(lowest) == 1 and others and low + surplus < min(others):
            return lowest[0], "its votes plus the total surplus are below every other hopeful"
        if surplus < OMEGA:
            return lowest[0], "total surplus below 0.0001"
        if not newly and (
            bool((nxt == self.kf).all())
            or (self.last_surplus is not None and surplus >= self.last_surplus)
        ):
            return lowest[0], "stable state (clause 23)"
        return None, ""

    def break_tie(self, pick: int) -> int:
        """Clauses 19 and 40: ahead at first difference, then the lowest PRN at this step."""
        state, step, now = self.state, len(self.steps), self.steps[-1]
        tied = [c for c in state.hopeful() if now[c] == now[pick]]
        if len(tied) == 1:
            return pick
        how = ""
        remaining = tied
        for i, row in enumerate(self.steps):
            values = {row[c] for c in tied}
            if len(values) > 1:
                low = min(values)
                remaining = [c for c in tied if row[c] == low]
                how = f"ahead at first difference (step {i + 1})"
                break
        asked = 0
        lot = len(remaining) > 1
        if lot:
            prn = prn_at_step(self.prns, step)
            options = sorted(remaining, key=lambda c: prn[c])  # the Schedule's choice first
            exhaustive = state.chooser is not None and state.chooser.exhaustive
            if state.harmless_exclusion(tied, now) and not exhaustive:
                chosen, lot = options[0], False
            else:
                chosen, asked = state.lot(options)
            remaining = [chosen]
            how = (how + ", then " if how else "") + f"lowest pseudo-random number at step {step}"
        chosen = remaining[0]
        others = [c for c in tied if c != chosen]
        tie = BrokenTie(
            state.names(tied), state.names([*others, chosen]), f"exclusion at step {step}", how
        )
        state.record_tie(tie, asked, lot)
        return chosen

    def step(self) -> bool:
        """Clauses 12-17 at the current step; True when counting is complete (clause 3)."""
        newly = self.elect_successful()
        if newly and self.state.complete():
            return True
        nxt = self.next_keep_values()
        if len(self.steps) > 1:  # clause 13 belongs to step 2 and later
            pick, why = self.exclusion(newly, nxt)
            if pick is not None:
                pick = self.break_tie(pick)
                self.state.exclude([pick], self.votes)
                self.record(
                    "exclusion",
                    f"{self.candidates[pick]} excluded with the fewest votes "
                    f"({self.arith.show(self.votes[pick])}; {why}; step {len(self.steps)})",
                    excluded=[pick],
                    iterations=self.since,
                )
                nxt[pick] = 0  # clause 16
                self.since, self.last_surplus = 0, None
                if self.state.complete():
                    self.kf[:] = nxt
                    return True
            elif not newly:
                self.last_surplus = self.round_surplus()
        self.kf[:] = nxt
        return False

    def run(self) -> CountOutcome:
        """Count step by step until counting is complete (clause 3)."""
        self.run_step()  # step 1 (clauses 5, 6)
        self.since, self.last_surplus = 1, None
        while not self.step():
            self.run_step()
            self.since += 1
        if self.state.hopeful():
            self.run_step()
        self.end_round(
            "elected as the remaining hopeful candidates fill the remaining vacancies (clause 3): ",
            "all vacancies filled; not elected: ",
            iterations=1,
        )
        return self.outcome(
            (
                f"arithmetic: fixed point, {DECIMALS} decimals; Schedule 1A clause 10 rounding "
                "(every multiplication rounded up, left to right)",
                "ties: ahead at first difference (clause 40), then the Schedule's "
                "pseudo-random numbers (clauses 41-48)",
            )
        )


count_meek_nz = MeekNZCount.count
"""Count ``ballots`` by Schedule 1A: ``MeekNZCount(...).run()``."""

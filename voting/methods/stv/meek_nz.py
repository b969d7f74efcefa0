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
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from voting.methods._universes import Chooser
from voting.methods.stv._arith import ceil_div, format_value
from voting.methods.stv._ballots import Ballots
from voting.methods.stv._count import CountOutcome, CountState
from voting.methods.stv._explain import Action, Status, STVRound
from voting.methods.stv._quota import QuotaName, fixed_quota
from voting.methods.stv.meek import DECIMALS, SCALE, Distributor
from voting.ties import BrokenTie, TieBreak

__all__ = ["OMEGA", "count_meek_nz", "nz_keep_value", "nz_prns", "prn_at_step"]

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


def nz_keep_value(kc: int, quota: int, votes: int) -> int:
    """Clause 17: ``kc = q × kc / vc``, both operations rounded up to 9 decimals (scaled)."""
    return ceil_div(ceil_div(kc * quota, SCALE) * SCALE, votes)


def _frac(x: int) -> Fraction:
    return Fraction(int(x), SCALE)


def count_meek_nz(
    ballots: Ballots,
    candidates: Sequence[str],
    seats: int,
    *,
    quota: QuotaName,
    tie_break: TieBreak,
    chooser: Chooser | None = None,
) -> CountOutcome:
    """Count ``ballots`` by Schedule 1A (see the module docstring).

    ``quota`` other than ``"droop-exact"`` replaces the formula of clauses 5 and 11
    (the total is still ``v - vnt``). ``tie_break`` is never consulted: the Schedule
    settles its ties itself (clauses 19, 40-48).
    """
    n = ballots.n_candidates
    names = tuple(candidates)
    state = CountState("meek-nz", names, seats, ballots.valid, tie_break, chooser=chooser)
    kf = np.full(n, SCALE, dtype=np.int64)
    distribute = Distributor(ballots, nz=True)
    valid_s = ballots.valid * SCALE
    prns = nz_prns(n, seats, ballots.valid)
    steps: list[tuple[int, ...]] = []  # every step's votes, for clause 40

    # clause 20: candidates with no preference at all are withdrawn (keep value 0)
    ranked = np.zeros(n, dtype=np.bool_)
    ranked[ballots.order[ballots.order >= 0]] = True
    withdrawn = [c for c in range(n) if not ranked[c]]
    if withdrawn and n - len(withdrawn) >= seats:
        state.exclude(withdrawn, [0] * n)
        kf[withdrawn] = 0

    seen: list[tuple[Status, ...]] = []

    def run_step() -> tuple[list[int], int, int]:
        if not seen or seen[-1] != state.statuses():  # a candidate changed state
            seen.append(state.statuses())
            distribute.new_round(
                np.array([st == "excluded" for st in state.status], dtype=np.bool_),
                np.array([st == "elected" for st in state.status], dtype=np.bool_),
            )
        votes, excess = distribute(kf)  # clause 10
        vlist: list[int] = votes.tolist()
        steps.append(tuple(vlist))
        q = fixed_quota(quota, valid_s - excess, seats, SCALE)  # clauses 5, 11
        return vlist, excess, q

    def record(
        action: Action,
        description: str,
        vlist: Sequence[int],
        excess: int,
        q: int,
        surplus: int,
        iterations: int,
        *,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        status: Sequence[Status] | None = None,
    ) -> None:
        state.record(
            STVRound(
                number=len(state.rounds) + 1,
                action=action,
                description=description,
                tallies=tuple(_frac(v) for v in vlist),
                status=tuple(status if status is not None else state.statuses()),
                quota=_frac(q),
                exhausted=_frac(excess),
                loss=_frac(valid_s - sum(vlist) - excess),
                surplus=_frac(surplus),
                keep_factors=tuple(_frac(k) for k in kf.tolist()),
                elected=state.names(elected),
                excluded=state.names(excluded),
                iterations=iterations,
            )
        )

    def complete() -> bool:  # clause 3
        return state.seats_left() <= 0 or len(state.hopeful()) <= state.seats_left()

    # Step 1 (clauses 5, 6)
    vlist, excess, q = run_step()
    since = 1
    last_surplus: int | None = None
    while True:
        newly = [c for c in state.hopeful() if vlist[c] >= q]  # clauses 6, 12
        surplus = sum(max(0, v - q) for v in vlist)  # clause 14
        if newly:
            ordered = state.elect(newly, vlist)
            text = ", ".join(
                f"{names[c]} ({format_value(_frac(vlist[c]), DECIMALS)})" for c in ordered
            )
            record(
                "iteration",
                f"{text} reached the quota at step {len(steps)}",
                vlist,
                excess,
                q,
                surplus,
                since,
                elected=ordered,
            )
            since, last_surplus = 0, None
            if complete():
                break
        # the keep values of the next step (clauses 7, 17), needed for clause 23
        nxt = kf.copy()
        for c in state.elected():
            nxt[c] = nz_keep_value(int(kf[c]), q, vlist[c])
        if len(steps) > 1:  # clause 13 belongs to step 2 and later
            pick, why = _exclusion(state, vlist, surplus, newly, nxt, kf, last_surplus)
            if pick is not None:
                pick = _break_tie(state, pick, steps, prns, len(steps))
                state.exclude([pick], vlist)
                record(
                    "exclusion",
                    f"{names[pick]} excluded with the fewest votes "
                    f"({format_value(_frac(vlist[pick]), DECIMALS)}; {why}; step {len(steps)})",
                    vlist,
                    excess,
                    q,
                    surplus,
                    since,
                    excluded=[pick],
                )
                nxt[pick] = 0  # clause 16
                since, last_surplus = 0, None
                if complete():
                    kf[:] = nxt
                    break
            elif not newly:
                last_surplus = surplus
        kf[:] = nxt
        vlist, excess, q = run_step()
        since += 1

    hopeful = state.hopeful()
    if hopeful:
        vlist, excess, q = run_step()
        surplus = sum(max(0, v - q) for v in vlist)
        if state.seats_left() > 0:
            ordered = state.elect(hopeful, vlist)
            record(
                "end",
                "elected as the remaining hopeful candidates fill the remaining vacancies "
                "(clause 3): " + ", ".join(names[c] for c in ordered),
                vlist,
                excess,
                q,
                surplus,
                1,
                elected=ordered,
            )
        else:
            record(
                "end",
                "all vacancies filled; not elected: " + ", ".join(names[c] for c in hopeful),
                vlist,
                excess,
                q,
                surplus,
                1,
                status=["excluded" if s == "hopeful" else s for s in state.status],
            )
    final = [_frac(v) for v in vlist]
    notes = (
        f"arithmetic: fixed point, {DECIMALS} decimals; Schedule 1A clause 10 rounding "
        "(every multiplication rounded up, left to right)",
        "ties: ahead at first difference (clause 40), then the Schedule's pseudo-random "
        "numbers (clauses 41-48)",
    )
    return state.outcome(final, notes)


def _exclusion(
    state: CountState,
    vlist: Sequence[int],
    surplus: int,
    newly: Sequence[int],
    nxt: NDArray[np.int64],
    kf: NDArray[np.int64],
    last_surplus: int | None,
) -> tuple[int | None, str]:
    """Clause 13 (or 23): the candidate to exclude at this step, if any, and why."""
    hopeful = state.hopeful()
    if not hopeful:
        return None, ""
    low = min(vlist[c] for c in hopeful)
    lowest = [c for c in hopeful if vlist[c] == low]
    others = [vlist[c] for c in hopeful if vlist[c] != low]
    if len(lowest) == 1 and others and low + surplus < min(others):
        return lowest[0], "its votes plus the total surplus are below every other hopeful"
    if surplus < OMEGA:
        return lowest[0], "total surplus below 0.0001"
    if not newly and (
        bool((nxt == kf).all()) or (last_surplus is not None and surplus >= last_surplus)
    ):
        return lowest[0], "stable state (clause 23)"
    return None, ""


def _break_tie(
    state: CountState, pick: int, steps: Sequence[Sequence[int]], prns: Sequence[int], step: int
) -> int:
    """Clauses 19 and 40: ahead at first difference, then the lowest PRN at ``step``."""
    now = steps[-1]
    tied = [c for c in state.hopeful() if now[c] == now[pick]]
    if len(tied) == 1:
        return pick
    how = ""
    remaining = tied
    for i, row in enumerate(steps):
        values = {row[c] for c in tied}
        if len(values) > 1:
            low = min(values)
            remaining = [c for c in tied if row[c] == low]
            how = f"ahead at first difference (step {i + 1})"
            break
    asked = 0
    lot = len(remaining) > 1
    if lot:
        prn = prn_at_step(prns, step)
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
    state.record_tie(
        BrokenTie(
            state.names(tied),
            state.names([*others, chosen]),
            f"exclusion at step {step}",
            how,
        ),
        asked,
        lot,
    )
    return chosen

"""What every STV count shares: candidate status, ties, the round recorder, the ranking.

Each rule set is a subclass of :class:`Count` (``GregoryCount``, ``ERS97Count``,
``MeekCount``, ``MeekNZCount``): its steps (quota, election, surplus transfer,
exclusion, the final round) are methods on the count's figures, and every round is
recorded by the one :meth:`Count.record`. :class:`CountState` holds the bookkeeping
the rules share: who is hopeful, elected or excluded and in what order, the ties
broken (through the parallel-universe :class:`~voting.methods._universes.Chooser`),
and the rounds recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from voting._progress import tick
from voting.exceptions import InvalidParameterError
from voting.methods._universes import Chooser
from voting.methods.stv._arith import Arithmetic, Value
from voting.methods.stv._ballots import Ballots
from voting.methods.stv._explain import Action, Status, STVRound, check_reconciles
from voting.methods.stv._quota import QuotaName
from voting.ties import BrokenTie, TieBreak

__all__ = ["Count", "CountOutcome", "CountState"]

History = Literal["backward", "forward", "none"]


@dataclass(frozen=True, slots=True)
class CountOutcome:
    """What a count returns to :class:`~voting.methods.stv.STV`."""

    elected: tuple[int, ...]
    ranking: tuple[tuple[int, ...], ...]
    rounds: tuple[STVRound, ...]
    ties: tuple[BrokenTie, ...]
    notes: tuple[str, ...] = ()
    tie_picks: tuple[int, ...] = ()
    """Per tie in ``ties``: how many choices were put to the chooser (0 or 1)."""
    tie_lots: tuple[bool, ...] = ()
    """Per tie in ``ties``: whether it was left to lot."""


@dataclass
class CountState:
    """Mutable bookkeeping of one count.

    Parameters
    ----------
    rule : str
    candidates : sequence of str
    seats : int
    valid : int
    tie_break : TieBreak
    chooser : Chooser, optional
        Decides the ties left to lot instead of ``tie_break`` (option 0 is the
        tie-break's choice), to explore every resolution of the ties.
    """

    rule: str
    candidates: tuple[str, ...]
    seats: int
    valid: int
    tie_break: TieBreak
    chooser: Chooser | None = None
    status: list[Status] = field(init=False)
    elected_tiers: list[list[int]] = field(default_factory=list)
    excluded_events: list[list[int]] = field(default_factory=list)
    event_votes: list[dict[int, Fraction]] = field(default_factory=list)
    rounds: list[STVRound] = field(default_factory=list)
    ties: list[BrokenTie] = field(default_factory=list)
    pending_ties: list[BrokenTie] = field(default_factory=list)
    history: list[tuple[Fraction, ...]] = field(default_factory=list)
    tie_picks: list[int] = field(default_factory=list)
    tie_lots: list[bool] = field(default_factory=list)
    _priority: dict[int, int] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.status = ["hopeful"] * len(self.candidates)

    # ----------------------------------------------------------------- status
    def hopeful(self) -> list[int]:
        return [c for c, s in enumerate(self.status) if s == "hopeful"]

    def elected(self) -> list[int]:
        return [c for tier in self.elected_tiers for c in tier]

    def seats_left(self) -> int:
        return self.seats - sum(len(t) for t in self.elected_tiers)

    def complete(self) -> bool:
        """Whether the count is over: every seat filled, or no more hopeful candidates
        than seats left (they are then elected)."""
        left = self.seats_left()
        return left <= 0 or len(self.hopeful()) <= left

    def elect(self, cands: Sequence[int], votes: Sequence[Fraction] | Sequence[int]) -> list[int]:
        """Mark ``cands`` elected, best vote first; equal votes form one ranking tier."""
        ordered = sorted(cands, key=lambda c: (-votes[c], c))
        for c in ordered:
            self.status[c] = "elected"
        for tier in _tiers(ordered, votes, descending=True):
            self.elected_tiers.append(tier)
        return ordered

    def exclude(self, cands: Sequence[int], votes: Sequence[Fraction] | Sequence[int]) -> None:
        """Mark ``cands`` excluded together (one event; a bulk exclusion keeps order)."""
        for c in cands:
            self.status[c] = "excluded"
        self.excluded_events.append(sorted(cands, key=lambda c: (-votes[c], c)))
        self.event_votes.append({c: Fraction(votes[c]) for c in cands})

    # ------------------------------------------------------------------- ties
    def priority(self) -> dict[int, int]:
        if self._priority is None:
            order = self.tie_break.priority(self.candidates)
            self._priority = {c: r for r, c in enumerate(order)}
        return self._priority

    def choose(
        self,
        tied: Sequence[int],
        *,
        lowest: bool,
        history: History,
        context: str,
        previous: Sequence[Sequence[Fraction]] | None = None,
        harmless: bool = False,
    ) -> int:
        """Pick one of ``tied``: the lowest (to exclude) or highest (to favour).

        ``harmless``: the caller knows that the choice cannot change who is elected
        (see :meth:`harmless_exclusion`); a lot is then drawn as usual but not
        explored for the parallel universes.

        ``history`` says how earlier rounds decide first: ``"backward"`` looks at the
        most recent earlier round where the tied candidates' votes differ (Scottish
        rules 49 and 51), ``"forward"`` at the earliest such round (ERS97 5.2.3,
        New Zealand's "ahead at first difference"); the candidates still level after
        each such round are narrowed down in turn. Candidates level at every round go
        to the tie-break (the lot). Every tie of two or more is recorded.
        """
        cands = sorted(set(tied))
        if len(cands) == 1:
            return cands[0]
        remaining = list(cands)
        how = ""
        rounds = list(self.history if previous is None else previous)
        if history != "none" and rounds:
            indices = (
                range(len(rounds) - 1, -1, -1) if history == "backward" else range(len(rounds))
            )
            for i in indices:
                values = {c: rounds[i][c] for c in remaining}
                if len(set(values.values())) > 1:
                    best = min(values.values()) if lowest else max(values.values())
                    remaining = [c for c in remaining if values[c] == best]
                    how = f"votes at round {i + 1}"
                    if len(remaining) == 1:
                        break
        asked = 0
        lot = len(remaining) > 1
        if lot:
            prio = self.priority()
            # the options as the tie-break ranks them: its own choice first
            options = sorted(remaining, key=lambda c: -prio[c] if lowest else prio[c])
            skip = harmless and not (self.chooser is not None and self.chooser.exhaustive)
            pick, asked = (options[0], 0) if skip else self.lot(options)
            lot = not skip
            how = (how + ", then " if how else "") + self.tie_break.describe()
        else:
            pick = remaining[0]
        others = [c for c in cands if c != pick]
        ordered = [*others, pick] if lowest else [pick, *others]
        self.record_tie(
            BrokenTie(
                tuple(self.candidates[c] for c in cands),
                tuple(self.candidates[c] for c in ordered),
                context,
                how,
            ),
            asked,
            lot,
        )
        return pick

    def harmless_exclusion(self, tied: Sequence[int], votes: Sequence[object]) -> bool:
        """Whether excluding any of ``tied`` first cannot change who is elected.

        True when every tied candidate has no votes and the hopeful candidates would
        still fill the seats left without all of them: a candidate without votes holds
        no ballot, so excluding it moves nothing and changes no tally, and they are all
        excluded in turn, in any order, before the count can end; the state after that
        (and every tally recorded on the way) is the same whatever the order. Callers
        must also know that no surplus waits to be transferred (one could reach them).
        """
        return all(votes[c] == 0 for c in tied) and (
            len(self.hopeful()) - len(set(tied)) >= self.seats_left()
        )

    def lot(self, options: list[int]) -> tuple[int, int]:
        """The candidate taken at a tie left to lot (``options[0]``: the rule's own,
        unless exploring), and how many choices were put to the chooser (0 or 1)."""
        if self.chooser is None:
            return options[0], 0
        pick, asked = self.chooser.choose(options)
        return pick, int(asked)

    def record_tie(self, tie: BrokenTie, asked: int, lot: bool) -> None:
        """Record a tie broken in the current round: ``asked``, the choices put to the
        chooser; ``lot``, whether it was left to lot (not settled by the rules)."""
        self.pending_ties.append(tie)
        self.tie_picks.append(asked)
        self.tie_lots.append(lot)

    # ----------------------------------------------------------------- rounds
    def record(self, rnd: STVRound) -> STVRound:
        """Check that ``rnd`` reconciles, attach pending ties, and store it."""
        check_reconciles(self.rule, rnd.number, rnd.tallies, rnd.exhausted, rnd.loss, self.valid)
        if self.pending_ties:
            rnd = dataclasses.replace(rnd, ties=tuple(self.pending_ties))
            self.ties.extend(self.pending_ties)
            self.pending_ties = []
        prev = (
            self.rounds[-1].tallies if self.rounds else tuple(Fraction(0) for _ in self.candidates)
        )
        if not rnd.transfers:
            rnd = dataclasses.replace(
                rnd, transfers=tuple(a - b for a, b in zip(rnd.tallies, prev, strict=True))
            )
        self.rounds.append(rnd)
        self.history.append(rnd.tallies)
        tick()  # a round done, on the command line's progress bar if one is open
        return rnd

    def statuses(self) -> tuple[Status, ...]:
        return tuple(self.status)

    def names(self, cands: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.candidates[c] for c in cands)

    # ------------------------------------------------------------------ end
    def outcome(self, final_votes: Sequence[Fraction], notes: Sequence[str] = ()) -> CountOutcome:
        """Elected in order of election, then the rest by how far they got."""
        remaining = [c for c, s in enumerate(self.status) if s == "hopeful"]
        tiers: list[tuple[int, ...]] = [tuple(sorted(t)) for t in self.elected_tiers]
        tiers += [
            tuple(sorted(t))
            for t in _tiers(
                sorted(remaining, key=lambda c: (-final_votes[c], c)), final_votes, descending=True
            )
        ]
        for event, votes in zip(
            reversed(self.excluded_events), reversed(self.event_votes), strict=True
        ):
            tiers += [tuple(sorted(t)) for t in _tiers(event, votes, descending=True)]
        return CountOutcome(
            elected=tuple(self.elected()),
            ranking=tuple(tiers),
            rounds=tuple(self.rounds),
            ties=tuple(self.ties + self.pending_ties),
            notes=tuple(notes),
            tie_picks=tuple(self.tie_picks),
            tie_lots=tuple(self.tie_lots),
        )


class Count:
    """One count by one rule set, its steps as methods (a subclass per rule set).

    A count holds its figures in its rule's arithmetic (:attr:`arith`, scaled ints or
    fractions): :attr:`votes`, :attr:`quota`, :attr:`exhausted` (non-transferable)
    and :attr:`loss` (to rounding). Its steps change them and the candidates' status
    in :attr:`state`; :meth:`record` turns them into an :class:`STVRound` after
    every step, and :meth:`run` counts to the end (:meth:`count` does both at once).

    A rule set's subclass names the rules it counts (:attr:`RULES`), gives their
    arithmetic (:meth:`arithmetic`), sets up its own state (:meth:`prepare`) and
    implements :meth:`run` from its steps.

    Parameters
    ----------
    ballots : Ballots
    candidates : sequence of str
    seats : int
    quota : {"droop", "droop-exact", "hare"}
    tie_break : TieBreak
    chooser : Chooser, optional
        Decides the ties left to lot instead of ``tie_break`` (see :class:`CountState`).
    rule : str, optional
        One of :attr:`RULES` (default: the first).
    """

    RULES: ClassVar[tuple[str, ...]] = ()
    """The rule sets the class counts, its default first."""

    def __init__(
        self,
        ballots: Ballots,
        candidates: Sequence[str],
        seats: int,
        *,
        quota: QuotaName,
        tie_break: TieBreak,
        chooser: Chooser | None = None,
        rule: str | None = None,
    ) -> None:
        rule = self.RULES[0] if rule is None else rule
        if rule not in self.RULES:
            raise InvalidParameterError(
                f"stv: {type(self).__name__} counts the rules {list(self.RULES)}, not {rule!r}."
            )
        self.ballots = ballots
        self.candidates = tuple(candidates)
        self.seats = seats
        self.n = ballots.n_candidates
        self.quota_name = quota
        self.tie_break = tie_break
        self.arith = self.arithmetic(rule)
        self.state = CountState(
            rule, self.candidates, seats, ballots.valid, tie_break, chooser=chooser
        )
        self.votes: list[Value] = [self.arith.zero] * self.n
        self.quota: Value = self.arith.zero
        self.exhausted: Value = self.arith.zero
        self.loss: Value = self.arith.zero
        self.prepare()

    @classmethod
    def count(
        cls,
        ballots: Ballots,
        candidates: Sequence[str],
        seats: int,
        *,
        quota: QuotaName,
        tie_break: TieBreak,
        chooser: Chooser | None = None,
        rule: str | None = None,
    ) -> CountOutcome:
        """Count ``ballots`` to the end: ``cls(...).run()``."""
        return cls(
            ballots, candidates, seats, quota=quota, tie_break=tie_break, chooser=chooser, rule=rule
        ).run()

    @classmethod
    def arithmetic(cls, rule: str) -> Arithmetic:
        """The arithmetic of ``rule``."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Set up the rule's own state (called once, at the end of ``__init__``)."""

    def run(self) -> CountOutcome:
        """Count to the end and return the outcome."""
        raise NotImplementedError

    # ----------------------------------------------------------------- figures
    def continuing(self) -> NDArray[np.bool_]:
        """The hopeful candidates as a mask, for the kernels."""
        mask = np.zeros(self.n, dtype=np.bool_)
        mask[self.state.hopeful()] = True
        return mask

    def round_surplus(self) -> Value:
        """The surplus a round records when its step names none (Meek: the total)."""
        return self.arith.zero

    def keep_factors(self) -> tuple[Fraction, ...] | None:
        """Meek's keep factors for the round record; None for rules without them."""
        return None

    def with_votes(self, cands: Sequence[int]) -> str:
        """``"A (12.50), B (9.00)"``: candidates with their votes."""
        show = self.arith.show
        return ", ".join(f"{self.candidates[c]} ({show(self.votes[c])})" for c in cands)

    def elected_text(self, ordered: Sequence[int]) -> str:
        """The ``"; elected: ..."`` tail of a round's description, if any."""
        return "; elected: " + self.with_votes(ordered) if ordered else ""

    # ----------------------------------------------------------------- rounds
    def record(
        self,
        action: Action,
        description: str,
        *,
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
        surplus: Value | None = None,
        transfer_value: Value | None = None,
        status: Sequence[Status] | None = None,
        iterations: int = 0,
        stage: int | None = None,
        batch: tuple[int, int] | None = None,
    ) -> STVRound:
        """Record the round just counted, from the count's current figures.

        ``surplus`` and ``transfer_value`` are in the rule's arithmetic (``surplus``
        defaults to :meth:`round_surplus`); ``status`` defaults to the candidates'
        current status. The round is checked to reconcile (:meth:`CountState.record`).
        """
        frac = self.arith.frac
        state = self.state
        return state.record(
            STVRound(
                number=len(state.rounds) + 1,
                action=action,
                description=description,
                tallies=tuple(frac(v) for v in self.votes),
                status=tuple(status if status is not None else state.statuses()),
                quota=frac(self.quota),
                exhausted=frac(self.exhausted),
                loss=frac(self.loss),
                surplus=frac(self.round_surplus() if surplus is None else surplus),
                keep_factors=self.keep_factors(),
                transfer_value=None if transfer_value is None else frac(transfer_value),
                elected=state.names(elected),
                excluded=state.names(excluded),
                iterations=iterations,
                stage=stage,
                batch=batch,
            )
        )

    def end_round(
        self,
        elect: str,
        filled: str,
        *,
        elect_suffix: str = "",
        filled_suffix: str = "",
        iterations: int = 0,
    ) -> None:
        """The last round, when the count is complete with candidates still hopeful.

        If seats are left the hopeful candidates fill them (``elect`` followed by
        their names); otherwise they are not elected (``filled`` followed by their
        names) and shown excluded. Nothing is recorded when no one is hopeful.
        """
        state = self.state
        hopeful = state.hopeful()
        if not hopeful:
            return
        if state.seats_left() > 0:
            ordered = state.elect(hopeful, self.votes)
            names = ", ".join(state.names(ordered))
            self.record("end", elect + names + elect_suffix, elected=ordered, iterations=iterations)
        else:
            self.record(
                "end",
                filled + ", ".join(state.names(hopeful)) + filled_suffix,
                status=["excluded" if s == "hopeful" else s for s in state.status],
                iterations=iterations,
            )

    def outcome(self, notes: Sequence[str]) -> CountOutcome:
        """The outcome, the unelected ranked by their final votes (:meth:`CountState.outcome`)."""
        return self.state.outcome([self.arith.frac(v) for v in self.votes], notes)


def _tiers(
    ordered: Sequence[int],
    votes: Sequence[Fraction] | Sequence[int] | Mapping[int, Fraction],
    *,
    descending: bool,
) -> list[list[int]]:
    tiers: list[list[int]] = []
    for c in ordered:
        if tiers and votes[tiers[-1][0]] == votes[c]:
            tiers[-1].append(c)
        else:
            tiers.append([c])
    return tiers

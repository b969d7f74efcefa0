"""RCTab's round-by-round count, written from its published rules (:func:`run_tabulation`).

Each round every ballot counts for its current candidate while that candidate continues;
otherwise it is walked from its first ranking again (:func:`walk`) under the ballot rules:
a gap of more than ``maxSkippedRanksAllowed`` rankings exhausts it, a repeated candidate
exhausts it with ``exhaustOnDuplicateCandidate``, an overvote exhausts it or is skipped by
``overvoteRule``, and otherwise it moves to the first continuing candidate it ranks, or is
exhausted when none is left. The round's tally then elects every candidate at or over the
threshold, or eliminates: undeclared write-ins first, then everyone below the minimum
vote threshold (or below the threshold with cutoff elimination), then by batch
elimination, then the last candidate (ties broken by the configured rule). Multi-seat
contests transfer each winner's surplus as a fraction of every ballot, rounded down to
``decimalPlacesForVoteArithmetic`` places as RCTab rounds (:mod:`voting.rctab._java`).

The arithmetic is exact: integers where every ballot counts whole, ``decimal.Decimal`` with
Java's scales where fractions arise, so that every number prints as RCTab prints it.
Complexity: O(G) per round for G distinct ballots, plus one walk per ballot transfer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import Enum

import numpy as np

from voting.exceptions import VotingError
from voting.formats.cvr import UNDECLARED_WRITE_IN
from voting.rctab._java import EXACT, JavaRandom, divide, hash_order, java_key, set_scale
from voting.rctab.ballots import OVERVOTE, BallotGroup, ContestBallots
from voting.rctab.config import ContestConfig, OvervoteRule, TiebreakMode, WinnerMode

__all__ = [
    "RoundResult",
    "Status",
    "Tabulation",
    "TabulationError",
    "TieBreakCallback",
    "run_tabulation",
    "walk",
]

Number = int | Decimal
TieBreakCallback = Callable[[list[str], int, bool], str]
"""``callback(tied_candidates, round, selecting_winner) -> chosen candidate`` for the
interactive tie-break modes (RCTab's ``stopCountingAndAsk``)."""


class TabulationError(VotingError, RuntimeError):
    """The count cannot go on (RCTab aborts the same contests): the message says why."""


class Status(Enum):
    """A ballot's state in a round; the value is RCTab's report key."""

    ACTIVE = "active"
    DID_NOT_RANK_ANY_CANDIDATES = "didNotRankAnyCandidates"
    EXHAUSTED_CHOICE = "exhaustedChoices"
    OVERVOTE = "overvotes"
    SKIPPED_RANKING = "skippedRankings"
    REPEATED_RANKING = "repeatedRankings"
    FINAL_ROUND_SURPLUS = "finalRoundSurplus"


INACTIVE = (
    Status.DID_NOT_RANK_ANY_CANDIDATES,
    Status.EXHAUSTED_CHOICE,
    Status.OVERVOTE,
    Status.SKIPPED_RANKING,
    Status.REPEATED_RANKING,
)

_STATUSES = list(Status)  # index 0 is ACTIVE

UNCOUNTED = "uncounted"
EXHAUSTED = "exhausted"
RESIDUAL = "residual surplus"


@dataclass
class RoundResult:
    """One round: tallies by candidate name, ballots by status, the threshold."""

    number: int
    tally: dict[str, Number]
    statuses: dict[Status, Number]
    threshold: Decimal | int = 0
    locked_in: Number = 0

    @property
    def active(self) -> Number:
        """RCTab's ``activeBallotSum``: active ballots plus final-round surplus."""
        return self.statuses[Status.ACTIVE] + self.statuses[Status.FINAL_ROUND_SURPLUS]

    @property
    def inactive(self) -> Number:
        total: Number = 0
        for s in INACTIVE:
            total = total + self.statuses[s]
        return total


@dataclass
class Decision:
    candidate: str
    elected: bool
    tie_broken: bool


@dataclass
class SliceCounts:
    """Tallies, statuses and transfers of the ballots of one precinct or batch."""

    rounds: list[RoundResult] = field(default_factory=list)
    transfers: dict[int, dict[str, dict[str, Number]]] = field(default_factory=dict)


Snapshot = tuple[tuple[int, Number], ...]
"""Where a ballot counts after a move: ``(candidate index, value)`` pairs, the winners that
keep part of it first, then its new candidate (none when it became inactive)."""


@dataclass
class Tabulation:
    """Everything a count produced: what the reports print.

    ``snapshots`` (kept when the count is asked to, for the CDF cast vote record file) has,
    for each ballot group of ``ballots``, the ``(round, snapshot)`` of every round in which
    the ballot moved (RCTab logs a snapshot exactly then); a round without an entry repeats
    the one before.
    """

    config: ContestConfig
    number_of_winners: int
    rounds: list[RoundResult]
    transfers: dict[int, dict[str, dict[str, Number]]]
    decisions: dict[int, list[Decision]]
    residual: list[Number]
    winners: list[str]
    sequence: int | None = None
    slices: dict[str, dict[str, SliceCounts]] = field(default_factory=dict)
    num_candidates: int = 0
    ballots: ContestBallots | None = None
    snapshots: list[list[tuple[int, Snapshot]]] | None = None

    def decisions_of(self, round_number: int, elected: bool) -> list[Decision]:
        """RCTab's order: by candidate name."""
        found = [d for d in self.decisions.get(round_number, []) if d.elected == elected]
        return sorted(found, key=lambda d: java_key(d.candidate))

    @property
    def any_tie_broken(self) -> bool:
        return any(d.tie_broken for ds in self.decisions.values() for d in ds)


def _add(table: dict[str, Number], key: str, value: Number) -> None:
    table[key] = table.get(key, 0) + value


# ------------------------------------------------------------------------ walking
def walk(
    group: BallotGroup,
    continuing: Sequence[bool],
    token_candidate: Sequence[int],
    token_is_alias: Sequence[bool],
    *,
    overvote_rule: OvervoteRule,
    max_skipped: int | None,
    exhaust_on_duplicate: bool,
    final_round_surplus: bool,
) -> tuple[int, Status]:
    """Where a ballot goes when walked from its first ranking: ``(candidate, ACTIVE)``, or
    ``(-1, status)`` when it becomes inactive (RCTab's per-ballot rules, in its order)."""
    positions = group.positions
    max_rank = positions[-1][0]
    last = 0
    seen: set[int] = set()
    for rank, tokens in positions:
        if final_round_surplus:
            return -1, Status.FINAL_ROUND_SURPLUS
        if max_skipped is not None and rank - last > max_skipped + 1:
            return -1, Status.SKIPPED_RANKING
        last = rank
        if exhaust_on_duplicate:
            for t in tokens:
                if t in seen:
                    return -1, Status.REPEATED_RANKING
                seen.add(t)
        explicit = any(token_candidate[t] == OVERVOTE for t in tokens)
        if explicit or len(tokens) > 1:
            if explicit and len(tokens) != 1:
                raise TabulationError(
                    "a ranking holds the explicit overvote label together with candidates"
                )
            if overvote_rule == OvervoteRule.EXHAUST_IMMEDIATELY:
                return -1, Status.OVERVOTE
            if overvote_rule == OvervoteRule.ALWAYS_SKIP_TO_NEXT_RANK or explicit:
                if explicit and overvote_rule != OvervoteRule.ALWAYS_SKIP_TO_NEXT_RANK:
                    raise TabulationError(
                        "the explicit overvote label needs overvoteRule exhaustImmediately or "
                        "alwaysSkipToNextRank"
                    )
                if rank == max_rank:
                    return -1, Status.EXHAUSTED_CHOICE
                continue
            # exhaust if more than one (raw) candidate of the overvote continues
            live = 0
            for t in tokens:
                if token_is_alias[t] or continuing[token_candidate[t]]:
                    live += 1
            if live > 1:
                return -1, Status.OVERVOTE
        for t in tokens:
            c = token_candidate[t]
            if continuing[c]:
                return c, Status.ACTIVE
        if rank == max_rank:
            return -1, Status.EXHAUSTED_CHOICE
    raise AssertionError("unreachable: the last ranking always decides")  # pragma: no cover


# ------------------------------------------------------------------------ tie-breaks
class _TieBreaker:
    def __init__(
        self,
        mode: TiebreakMode,
        random: JavaRandom | None,
        permutation: list[str],
        callback: TieBreakCallback | None,
    ) -> None:
        self.mode = mode
        self.random = random
        self.permutation = permutation
        self.callback = callback

    def _random(self, tied: list[str]) -> str:
        assert self.random is not None
        return tied[int(self.random.next_double() * len(tied))]

    def _ask(self, tied: list[str], round_number: int, winner: bool) -> str:
        if self.callback is None:
            raise TabulationError(
                f"tie in round {round_number} between {', '.join(map(repr, tied))} needs a "
                "decision (tiebreakMode asks the operator): pass tiebreak=callback"
            )
        choice = self.callback(list(tied), round_number, winner)
        if choice not in tied:
            raise TabulationError(f"tie-break callback chose {choice!r}, not one of {tied}")
        return choice

    def select(
        self, tied: list[str], round_number: int, winner: bool, history: list[RoundResult]
    ) -> str:
        tied = sorted(tied, key=java_key)
        mode = self.mode
        if mode == TiebreakMode.INTERACTIVE:
            return self._ask(tied, round_number, winner)
        if mode == TiebreakMode.RANDOM:
            return self._random(tied)
        if mode in (TiebreakMode.GENERATE_PERMUTATION, TiebreakMode.USE_CANDIDATE_ORDER):
            order = self.permutation if winner else self.permutation[::-1]
            tied_set = set(tied)
            found = next((c for c in order if c in tied_set), None)
            if found is None:
                raise TabulationError(
                    f"tie among {tied} in round {round_number}: none of them is in the "
                    "tie-breaking permutation"
                )
            return found
        contention = tied
        for previous in range(round_number - 1, 0, -1):
            tally = history[previous - 1].tally
            members = hash_order(contention, presized=True)
            values = [tally[c] for c in members]
            best = max(values) if winner else min(values)
            contention = [c for c, v in zip(members, values, strict=True) if v == best]
            if len(contention) == 1:
                return contention[0]
        if mode == TiebreakMode.PREVIOUS_ROUND_COUNTS_THEN_INTERACTIVE:
            return self._ask(contention, round_number, winner)
        return self._random(contention)


# ------------------------------------------------------------------------ the count
class _Count:
    def __init__(
        self,
        config: ContestConfig,
        ballots: ContestBallots,
        number_of_winners: int,
        excluded: frozenset[str],
        callback: TieBreakCallback | None,
        reference: bool = False,
        snapshots: bool = False,
    ) -> None:
        self.reference = reference
        self.config = config
        self.rules = config.rules
        self.ballots = ballots
        self.names = config.candidate_names
        self.n_winners = number_of_winners
        self.excluded = excluded
        self.uses_surpluses = (
            number_of_winners > 1 and self.rules.winner_mode != WinnerMode.BOTTOMS_UP
        )
        self.single_threshold_mode = self.rules.winner_mode == WinnerMode.BOTTOMS_UP_PERCENTAGE
        self.num_candidates = len(self.names) - len(excluded)
        self.winner_round: dict[str, int] = {}
        self.eliminated_round: dict[str, int] = {}
        self.rounds: list[RoundResult] = []
        self.transfers: dict[int, dict[str, dict[str, Number]]] = {}
        self.decisions: dict[int, list[Decision]] = {}
        self.residual: list[Number] = []
        n = len(ballots.groups)
        self.recipient = [-1] * n
        self.status = [Status.ACTIVE] * n
        self.allocations: list[dict[int, Decimal]] | None = (
            [{} for _ in range(n)] if self.uses_surpluses else None
        )
        self.fast = self.allocations is None
        self.snapshots: list[list[tuple[int, Snapshot]]] | None = (
            [[] for _ in range(n)] if snapshots else None
        )
        if self.fast:  # every ballot counts whole: numpy integer tallies
            self.w_arr = np.array([g.weight for g in ballots.groups], dtype=np.int64)
            self.rec_arr = np.full(n, -1, dtype=np.int64)
            self.st_arr = np.zeros(n, dtype=np.int64)
        rules = self.rules
        permutation = [c.name for c in config.candidates]
        random = None
        if rules.tiebreak_mode in (
            TiebreakMode.RANDOM,
            TiebreakMode.PREVIOUS_ROUND_COUNTS_THEN_RANDOM,
            TiebreakMode.GENERATE_PERMUTATION,
        ):
            random = JavaRandom(rules.random_seed or 0)
            if rules.tiebreak_mode == TiebreakMode.GENERATE_PERMUTATION:
                permutation.sort(key=java_key)
                random.shuffle(permutation)
        self.permutation = permutation
        self.tiebreak = _TieBreaker(rules.tiebreak_mode, random, permutation, callback)
        self.slice_kinds = [
            k
            for k, on in (
                ("precinct", config.tabulate_by_precinct),
                ("batch", config.tabulate_by_batch),
            )
            if on
        ]
        self.slices: dict[str, dict[str, SliceCounts]] = {}
        for kind in self.slice_kinds:
            labels = ballots.precincts if kind == "precinct" else ballots.batches
            codes = {g.precinct if kind == "precinct" else g.batch for g in ballots.groups}
            if not labels or codes == {-1}:
                raise TabulationError(
                    f'"tabulate by {kind}" is enabled, but the cast vote records list no {kind}s'
                )
            if -1 in codes:
                raise TabulationError(
                    f'"tabulate by {kind}" is enabled, but some cast vote records name no {kind}'
                )
            self.slices[kind] = {labels[c]: SliceCounts() for c in sorted(codes)}

    # -- statuses
    def status_of(self, name: str) -> str:
        if name in self.excluded:
            return "excluded"
        if name in self.winner_round:
            return "winner"
        if name in self.eliminated_round:
            return "eliminated"
        return "continuing"

    def continuing(self, name: str) -> bool:
        s = self.status_of(name)
        return s == "continuing" or (s == "winner" and self.rules.continue_until_two)

    # -- one round's tallies
    def _value(self, g: int) -> Number:
        if self.allocations is None:
            return 1
        value: Number = 1
        for v in self.allocations[g].values():
            value = value - v
        return value

    def _snapshot(self, number: int, g: int, target: int) -> None:
        """Log where ballot group ``g`` counts after its move in round ``number`` (RCTab's
        ``logCdfSnapshotData``: the winners keeping part of it, then its new candidate)."""
        assert self.snapshots is not None
        kept = tuple(self.allocations[g].items()) if self.allocations is not None else ()
        moved = ((target, self._value(g)),) if target >= 0 else ()
        self.snapshots[g].append((number, kept + moved))

    def _slice_labels(self, group: BallotGroup) -> list[tuple[str, str]]:
        out = []
        for kind in self.slice_kinds:
            code = group.precinct if kind == "precinct" else group.batch
            labels = self.ballots.precincts if kind == "precinct" else self.ballots.batches
            out.append((kind, labels[code]))
        return out

    def destination(
        self, group: BallotGroup, cont: list[bool], final_surplus: bool
    ) -> tuple[int, Status]:
        """Where a ballot whose candidate left goes (:func:`walk` under the contest's rules)."""
        if not group.positions:
            return -1, Status.DID_NOT_RANK_ANY_CANDIDATES
        rules = self.rules
        return walk(
            group,
            cont,
            self.ballots.token_candidate,
            self.ballots.token_is_alias,
            overvote_rule=rules.overvote_rule,
            max_skipped=rules.max_skipped_ranks,
            exhaust_on_duplicate=rules.exhaust_on_duplicate,
            final_round_surplus=final_surplus,
        )

    def _walk_pending(self, number: int, cont: list[bool]) -> tuple[np.ndarray, np.ndarray]:
        """Walk every active ballot whose candidate no longer continues (fast path);
        return the walked groups and where they came from."""
        rec, st = self.rec_arr, self.st_arr
        cont_arr = np.array(cont, dtype=bool)
        ok = (st == 0) & (rec >= 0)
        ok[ok] = cont_arr[rec[ok]]
        todo = np.flatnonzero((st == 0) & ~ok)
        came_from = rec[todo].copy()
        groups = self.ballots.groups
        index = {s: i for i, s in enumerate(_STATUSES)}
        snapshots = self.snapshots
        for g in todo.tolist():
            target, status = self.destination(groups[g], cont, False)
            rec[g] = target
            if target < 0:
                st[g] = index[status]
            if snapshots is not None:
                snapshots[g].append((number, ((target, 1),) if target >= 0 else ()))
        return todo, came_from

    def _transfers_from(
        self, todo: np.ndarray, came_from: np.ndarray, codes: np.ndarray | None, n_codes: int
    ) -> list[dict[str, dict[str, Number]]]:
        nc = len(self.names)
        src = np.where(came_from >= 0, came_from, nc + 1)
        dst = self.rec_arr[todo]
        dst = np.where(dst >= 0, dst, nc)
        cell = (
            (src * (nc + 2) + dst)
            if codes is None
            else ((codes[todo] * (nc + 2) + src) * (nc + 2) + dst)
        )
        size = (nc + 2) * (nc + 2) * (1 if codes is None else n_codes)
        sums = np.bincount(cell, weights=self.w_arr[todo], minlength=size).astype(np.int64)
        labels = [*self.names, EXHAUSTED, UNCOUNTED]
        out: list[dict[str, dict[str, Number]]] = [
            {} for _ in range(1 if codes is None else n_codes)
        ]
        for flat in np.flatnonzero(sums).tolist():
            part, rest = divmod(flat, (nc + 2) * (nc + 2))
            a, b = divmod(rest, nc + 2)
            out[part].setdefault(labels[a], {})[labels[b]] = int(sums[flat])
        return out

    def _slice_codes(self, kind: str) -> np.ndarray:
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_codes", {})
        if kind not in cache:
            attr = "precinct" if kind == "precinct" else "batch"
            cache[kind] = np.array([getattr(g, attr) for g in self.ballots.groups], dtype=np.int64)
        return cache[kind]

    def _compute_round_fast(self, number: int) -> RoundResult:
        names = self.names
        nc = len(names)
        cont = [self.continuing(n) for n in names]
        todo, came_from = self._walk_pending(number, cont)
        rec, st, w = self.rec_arr, self.st_arr, self.w_arr
        if int(w.sum()) >= 2**53:  # float64 bincount sums stay exact below 2**53
            raise TabulationError("more than 2**53 ballots")
        self.transfers[number] = self._transfers_from(todo, came_from, None, 1)[0]
        active = st == 0
        totals = np.bincount(rec[active], weights=w[active], minlength=nc).astype(np.int64).tolist()
        counts = np.bincount(st, weights=w, minlength=len(_STATUSES)).astype(np.int64).tolist()
        tally: dict[str, Number] = {n: totals[i] for i, n in enumerate(names) if cont[i]}
        statuses: dict[Status, Number] = {s: counts[i] for i, s in enumerate(_STATUSES)}
        for kind, table in self.slices.items():
            labels = self.ballots.precincts if kind == "precinct" else self.ballots.batches
            codes = self._slice_codes(kind)
            k = len(labels)
            tally_sums = np.bincount(
                codes[active] * nc + rec[active], weights=w[active], minlength=k * nc
            )
            per_tally = tally_sums.astype(np.int64).reshape(k, nc).tolist()
            status_sums = np.bincount(
                codes * len(_STATUSES) + st, weights=w, minlength=k * len(_STATUSES)
            )
            per_status = status_sums.astype(np.int64).reshape(k, len(_STATUSES)).tolist()
            per_transfers = self._transfers_from(todo, came_from, codes, k)
            for code, label in enumerate(labels):
                if label not in table:
                    continue
                sc = table[label]
                sc.rounds.append(
                    RoundResult(
                        number,
                        {n: per_tally[code][i] for i, n in enumerate(names) if cont[i]},
                        {s: per_status[code][i] for i, s in enumerate(_STATUSES)},
                    )
                )
                if per_transfers[code]:
                    sc.transfers[number] = per_transfers[code]
        return RoundResult(number, tally, statuses)

    def compute_round(self, number: int) -> RoundResult:
        if self.fast and not self.reference:
            return self._compute_round_fast(number)
        names = self.names
        cont = [self.continuing(n) for n in names]
        tally: dict[str, Number] = {n: 0 for n, c in zip(names, cont, strict=True) if c}
        statuses: dict[Status, Number] = dict.fromkeys(Status, 0)
        slice_rounds: dict[tuple[str, str], RoundResult] = {}
        for kind, table in self.slices.items():
            for label in table:
                slice_rounds[(kind, label)] = RoundResult(
                    number, dict(tally), dict.fromkeys(Status, 0)
                )
        transfers = self.transfers.setdefault(number, {})
        final_surplus = self.uses_surpluses and len(self.winner_round) == self.n_winners
        groups = self.ballots.groups
        weighted = self.allocations is not None
        for g, group in enumerate(groups):
            w = group.weight
            amount: Number = w * self._value(g) if weighted else w
            slabels = self._slice_labels(group) if self.slices else ()
            status = self.status[g]
            if status != Status.ACTIVE:
                _credit_status(statuses, slice_rounds, slabels, status, amount)
                continue
            current = self.recipient[g]
            if current >= 0 and cont[current]:
                _credit_candidate(tally, statuses, slice_rounds, slabels, names[current], amount)
                continue
            target, new_status = self.destination(group, cont, final_surplus)
            source = names[current] if current >= 0 else UNCOUNTED
            destination = names[target] if target >= 0 else EXHAUSTED
            if amount > 0:
                _add(transfers.setdefault(source, {}), destination, amount)
                for kind, label in slabels:
                    per = self.slices[kind][label].transfers.setdefault(number, {})
                    _add(per.setdefault(source, {}), destination, amount)
            self.recipient[g] = target
            if self.snapshots is not None:
                self._snapshot(number, g, target)
            if target < 0:
                self.status[g] = new_status
                _credit_status(statuses, slice_rounds, slabels, new_status, amount)
            else:
                _credit_candidate(tally, statuses, slice_rounds, slabels, names[target], amount)
        for (kind, label), sr in slice_rounds.items():
            self.slices[kind][label].rounds.append(sr)
        return RoundResult(number, tally, statuses)

    # -- thresholds
    def threshold(self, result: RoundResult) -> Decimal | int:
        rules = self.rules
        votes = result.active
        if self.single_threshold_mode:
            assert rules.bottoms_up_percentage is not None
            return votes * rules.bottoms_up_percentage
        divisor = self.n_winners if rules.hare_quota else self.n_winners + 1
        decimals = rules.decimal_places if rules.non_integer_threshold else 0
        if rules.hare_quota:
            value = divide(votes, divisor, decimals, "up")
        else:
            value = divide(votes, divisor, decimals, "down") + Decimal(f"1E-{decimals}")
        if rules.minimum_vote_threshold > 0 and rules.minimum_vote_threshold > value:
            value = rules.minimum_vote_threshold
        return value

    def should_recompute_threshold(self, number: int) -> bool:
        rules = self.rules
        if self.n_winners > 1:
            return number == 1
        if number == 1:
            return True
        if rules.first_round_determines_threshold:
            return False
        if rules.continue_until_two:
            return not self.winner_round
        return True

    def should_continue(self, number: int) -> bool:
        rules = self.rules
        n_elim = len(self.eliminated_round)
        n_won = len(self.winner_round)
        if rules.stop_after_round is not None and number >= rules.stop_after_round:
            return False
        if n_won == self.config.num_declared_candidates and self.n_winners > self.num_candidates:
            return False
        if rules.continue_until_two:
            return (
                n_elim + n_won + 1 < self.num_candidates or number in self.eliminated_round.values()
            )
        if self.single_threshold_mode:
            return n_won == 0
        return n_won < self.n_winners or (
            self.uses_surpluses and number in self.winner_round.values()
        )

    # -- decisions
    @staticmethod
    def _by_tally(tally: dict[str, Number]) -> list[tuple[Number, list[str]]]:
        """RCTab's tally -> candidates map, ascending; candidates in hash-map order."""
        buckets: dict[Number, list[str]] = {}
        for name in hash_order(tally):
            buckets.setdefault(tally[name], []).append(name)
        return sorted(buckets.items(), key=lambda kv: kv[0])

    def identify_winners(
        self, result: RoundResult, by_tally: list[tuple[Number, list[str]]]
    ) -> list[Decision]:
        rules = self.rules
        tally = result.tally
        if tally.get(UNDECLARED_WRITE_IN, 0) != 0:
            return []
        selected: list[str] = []
        unfilled = self.n_winners - len(self.winner_round)
        if self.single_threshold_mode:
            over = [c for c in tally if tally[c] > result.threshold]
            if len(over) == len(tally):
                selected = list(tally)
        else:
            if unfilled > 0:
                if len(tally) <= unfilled:
                    selected = list(tally)
                elif rules.first_round_determines_threshold and len(tally) - 1 == self.n_winners:
                    selected = list(by_tally[-1][1])
                elif rules.winner_mode != WinnerMode.BOTTOMS_UP:
                    for value, members in by_tally:
                        if value >= result.threshold:
                            selected.extend(c for c in members if c != UNDECLARED_WRITE_IN)
            multiple = len(selected) > 1 and (
                rules.winner_mode == WinnerMode.MULTI_WINNER_ONE_PER_ROUND
                or rules.first_round_determines_threshold
            )
            none_of_two = (
                self.n_winners == 1
                and not selected
                and len(tally) == 2
                and unfilled == 1
                and all(v >= rules.minimum_vote_threshold for v, _ in by_tally)
            )
            if multiple or none_of_two:
                top = list(by_tally[-1][1])
                if len(top) > 1:
                    chosen = self.tiebreak.select(top, result.number, True, self.rounds)
                    return [Decision(chosen, True, True)]
                selected = top
        return [Decision(c, True, False) for c in selected]

    def eliminate(
        self, result: RoundResult, by_tally: list[tuple[Number, list[str]]]
    ) -> list[Decision]:
        rules = self.rules
        tally = result.tally
        if tally.get(UNDECLARED_WRITE_IN, 0) > 0:
            return [Decision(UNDECLARED_WRITE_IN, False, False)]
        minimum = rules.minimum_vote_threshold
        if minimum > 0 and by_tally[0][0] < minimum:
            below = [c for v, ms in by_tally if v < minimum for c in ms]
            if len(below) == self.config.num_declared_candidates:
                raise TabulationError(
                    "every declared candidate is below the minimum vote threshold "
                    f"({minimum}); the count cannot proceed"
                )
            return [Decision(c, False, False) for c in below]
        if rules.cutoff_elimination:
            cut = [c for c in hash_order(tally) if tally[c] < result.threshold]
            if cut:
                return [Decision(c, False, False) for c in cut]
        if rules.batch_elimination:
            batch = self._batch(by_tally)
            if len(batch) > 1:
                return [Decision(c, False, False) for c in batch]
        members = by_tally[0][1]
        if len(members) > 1:
            chosen = self.tiebreak.select(list(members), result.number, False, self.rounds)
            return [Decision(chosen, False, True)]
        return [Decision(members[0], False, False)]

    def _batch(self, by_tally: list[tuple[Number, list[str]]]) -> list[str]:
        running: Number = 0
        seen: list[str] = []
        done: set[str] = set()
        eliminations: list[str] = []
        previous: list[str] = []
        for value, members in by_tally:
            new = list(eliminations)
            if running < value:
                for c in seen:
                    if c not in done:
                        done.add(c)
                        new.append(c)
            running = running + self._multiply(value, len(members))
            seen.extend(members)
            if len(new) > len(eliminations):
                previous, eliminations = eliminations, new
        if (
            self.rules.continue_until_two
            and len(eliminations) + len(self.eliminated_round) == self.num_candidates - 1
        ):
            eliminations = previous
        return eliminations

    def _multiply(self, value: Number, count: int) -> Number:
        if isinstance(value, int):
            return set_scale(value * count, self.rules.decimal_places)
        return set_scale(value * count, self.rules.decimal_places)

    # -- surpluses
    def transfer_surplus(self, result: RoundResult, winner: str) -> None:
        assert self.allocations is not None
        votes = result.tally[winner]
        extra = votes - result.threshold
        d = self.rules.decimal_places
        fraction: Number = divide(extra, votes, d, "down") if extra > 0 else 0
        w = self.names.index(winner)
        for g in range(len(self.ballots.groups)):
            if self.recipient[g] == w and self.status[g] == Status.ACTIVE:
                value = self._value(g)
                moved = set_scale(value * fraction, d)
                self.allocations[g][w] = value - moved

    def update_winner_tallies(self, number: int) -> None:
        result = self.rounds[number - 1]
        previous = self.rounds[number - 2] if number >= 2 else None
        to_process = [w for w, r in self.winner_round.items() if r != number]
        fresh = {w for w, r in self.winner_round.items() if r == number - 1}
        idx = {name: i for i, name in enumerate(self.names)}

        def set_tally(target: RoundResult, name: str, value: Number) -> None:
            diff = value - target.tally.get(name, 0)
            target.tally[name] = value
            target.locked_in = target.locked_in + diff

        slice_results = [
            (sc.rounds[number - 1], sc.rounds[number - 2] if number >= 2 else None, kind, label)
            for kind, table in self.slices.items()
            for label, sc in table.items()
        ]
        for w in to_process:
            set_tally(result, w, 0 if w in fresh else previous.tally[w] if previous else 0)
            for sr, sprev, _, _ in slice_results:
                set_tally(sr, w, 0 if w in fresh else sprev.tally[w] if sprev else 0)
        if not fresh:
            return
        assert self.allocations is not None
        for g, alloc in enumerate(self.allocations):
            group = self.ballots.groups[g]
            for cand, value in alloc.items():
                name = self.names[cand]
                if name not in fresh:
                    continue
                amount = group.weight * value
                set_tally(result, name, result.tally[name] + amount)
                if self.slices:
                    for kind, label in self._slice_labels(group):
                        sr = self.slices[kind][label].rounds[number - 1]
                        set_tally(sr, name, sr.tally[name] + amount)
        for w in sorted(fresh, key=lambda n: idx[n]):
            residual = result.tally[w] - result.threshold
            if residual > 0:
                self.residual[number - 1] = self.residual[number - 1] + residual
                set_tally(result, w, result.threshold)
                _add(self.transfers.setdefault(number, {}).setdefault(w, {}), RESIDUAL, residual)

    # -- the loop
    def run(self) -> list[str]:
        number = 0
        while self.should_continue(number):
            number += 1
            result = self.compute_round(number)
            self.rounds.append(result)
            self.residual.append(0 if number == 1 else self.residual[-1])
            if self.should_recompute_threshold(number):
                result.threshold = self.threshold(result)
            else:
                result.threshold = self.rounds[number - 2].threshold
            for table in self.slices.values():
                for sc in table.values():
                    sc.rounds[number - 1].threshold = result.threshold
            by_tally = self._by_tally(result.tally)
            winners = self.identify_winners(result, by_tally)
            if winners:
                for d in winners:
                    self.winner_round[d.candidate] = number
                self.decisions.setdefault(number, []).extend(winners)
                if self.uses_surpluses:
                    for d in winners:
                        self.transfer_surplus(result, d.candidate)
            elif (
                len(self.winner_round) < self.n_winners
                or (
                    self.rules.continue_until_two
                    and len(self.eliminated_round) < self.num_candidates - 2
                )
                or self.single_threshold_mode
            ):
                losers = self.eliminate(result, by_tally)
                if not losers:
                    raise TabulationError(f"no candidate could be eliminated in round {number}")
                for d in losers:
                    self.eliminated_round[d.candidate] = number
                self.decisions.setdefault(number, []).extend(losers)
            if self.n_winners > 1:
                self.update_winner_tallies(number)
        return list(self.winner_round)


def run_tabulation(
    config: ContestConfig,
    ballots: ContestBallots,
    *,
    number_of_winners: int | None = None,
    excluded: frozenset[str] | None = None,
    sequence: int | None = None,
    tiebreak: TieBreakCallback | None = None,
    reference: bool = False,
    snapshots: bool = False,
) -> Tabulation:
    """Count one pass of a contest (every round), as RCTab does.

    ``number_of_winners`` and ``excluded`` override the configuration's (multi-pass IRV
    counts one seat at a time, excluding the earlier winners). ``reference=True`` counts
    every round ballot by ballot in plain Python (the slow, obviously-correct path the
    vectorised integer path is tested against). ``snapshots=True`` keeps where each ballot
    counts round by round (:attr:`Tabulation.snapshots`, for :mod:`voting.rctab.cdf`).
    """
    n = config.rules.number_of_winners if number_of_winners is None else number_of_winners
    count = _Count(
        config,
        ballots,
        n,
        config.excluded if excluded is None else excluded,
        tiebreak,
        reference,
        snapshots,
    )
    with localcontext(EXACT):
        winners = count.run()
    return Tabulation(
        config=config,
        number_of_winners=n,
        rounds=count.rounds,
        transfers=count.transfers,
        decisions=count.decisions,
        residual=count.residual,
        winners=winners,
        sequence=sequence,
        slices=count.slices,
        num_candidates=count.num_candidates,
        ballots=ballots,
        snapshots=count.snapshots,
    )


def _credit_status(
    statuses: dict[Status, Number],
    slice_rounds: dict[tuple[str, str], RoundResult],
    slabels: Iterable[tuple[str, str]],
    status: Status,
    amount: Number,
) -> None:
    """Count ``amount`` of inactive ballots under ``status``, overall and in each slice."""
    statuses[status] += amount
    for key in slabels:
        slice_rounds[key].statuses[status] += amount


def _credit_candidate(
    tally: dict[str, Number],
    statuses: dict[Status, Number],
    slice_rounds: dict[tuple[str, str], RoundResult],
    slabels: Iterable[tuple[str, str]],
    name: str,
    amount: Number,
) -> None:
    """Count ``amount`` of active ballots for ``name``, overall and in each slice."""
    tally[name] += amount
    statuses[Status.ACTIVE] += amount
    for key in slabels:
        sr = slice_rounds[key]
        sr.tally[name] += amount
        sr.statuses[Status.ACTIVE] += amount

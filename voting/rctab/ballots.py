"""The ballots of one contest, as the tabulator walks them: identical records merged.

:func:`contest_ballots` resolves each record's marks against the contest's candidates
(names, aliases and codes; undeclared write-ins; explicit overvotes), refuses records that
RCTab refuses (an unknown candidate, a ranking beyond ``maxRankingsAllowed``), and merges
records with the same marks and the same precinct and batch into one :class:`BallotGroup`
with a weight, so that each round costs one pass over the distinct ballots.

A group keeps its marks position by position, as RCTab's ``CandidateRankingsList`` does:
``positions`` is a tuple of ``(rank, tokens)`` for each ranking that has marks, where a
token is the index of a distinct mark text; ``token_candidate`` maps a token to its
candidate index (:data:`OVERVOTE` for the explicit overvote mark), and ``token_is_alias``
tells whether the text was an alias rather than the candidate's name (RCTab compares the
raw text when it looks for repeated rankings and continuing candidates in an overvote).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from voting._distinct import group_rows, unique_rows
from voting.exceptions import InvalidParameterError, VotingError
from voting.formats.cvr import CastVoteRecords, MarkKind
from voting.rctab.config import ContestConfig

__all__ = [
    "OVERVOTE",
    "BallotGroup",
    "ContestBallots",
    "UnknownCandidatesError",
    "contest_ballots",
    "record_groups",
]

OVERVOTE = -1


class UnknownCandidatesError(VotingError, ValueError):
    """The records do not fit the configuration: candidates it does not name, or rankings
    beyond ``maxRankingsAllowed`` (RCTab refuses to count such a contest)."""


@dataclass(frozen=True, slots=True)
class BallotGroup:
    """Identical records: ``weight`` of them, with marks ``positions``."""

    positions: tuple[tuple[int, tuple[int, ...]], ...]
    weight: int
    precinct: int
    batch: int
    first: int  # index of the first of these records

    @property
    def max_rank(self) -> int:
        return self.positions[-1][0] if self.positions else 0


@dataclass(frozen=True)
class ContestBallots:
    """Merged ballots of a contest with the maps the rules need."""

    groups: list[BallotGroup]
    token_candidate: tuple[int, ...]
    token_is_alias: tuple[bool, ...]
    precincts: tuple[str, ...]
    batches: tuple[str, ...]
    num_records: int


def _resolve(
    cvrs: CastVoteRecords, config: ContestConfig
) -> tuple[list[int], list[bool], Counter[str]]:
    index = {name: i for i, name in enumerate(config.candidate_names)}
    cand: list[int] = []
    alias: list[bool] = []
    unknown: Counter[str] = Counter()
    for text, kind in zip(cvrs.tokens, cvrs.token_kinds.tolist(), strict=True):
        if kind == MarkKind.OVERVOTE:
            cand.append(OVERVOTE)
            alias.append(False)
            continue
        name = config.aliases.get(text)
        if name is None:
            cand.append(-2)
            alias.append(False)
            unknown[text] = 0
            continue
        cand.append(index[name])
        alias.append(text != name)
    return cand, alias, unknown


def _rows(cvrs: CastVoteRecords) -> np.ndarray:
    """One fixed-width integer row per record: its (rank, mark) codes, then its precinct
    and batch; equal rows are identical records. O(N·K)."""
    n = len(cvrs)
    lens = np.diff(cvrs.offsets)
    width = int(lens.max()) if n else 0
    codes = cvrs.ranks.astype(np.int64) * (len(cvrs.tokens) + 1) + cvrs.marks + 1
    dtype = np.int32 if codes.size == 0 or codes.max() < 2**31 else np.int64
    rows = np.zeros((n, width + 2), dtype=dtype)
    if codes.size:
        owner = np.repeat(np.arange(n), lens)
        column = np.arange(codes.size) - cvrs.offsets[owner]
        rows[owner, column] = codes
    rows[:, width] = cvrs.precinct
    rows[:, width + 1] = cvrs.batch
    return rows


def _group(cvrs: CastVoteRecords) -> tuple[np.ndarray, np.ndarray]:
    """First record and size of each group of identical records (marks, precinct, batch),
    groups in order of first appearance: fixed-width rows grouped by the library's one
    deduplication (:func:`voting._distinct.group_rows`), O(N·K) expected."""
    n = len(cvrs)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return group_rows(_rows(cvrs), np.ones(n, dtype=np.int64))


def record_groups(cvrs: CastVoteRecords, ballots: ContestBallots) -> np.ndarray:
    """The index in ``ballots.groups`` of each record of ``cvrs`` (the records the groups
    were made from). O(N·K log N): the rows sorted once."""
    n = len(cvrs)
    if n != ballots.num_records:
        raise InvalidParameterError(
            f"{n} cast vote records, but the ballots were made from {ballots.num_records}: "
            "pass the records the count was made from"
        )
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    _, inverse, first = unique_rows(_rows(cvrs))
    position = np.full(n, -1, dtype=np.int64)
    position[[g.first for g in ballots.groups]] = np.arange(len(ballots.groups))
    out = position[first[inverse]]
    if (out < 0).any():
        raise InvalidParameterError(
            "the ballots were not made from these cast vote records: pass the records the "
            "count was made from"
        )
    return out


def contest_ballots(cvrs: CastVoteRecords, config: ContestConfig) -> ContestBallots:
    """Resolve and merge the records of a contest.

    Raises
    ------
    UnknownCandidatesError
        Marks for candidates the configuration does not name (with counts), or a ranking
        beyond ``maxRankingsAllowed``; the message says which.
    """
    cand, alias, unknown = _resolve(cvrs, config)
    marks = cvrs.marks
    if unknown:
        bad = np.array([c == -2 for c in cand], dtype=bool)
        counts: list[int] = (
            np.bincount(marks[bad[marks]], minlength=len(cand)).tolist()
            if len(marks)
            else [0] * len(cand)
        )
        found = {cvrs.tokens[t]: int(counts[t]) for t in range(len(cand)) if bad[t] and counts[t]}
        if found:
            listed = ", ".join(f"{k!r} ({v} time{'s' if v != 1 else ''})" for k, v in found.items())
            raise UnknownCandidatesError(
                f"the cast vote records name candidates the configuration does not: {listed}; "
                'add them (or aliases) to "candidates", or check the column/row settings'
            )
    max_rank = config.rules.max_rankings  # None ("max"): any ranking is allowed
    offsets = cvrs.offsets
    ranks = cvrs.ranks
    if len(ranks) and max_rank is not None:
        last = ranks[offsets[1:][offsets[1:] > offsets[:-1]] - 1]
        if last.size and int(last.max()) > max_rank:
            i = int(np.flatnonzero(offsets[1:] > offsets[:-1])[int(np.argmax(last > max_rank))])
            raise UnknownCandidatesError(
                f"cast vote record {cvrs.ids[i]!r} has a ranking {int(ranks[offsets[i + 1] - 1])}, "
                f"but the contest allows at most {max_rank} (maxRankingsAllowed)"
            )
    first, weights = _group(cvrs)
    rk = ranks.tolist()
    mk = marks.tolist()
    off = offsets.tolist()
    precinct = cvrs.precinct
    batch = cvrs.batch
    out: list[BallotGroup] = []
    for i, w in zip(first.tolist(), weights.tolist(), strict=True):
        positions: list[tuple[int, tuple[int, ...]]] = []
        k, hi = off[i], off[i + 1]
        while k < hi:
            j = k
            while j < hi and rk[j] == rk[k]:
                j += 1
            positions.append((rk[k], tuple(mk[k:j])))
            k = j
        out.append(BallotGroup(tuple(positions), w, int(precinct[i]), int(batch[i]), i))
    return ContestBallots(
        groups=out,
        token_candidate=tuple(cand),
        token_is_alias=tuple(alias),
        precincts=cvrs.precincts,
        batches=cvrs.batches,
        num_records=len(cvrs),
    )

"""Cast vote records as marked: :class:`CastVoteRecords`, the ballots of US ranked-choice counts.

A cast vote record (CVR) is what a voting machine saw on one ballot, and it is not yet a
preference order: a ranking position may hold two candidates (an overvote), none (a
skipped ranking), a candidate already ranked higher (a repeated ranking), an undeclared
write-in, or the machine's explicit overvote mark. What each of these means is decided
by the contest's rules (:mod:`voting.rctab`), so a :class:`CastVoteRecords` keeps them
all, as marks: for ballot ``i``, marks ``offsets[i]:offsets[i+1]`` are pairs
``(ranks[m], tokens[marks[m]])``, sorted by ranking position (stably: marks sharing a
position keep the order the file gave them). A position without marks is a skipped
ranking; a position with several marks is an overvote; a token seen twice is a repeated
ranking.

:func:`voting.formats.cvr_profile.cvr_profile` applies a set of ballot rules and builds
the :class:`voting.Profile` the rest of the library counts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "OVERVOTE_LABEL",
    "UNDECLARED_WRITE_IN",
    "CastVoteRecords",
    "CvrBallot",
    "CvrBuilder",
    "MarkKind",
    "ballots_from_positions",
]

UNDECLARED_WRITE_IN = "Undeclared Write-ins"
"""The name every reader gives an undeclared write-in mark (RCTab's label)."""

OVERVOTE_LABEL = "overvote"
"""The name every reader gives a machine's explicit overvote mark (RCTab's label)."""


class MarkKind(IntEnum):
    """What a mark's text is: a candidate (a name, alias or code, resolved by the contest),
    an undeclared write-in, or an explicit overvote."""

    CANDIDATE = 0
    WRITE_IN = 1
    OVERVOTE = 2


@dataclass(frozen=True)
class CvrBallot:
    """One cast vote record, readable: ``positions[k]`` holds the marks at ranking ``k + 1``."""

    id: str
    positions: tuple[tuple[str, ...], ...]
    precinct: str | None = None
    batch: str | None = None


def _column(values: Sequence[str | None]) -> tuple[NDArray[np.int32], tuple[str, ...]]:
    """Codes (``-1`` for none) and categories of a metadata column."""
    index: dict[str, int] = {}
    codes = np.empty(len(values), dtype=np.int32)
    for i, v in enumerate(values):
        codes[i] = -1 if v is None else index.setdefault(v, len(index))
    return codes, tuple(index)


@dataclass(frozen=True, eq=False)
class CastVoteRecords:
    """The cast vote records of one contest, every mark kept.

    Attributes
    ----------
    tokens : tuple of str
        The distinct mark texts (candidate names, aliases or codes as the file spells them;
        :data:`UNDECLARED_WRITE_IN` and :data:`OVERVOTE_LABEL` for those marks).
    token_kinds : ndarray of int8
        The :class:`MarkKind` of each token.
    offsets : ndarray of int64, shape (n + 1,)
        Ballot ``i`` owns marks ``offsets[i]:offsets[i + 1]``.
    ranks : ndarray of int32
        Ranking position (1 = first choice) of each mark, non-decreasing within a ballot.
    marks : ndarray of int32
        Token index of each mark.
    ids : tuple of str
        The identifier of each record (the file's, or one made from file and position).
    precinct, batch : ndarray of int32
        Codes into ``precincts`` / ``batches`` (``-1``: the record names none).
    precincts, batches : tuple of str
        The distinct precinct and batch names, in order of appearance.
    sources : ndarray of int16
        Index into ``source_names`` of the file each record came from.
    source_names : tuple of str
    supplied_ids : tuple of (str or None), optional
        The vendor's own record identifiers, where they differ from ``ids``.
    skipped : dict of str to int
        Records of the files that are not ballots of this contest (say, XML records without
        the contest), counted by reason.
    extra : dict
        Per-record columns some formats carry (``"tabulator"``, ``"precinct_portion"``,
        ``"contest"``), each a tuple of (str or None).
    """

    tokens: tuple[str, ...]
    token_kinds: NDArray[np.int8]
    offsets: NDArray[np.int64]
    ranks: NDArray[np.int32]
    marks: NDArray[np.int32]
    ids: tuple[str, ...]
    precinct: NDArray[np.int32]
    precincts: tuple[str, ...]
    batch: NDArray[np.int32]
    batches: tuple[str, ...]
    sources: NDArray[np.int16]
    source_names: tuple[str, ...]
    supplied_ids: tuple[str | None, ...] | None = None
    extra: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def num_marks(self) -> int:
        """Marks on all records together."""
        return int(self.offsets[-1])

    def ballot(self, i: int) -> CvrBallot:
        """Record ``i`` as a :class:`CvrBallot` (positions up to its last mark)."""
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        top = int(self.ranks[hi - 1]) if hi > lo else 0
        positions: list[list[str]] = [[] for _ in range(top)]
        for m in range(lo, hi):
            positions[int(self.ranks[m]) - 1].append(self.tokens[int(self.marks[m])])
        p, b = int(self.precinct[i]), int(self.batch[i])
        return CvrBallot(
            id=self.ids[i],
            positions=tuple(tuple(x) for x in positions),
            precinct=self.precincts[p] if p >= 0 else None,
            batch=self.batches[b] if b >= 0 else None,
        )

    def precinct_of(self, i: int) -> str | None:
        p = int(self.precinct[i])
        return self.precincts[p] if p >= 0 else None

    def batch_of(self, i: int) -> str | None:
        b = int(self.batch[i])
        return self.batches[b] if b >= 0 else None

    @classmethod
    def concat(cls, parts: Sequence[CastVoteRecords]) -> CastVoteRecords:
        """The records of several sources, in order, as one set (tokens merged by text)."""
        builder = CvrBuilder("")
        for part in parts:
            builder.extend(part)
        return builder.build()


class CvrBuilder:
    """Collects records one at a time (in bounded memory per record) and builds
    :class:`CastVoteRecords`. Readers call :meth:`token` and :meth:`add`."""

    def __init__(self, source: str) -> None:
        self._token_index: dict[tuple[str, int], int] = {}
        self._tokens: list[str] = []
        self._kinds: list[int] = []
        self._offsets = array("q", [0])
        self._ranks = array("i")
        self._marks = array("i")
        self._ids: list[str] = []
        self._supplied: list[str | None] = []
        self._precincts: list[str | None] = []
        self._batches: list[str | None] = []
        self._sources = array("h")
        self._source_names: list[str] = []
        self._extra: dict[str, list[str | None]] = {}
        self._source = -1
        self._skipped: dict[str, int] = {}
        if source:
            self.start_source(source)

    def start_source(self, name: str) -> None:
        """Records added from now on come from file ``name``."""
        self._source_names.append(name)
        self._source = len(self._source_names) - 1

    def skip(self, reason: str) -> None:
        """Count a record of the file that is not a ballot of the contest."""
        self._skipped[reason] = self._skipped.get(reason, 0) + 1

    def token(self, text: str, kind: MarkKind = MarkKind.CANDIDATE) -> int:
        """Index of the token ``text`` of ``kind`` (created on first use)."""
        key = (text, int(kind))
        t = self._token_index.get(key)
        if t is None:
            t = self._token_index[key] = len(self._tokens)
            self._tokens.append(text)
            self._kinds.append(int(kind))
        return t

    def add(
        self,
        ranks: Sequence[int],
        marks: Sequence[int],
        *,
        id: str,
        supplied_id: str | None = None,
        precinct: str | None = None,
        batch: str | None = None,
        **extra: str | None,
    ) -> None:
        """Append one record: its marks as parallel ``ranks`` (1-based) and token indices."""
        if len(ranks) > 1 and list(ranks) != sorted(ranks):
            order = sorted(range(len(ranks)), key=ranks.__getitem__)  # stable
            ranks = [ranks[k] for k in order]
            marks = [marks[k] for k in order]
        self._ranks.extend(ranks)
        self._marks.extend(marks)
        self._offsets.append(len(self._ranks))
        self._ids.append(id)
        self._supplied.append(supplied_id)
        self._precincts.append(precinct)
        self._batches.append(batch)
        self._sources.append(self._source)
        if extra or self._extra:
            n = len(self._ids)
            for key, value in extra.items():
                column = self._extra.get(key)
                if column is None:  # a column first seen now: earlier records lack it
                    column = self._extra[key] = [None] * (n - 1)
                column.append(value)
            for column in self._extra.values():
                if len(column) < n:
                    column.append(None)

    def extend(self, records: CastVoteRecords) -> None:
        """Append every record of ``records`` (used to join sources)."""
        remap = np.array(
            [
                self.token(t, MarkKind(int(k)))
                for t, k in zip(records.tokens, records.token_kinds, strict=True)
            ],
            dtype=np.int32,
        )
        base = len(self._source_names)
        self._source_names.extend(records.source_names)
        n0 = len(self._ids)
        start = len(self._ranks)
        self._ranks.extend(records.ranks.tolist())
        self._marks.extend(remap[records.marks].tolist() if len(records.marks) else [])
        self._offsets.extend((records.offsets[1:] + start).tolist())
        self._ids.extend(records.ids)
        sup = records.supplied_ids or (None,) * len(records)
        self._supplied.extend(sup)
        self._precincts.extend(records.precinct_of(i) for i in range(len(records)))
        self._batches.extend(records.batch_of(i) for i in range(len(records)))
        self._sources.extend((records.sources.astype(np.int64) + base).tolist())
        n = len(self._ids)
        keys = set(self._extra) | set(records.extra)
        for key in keys:
            column = self._extra.get(key)
            if column is None:
                column = self._extra[key] = [None] * n0
            column.extend(records.extra.get(key, (None,) * len(records)))
            if len(column) < n:
                column.extend([None] * (n - len(column)))
        self._source = len(self._source_names) - 1
        for reason, n in records.skipped.items():
            self._skipped[reason] = self._skipped.get(reason, 0) + n

    def __len__(self) -> int:
        return len(self._ids)

    def build(self) -> CastVoteRecords:
        precinct, precincts = _column(self._precincts)
        batch, batches = _column(self._batches)
        supplied = tuple(self._supplied) if any(s is not None for s in self._supplied) else None
        return CastVoteRecords(
            tokens=tuple(self._tokens),
            token_kinds=np.array(self._kinds, dtype=np.int8),
            offsets=np.frombuffer(self._offsets, dtype=np.int64).copy(),
            ranks=np.frombuffer(self._ranks, dtype=np.int32).copy(),
            marks=np.frombuffer(self._marks, dtype=np.int32).copy(),
            ids=tuple(self._ids),
            precinct=precinct,
            precincts=precincts,
            batch=batch,
            batches=batches,
            sources=np.frombuffer(self._sources, dtype=np.int16).copy(),
            source_names=tuple(self._source_names),
            supplied_ids=supplied,
            extra={k: tuple(v) for k, v in self._extra.items()},
            skipped=dict(self._skipped),
        )


def ballots_from_positions(
    positions: Iterable[Sequence[Sequence[str]]], source: str = "<memory>"
) -> CastVoteRecords:
    """Records from plain Python data: each ballot a list of positions, each a list of texts
    (``[]`` a skipped ranking, two texts an overvote). For tests and examples.

    >>> cvrs = ballots_from_positions([[["A"], [], ["B", "C"]], [["C"]]])
    >>> cvrs.ballot(0).positions
    (('A',), (), ('B', 'C'))
    """
    builder = CvrBuilder(source)
    for i, ballot in enumerate(positions):
        ranks: list[int] = []
        marks: list[int] = []
        for k, texts in enumerate(ballot, 1):
            for text in texts:
                kind = (
                    MarkKind.WRITE_IN
                    if text == UNDECLARED_WRITE_IN
                    else MarkKind.OVERVOTE
                    if text == OVERVOTE_LABEL
                    else MarkKind.CANDIDATE
                )
                ranks.append(k)
                marks.append(builder.token(text, kind))
        builder.add(ranks, marks, id=str(i + 1))
    return builder.build()

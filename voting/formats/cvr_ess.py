"""ES&S cast vote records: one row per ballot, one column per ranking (``.xlsx``, or ``.csv``).

The layout (RCTab's ``ess`` provider): rows before ``first_vote_row`` are headers; from
``first_vote_column`` on, column ``k`` holds the candidate ranked ``k``-th (up to
``max_rankings`` columns). Optional columns hold the record's id, precinct and batch.
A cell may hold

* a candidate name (or alias, or code) - a mark;
* the ``skipped_rank_label`` (``"undervote"``) - no mark;
* the ``overvote_label`` - an explicit overvote mark;
* the ``undeclared_write_in_label`` - an undeclared write-in mark;
* several candidates joined by ``overvote_delimiter`` - an overvote with its candidates.

An absent cell is no mark, or an undeclared write-in with
``treat_blank_as_undeclared_write_in`` (up to ``max_rankings``). Workbooks are streamed
row by row (:mod:`voting.formats._xlsx`); a ``.csv`` file with the same layout is read the
same way, an empty field being an absent cell.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from voting._java_text import is_blank, java_split, java_trim, sanitize
from voting.formats._base import ReadContext
from voting.formats.cvr import OVERVOTE_LABEL, UNDECLARED_WRITE_IN, CvrBuilder, MarkKind

__all__ = ["read_ess"]

MISSING_PRECINCT_ID = "missing_precinct_id"
MISSING_BATCH_ID = "missing_batch_id"


def _csv_rows(path: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i, record in enumerate(csv.reader(f)):
            yield i, [(c, v) for c, v in enumerate(record) if v != ""]


def read_ess(
    path: str | os.PathLike[str],
    builder: CvrBuilder,
    ctx: ReadContext,
    *,
    first_vote_column: int,
    first_vote_row: int,
    id_column: int | None = None,
    precinct_column: int | None = None,
    batch_column: int | None = None,
    overvote_delimiter: str | None = None,
    overvote_label: str | None = None,
    skipped_rank_label: str | None = None,
    undeclared_write_in_label: str | None = None,
    treat_blank_as_undeclared_write_in: bool = False,
    max_rankings: int | None = None,
) -> None:
    """Append the records of an ES&S export to ``builder``.

    Column and row numbers are 1-based, as in RCTab's configuration. ``max_rankings``
    ``None`` reads every column from ``first_vote_column`` on. A bad record (an id
    missing where ``id_column`` is given, a blank or skipped-rank label inside an overvote)
    is passed to ``ctx.reject`` with its row number.
    """
    name = os.fspath(path)
    cells_of = _EssCells(
        builder,
        delimiter=overvote_delimiter or None,
        skip_label=skipped_rank_label,
        overvote_label=overvote_label,
        write_in_label=undeclared_write_in_label,
    )
    layout = _EssLayout.of(
        first_vote_column,
        id_column,
        precinct_column,
        batch_column,
        max_rankings,
        treat_blank_as_undeclared_write_in,
    )
    file_id = sanitize(Path(name).name)
    rows = _csv_rows(name) if name.lower().endswith((".csv", ".csv.gz")) else None
    if rows is None:
        from voting.formats._xlsx import iter_rows

        rows = iter_rows(name)
    index = 0
    for row, cells in rows:
        if row < first_vote_row - 1:
            continue
        index += 1
        record = layout.read(cells, cells_of)
        if layout.id_col is not None and record.supplied is None:
            record.problem = (
                f"cast vote record identifier missing (column {id_column}); the file may be "
                "badly formatted: copy the data into a new .xlsx file"
            )
        if record.problem is not None:
            ctx.reject(row + 1, " | ".join(v for _, v in cells), record.problem)
            continue
        builder.add(
            record.ranks,
            record.marks,
            id=f"{file_id}-{index}",
            supplied_id=record.supplied,
            precinct=MISSING_PRECINCT_ID
            if layout.prec_col is not None and record.precinct is None
            else record.precinct,
            batch=MISSING_BATCH_ID
            if layout.batch_col is not None and record.batch is None
            else record.batch,
        )


class _EssCells:
    """The marks of ranking cells, each distinct cell text read once."""

    def __init__(
        self,
        builder: CvrBuilder,
        *,
        delimiter: str | None,
        skip_label: str | None,
        overvote_label: str | None,
        write_in_label: str | None,
    ) -> None:
        self.builder = builder
        self.delimiter = delimiter
        self.skip_label = skip_label
        self.overvote_label = overvote_label
        self.write_in_label = write_in_label
        self.uwi = builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN)
        self.over = builder.token(OVERVOTE_LABEL, MarkKind.OVERVOTE)
        self.tokens: dict[str, int] = {}
        self.seen: dict[str, tuple[int, ...] | str] = {}  # cell text -> its marks, or a problem

    def marks(self, data: str) -> tuple[int, ...] | str:
        """The tokens a ranking cell marks (none for the skipped-rank label), or a problem."""
        found = self.seen.get(data)
        if found is None:
            found = self.seen[data] = self._read(data)
        return found

    def _read(self, data: str) -> tuple[int, ...] | str:
        text = java_trim(data)
        parts = java_split(text, self.delimiter) if self.delimiter else [text]
        out: list[int] = []
        for part in parts:
            candidate = java_trim(part)
            if len(parts) > 1 and (is_blank(candidate) or candidate == self.skip_label):
                return (
                    f"a ranking cell holds {data!r}: with the overvote delimiter, no part may be "
                    "blank or the skipped-rank label"
                )
            if candidate == self.skip_label:
                continue
            if self.overvote_label and candidate == self.overvote_label:
                out.append(self.over)
            elif self.write_in_label and candidate == self.write_in_label:
                out.append(self.uwi)
            else:
                t = self.tokens.get(candidate, -1)
                if t < 0:
                    t = self.tokens[candidate] = self.builder.token(candidate)
                out.append(t)
        return tuple(out)


@dataclass
class _EssRecord:
    """One row read: its marks, rankings and columns, or the problem found."""

    ranks: list[int] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)
    precinct: str | None = None
    batch: str | None = None
    supplied: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class _EssLayout:
    """Which column holds what (0-based), and how blank rankings read."""

    fvc: int
    id_col: int | None
    prec_col: int | None
    batch_col: int | None
    top: int | None
    max_rankings: int | None
    blank_is_write_in: bool
    roles: dict[int, int]
    """The role of each column: -1 precinct, -2 batch, -3 id (else a ranking)."""

    @classmethod
    def of(
        cls,
        first_vote_column: int,
        id_column: int | None,
        precinct_column: int | None,
        batch_column: int | None,
        max_rankings: int | None,
        blank_is_write_in: bool,
    ) -> _EssLayout:
        fvc = first_vote_column - 1
        id_col = None if id_column is None else id_column - 1
        prec_col = None if precinct_column is None else precinct_column - 1
        batch_col = None if batch_column is None else batch_column - 1
        roles: dict[int, int] = {}
        if prec_col is not None:
            roles[prec_col] = -1
        if batch_col is not None:
            roles.setdefault(batch_col, -2)
        if id_col is not None:
            roles.setdefault(id_col, -3)
        return cls(
            fvc=fvc,
            id_col=id_col,
            prec_col=prec_col,
            batch_col=batch_col,
            top=None if max_rankings is None else fvc + max_rankings,
            max_rankings=max_rankings,
            blank_is_write_in=blank_is_write_in,
            roles=roles,
        )

    def read(self, cells: list[tuple[int, str]], cells_of: _EssCells) -> _EssRecord:
        """The record of one row's non-empty ``cells`` (column, text)."""
        out = _EssRecord()
        roles = self.roles
        last = 0
        for col, data in cells:
            role = roles.get(col, 0)
            if role == -1:
                out.precinct = data
            elif role == -2:
                out.batch = data
            elif role == -3:
                out.supplied = data
            elif col >= self.fvc and (self.top is None or col < self.top):
                rank = col - self.fvc + 1
                if self.blank_is_write_in:
                    self._write_ins(out, range(last + 1, rank), cells_of.uwi)
                found = cells_of.marks(data)
                if isinstance(found, str):
                    out.problem = f"ranking column {rank}: {found}"
                else:
                    out.ranks.extend([rank] * len(found))
                    out.marks.extend(found)
                last = rank
        if self.blank_is_write_in and self.max_rankings is not None:
            self._write_ins(out, range(last + 1, self.max_rankings + 1), cells_of.uwi)
        return out

    @staticmethod
    def _write_ins(out: _EssRecord, rankings: range, uwi: int) -> None:
        out.ranks.extend(rankings)
        out.marks.extend([uwi] * len(rankings))

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
    fvc = first_vote_column - 1
    fvr = first_vote_row - 1
    id_col = None if id_column is None else id_column - 1
    prec_col = None if precinct_column is None else precinct_column - 1
    batch_col = None if batch_column is None else batch_column - 1
    file_id = sanitize(Path(name).name)
    uwi = builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN)
    over = builder.token(OVERVOTE_LABEL, MarkKind.OVERVOTE)
    delimiter = overvote_delimiter or None
    skip_label = skipped_rank_label
    rows = _csv_rows(name) if name.lower().endswith((".csv", ".csv.gz")) else None
    if rows is None:
        from voting.formats._xlsx import iter_rows

        rows = iter_rows(name)
    tokens: dict[str, int] = {}
    cells_seen: dict[str, tuple[int, ...] | str] = {}  # cell text -> its marks, or a problem

    def marks_of(data: str) -> tuple[int, ...] | str:
        """The tokens a ranking cell marks (none for the skipped-rank label), or a problem."""
        text = java_trim(data)
        parts = java_split(text, delimiter) if delimiter else [text]
        out: list[int] = []
        for part in parts:
            candidate = java_trim(part)
            if len(parts) > 1 and (is_blank(candidate) or candidate == skip_label):
                return (
                    f"a ranking cell holds {data!r}: with the overvote delimiter, no part may be "
                    "blank or the skipped-rank label"
                )
            if candidate == skip_label:
                continue
            if overvote_label and candidate == overvote_label:
                out.append(over)
            elif undeclared_write_in_label and candidate == undeclared_write_in_label:
                out.append(uwi)
            else:
                t = tokens.get(candidate, -1)
                if t < 0:
                    t = tokens[candidate] = builder.token(candidate)
                out.append(t)
        return tuple(out)

    # the role of each column: -1 precinct, -2 batch, -3 id, else the ranking (from 1)
    roles: dict[int, int] = {}
    if prec_col is not None:
        roles[prec_col] = -1
    if batch_col is not None:
        roles.setdefault(batch_col, -2)
    if id_col is not None:
        roles.setdefault(id_col, -3)
    top = None if max_rankings is None else fvc + max_rankings
    index = 0
    for row, cells in rows:
        if row < fvr:
            continue
        index += 1
        ranks: list[int] = []
        marks: list[int] = []
        precinct: str | None = None
        batch: str | None = None
        supplied: str | None = None
        last = 0
        problem: str | None = None
        for col, data in cells:
            role = roles.get(col, 0)
            if role == -1:
                precinct = data
            elif role == -2:
                batch = data
            elif role == -3:
                supplied = data
            elif col >= fvc and (top is None or col < top):
                rank = col - fvc + 1
                if treat_blank_as_undeclared_write_in:
                    for r in range(last + 1, rank):
                        ranks.append(r)
                        marks.append(uwi)
                found = cells_seen.get(data)
                if found is None:
                    found = cells_seen[data] = marks_of(data)
                if isinstance(found, str):
                    problem = f"ranking column {rank}: {found}"
                else:
                    for t in found:
                        ranks.append(rank)
                        marks.append(t)
                last = rank
        if treat_blank_as_undeclared_write_in and max_rankings is not None:
            for r in range(last + 1, max_rankings + 1):
                ranks.append(r)
                marks.append(uwi)
        if id_col is not None and supplied is None:
            problem = (
                f"cast vote record identifier missing (column {id_column}); the file may be "
                "badly formatted: copy the data into a new .xlsx file"
            )
        if problem is not None:
            ctx.reject(row + 1, " | ".join(v for _, v in cells), problem)
            continue
        if prec_col is not None and precinct is None:
            precinct = MISSING_PRECINCT_ID
        if batch_col is not None and batch is None:
            batch = MISSING_BATCH_ID
        builder.add(
            ranks,
            marks,
            id=f"{file_id}-{index}",
            supplied_id=supplied,
            precinct=precinct,
            batch=batch,
        )

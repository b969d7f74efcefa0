"""Clear Ballot cast vote records (ClearVote 2.1 RCV CSV).

Columns ``RowNumber, BoxID, BoxPosition, BallotID, PrecinctID, BallotStyleID,
PrecinctStyleName, ScanComputerName, Status, Remade`` are followed by one column per
(candidate, rank) of every contest, headed ``Choice_<id>:<contest>:<rank>:<rule>:<candidate>:
<party>``; a ``1`` marks that candidate at that rank. Only the columns of the configured
contest (and ranks within ``max_rankings``) are read. Fields may be quoted and hold commas.
"""

from __future__ import annotations

import csv
import operator
import os

from voting._java_text import java_int
from voting.formats._base import ReadContext
from voting.formats.cvr import UNDECLARED_WRITE_IN, CvrBuilder, MarkKind

__all__ = ["read_clear_ballot"]

_CHOICES_BEGIN = 10
_BALLOT_ID, _PRECINCT_ID, _SCAN_COMPUTER = 3, 4, 7


def read_clear_ballot(
    path: str | os.PathLike[str],
    builder: CvrBuilder,
    ctx: ReadContext,
    *,
    contest_id: str,
    undeclared_write_in_label: str | None = None,
    max_rankings: int | None = None,
) -> None:
    """Append the records of contest ``contest_id`` of a Clear Ballot CSV export."""
    with open(os.fspath(path), encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise ctx.fail("no header row")
        if len(header) < _CHOICES_BEGIN:
            raise ctx.fail("no choice columns in the header", line=1)
        columns: list[tuple[int, int, int]] = []
        for col in range(_CHOICES_BEGIN, len(header)):
            fields = header[col].split(":")
            if len(fields) != 6:
                raise ctx.fail(
                    f"choice column {col + 1} header {header[col]!r} does not have 6 "
                    "':'-separated fields",
                    line=1,
                )
            if fields[1] != contest_id:
                continue
            rank = java_int(fields[2])
            if rank is None:
                raise ctx.fail(
                    f"choice column {col + 1}: rank {fields[2]!r} is not a number", line=1
                )
            name = fields[4]
            if undeclared_write_in_label and name == undeclared_write_in_label:
                token = builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN)
            else:
                token = builder.token(name)
            if rank >= 1 and (max_rankings is None or rank <= max_rankings):
                columns.append((col, rank, token))
        pick = operator.itemgetter(*(c for c, _, _ in columns)) if columns else None
        need = max((c for c, _, _ in columns), default=-1)
        for record in reader:
            if not record:
                continue
            line = reader.line_num
            ranks: list[int] = []
            marks: list[int] = []
            try:
                if pick is not None and len(record) > need:
                    cells = pick(record)
                    flags = "".join(cells) if len(columns) > 1 else str(cells)
                    if len(flags) == len(columns):  # every cell one character: find the 1s
                        k = flags.find("1")
                        while k >= 0:
                            ranks.append(columns[k][1])
                            marks.append(columns[k][2])
                            k = flags.find("1", k + 1)
                        cells = ()
                    else:
                        cells = cells if len(columns) > 1 else (cells,)
                    for (_, rank, token), cell in zip(columns, cells, strict=False):
                        if cell == "1" or (cell != "0" and java_int(cell) == 1):
                            ranks.append(rank)
                            marks.append(token)
                elif pick is not None:
                    record[need]  # too short: IndexError, reported below
                ballot = record[_BALLOT_ID]
                precinct = record[_PRECINCT_ID]
                computer = record[_SCAN_COMPUTER]
            except IndexError:
                ctx.reject(
                    line,
                    ",".join(record),
                    f"the record has {len(record)} fields, fewer than the header",
                )
                continue
            builder.add(
                ranks, marks, id=ballot, precinct=precinct, tabulator=computer, contest=contest_id
            )

"""RCTab's generic CSV cast vote records: one column per candidate, cells hold ranks.

The first line names the candidates, from ``first_vote_column`` on; each later line is a
ballot whose cell under a candidate is the rank the ballot gives that candidate (blank:
not ranked). Two candidates with the same rank are an overvote; a gap in the ranks is a
skipped ranking. The column headed ``undeclared_write_in_label`` holds undeclared
write-ins. Optional id, precinct and batch columns; a blank precinct or batch is
``"no precinct id"`` / ``"no batch id"``.

As in RCTab, every line after the header is a ballot (``firstVoteRowIndex`` is not
consulted for this provider), and empty lines are skipped.
"""

from __future__ import annotations

import csv
import os

from voting._java_text import is_blank, java_int, java_trim
from voting.formats._base import ReadContext
from voting.formats.cvr import UNDECLARED_WRITE_IN, CvrBuilder, MarkKind

__all__ = ["read_generic_csv"]


def _cell(record: list[str], column: int | None) -> str | None:
    """The field in 1-based ``column`` (``""`` past the end of a short line)."""
    if column is None:
        return None
    return record[column - 1] if column - 1 < len(record) else ""


def read_generic_csv(
    path: str | os.PathLike[str],
    builder: CvrBuilder,
    ctx: ReadContext,
    *,
    first_vote_column: int,
    id_column: int | None = None,
    precinct_column: int | None = None,
    batch_column: int | None = None,
    undeclared_write_in_label: str | None = None,
) -> None:
    """Append the records of a generic CSV file to ``builder`` (columns 1-based)."""
    name = os.fspath(path)
    fvc = first_vote_column - 1
    with open(name, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise ctx.fail("the file is empty; the first line must name the candidates")
        tokens = _header_tokens(header, fvc, builder, ctx, undeclared_write_in_label)
        index = 0
        for record in reader:
            if not record or record == [""]:
                continue
            index += 1
            ranks, marks, problem = _marks(record, fvc, tokens, len(header))
            if problem is not None:
                ctx.reject(reader.line_num, ",".join(record), problem)
                continue
            supplied = _cell(record, id_column)
            precinct = _cell(record, precinct_column)
            batch = _cell(record, batch_column)
            builder.add(
                ranks,
                marks,
                id=str(index),
                supplied_id=supplied,
                precinct=None
                if precinct_column is None
                else ("no precinct id" if is_blank(precinct) else precinct),
                batch=None
                if batch_column is None
                else ("no batch id" if is_blank(batch) else batch),
            )


def _header_tokens(
    header: list[str],
    fvc: int,
    builder: CvrBuilder,
    ctx: ReadContext,
    write_in_label: str | None,
) -> list[int]:
    """The token of each ranking column, from the candidate names of the header."""
    names = header[fvc:]
    for k, cand in enumerate(names):
        if is_blank(cand):
            raise ctx.fail(
                f"the candidate name at the top of column {fvc + k + 1} is empty; every "
                "ranking column needs a candidate name",
                line=1,
                text=",".join(header),
            )
    uwi_col = names.index(write_in_label) if write_in_label in names else -1
    return [
        builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN) if k == uwi_col else builder.token(c)
        for k, c in enumerate(names)
    ]


def _marks(
    record: list[str], fvc: int, tokens: list[int], n_header: int
) -> tuple[list[int], list[int], str | None]:
    """The rankings and tokens of one record, or the problem that rejects it."""
    ranks: list[int] = []
    marks: list[int] = []
    for k, cell in enumerate(record[fvc:]):
        if not cell or cell.isspace():
            continue
        if cell.isdigit() and cell.isascii():
            rank: int | None = int(cell)
        else:
            rank = java_int(java_trim(cell))
        col = fvc + k
        if rank is None:
            return ranks, marks, f"expected a rank number in column {col + 1}, got {cell!r}"
        if rank <= 0:
            return ranks, marks, f"rank {rank} in column {col + 1}; ranks are positive integers"
        if k >= len(tokens):
            return (
                ranks,
                marks,
                f"column {col + 1} has no candidate name in the header ({n_header} columns)",
            )
        ranks.append(rank)
        marks.append(tokens[k])
    return ranks, marks, None

"""CIVS ballot CSV (also Elekto's ``ballots.csv``, which uses the same layout).

The layout
----------
The first line names the candidates, comma separated (CIVS writes them unquoted;
quoted names are read too). Every later line is one ballot with one value per
candidate, in header order:

- a whole number is a rank: smaller is preferred, ``1`` is the best, equal numbers
  are a tie, gaps are allowed (``1,3,3,7`` is the ballot ``A > {B, C} > D``);
- ``No opinion`` (any letter case) or a blank cell leaves the candidate unranked.

Spaces around values and ``\\r\\n`` line ends are accepted; blank lines are not
ballots and are skipped. CIVS's export is described at
https://civs1.civs.us/ (the "download ballots" page of a poll) and Elekto's at
https://elekto.dev/; both are summarised in the project notes (``CIVS-NOTES.md``).

Unranked candidates
-------------------
Default ``unranked="ignore"``: a ballot that leaves a candidate at ``No opinion``
makes no comparison involving it, which is how CIVS and Elekto count (the Kubernetes
steering results are reproduced only this way).

Proportional-mode exports (``inverted=True``)
---------------------------------------------
CIVS polls run in proportional-representation mode store *weights* instead of
ranks: a larger number is more preferred. A web vote that ranks ``k`` of ``n``
choices is stored as ``n, n-1, ..., n-k+1`` for the ranked ones and ``1`` for the
rest, so in such a file:

- a value ``v >= 2`` is ranked, larger preferred, equal values tied;
- a value ``<= 1`` (the lowest possible weight) is unranked, as are ``No opinion``
  and blank cells.

A complete ranking of all ``n`` choices therefore stores its last choice as ``1``
and reads back with that choice unranked; with the default policy for inverted
files, ``unranked="last"``, that is the same ballot (the unranked candidate is below
every ranked one). This rule reproduces the Nix 2024 steering committee ballots
exactly as their OpaVote BLT copy holds them. The writer with ``inverted=True``
writes ``n + 1`` for the top tier down to ``2``, and ``1`` for unranked, so every
profile reads back unchanged.

Options
-------
inverted : bool, default False
    Read (or write) a proportional-mode export, larger = more preferred.

Performance
-----------
The reader parses blocks of about 8 MB of text with a numba kernel
(:func:`voting._kernels.parse._parse_civs_block`); only lines the kernel does not
accept are looked at again in Python, to parse them (quoted cells, say) or to
reject them with a precise reason. A small file is parsed line by line in Python
(:func:`_parse_row`, the reference grammar) instead, with no numba kernel to load
(the cost model of :mod:`voting._dispatch`). Runtime complexity: O(V·C) for V ballots of C
candidates; memory: one block of text plus one chunk of ballots.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, ClassVar, TextIO

import numpy as np

from voting._dispatch import kernels, use_numba
from voting._kernels._lines import LINE_BLANK, LINE_FLAGGED, LINE_OK
from voting._typing import UNRANKED, UnrankedPolicy
from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options, dense_tiers
from voting.profile import Profile

__all__ = ["CIVSFormat"]

_BLOCK_CHARS = 1 << 23
"""Characters of text parsed per kernel call (about 8 MB)."""

_WRITE_BATCH = 1 << 16
_OPTIONS: dict[str, object] = {"inverted": False}
_NO_OPINION = "No opinion"


def _inverted_option(options: dict[str, object]) -> bool:
    opts = check_options("civs", options, _OPTIONS)
    inverted = opts["inverted"]
    if not isinstance(inverted, bool | np.bool_):
        raise InvalidParameterError(
            f"inverted={inverted!r}; expected True (CIVS proportional-mode export, larger "
            "numbers preferred) or False (ordinary ranks, 1 = best)."
        )
    return bool(inverted)


def _split_fields(line: str) -> list[str]:
    """The comma-separated cells of ``line``; quoted cells (``"a, b"``) when it has quotes."""
    if '"' in line:
        return next(csv.reader([line], skipinitialspace=True))
    return line.split(",")


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _is_value(cell: str) -> bool:
    """True for what a ballot cell may hold: a number, ``No opinion`` or nothing."""
    cell = cell.strip()
    return not cell or _is_digits(cell) or cell.lower() == "no opinion"


def _parse_row(text: str, names: tuple[str, ...], inverted: bool) -> list[int] | str | None:
    """Parse one ballot line (the reference grammar; the kernel agrees with it).

    Returns the dense tiers (``UNRANKED`` for unranked), ``None`` for a blank line
    (not a ballot), or the reason the line cannot be counted.
    """
    text = text.rstrip("\r\n")
    if not text.strip():
        return None
    try:
        cells = _split_fields(text)
    except csv.Error as exc:
        return f"the line is not valid CSV ({exc})"
    n = len(names)
    if len(cells) != n:
        hint = ""
        if len(cells) == n + 1 and not cells[-1].strip():
            hint = " (a trailing comma?)"
        return f"expected {n} values, one per candidate, got {len(cells)}{hint}"
    keys: list[int | None] = []
    for j, raw in enumerate(cells):
        cell = raw.strip()
        if not cell or cell.lower() == "no opinion":
            keys.append(None)
        elif _is_digits(cell):
            value = int(cell)
            if inverted:
                keys.append(None if value <= 1 else -value)
            else:
                keys.append(value)
        else:
            where = f"for candidate {names[j]!r} (column {j + 1})"
            if cell.startswith("-") and _is_digits(cell[1:]):
                return (
                    f"rank {cell!r} {where} is negative; ranks are whole numbers, "
                    "1 = best, or 'No opinion'"
                )
            return f"rank {cell!r} {where} is not a whole number or 'No opinion'"
    return dense_tiers(keys)


def _parse_header(line: str, ctx: ReadContext, line_no: int) -> tuple[str, ...]:
    text = line.rstrip("\r\n").lstrip("\ufeff")
    try:
        cells = [c.strip() for c in _split_fields(text)]
    except csv.Error as exc:
        raise ctx.fail(
            f"the header line is not valid CSV ({exc}); it must name the candidates, "
            "comma separated",
            line_no,
            text,
        ) from None
    for j, cell in enumerate(cells):
        if not cell:
            raise ctx.fail(
                f"the header leaves the name of candidate {j + 1} blank; the first line "
                "must name every candidate, comma separated (a trailing comma?)",
                line_no,
                text,
            )
    if all(_is_value(c) for c in cells):
        raise ctx.fail(
            "the first line looks like a ballot (numbers or 'No opinion'), not a header; "
            "a CIVS ballot CSV starts with a line naming the candidates, comma separated",
            line_no,
            text,
        )
    seen: dict[str, int] = {}
    for j, cell in enumerate(cells):
        if cell in seen:
            raise ctx.fail(
                f"candidate {cell!r} is named twice in the header (columns {seen[cell] + 1} "
                f"and {j + 1}); candidate names must be unique",
                line_no,
                text,
            )
        seen[cell] = j
    return tuple(cells)


def _every_line_flagged(
    buf: np.ndarray[Any, Any], n_cands: int
) -> tuple[np.ndarray[Any, Any], ...]:
    """The kernel's outputs for ``buf`` with every line flagged, so that each is parsed
    by :func:`_parse_row` (the small-input path: no kernel to compile or load)."""
    ends = np.flatnonzero(buf == 10).astype(np.int64)
    starts = np.concatenate([np.zeros(1, dtype=np.int64), ends[:-1] + 1])[: ends.shape[0]]
    status = np.full(ends.shape[0], LINE_FLAGGED, dtype=np.int8)
    return np.empty((ends.shape[0], n_cands), dtype=np.int32), status, starts, ends


def _parse_block(
    block: str, names: tuple[str, ...], inverted: bool, ctx: ReadContext, first_line: int
) -> tuple[np.ndarray[Any, Any], int]:
    """Rows of the ballots in ``block`` (whole lines), and the number of lines it held."""
    if block and not block.endswith("\n"):
        block += "\n"  # the kernel needs a final newline
    data = block.encode("utf-8")
    buf = np.frombuffer(data, dtype=np.uint8)
    if use_numba("parse", buf.shape[0]):
        ranks, status, starts, ends = kernels("parse")._parse_civs_block(buf, len(names), inverted)
    else:
        ranks, status, starts, ends = _every_line_flagged(buf, len(names))
    n_lines = len(status)
    flagged = np.flatnonzero(status == LINE_FLAGGED)
    for i in flagged.tolist():
        text = data[starts[i] : ends[i]].decode("utf-8").rstrip("\r")
        parsed = _parse_row(text, names, inverted)
        if parsed is None:
            status[i] = LINE_BLANK
        elif isinstance(parsed, str):
            ctx.reject(first_line + i, text, parsed)
        else:
            ranks[i] = parsed
            status[i] = LINE_OK
    keep = status == LINE_OK
    rows = ranks if bool(keep.all()) else ranks[keep]
    return rows, n_lines


class CIVSFormat:
    """CIVS / Elekto ballot CSV: a header of candidate names, one row of ranks per ballot.

    See the module docstring for the layout, the ``inverted`` option and the rules
    for unranked candidates. Default ``unranked="ignore"`` (``"last"`` with
    ``inverted=True``).

    Examples
    --------
    >>> import io
    >>> from voting import read_ballots
    >>> p = read_ballots(io.StringIO("A,B,C\\n1,2,2\\nNo opinion,1,\\n"), format="civs",
    ...                  compress=False)
    >>> p.ranks.tolist()
    [[0, 1, 1], [2147483647, 0, 2147483647]]
    """

    name: ClassVar[str] = "civs"
    extensions: ClassVar[tuple[str, ...]] = (".csv",)
    default_unranked: ClassVar[UnrankedPolicy] = "ignore"

    def sniff(self, head: str) -> bool:
        """True when the first line names candidates and the next lines are ballot rows.

        Every complete line after the header (up to 200 of them) must have one cell
        per candidate, each a number, ``No opinion`` or blank. A header-only file
        needs at least two names.
        """
        lines = head.splitlines()
        if head and not head.endswith(("\n", "\r")) and len(lines) > 1:
            lines = lines[:-1]  # cut mid-line
        if not lines:
            return False
        first = lines[0].lstrip("\ufeff")
        if not first.strip() or first.lstrip().startswith(("#", "{", "=", "V:")):
            return False
        try:
            names = [c.strip() for c in _split_fields(first)]
        except csv.Error:
            return False
        if not all(names) or all(_is_value(c) for c in names):
            return False
        data = [line for line in lines[1:] if line.strip()][:200]
        if not data:
            return len(names) >= 2
        for line in data:
            if '"' in line:
                return False
            cells = line.split(",")
            if len(cells) != len(names) or not all(_is_value(c) for c in cells):
                return False
        return True

    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the ballots in chunks of at most ``chunk_size`` rows (weights all 1).

        Raises
        ------
        BallotFormatError
            No header, a blank or duplicate candidate name (always); a malformed
            ballot line (with ``errors="raise"``).
        InvalidParameterError
            An unknown option, or ``inverted`` that is not a bool.
        """
        inverted = _inverted_option(options)
        line_no = 1
        header = stream.readline()
        while header and not header.strip():
            header = stream.readline()
            line_no += 1
        if not header:
            raise ctx.fail(
                "the file is empty; a CIVS ballot CSV starts with a line naming the "
                "candidates, comma separated"
            )
        names = _parse_header(header, ctx, line_no)
        policy = ctx.policy("last" if inverted else self.default_unranked)
        chunker = RowChunker(names, policy, chunk_size)
        next_line = line_no + 1
        carry = ""
        while True:
            text = stream.read(_BLOCK_CHARS)
            if not text:
                break
            if carry:
                text = carry + text
            cut = text.rfind("\n")
            if cut < 0:
                carry = text
                continue
            carry = text[cut + 1 :]
            rows, n_lines = _parse_block(text[: cut + 1], names, inverted, ctx, next_line)
            next_line += n_lines
            yield from chunker.add(rows)
        if carry:
            rows, _ = _parse_block(carry, names, inverted, ctx, next_line)
            yield from chunker.add(rows)
        yield from chunker.finish()

    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write a header and one line per voter (a ballot of weight w is written w times).

        Tiers are written 1-based (``1`` = top) and unranked candidates as
        ``No opinion``; with ``inverted=True`` the top tier is ``n + 1``, the next
        ``n``, and unranked candidates ``1``. Runtime complexity: O(voters·C).

        Raises
        ------
        UnsupportedProfileError
            A candidate name with a line break or surrounding spaces (it would not
            read back), or names that all look like ballot values.
        """
        inverted = _inverted_option(options)
        names = profile.candidates
        for name in names:
            if "\n" in name or "\r" in name or name != name.strip():
                raise UnsupportedProfileError(
                    f"candidate name {name!r} has a line break or surrounding spaces; a "
                    "CIVS header cannot hold it so that it reads back. Rename the candidate."
                )
        if all(_is_value(n) for n in names):
            raise UnsupportedProfileError(
                f"candidate names {list(names)!r} all look like ballot values; the header "
                "would read back as a ballot. Rename the candidates."
            )
        stream.write(",".join(_quote(n) for n in names) + "\n")
        c = len(names)
        if inverted:
            tokens = [str(c + 1 - t) for t in range(c)] + ["1"]
        else:
            tokens = [str(t + 1) for t in range(c)] + [_NO_OPINION]
        table = np.array(tokens, dtype=object)
        for start in range(0, profile.num_ballots, _WRITE_BATCH):
            ranks = profile.ranks[start : start + _WRITE_BATCH]
            weights = profile.weights[start : start + _WRITE_BATCH]
            idx = np.where(ranks == UNRANKED, c, ranks)
            if bool((weights != 1).any()):
                idx = np.repeat(idx, weights, axis=0)
            cells = table[idx].tolist()
            stream.write("\n".join(",".join(row) for row in cells))
            stream.write("\n")


def _quote(name: str) -> str:
    if "," in name or '"' in name:
        return '"' + name.replace('"', '""') + '"'
    return name

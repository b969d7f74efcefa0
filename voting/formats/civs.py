"""CIVS ballot CSV (also Elekto's ``ballots.csv``, which uses the same layout).

The layout
----------
The first line names the candidates, comma separated (CIVS writes them unquoted;
quoted names are read too). Every later line is one ballot with one value per
candidate, in header order:

- a whole number is a rank: smaller is preferred, ``1`` is the best, equal numbers
  are a tie, gaps are allowed (``1,3,3,7`` is the ballot ``A > {B, C} > D``);
- ``No opinion`` (any letter case), ``-`` or a blank cell leaves the candidate
  unranked (``-`` is what CIVS's ballot upload takes for "no opinion": it stores it
  as ``No opinion``, except in combined-weights proportional polls, whose exports
  keep the ``-`` and count it as weight 0, the lowest; read either way it is
  unranked).

Spaces around values and ``\\r\\n`` line ends are accepted; blank lines are not
ballots and are skipped. CIVS's export is described at
https://civs1.civs.us/ (the "download ballots" page of a poll) and Elekto's at
https://elekto.dev/; both are summarised in the project notes (``CIVS-NOTES.md``).

Unranked candidates
-------------------
Default ``unranked="ignore"``: a ballot that leaves a candidate at ``No opinion``
makes no comparison involving it, which is how CIVS and Elekto count (the Kubernetes
steering results are reproduced only this way).

Orientation: ranks or weights
-----------------------------
CIVS polls run in proportional-representation mode export *weights* instead of
ranks: a larger number is more preferred. A web vote that ranks ``k`` of ``n``
choices is stored as ``n, n-1, ..., n-k+1`` for the ranked ones and ``1`` for the
rest, so in such a file:

- a value ``v >= 2`` is ranked, larger preferred, equal values tied;
- a value ``<= 1`` (the lowest possible weight) is unranked, as are ``No opinion``
  and blank cells.

Read with the wrong orientation, every ballot is reversed and the count elects the
wrong committee without any other sign, so the orientation is always explicit in
the result: :attr:`voting.ReadReport.orientation` says which one was used and
:attr:`~voting.ReadReport.orientation_note` why. Option ``orientation``:

- ``"ranks"``: ordinary exports (smaller = preferred, ``1`` = best);
- ``"weights"``: proportional-mode exports (larger = preferred);
- ``"auto"`` (default): inferred from the first block of ballots (up to
  :data:`INFER_ROWS` of them). A ballot with a ``No opinion`` or blank cell, or one
  that holds the value ``n`` (the number of candidates) more often than the value
  ``1``, has a shape proportional-mode exports do not write (they store ``1`` for
  every unranked choice and ``n`` for the top ones; ordinary exports store ``n`` for
  every unranked choice): it counts for ranks. A ballot holding
  ``n, n-1, ..., n-k+1`` (each value down from ``n``, ties allowed) and ``1`` for
  at least two other choices is the shape of a proportional-mode web vote, which an
  ordinary export writes only when a voter ties several candidates first and ranks
  the others at the very bottom: it counts for weights. When only one kind appears
  (or one outnumbers the other ten to one) the orientation is inferred and the note
  says from how many ballots; when both appear in similar numbers the read fails and asks for the
  option; when neither appears (every ballot a complete ranking ``1..n``, say, which
  reads the same shape both ways) ranks are assumed and the note says so.

``inverted=True`` is the older spelling of ``orientation="weights"``
(``inverted=False``: ``"ranks"``).

A complete ranking of all ``n`` choices stores its last choice as ``1`` and reads
back with that choice unranked; with the default policy for weights,
``unranked="last"``, that is the same ballot (the unranked candidate is below every
ranked one). This rule reproduces the Nix 2024 steering committee ballots exactly as
their OpaVote BLT copy holds them. The writer with ``orientation="weights"`` writes
what CIVS writes: ``n`` for the top tier, ``n - 1`` for the next, and so on, and
``1`` for unranked candidates, so its files have the shape ``"auto"`` recognises,
and read back (with ``unranked="last"``, the policy of weights) to an
:meth:`~voting.Profile.equivalent` profile.

Options
-------
orientation : {"auto", "ranks", "weights"}, default "auto"
    How to read the numbers (writing: ``"auto"`` writes ranks).
inverted : bool, optional
    Older spelling: True for ``orientation="weights"``, False for ``"ranks"``.

Performance
-----------
The reader parses blocks of about 8 MB of text with a numba kernel
(:func:`voting._kernels.parse._parse_civs_block`, its lines split over the numba
threads from :data:`PARALLEL_MIN_BYTES` on); only lines the kernel does not
accept are looked at again in Python, to parse them (quoted cells, say) or to
reject them with a precise reason. A small file is parsed line by line in Python
(:func:`_parse_row`, the reference grammar) instead, with no numba kernel to load
(the cost model of :mod:`voting._dispatch`). Inferring the orientation parses the first
:data:`INFER_ROWS` ballots once more in Python. Runtime complexity: O(V·C) for V
ballots of C candidates; memory: one block of text plus one chunk of ballots.
:func:`read_civs_values` (behind :meth:`voting.methods.civs_proportional.Ratings.read_civs_csv`)
reads the raw numbers in plain Python with the same grammar and options.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any, ClassVar, Literal, TextIO, cast

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, num_threads, use_numba
from voting._typing import LINE_BLANK, LINE_FLAGGED, LINE_OK, UNRANKED, UnrankedPolicy
from voting.exceptions import BallotFormatError, InvalidParameterError, UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options, dense_tiers, repeat_rows
from voting.formats._text import shorten
from voting.profile import Profile

__all__ = ["INFER_ROWS", "CIVSFormat", "Orientation", "infer_orientation", "read_civs_values"]

Orientation = Literal["ranks", "weights"]
"""How a CIVS file's numbers read: ``"ranks"`` (smaller = preferred) or ``"weights"``."""

_BLOCK_CHARS = 1 << 23
"""Characters of text parsed per kernel call (about 8 MB)."""

PARALLEL_MIN_BYTES = 1 << 20
"""Bytes of a block from which it is parsed on every numba thread
(:func:`voting._kernels.parse._parse_civs_block_parallel`; the same rows as one thread)."""

INFER_ROWS = 2_000
"""Most ballots examined to infer the orientation (from the first block). Parsing them
again in Python costs about 9 ms at 10 candidates (2% of reading 10^6 ballots); the
evidence on real files is decisive long before (Nix 2024: 349 of 450 ballots;
Kubernetes: over half)."""

_WRITE_BATCH = 1 << 16
_OPTIONS: dict[str, object] = {"orientation": "auto", "inverted": None}
_NO_OPINION = "No opinion"
_ORIENTATIONS = ("auto", "ranks", "weights")
_DOMINANCE = 10
"""One kind of evidence must outnumber the other this many times to decide."""

_MEANING: dict[Orientation, str] = {
    "ranks": "ranks (smaller = preferred, 1 = best)",
    "weights": "weights (larger = preferred; CIVS proportional-mode export)",
}


def _orientation_option(options: dict[str, object]) -> str:
    """``"auto"``, ``"ranks"`` or ``"weights"`` from the ``orientation``/``inverted`` options."""
    opts = check_options("civs", options, _OPTIONS)
    orientation = opts["orientation"]
    inverted = opts["inverted"]
    if orientation not in _ORIENTATIONS:
        raise InvalidParameterError(
            f"orientation={orientation!r}; expected 'ranks' (1 = best), 'weights' (larger "
            "preferred: a CIVS proportional-mode export) or 'auto' (infer from the values)."
        )
    if inverted is None:
        return str(orientation)
    if not isinstance(inverted, bool | np.bool_):
        raise InvalidParameterError(
            f"inverted={inverted!r}; expected True (CIVS proportional-mode export, larger "
            "numbers preferred) or False (ordinary ranks, 1 = best)."
        )
    implied = "weights" if inverted else "ranks"
    if orientation not in ("auto", implied):
        raise InvalidParameterError(
            f"inverted={bool(inverted)} contradicts orientation={orientation!r}; pass only "
            "orientation= ('ranks' or 'weights')."
        )
    return implied


def _inverted_option(options: dict[str, object]) -> bool:
    """True when the options ask for weights (writing: ``"auto"`` writes ranks)."""
    return _orientation_option(options) == "weights"


def _split_fields(line: str) -> list[str]:
    """The comma-separated cells of ``line``; quoted cells (``"a, b"``) when it has quotes."""
    if '"' in line:
        return next(csv.reader([line], skipinitialspace=True))
    return line.split(",")


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _is_value(cell: str) -> bool:
    """True for what a ballot cell may hold: a number, ``No opinion``, ``-`` or nothing."""
    cell = cell.strip()
    return not cell or _is_digits(cell) or cell == "-" or cell.lower() == "no opinion"


NO_OPINION_CELL = -1
"""A ``No opinion`` cell in the rows :func:`read_civs_values` returns."""
DASH_CELL = -2
"""A ``-`` cell (what an uploaded ballot file holds for "no opinion")."""
BLANK_CELL = -3
"""An empty cell."""


def _parse_values(
    text: str, names: tuple[str, ...], *, mark_empty: bool = False
) -> list[int | None] | str | None:
    """The numbers of one ballot line as written (``None`` for ``No opinion``, ``-`` or
    blank; with ``mark_empty``, :data:`NO_OPINION_CELL`, :data:`DASH_CELL` or
    :data:`BLANK_CELL` instead, for readers that must tell them apart).

    The reference grammar of a ballot line, shared by every CIVS reading path.
    Returns ``None`` for a blank line (not a ballot) or the reason the line cannot
    be counted.
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
    values: list[int | None] = []
    for j, raw in enumerate(cells):
        cell = raw.strip()
        if not cell or cell == "-" or cell.lower() == "no opinion":
            if not mark_empty:
                values.append(None)
            elif not cell:
                values.append(BLANK_CELL)
            else:
                values.append(DASH_CELL if cell == "-" else NO_OPINION_CELL)
        elif _is_digits(cell):
            if len(cell.lstrip("0")) > 18:
                return f"rank {shorten(cell)} for candidate {names[j]!r} is too large"
            values.append(int(cell))
        else:
            where = f"for candidate {names[j]!r} (column {j + 1})"
            if cell.startswith("-") and _is_digits(cell[1:]):
                return (
                    f"rank {cell!r} {where} is negative; ranks are whole numbers, "
                    "1 = best, or 'No opinion'"
                )
            return f"rank {cell!r} {where} is not a whole number or 'No opinion'"
    return values


def _keys(values: list[int | None], inverted: bool) -> list[int | None]:
    """Sort keys (smaller = preferred, ``None`` = unranked) of one ballot's numbers."""
    if not inverted:
        return values
    return [None if v is None or v <= 1 else -v for v in values]


def _parse_row(text: str, names: tuple[str, ...], inverted: bool) -> list[int] | str | None:
    """Parse one ballot line (the reference grammar; the kernel agrees with it).

    Returns the dense tiers (``UNRANKED`` for unranked), ``None`` for a blank line
    (not a ballot), or the reason the line cannot be counted.
    """
    values = _parse_values(text, names)
    if values is None or isinstance(values, str):
        return values
    return dense_tiers(_keys(values, inverted))


# ------------------------------------------------------------------ orientation
@dataclass(frozen=True, slots=True)
class _Evidence:
    """What the first ballots say about the orientation."""

    examined: int = 0
    no_opinion: int = 0
    several_n: int = 0
    web_vote: int = 0

    @property
    def for_ranks(self) -> int:
        return self.no_opinion + self.several_n

    def ranks_text(self) -> str:
        parts = []
        if self.no_opinion:
            parts.append(f"{_verb(self.no_opinion, 'holds', 'hold')} 'No opinion' or blank cells")
        if self.several_n:
            parts.append(
                f"{_verb(self.several_n, 'holds', 'hold')} the value n more often than the value 1"
            )
        return " and ".join(parts)

    def weights_text(self) -> str:
        return (
            f"{_verb(self.web_vote, 'has', 'have')} the shape of a proportional-mode web vote "
            "(the values n, n-1, ... down from n, and 1 for at least two choices)"
        )


def _verb(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _evidence(rows: list[list[int | None]], n: int) -> _Evidence:
    no_opinion = several_n = web_vote = 0
    for values in rows:
        if any(v is None for v in values):
            no_opinion += 1
            continue
        nums = [v for v in values if v is not None]
        ones, tops = nums.count(1), nums.count(n)
        if tops >= 2 and tops > ones:
            several_n += 1
            continue
        others = sorted({v for v in nums if v != 1}, reverse=True)
        if ones >= 2 and others and others == list(range(n, n - len(others), -1)):
            web_vote += 1
    return _Evidence(len(rows), no_opinion, several_n, web_vote)


def infer_orientation(
    rows: list[list[int | None]], n_candidates: int, *, assume: Orientation = "ranks"
) -> tuple[Orientation, str]:
    """Infer the orientation of CIVS ballot rows and say how (see the module docstring).

    Parameters
    ----------
    rows : list of list of int or None
        The numbers of each ballot as written (``None``: ``No opinion`` or blank).
    n_candidates : int
    assume : {"ranks", "weights"}
        What to assume when the rows say nothing either way.

    Returns
    -------
    orientation : {"ranks", "weights"}
    note : str
        How it was decided, for :attr:`voting.ReadReport.orientation_note`.

    Raises
    ------
    BallotFormatError
        When the rows hold both kinds of evidence and neither outnumbers the other
        ten to one: pass ``orientation=`` explicitly.

    Examples
    --------
    >>> infer_orientation([[1, 2, None], [2, 1, 3]], 3)[0]
    'ranks'
    >>> infer_orientation([[4, 1, 1, 3], [1, 4, 1, 1]], 4)[0]
    'weights'
    """
    ev = _evidence(rows, n_candidates)
    r, w = ev.for_ranks, ev.web_vote
    of = f"of the {ev.examined} ballots examined"
    if r and (not w or r >= _DOMINANCE * w):
        extra = f"; {_verb(w, 'looks', 'look')} like weights" if w else ""
        return "ranks", (
            f"inferred: {r} {of} {'has a shape' if r == 1 else 'have shapes'} a "
            f"proportional-mode export never writes ({ev.ranks_text()}){extra}"
        )
    if w and (not r or w >= _DOMINANCE * r):
        extra = f"; {_verb(r, 'looks', 'look')} like ranks ({ev.ranks_text()})" if r else ""
        shape = "has the shape" if w == 1 else "have the shape"
        return "weights", (
            f"inferred: {w} {of} {shape} of a proportional-mode web vote (the values n, "
            f"n-1, ... down from n, and 1 for at least two choices){extra}"
        )
    if r and w:
        raise BallotFormatError(
            f"cannot tell whether this CIVS file holds ranks or weights: {r} {of} look like "
            f"ranks ({ev.ranks_text()}) and {w} like weights ({ev.weights_text()}); pass "
            "orientation='ranks' (1 = best) or orientation='weights' (a proportional-mode "
            "export; CLI: --orientation)"
        )
    other = "weights" if assume == "ranks" else "ranks"
    return assume, (
        f"assumed: the {ev.examined} ballots examined read the same shape either way "
        f"(complete rankings, say), so the values cannot tell; pass orientation={other!r} "
        "if this file is "
        + (
            "a proportional-mode export (larger = preferred)"
            if other == "weights"
            else "an ordinary export (1 = best)"
        )
    )


def _raw_rows(block: str, names: tuple[str, ...], limit: int) -> list[list[int | None]]:
    """The numbers of up to ``limit`` well-formed ballot lines of ``block``."""
    rows: list[list[int | None]] = []
    start = 0
    while start < len(block) and len(rows) < limit:
        end = block.find("\n", start)
        end = len(block) if end < 0 else end
        values = _parse_values(block[start:end], names)
        if isinstance(values, list):
            rows.append(values)
        start = end + 1
    return rows


def _decide_orientation(
    option: str,
    first_block: str,
    names: tuple[str, ...],
    ctx: ReadContext,
    assume: Orientation,
) -> Orientation:
    """The orientation to read with; records it and why in ``ctx``."""
    n = len(names)
    if option == "auto":
        rows = _raw_rows(first_block, names, INFER_ROWS)
        orientation, note = infer_orientation(rows, n, assume=assume)
    else:
        orientation = "weights" if option == "weights" else "ranks"
        note = f"given (orientation={orientation!r})"
        ev = _evidence(_raw_rows(first_block, names, INFER_ROWS), n)
        if orientation == "weights" and ev.for_ranks:
            note += (
                f"; but {ev.for_ranks} of the first {ev.examined} ballots look like ranks "
                f"({ev.ranks_text()}): check the option"
            )
        elif orientation == "ranks" and ev.web_vote and not ev.for_ranks:
            note += f"; but of the ballots examined {ev.weights_text()}: check the option"
    ctx.orientation = _MEANING[orientation]
    ctx.orientation_note = note
    return orientation


# ----------------------------------------------------------------- the reading
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


def _read_header(stream: TextIO, ctx: ReadContext) -> tuple[tuple[str, ...], int]:
    """The candidate names and the line number of the first ballot line."""
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
    ctx.check_candidates(len(names), line_no, header.rstrip("\r\n"))
    return names, line_no + 1


def _line_blocks(stream: TextIO) -> Iterator[str]:
    """The rest of ``stream`` in blocks of about 8 MB, each made of whole lines."""
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
        yield text[: cut + 1]
    if carry:
        yield carry


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
    threads = num_threads()
    if use_numba("parse", buf.shape[0]) and threads > 1 and buf.shape[0] >= PARALLEL_MIN_BYTES:
        k = kernels("parse")
        ranks, status, starts, ends = k._parse_civs_block_parallel(
            buf, len(names), inverted, threads
        )
    elif use_numba("parse", buf.shape[0]):
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


def read_civs_values(
    stream: TextIO, ctx: ReadContext, options: dict[str, object], *, assume: Orientation
) -> tuple[tuple[str, ...], NDArray[np.int64], Orientation]:
    """The candidate names and every ballot's numbers as written, one row per ballot.

    The reader behind :meth:`voting.methods.civs_proportional.Ratings.read_civs_csv`:
    the same header and line grammar, options, orientation inference and error
    policy as :class:`CIVSFormat` (a bad line goes through ``ctx.reject``), but the
    numbers are kept (``No opinion``, ``-`` and blank cells as :data:`NO_OPINION_CELL`,
    :data:`DASH_CELL` and :data:`BLANK_CELL`, all negative) instead of being turned into
    tiers. Plain Python, O(V·C).

    Returns
    -------
    names, values, orientation
    """
    option = _orientation_option(options)
    names, line_no = _read_header(stream, ctx)
    blocks = _line_blocks(stream)
    first = next(blocks, "")
    orientation = _decide_orientation(option, first, names, ctx, assume)
    rows: list[list[int]] = []
    for block in chain([first], blocks):
        for text in block.splitlines():
            values = _parse_values(text, names, mark_empty=True)
            if isinstance(values, str):
                ctx.reject(line_no, text, values)
            elif values is not None:
                rows.append(cast(list[int], values))
            line_no += 1
    arr = np.array(rows, dtype=np.int64).reshape(len(rows), len(names))
    return names, arr, orientation


class CIVSFormat:
    """CIVS / Elekto ballot CSV: a header of candidate names, one row of ranks per ballot.

    See the module docstring for the layout, the ``orientation`` option and the
    rules for unranked candidates. Default ``unranked="ignore"`` (``"last"`` for
    weights).

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
    orientation: ClassVar[str] = _MEANING["ranks"]
    writes_weights: ClassVar[bool] = False

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """The policy a file written with ``options`` is read back with."""
        return "last" if _inverted_option(options) else self.default_unranked

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

        The orientation used, and how it was decided, go into ``ctx``
        (:attr:`voting.ReadReport.orientation`).

        Raises
        ------
        BallotFormatError
            No header, a blank or duplicate candidate name (always); a malformed
            ballot line (with ``errors="raise"``); an orientation that cannot be
            inferred.
        InvalidParameterError
            An unknown option, a bad ``orientation``, or ``inverted`` that is not a
            bool.
        """
        option = _orientation_option(options)
        names, next_line = _read_header(stream, ctx)
        blocks = _line_blocks(stream)
        first = next(blocks, "")
        inverted = _decide_orientation(option, first, names, ctx, "ranks") == "weights"
        policy = ctx.policy("last" if inverted else self.default_unranked)
        chunker = RowChunker(names, policy, chunk_size)
        for block in chain([first], blocks):
            if not block:
                continue
            rows, n_lines = _parse_block(block, names, inverted, ctx, next_line)
            next_line += n_lines
            yield from chunker.add(rows)
        yield from chunker.finish()

    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write a header and one line per voter (a ballot of weight w is written w times).

        Tiers are written 1-based (``1`` = top) and unranked candidates as
        ``No opinion``; with ``orientation="weights"`` the top tier is ``n``, the next
        ``n - 1``, and unranked candidates ``1`` (so the last of ``n`` strict tiers is
        written ``1`` too, which reads back as unranked: the same count under
        ``unranked="last"``). Runtime complexity: O(voters·C).

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
        if inverted:  # one candidate: 2 for ranked, as 1 would read back unranked
            tokens = [str(max(c - t, 1 if c > 1 else 2)) for t in range(c)] + ["1"]
        else:
            tokens = [str(t + 1) for t in range(c)] + [_NO_OPINION]
        table = np.array(tokens, dtype=object)
        for start in range(0, profile.num_ballots, _WRITE_BATCH):
            ranks = profile.ranks[start : start + _WRITE_BATCH]
            weights = profile.weights[start : start + _WRITE_BATCH]
            idx = np.where(ranks == UNRANKED, c, ranks)
            for rows in repeat_rows(idx, weights, _WRITE_BATCH):
                cells = table[rows].tolist()
                stream.write("\n".join(",".join(row) for row in cells))
                stream.write("\n")


def _quote(name: str) -> str:
    if "," in name or '"' in name:
        return '"' + name.replace('"', '""') + '"'
    return name

"""The BLT ballot format of Hill, Wichmann & Woodall, as OpenSTV and OpaVote write it.

A BLT file is, line by line::

    4 2                 <- number of candidates, number of seats
    -2                  <- optional: withdrawn candidates, as negative numbers
    3 1 3 4 0           <- weight, then candidate numbers best first, then 0
    2 4 1=3 0           <- '=' joins candidates tied at one preference
    (b17) 1 2 0         <- optional ballot id in parentheses (OpenSTV)
    0                   <- a lone 0 ends the ballots
    "Adam"              <- the candidate names, in candidate-number order
    "Basil"
    "Charlotte"
    "Donald"
    "Title"             <- the title of the election

References
----------
.. [1] I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123: Single
   Transferable Vote by Meek's method", The Computer Journal 30(3), 1987 (section
   3.1, "The data").
.. [2] OpaVote help, "BLT file format", https://www.opavote.com/help/overview#blt-file-format
.. [3] J. Lundell, Droop wiki, "BltFileFormat" (the OpenSTV extensions: comments,
   ballot ids, equal and skipped rankings), https://github.com/jklundell/droop/wiki/BltFileFormat
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, chain
from typing import ClassVar, TextIO

import numpy as np
import numpy.typing as npt

from voting._checks import check_candidates
from voting._typing import UnrankedPolicy
from voting.exceptions import InvalidProfileError, UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options
from voting.formats._text import (
    MAX_WEIGHT,
    BlockRows,
    block_lines,
    int_option,
    iter_tiers,
    rewindable,
    shorten,
    str_option,
    take_lines,
    whole_number,
)
from voting.profile import Profile

__all__ = ["BLTFormat"]

_HEADER = re.compile(r"([0-9]++)[ \t]++([0-9]++)")
_WITHDRAWN = re.compile(r"-[0-9]++(?:[ \t]++-[0-9]++)*+")
_FAST = re.compile(r"[0-9 \t\r\n=]*")
_NOT_FAST = re.compile(r"[^0-9 \t\r\n=]")
# The end-of-ballots line: a lone 0, maybe with white space and a comment.
_END = re.compile(r"(?:^|(?<=[\r\n]))[^\S\r\n]*0[^\S\r\n]*(?:#[^\r\n]*)?(?=[\r\n]|\Z)")
_BALLOT_ID = re.compile(r"\(([^()]*)\)")
# A ballot line as the sniffer accepts it: optional id, weight, preferences, optional 0.
_SNIFF_BALLOT = re.compile(
    r"(?:\([^()]*+\)[ \t]*+)?[0-9]++(?:\.[0-9]++)?(?:[ \t]++(?:[0-9]++(?:=[0-9]++)*+|-))*+"
)
# A line of the names section that is a ballot (or the end marker) instead: numbers,
# '=', '-' and an optional id, nothing quoted.
_BALLOT_LIKE = re.compile(r"(?:\([^()]*+\)[ \t]*+)?-?[0-9][0-9 \t=\-]*+")
_NAME_TOKEN = re.compile(r'\s*(?:"([^"]*)"|(#.*)|([^\s"#]+)|("))')
_DEFAULT_TITLE = "Election"


def _strip_comment(line: str) -> str:
    """``line`` without a ``#`` comment and surrounding white space (BOM included)."""
    hash_at = line.find("#")
    if hash_at >= 0:
        line = line[:hash_at]
    return line.strip().lstrip("\ufeff").strip()


@dataclass(frozen=True, slots=True)
class _Layout:
    """What the first pass learns: where the ballots are, and the metadata."""

    n_candidates: int
    seats: int
    withdrawn: frozenset[int]  # 1-based candidate numbers
    skip_lines: int  # header (and withdrawn) lines before the first ballot line
    end_line: int  # line number of the lone 0
    names: tuple[str, ...]  # every candidate, withdrawn included
    title: str | None


class BLTFormat:
    """OpenSTV / OpaVote BLT files (``.blt``), the classic input of STV counting programs.

    Read with ``read_ballots(path, format="blt")`` (or from the extension); write
    with ``write_ballots(profile, path, format="blt", seats=..., title=...)``.

    Notes
    -----
    **Reading.** The header ``n_candidates n_seats`` sets :attr:`ReadReport.seats`;
    the quoted string after the names sets :attr:`ReadReport.title`. Withdrawn
    candidates (the optional line of negative numbers after the header) are removed
    from the profile and listed in :attr:`ReadReport.withdrawn`; ballots that rank
    them skip them. Ballot lines are ``weight c1 c2 ... 0``: 1-based candidate
    numbers, best first, with ``=`` joining candidates tied at one preference
    (``1 3=4 2 0``), ``-`` for a skipped preference (ignored: later preferences move
    up, since tiers are relative), an optional ballot id in parentheses at the start
    of the line (``(b17) 1 2 0``) and ``#`` comments. The trailing ``0`` may be left
    out; ``weight 0`` is a ballot that ranks nobody. Reading takes no options.

    **Unranked candidates.** Default policy ``"last"``: STV never compares unranked
    candidates, and a truncated BLT ballot says nothing more about them.

    **Errors.** A malformed ballot line (a fractional or zero weight, a candidate
    number out of range or repeated, text) is rejected through the error policy,
    saying what was expected, with the weight it stood for when readable. A bad
    header or withdrawn line, a missing end-of-ballots ``0``, missing or duplicate
    names are structural errors.

    **Memory.** The names come after the ballots, so the file is read twice: a
    seekable stream is rewound, anything else is spooled to a temporary file.
    Ordinary ballot lines are parsed a block at a time by vectorised NumPy code;
    only unusual lines (ids, skips, comments, errors) are parsed one by one.

    **Writing.** Options ``seats`` (int >= 1, default 1, since a profile does not
    know how many seats an election fills) and ``title`` (str, default
    ``"Election"``). Weights are written as they are, ties with ``=``, names and the
    title in double quotes. BLT carries no unranked policy: read the file back with
    ``unranked=profile.unranked`` to get the same profile after
    :meth:`~voting.Profile.compress`.

    **Not supported.** Fractional weights (some tools write ``1.5``: the line is
    rejected, as a profile counts whole voters); ballots split over several lines
    or several ballots on one line (the HWW paper allows free line breaks; OpenSTV
    and OpaVote write one ballot per line); Droop's ``/* C-style */`` comments and
    option lines and Hill's parenthesised equal preferences (rejected as malformed);
    names or titles containing a double quote, which the format cannot escape (the
    writer raises :class:`~voting.UnsupportedProfileError`).

    References
    ----------
    .. [1] I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123: Single
       Transferable Vote by Meek's method", The Computer Journal 30(3), 1987.
    .. [2] OpaVote, "BLT file format", https://www.opavote.com/help/overview#blt-file-format

    Examples
    --------
    >>> import io
    >>> from voting.formats import read_ballots
    >>> text = '3 1\\n-3\\n2 1 2 0\\n1 2=1 0\\n0\\n"Ann" "Bo" "Cy"\\n"Club"\\n'
    >>> p, report = read_ballots(io.StringIO(text), "blt", errors="collect")
    >>> p.candidates, p.ranks.tolist(), p.weights.tolist()
    (('Ann', 'Bo'), [[0, 0], [0, 1]], [1, 2])
    >>> report.seats, report.title, report.withdrawn
    (1, 'Club', ('Cy',))
    """

    name: ClassVar[str] = "blt"
    extensions: ClassVar[tuple[str, ...]] = (".blt",)
    default_unranked: ClassVar[UnrankedPolicy] = "last"
    orientation: ClassVar[str] = "preference order (best first)"

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """The policy a written file is read back with: the format's default."""
        return self.default_unranked

    # ------------------------------------------------------------------ sniff
    def sniff(self, head: str) -> bool:
        """True when ``head`` starts with a ``n m`` header followed by BLT ballot lines.

        Every line up to the lone ``0`` (or the end of ``head``) must be a ballot line
        of digits, ``=``, ``-`` and an optional ``(id)``, with at least one ballot or
        the end marker present: CIVS CSV, Debian tally sheets, PrefLib, ABIF and CEF
        all fail this on their first lines.
        """
        lines = head.splitlines()
        if lines and not head.endswith(("\n", "\r")) and len(lines) > 2:
            lines = lines[:-1]  # possibly cut in the middle
        body = [s for s in (_strip_comment(x) for x in lines) if s]
        if len(body) < 2:
            return False
        m = _HEADER.fullmatch(body[0])
        if m is None or whole_number(m.group(1)) in (None, 0):
            return False
        rest = body[1:]
        if _WITHDRAWN.fullmatch(rest[0]):
            rest = rest[1:]
        for s in rest:
            if s == "0":
                return True
            if not _SNIFF_BALLOT.fullmatch(s):
                return False
        return bool(rest)

    # ------------------------------------------------------------------- read
    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the ballots of a BLT file in chunks of at most ``chunk_size``.

        Raises
        ------
        BallotFormatError
            A bad header or withdrawn line, no end-of-ballots ``0``, fewer names than
            candidates, duplicate names; or (``errors="raise"``) a malformed ballot.
        InvalidParameterError
            For any option: BLT reading takes none.
        """
        check_options(self.name, options, {})
        with rewindable(stream) as (src, start):
            layout = _scan(src, ctx)
            keep = [i for i in range(layout.n_candidates) if i + 1 not in layout.withdrawn]
            candidates = tuple(layout.names[i] for i in keep)
            ctx.seats = layout.seats
            ctx.title = layout.title
            ctx.withdrawn = tuple(layout.names[i - 1] for i in sorted(layout.withdrawn))
            policy = ctx.policy(self.default_unranked)
            chunker = RowChunker(candidates, policy, chunk_size)
            # colmap[k]: column of candidate number k, -1 when withdrawn (index 0 unused).
            colmap = np.full(layout.n_candidates + 1, -1, dtype=np.intp)
            colmap[np.asarray(keep, dtype=np.intp) + 1] = np.arange(len(keep))
            src.seek(start)
            yield from _read_ballots(src, ctx, layout, colmap, chunker, chunk_size)
            yield from chunker.finish()

    # ------------------------------------------------------------------ write
    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write ``profile`` as BLT (options ``seats`` and ``title``, see the class).

        Raises
        ------
        UnsupportedProfileError
            A candidate name contains a double quote or a line break.
        InvalidParameterError
            An unknown option, ``seats`` < 1 or not an int, a ``title`` with a double
            quote or line break.
        """
        check_options(self.name, options, {"seats": None, "title": None})
        seats = int_option(options, "seats", self.name, minimum=1) or 1
        title = str_option(options, "title", self.name, forbidden='"')
        for name in profile.candidates:
            if '"' in name or "\n" in name or "\r" in name:
                raise UnsupportedProfileError(
                    f"candidate name {name!r} contains a double quote or a line break, which "
                    "BLT cannot write (its names are plain double-quoted strings); rename it."
                )
        stream.write(f"{profile.num_candidates} {seats}\n")
        lines: list[str] = []
        for weight, tiers in iter_tiers(profile):
            prefs = " ".join("=".join(str(c + 1) for c in tier) for tier in tiers)
            lines.append(f"{weight} {prefs} 0\n" if prefs else f"{weight} 0\n")
            if len(lines) >= 8192:
                stream.write("".join(lines))
                lines.clear()
        stream.write("".join(lines))
        stream.write("0\n")
        stream.write("".join(f'"{name}"\n' for name in profile.candidates))
        stream.write(f'"{_DEFAULT_TITLE if title is None else title}"\n')


def _scan(src: TextIO, ctx: ReadContext) -> _Layout:
    """First pass: header, withdrawn line, the line of the lone 0, names and title."""
    it = iter(src)
    n, seats, lineno = _scan_header(it, ctx)
    skip = lineno
    withdrawn: set[int] = set()
    end_line = 0
    # The first line after the header may list withdrawn candidates.
    for raw in it:
        lineno += 1
        s = _strip_comment(raw)
        if not s:
            continue
        if s == "0":
            end_line = lineno
        elif s[0] == "-":
            withdrawn = _withdrawn(s, n, ctx, lineno, raw)
            skip = lineno
        break
    rest: Iterator[str] = it
    # Then find the lone 0 a block of lines at a time, with one regular expression.
    while not end_line and (lines := take_lines(it, 65536)):
        m = _END.search("".join(lines))
        if m is None:
            lineno += len(lines)
            continue
        idx = bisect_right(list(accumulate(map(len, lines))), m.start())
        end_line = lineno + idx + 1
        rest = chain(lines[idx + 1 :], it)
        lineno = end_line
    if not end_line:
        raise ctx.fail(
            "the ballots never end: expected a line with a lone 0 after the last ballot, "
            "then the candidate names and the title",
            lineno or None,
        )
    if len(withdrawn) == n:
        raise ctx.fail("every candidate is withdrawn; nothing is left to count", skip)
    tokens, lineno = _scan_names(rest, ctx, lineno, end_line)
    if len(tokens) < n:
        raise ctx.fail(
            f"the header declares {n} candidates but {len(tokens)} names follow the lone 0 "
            f"(line {end_line}); expected one quoted name per candidate, then the title",
            lineno or None,
        )
    names = tuple(v for v, _ in tokens[:n])
    try:
        check_candidates(names)
    except InvalidProfileError as exc:
        raise ctx.fail(f"bad candidate names: {exc}", tokens[0][1]) from None
    title = tokens[n][0] if len(tokens) > n else None
    return _Layout(n, seats, frozenset(withdrawn), skip, end_line, names, title)


def _scan_header(it: Iterator[str], ctx: ReadContext) -> tuple[int, int, int]:
    """The candidates and seats of the header line, and its line number."""
    lineno = 0
    header = raw = ""
    for raw in it:
        lineno += 1
        header = _strip_comment(raw)
        if header:
            break
    if not header:
        raise ctx.fail("the file is empty; a BLT file starts with the line 'n_candidates n_seats'")
    m = _HEADER.fullmatch(header)
    if m is None:
        raise ctx.fail(
            "expected the header 'n_candidates n_seats' (two whole numbers, such as '4 2')",
            lineno,
            raw.rstrip("\r\n"),
        )
    n, seats = int(whole_number(m.group(1)) or 0), int(whole_number(m.group(2)) or 0)
    if seats > MAX_WEIGHT:
        raise ctx.fail(
            f"the number of seats in the header, {shorten(m.group(2))}, is too large",
            lineno,
            raw.rstrip("\r\n"),
        )
    if n < 1:
        raise ctx.fail("the header declares no candidates", lineno, raw.rstrip("\r\n"))
    ctx.check_candidates(n, lineno, raw.rstrip("\r\n"))
    return n, seats, lineno


def _scan_names(
    rest: Iterable[str], ctx: ReadContext, lineno: int, end_line: int
) -> tuple[list[tuple[str, int]], int]:
    """The quoted names and title after the lone 0 (each with its line), and the last line."""
    tokens: list[tuple[str, int]] = []
    for raw in rest:
        lineno += 1
        pos = 0
        text = raw.rstrip("\r\n")
        if _BALLOT_LIKE.fullmatch(_strip_comment(text)):
            raise ctx.fail(
                f"a ballot line after the end of the ballots (the lone 0 of line {end_line}); "
                "ballots come before that 0, the quoted names and the title after it",
                lineno,
                text,
            )
        while pos < len(text):
            t = _NAME_TOKEN.match(text, pos)
            if t is None:  # only trailing white space is left
                break
            pos = t.end()
            if t.group(4) is not None:
                raise ctx.fail(
                    "unterminated double quote in the names section; names and the title "
                    'are written "like this"',
                    lineno,
                    text,
                )
            if t.group(2) is not None:
                break
            value = t.group(1) if t.group(1) is not None else t.group(3)
            tokens.append((value, lineno))
    return tokens, lineno


def _withdrawn(s: str, n: int, ctx: ReadContext, lineno: int, raw: str) -> set[int]:
    """The candidate numbers of a withdrawn line such as ``-2 -5``."""
    if not _WITHDRAWN.fullmatch(s):
        raise ctx.fail(
            "expected the withdrawn-candidates line: negative candidate numbers such as '-2 -5'",
            lineno,
            raw.rstrip("\r\n"),
        )
    out: set[int] = set()
    for tok in s.split():
        k = whole_number(tok[1:])
        if k is None or not 1 <= k <= n:
            raise ctx.fail(
                f"withdrawn candidate {shorten(tok)} is out of range; candidates are numbered "
                f"1 to {n}",
                lineno,
                raw.rstrip("\r\n"),
            )
        out.add(k)
    return out


def _read_ballots(
    src: TextIO,
    ctx: ReadContext,
    layout: _Layout,
    colmap: npt.NDArray[np.intp],
    chunker: RowChunker,
    chunk_size: int,
) -> Iterator[Profile]:
    """Second pass: parse the ballot lines between the header and the lone 0, a block of
    lines at a time."""
    n_cols = len(chunker.candidates)
    block = block_lines(chunk_size, n_cols)
    it = iter(src)
    for _ in range(layout.skip_lines):
        next(it)
    lineno = layout.skip_lines + 1
    while lineno < layout.end_line:
        lines = take_lines(it, min(block, layout.end_line - lineno))
        if not lines:
            break
        rows = BlockRows(len(lines), n_cols)
        slow = _fill_plain(lines, rows, layout.n_candidates, colmap)
        for i in slow:
            raw = lines[i]
            if not _strip_comment(raw):
                continue
            parsed = _parse_line(raw, layout.n_candidates)
            if len(parsed) == 2:
                ctx.reject(lineno + i, raw.rstrip("\r\n"), parsed[0], parsed[1])
                continue
            weight, prefs, tiers = parsed
            cols = [int(colmap[p]) for p in prefs]
            kept = [(c, t) for c, t in zip(cols, tiers, strict=True) if c >= 0]
            rows.set(i, [c for c, _ in kept], [t for _, t in kept], weight)
        lineno += len(lines)
        yield from chunker.add(*rows.take())


_P10 = 10 ** np.arange(19, dtype=np.int64)
_ZERO, _NINE, _EQUALS, _NEWLINE = ord("0"), ord("9"), ord("="), ord("\n")


def _fill_plain(
    lines: list[str], rows: BlockRows, n: int, colmap: npt.NDArray[np.intp]
) -> list[int]:
    """Parse the ordinary ballot lines of a block (digits, white space and ``=``) with
    vectorised NumPy code into ``rows``; return the indices of the other lines, in
    order, for :func:`_parse_line`.

    A line is left to the slow parser when it has any other character, or when it
    is not a valid ballot (zero weight, a number above 18 digits, a candidate out of
    range or twice, a misplaced ``=``): the slow parser then says why. Blank lines
    come back too (the caller skips them).
    """
    text = "".join(lines)
    if not text.endswith("\n"):
        text += "\n"
    if _NOT_FAST.search(text) is None and text.count("\n") == len(lines):
        fast = list(range(len(lines)))
        slow_set: set[int] = set()
    else:
        fast = [i for i, line in enumerate(lines) if _FAST.fullmatch(line)]
        slow_set = set(range(len(lines))) - set(fast)
        text = "".join(lines[i] if lines[i].endswith("\n") else lines[i] + "\n" for i in fast)
    if not text.strip():
        return sorted(set(range(len(lines))))  # blank lines only
    b = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    n_lines = len(fast)
    ends_of_lines = np.flatnonzero(b == _NEWLINE)
    is_digit = (b >= _ZERO) & (b <= _NINE)
    edge = np.diff(is_digit.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    stops = np.flatnonzero(edge == -1)
    lens = stops - starts
    tok_line = np.searchsorted(ends_of_lines, starts)
    counts = np.bincount(tok_line, minlength=n_lines)
    bad = np.zeros(n_lines, dtype=np.bool_)
    # Token values: sum of digit * 10**(digits after it in its token).
    long_tok = lens > 18
    bad[tok_line[long_tok]] = True
    digit_pos = np.flatnonzero(is_digit)
    tok_of_digit = np.repeat(np.arange(len(starts)), lens)
    power = np.minimum(stops[tok_of_digit] - 1 - digit_pos, 18)
    contrib = (b[digit_pos].astype(np.int64) - _ZERO) * _P10[power]
    offsets = np.cumsum(lens) - lens
    vals = np.add.reduceat(contrib, offsets) if len(starts) else np.zeros(0, np.int64)
    # '=' must stand between two digits; a token after '=' joins the previous tier.
    eq = np.flatnonzero(b == _EQUALS)
    misplaced = eq[~(is_digit[eq - 1] & is_digit[eq + 1])] if len(eq) else eq
    bad[np.searchsorted(ends_of_lines, misplaced)] = True
    joined = np.zeros(len(starts), dtype=np.bool_)
    joined[starts > 0] = b[starts[starts > 0] - 1] == _EQUALS
    # Per line: weight first, an optional 0 last, preferences between.
    first = np.cumsum(counts) - counts
    last = first + counts - 1
    has = counts > 0
    weight = np.zeros(n_lines, dtype=np.int64)
    weight[has] = vals[first[has]]
    bad |= has & (weight < 1)
    term = (counts > 1) & (vals[np.maximum(last, 0)] == 0) & ~joined[np.maximum(last, 0)]
    tok_idx = np.arange(len(starts))
    is_pref = (tok_idx != first[tok_line]) & ~((tok_idx == last[tok_line]) & term[tok_line])
    pref_line = tok_line[is_pref]
    pref_val = vals[is_pref]
    pref_joined = joined[is_pref]
    # The weight cannot be joined to the first preference; preferences are 1..n.
    bad[tok_line[joined & (tok_idx == first[tok_line] + 1)]] = True
    bad[pref_line[(pref_val < 1) | (pref_val > n)]] = True
    key = np.sort(pref_line * (n + 1) + np.clip(pref_val, 0, n))
    dup = key[1:] == key[:-1]
    bad[key[1:][dup] // (n + 1)] = True
    # Tiers: count the preferences that start a new tier, per line.
    new_tier = (~pref_joined).astype(np.int64)
    level = np.cumsum(new_tier) - 1
    first_pref = np.flatnonzero(np.diff(pref_line, prepend=-1) != 0)
    base = np.zeros(n_lines, dtype=np.int64)
    base[pref_line[first_pref]] = level[first_pref]
    tiers = level - base[pref_line]
    cols = colmap[np.clip(pref_val, 0, n)]
    keep = ~bad[pref_line] & (cols >= 0)
    good = np.flatnonzero(has & ~bad)
    fast_arr = np.asarray(fast, dtype=np.intp)
    rows.fill(fast_arr[good], weight[good], fast_arr[pref_line[keep]], cols[keep], tiers[keep])
    slow_set.update(fast_arr[~has | bad].tolist())
    return sorted(slow_set)


_EXPECTED = "expected 'weight c1 c2 ... 0' with candidate numbers 1 to {n} ('=' joins ties)"
_DECIMAL = re.compile(r"[0-9]*+\.[0-9]++|[0-9]++\.", re.ASCII)


def _parse_line(raw: str, n: int) -> tuple[int, list[int], list[int]] | tuple[str, int]:
    """A ballot line in full generality: ``(weight, candidate numbers, tiers)``, or
    ``(reason, weight)`` when the line is malformed (weight 1 if it could not be read)."""
    s = _strip_comment(raw)
    m = _BALLOT_ID.match(s)
    if m is not None:
        s = s[m.end() :].strip()
    elif s.startswith("("):
        return "unclosed ballot id: write it as '(id)' at the start of the line", 1
    toks = s.split()
    if not toks:
        return "a ballot id with no ballot after it; " + _EXPECTED.format(n=n), 1
    head = toks[0]
    weight = whole_number(head)
    if weight is None:
        if _DECIMAL.fullmatch(head):
            return (
                f"weight {shorten(head)} is not a whole number; a profile counts whole "
                "voters, so scale the weights to integers",
                1,
            )
        return f"the line does not start with a weight; {_EXPECTED.format(n=n)}", 1
    if weight > MAX_WEIGHT:
        return f"weight {shorten(head)} is too large (the limit is {MAX_WEIGHT})", 1
    prefs_tok = toks[1:]
    if prefs_tok and prefs_tok[-1] == "0":
        prefs_tok = prefs_tok[:-1]
    prefs: list[int] = []
    tiers: list[int] = []
    tier = 0
    for tok in prefs_tok:
        if tok == "-":
            continue
        for part in tok.split("="):
            k = whole_number(part)
            if k is None:
                return f"{shorten(tok)!r} is not a preference; {_EXPECTED.format(n=n)}", weight
            if k == 0:
                if "=" in tok:
                    return f"{tok!r}: 0 ends a ballot and cannot be tied with '='", weight
                return "0 ends a ballot, but preferences follow it; put the 0 last", weight
            if k > n:
                return (
                    f"candidate number {shorten(part)} is out of range; candidates are "
                    f"numbered 1 to {n}",
                    weight,
                )
            prefs.append(k)
            tiers.append(tier)
        tier += 1
    if len(set(prefs)) != len(prefs):
        twice = next(k for k in prefs if prefs.count(k) > 1)
        return (
            f"candidate {twice} is ranked twice; rank each candidate at most once",
            weight,
        )
    if weight == 0:
        return "weight 0: the line stands for no voter; a weight must be >= 1", 0
    return weight, prefs, tiers

"""The Condorcet Election Format (CEF, ``.cvotes``) of the Condorcet PHP project.

A CEF file is a block of parameter lines, then vote lines::

    # My beautiful election
    #/Candidates: Candidate A ; Candidate B ; Candidate C
    #/Number of Seats: 2
    #/Implicit Ranking: true
    #/Weight Allowed: true

    Candidate A > Candidate B > Candidate C * 42      <- 42 identical votes
    Candidate C > Candidate A = Candidate B ^7 * 8    <- 8 votes of weight 7
    tag1, tag2 || Candidate B > Candidate C           <- tags before '||'
    /EMPTY/ * 2                                       <- two blank votes

References
----------
.. [1] J. Boudry, "Condorcet Election Format", version 1 (final, 2022-04-27),
   https://github.com/CondorcetVote/CondorcetElectionFormat
.. [2] Condorcet PHP, the reference implementation,
   https://github.com/julien-boudry/Condorcet (``Tools/Converters/CEF``)
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, TextIO

import numpy as np

from voting._typing import UnrankedPolicy
from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options
from voting.formats._text import (
    MAX_WEIGHT,
    BlockRows,
    block_lines,
    encode_rankings,
    encode_tiers,
    int_option,
    iter_tiers,
    rewindable,
    shorten,
    split_tiers,
    str_option,
    take_lines,
    whole_number,
)
from voting.profile import Profile

__all__ = ["CEFFormat"]

_PARAM = re.compile(r"#/([^:]*):(.*)")
_STANDARD_PARAM = re.compile(
    r"#/\s*(candidates|number of seats?|implicit ranking|weight allowed)\s*:", re.IGNORECASE
)
RESERVED = "><=;,#/*^|"
"""Characters a candidate name (or the title) cannot hold: the specification reserves
``> = ; , # /``, and ``< * ^ |`` would be read as syntax."""
_EMPTY = ("/EMPTY/", "/EMPTY_RANKING/")
_SYNTAX = "#|*^<"
# Lines with any of these go to the line-by-line parser ('/' for /EMPTY/).
_SLOW_CHARS = re.compile(r"[#|^</]")
_BOOLS = {"true": True, "false": False}


@dataclass(slots=True)
class _Params:
    """The parameter block, and the line number of the first vote line (0: none)."""

    candidates: tuple[str, ...] | None = None
    seats: int | None = None
    implicit: bool = True
    weight_allowed: bool = False
    title: str | None = None
    body: int = 0


class CEFFormat:
    """Condorcet Election Format files (``.cvotes``).

    Read with ``read_ballots(path, format="cef")`` (or from the extension); write
    with ``write_ballots(profile, path, format="cef", seats=..., title=...)``.

    Notes
    -----
    **Parameters,** before the first vote; their names are case-insensitive.
    ``#/Candidates: A ; B ; C`` gives the candidates, in that order.
    ``#/Number of Seats: n`` sets :attr:`ReadReport.seats` (the specification's
    default, 100, is not invented when the line is missing). ``#/Implicit Ranking:
    true|false`` picks the unranked policy. ``#/Weight Allowed: true|false``
    (default false) says whether ``^weight`` counts. ``#/Title:`` sets
    :attr:`ReadReport.title` (this library's extension, which other software
    ignores). Other parameters are ignored, as the specification allows.

    **Votes** are ``[tags ||] A > B = C [^weight] [* quantifier]``. A line stands
    for ``quantifier`` voters, each of weight ``weight`` when weights are allowed
    (``^`` is ignored otherwise, as the specification says); the profile weight is
    their product, which is what a weighted vote means to every method of this
    library. ``/EMPTY/`` (the specification) or ``/EMPTY_RANKING/`` (Condorcet PHP)
    is a blank vote. Tags are read and dropped. A vote naming a candidate that is
    not in ``#/Candidates`` is rejected through the error policy (such a name is
    usually a typo, and dropping it would count the vote as something its voter did
    not write). Option ``unknown_candidates="skip"`` follows the specification
    instead: such names are dropped from the vote, with one :class:`UserWarning` per
    file listing them. Without ``#/Candidates`` the candidates are every name the
    votes use, sorted, and the file is read twice (a seekable stream is rewound,
    anything else is spooled to a temporary file).

    **Unranked candidates.** ``#/Implicit Ranking: true`` (the default) means
    unranked candidates come last: policy ``"last"``; false means ``"ignore"``. The
    caller's ``unranked=`` overrides the file.

    **Errors.** A malformed vote (an empty preference, a candidate twice, ``<``, a
    bad ``*`` or ``^`` number, ``* 8 ^7`` in the wrong order, ``/EMPTY/`` as one
    rank) is rejected through the error policy, with its weight when readable.
    Malformed or repeated parameters, a comment on a parameter line, an indented
    parameter line and a parameter after the first vote are structural errors.

    **Writing.** ``#/Candidates``, ``#/Number of Seats`` (option ``seats``, int
    >= 1, only when given), ``#/Title`` (option ``title``, only when given),
    ``#/Implicit Ranking`` (true for ``unranked="last"``, false for ``"ignore"``)
    and ``#/Weight Allowed: false``, then one line per ballot with its weight as the
    ``* quantifier``; blank ballots are ``/EMPTY_RANKING/``, which Condorcet PHP
    reads. Reading the file back gives the same profile, policy included, after
    :meth:`~voting.Profile.compress`.

    **Not supported.** Candidate names with the reserved characters ``> = ; , #
    /`` (or ``< * ^ |``, which would read as syntax), line breaks or surrounding
    spaces cannot be written (:class:`~voting.UnsupportedProfileError`). Condorcet
    PHP sorts the candidates of ``#/Candidates`` by name; this reader keeps the
    file's order.

    References
    ----------
    .. [1] J. Boudry, "Condorcet Election Format", version 1 (2022-04-27),
       https://github.com/CondorcetVote/CondorcetElectionFormat

    Examples
    --------
    >>> import io
    >>> from voting.formats import read_ballots
    >>> lines = ["#/Candidates: Ann ; Bo ; Cy", "#/Implicit Ranking: false",
    ...          "Ann > Bo = Cy * 3", "Cy", "/EMPTY/ * 2"]
    >>> p = read_ballots(io.StringIO("\\n".join(lines)), "cef", compress=False)
    >>> p.unranked, p.weights.tolist()
    ('ignore', [3, 1, 2])
    >>> p.ranks.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[0, 1, 1], [2147483647, 2147483647, 0],
     [2147483647, 2147483647, 2147483647]]
    """

    name: ClassVar[str] = "cef"
    extensions: ClassVar[tuple[str, ...]] = (".cvotes",)
    default_unranked: ClassVar[UnrankedPolicy] = "last"
    orientation: ClassVar[str] = "preference order (best first)"

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """None: a written file records its policy (``#/Implicit Ranking``)."""
        return None

    # ------------------------------------------------------------------ sniff
    def sniff(self, head: str) -> bool:
        """True when ``head`` opens with comments and parameter lines among which is a
        standard CEF parameter (``#/Candidates:``, ``#/Number of Seats:``,
        ``#/Implicit Ranking:``, ``#/Weight Allowed:``).

        A CEF file without parameters is recognised by its ``.cvotes`` extension only.
        """
        for raw in head.splitlines():
            line = raw.lstrip("\ufeff")
            if _STANDARD_PARAM.match(line):
                return True
            if line.strip() and not line.startswith("#"):
                return False
        return False

    # ------------------------------------------------------------------- read
    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the votes of a CEF file in chunks of at most ``chunk_size``.

        Raises
        ------
        BallotFormatError
            A structural error (see the class), no candidates at all; or
            (``errors="raise"``) a malformed vote line.
        InvalidParameterError
            An unknown option, or ``unknown_candidates`` other than ``"reject"`` and
            ``"skip"``.
        """
        opts = check_options(self.name, options, {"unknown_candidates": "reject"})
        mode = opts["unknown_candidates"]
        if mode not in ("reject", "skip"):
            raise InvalidParameterError(
                f"unknown_candidates={mode!r} for the 'cef' format; use 'reject' (a vote "
                "naming a candidate missing from #/Candidates is rejected) or 'skip' (such "
                "names are dropped from the vote, as the CEF specification says)."
            )
        with rewindable(stream) as (src, start):
            params = _read_params(src, ctx)
            candidates = params.candidates
            if candidates is None:
                src.seek(start)
                candidates = _names_from_votes(src, params.body)
            if not candidates:
                raise ctx.fail(
                    "no candidates: the file has no '#/Candidates: A ; B' line and no vote "
                    "names one"
                )
            ctx.check_candidates(len(candidates))
            ctx.seats = params.seats
            ctx.title = params.title
            policy = ctx.policy("last" if params.implicit else "ignore")
            chunker = RowChunker(candidates, policy, chunk_size)
            unknown: set[str] | None = set() if mode == "skip" else None
            if params.body:
                src.seek(start)
                yield from _read_votes(
                    src,
                    ctx,
                    params,
                    {name: i for i, name in enumerate(candidates)},
                    unknown,
                    chunker,
                    block_lines(chunk_size, len(candidates)),
                )
            yield from chunker.finish()
        if unknown:  # unknown_candidates="skip"
            listed = ", ".join(repr(n) for n in sorted(unknown)[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            warnings.warn(
                f"{ctx.source}: votes name {len(unknown)} candidate(s) missing from "
                f"#/Candidates ({listed}{more}); they were skipped "
                "(unknown_candidates='skip'). Check them for typos.",
                UserWarning,
                stacklevel=2,
            )

    # ------------------------------------------------------------------ write
    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write ``profile`` as CEF (options ``seats`` and ``title``, see the class).

        Raises
        ------
        UnsupportedProfileError
            A candidate name CEF cannot hold (see the class).
        InvalidParameterError
            An unknown option, a bad ``seats``, or a ``title`` with reserved characters.
        """
        check_options(self.name, options, {"seats": None, "title": None})
        seats = int_option(options, "seats", self.name, minimum=1)
        title = str_option(options, "title", self.name, forbidden=RESERVED)
        for name in profile.candidates:
            bad = sorted({ch for ch in name if ch in RESERVED or ch in "\r\n<"})
            if bad or name != name.strip() or name.upper() in _EMPTY:
                raise UnsupportedProfileError(
                    f"candidate name {name!r} cannot be written in CEF: names cannot hold "
                    f"{' '.join(RESERVED)} or '<', line breaks or surrounding spaces "
                    f"(found {bad or 'spaces'}); rename it."
                )
        out = [f"#/Candidates: {' ; '.join(profile.candidates)}\n"]
        if seats is not None:
            out.append(f"#/Number of Seats: {seats}\n")
        if title is not None:
            out.append(f"#/Title: {title}\n")
        implicit = "true" if profile.unranked == "last" else "false"
        out.append(f"#/Implicit Ranking: {implicit}\n#/Weight Allowed: false\n\n")
        stream.write("".join(out))
        names = profile.candidates
        lines: list[str] = []
        for weight, tiers in iter_tiers(profile):
            ranking = " > ".join(" = ".join(names[c] for c in tier) for tier in tiers)
            ranking = ranking or _EMPTY[1]
            lines.append(f"{ranking} * {weight}\n" if weight != 1 else f"{ranking}\n")
            if len(lines) >= 8192:
                stream.write("".join(lines))
                lines.clear()
        stream.write("".join(lines))


def _bool_param(value: str, name: str, ctx: ReadContext, lineno: int, raw: str) -> bool:
    flag = _BOOLS.get(value.lower())
    if flag is None:
        raise ctx.fail(f"#/{name}: expected true or false, got {value!r}", lineno, raw)
    return flag


def _read_params(src: TextIO, ctx: ReadContext) -> _Params:
    """Read the parameter block; stop at the first vote line (its number in ``body``)."""
    params = _Params()
    seen: set[str] = set()
    for lineno, raw in enumerate(src, start=1):
        line = raw.rstrip("\r\n")
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.startswith("#/"):
            if line.lstrip().startswith("#/"):
                raise ctx.fail(
                    "a parameter line must start at the beginning of the line", lineno, line
                )
            if line.split("#", 1)[0].strip():
                params.body = lineno
                return params
            continue
        m = _PARAM.fullmatch(line)
        if m is None:
            raise ctx.fail("expected a parameter line '#/Name: value'", lineno, line)
        key = " ".join(m.group(1).split()).lower()
        value = m.group(2).strip()
        if "#" in value:
            raise ctx.fail("comments are not allowed on parameter lines", lineno, line)
        if key == "number of seat":
            key = "number of seats"
        if key in seen:
            raise ctx.fail(f"parameter #/{m.group(1).strip()} is given twice", lineno, line)
        seen.add(key)
        if key == "candidates":
            names = tuple(name.strip() for name in value.split(";"))
            for name in names:
                bad = sorted({ch for ch in name if ch in RESERVED or ch == "<"})
                if not name or bad:
                    raise ctx.fail(
                        "#/Candidates: expected names separated by ';'"
                        + (f"; names cannot hold {bad}" if bad else "; found an empty name"),
                        lineno,
                        line,
                    )
            if len(set(names)) != len(names):
                twice = next(n for n in names if names.count(n) > 1)
                raise ctx.fail(f"#/Candidates names {twice!r} twice", lineno, line)
            params.candidates = names
        elif key == "number of seats":
            seats = whole_number(value)
            if seats is None or not 1 <= seats <= MAX_WEIGHT:
                raise ctx.fail(
                    f"#/Number of Seats: expected a whole number >= 1, got {value!r}",
                    lineno,
                    line,
                )
            params.seats = seats
        elif key == "implicit ranking":
            params.implicit = _bool_param(value, "Implicit Ranking", ctx, lineno, line)
        elif key == "weight allowed":
            params.weight_allowed = _bool_param(value, "Weight Allowed", ctx, lineno, line)
        elif key == "title":
            params.title = value
    return params


def _split_vote(text: str) -> tuple[str, int, int] | str:
    """``(ranking, weight, quantifier)`` of a vote line (comment already removed), or a
    reason string when it is malformed."""
    if "||" in text:
        text = text.split("||", 1)[1]
    quantifier = 1
    if "*" in text:
        text, _, q = text.rpartition("*")
        q = q.strip()
        number = whole_number(q)
        if number is None:
            return (
                f"expected a whole number after '*' (the quantifier), got {shorten(q)!r}; "
                "the order is 'ranking ^weight * quantifier'"
            )
        quantifier = number
    weight = 1
    if "^" in text:
        text, _, w = text.rpartition("^")
        w = w.strip()
        number = whole_number(w)
        if number is None:
            return f"expected a whole number after '^' (the weight), got {shorten(w)!r}"
        weight = number
    text = text.strip()
    if not text:
        return "the vote has no ranking; write /EMPTY/ for a blank vote"
    for ch in "*^|<":
        if ch in text:
            return (
                f"unexpected {ch!r} in the ranking; expected 'A > B = C' then optional "
                "'^weight' and '* quantifier', in that order"
            )
    return text, weight, quantifier


def _vote_text(raw: str) -> str:
    """``raw`` without its comment; empty (after stripping) for a blank or comment line."""
    return raw.split("#", 1)[0] if "#" in raw else raw


def _parse_vote(text: str) -> tuple[list[list[str]] | str, int, int] | str:
    """Tiers of names, weight and quantifier of one vote (comment removed). The tiers
    are a reason string when the ranking is malformed; the whole result is one when
    the weight or quantifier cannot be read either."""
    if any(ch in text for ch in _SYNTAX):
        parts = _split_vote(text)
        if isinstance(parts, str):
            return parts
        text, weight, quantifier = parts
    else:
        text, weight, quantifier = text.strip(), 1, 1
    if text in _EMPTY:
        return [], weight, quantifier
    tiers = split_tiers(text)
    if isinstance(tiers, list) and any(name in _EMPTY for tier in tiers for name in tier):
        return (
            f"{_EMPTY[0]} stands for a whole blank vote and cannot be one rank of a ranking",
            weight,
            quantifier,
        )
    return tiers, weight, quantifier


def _names_from_votes(src: TextIO, body: int) -> tuple[str, ...]:
    """Every candidate name the readable votes use, sorted (first pass)."""
    found: set[str] = set()
    if not body:
        return ()
    it = iter(src)
    for _ in range(body - 1):
        next(it)
    for raw in it:
        text = _vote_text(raw)
        if raw.startswith("#/") or not text.strip():
            continue
        parsed = _parse_vote(text)
        if not isinstance(parsed, str) and not isinstance(parsed[0], str):
            for tier in parsed[0]:
                found.update(tier)
    return tuple(sorted(found))


def _read_votes(
    src: TextIO,
    ctx: ReadContext,
    params: _Params,
    index: dict[str, int],
    unknown: set[str] | None,
    chunker: RowChunker,
    block: int,
) -> Iterator[Profile]:
    """Second pass: parse every vote line from line ``params.body`` on, a block of lines
    at a time."""
    it = iter(src)
    for _ in range(params.body - 1):
        next(it)
    lineno = params.body
    while lines := take_lines(it, block):
        rows = BlockRows(len(lines), len(index))
        rankings: list[str] = []
        where: list[int] = []
        counts: list[int] = []
        slow: list[int] = []
        plain_block = _SLOW_CHARS.search("".join(lines)) is None
        for i, raw in enumerate(lines):
            if not plain_block and _SLOW_CHARS.search(raw):
                slow.append(i)
                continue
            text = raw.strip()
            if not text:
                continue
            count = 1
            if "*" in text:
                text, _, q = text.rpartition("*")
                text = text.rstrip()
                q = q.strip()
                number = whole_number(q)
                if number is None or not text or not 1 <= number <= MAX_WEIGHT:
                    slow.append(i)
                    continue
                count = number
            rankings.append(text)
            where.append(i)
            counts.append(count)
        bad, r, c, t = encode_rankings("".join(r + "\n" for r in rankings), index, unknown)
        at = np.asarray(where, dtype=np.intp)
        good = ~bad
        rows.fill(at[good], np.asarray(counts, dtype=np.int64)[good], at[r], c, t)
        slow.extend(at[bad].tolist())
        slow.sort()
        for i in slow:
            parsed = _vote_line(lines[i], lineno + i, ctx, params, index, unknown)
            if parsed is not None:
                rows.set(i, *parsed)
        lineno += len(lines)
        yield from chunker.add(*rows.take())


def _vote_line(
    raw: str,
    lineno: int,
    ctx: ReadContext,
    params: _Params,
    index: dict[str, int],
    unknown: set[str] | None,
) -> tuple[list[int], list[int], int] | None:
    """One vote line in full generality: ``(cols, tiers, weight)``, or ``None`` for a
    blank or comment line and for a rejected vote (reported to ``ctx``)."""
    if raw.startswith("#/"):
        raise ctx.fail(
            f"parameters must come before the first vote (line {params.body}); move this line up",
            lineno,
            raw.rstrip("\r\n"),
        )
    text = _vote_text(raw)
    if not text.strip():
        return None
    parsed = _parse_vote(text)
    if isinstance(parsed, str):
        ctx.reject(lineno, raw.rstrip("\r\n"), parsed, 1)
        return None
    tiers, weight, quantifier = parsed
    total = weight * quantifier if params.weight_allowed else quantifier
    if total < 1:
        ctx.reject(
            lineno,
            raw.rstrip("\r\n"),
            "the vote stands for no voter ('* 0' or '^0'); quantifiers and weights must be >= 1",
            0,
        )
        return None
    if total > MAX_WEIGHT:
        ctx.reject(
            lineno,
            raw.rstrip("\r\n"),
            f"the vote's weight {total} is too large (the limit is {MAX_WEIGHT})",
            1,
        )
        return None
    encoded = tiers if isinstance(tiers, str) else encode_tiers(tiers, index, unknown)
    if isinstance(encoded, str):
        if encoded.startswith("unknown candidate"):
            encoded += (
                " (not in #/Candidates; a typo?); fix the vote, or read with "
                "unknown_candidates='skip' to drop such names from the votes, as the CEF "
                "specification says"
            )
        ctx.reject(lineno, raw.rstrip("\r\n"), encoded, total)
        return None
    return encoded[0], encoded[1], total

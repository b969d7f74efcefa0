"""The Aggregated Ballot Information Format (ABIF) of the electorama project.

An ABIF file mixes four kinds of lines, in any order::

    # a comment (also at the end of any line)
    {title: "Tennessee capitol example"}       <- metadata, one JSON key/value pair
    =Memph:[Memphis, TN]                       <- a candidate token and its full name
    42:Memph>Nash>Chat>Knox                    <- count : ranking
    26:Nash>Chat=Knox>Memph                    <- '=' ties, '>' prefers
    15:Chat/5>Knox/4>[Nashville, TN]/3         <- '/rating' scores, [bracketed] tokens
    10:                                        <- blank ballots

References
----------
.. [1] electorama/abif, the ABIF drafts and test files,
   https://github.com/electorama/abif (grammar ``abif-v0.31.ebnf``,
   ``draft1/ballot_lines.md``).
.. [2] electowiki, "ABIF", https://electowiki.org/wiki/ABIF
.. [3] electorama/abiftool, the reference parser ``abiflib``,
   https://github.com/electorama/abiftool
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, TextIO

import numpy as np

from voting._checks import check_candidates
from voting._typing import UnrankedPolicy
from voting.exceptions import InvalidParameterError, InvalidProfileError, UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options
from voting.formats._text import (
    MAX_WEIGHT,
    BlockRows,
    block_lines,
    encode_rankings,
    encode_tiers,
    iter_tiers,
    ranking_names,
    rewindable,
    shorten,
    split_tiers,
    str_option,
    take_lines,
    whole_number,
)
from voting.profile import Profile

__all__ = ["ABIFFormat"]

_COUNT = re.compile(r"([0-9]++)[ \t]*+:", re.ASCII)
# Plain ballot lines hold only these characters, and start with a count prefix.
_PLAIN_CHARS = re.compile(r"[^\w\- \t>=:\n]")
_COLON, _NEWLINE = ord(":"), ord("\n")
_PIECE = 256  # lines per piece when a block is not plain as a whole
# A character that keeps a ranking off the vectorised path (brackets, quotes, ratings,
# commas, comments).
_NOT_PLAIN = re.compile(r"[^\w\- \t>=\n]")
# A ranking of bare tokens only: the fast path (no brackets, quotes, ratings or commas).
_PLAIN = re.compile(r"[\w\-\s>=]*")
_BARE = re.compile(r"[\w\-]+")
_WRITE_BARE = re.compile(r"[A-Za-z0-9_\-]+")
# Text before a comment: '#' inside [...] or a "..." string (JSON escapes allowed) is kept.
_BEFORE_COMMENT = re.compile(r'(?:\[[^\]]*+\]|"(?:[^"\\]|\\.)*+"|[^#\["])*+')
# One preference of a general ranking: a token, an optional /rating, then a separator.
# Possessive quantifiers throughout: no pattern here backtracks, so each is linear in
# its line (lazy, overlapping groups took 20 s on a 3 KB metadata line).
_PREF = re.compile(
    r"""\s*+(?:\[(?P<br>[^\]]*+)\]|"(?P<qu>[^"]*+)"|(?P<bare>[\w\-]++))
        \s*+(?:/\s*+(?P<rating>[^\s>=,]*+))?
        \s*+(?P<sep>[>=,]|$)""",
    re.VERBOSE,
)
_TOKEN = r'\[(?P<{0}b>[^\]]*+)\]|"(?P<{0}q>[^"]*+)"|(?P<{0}w>[^\s:\[\]"]++)'
_CANDLINE = re.compile(
    r"=\s*+(?:" + _TOKEN.format("t") + r")\s*+:\s*+(?:\[(?P<db>[^\]]*+)\]\s*+|"
    r"\"(?P<dq>[^\"]*+)\"\s*+|(?P<dw>.*))"
)
_SNIFF_PREFLIB = re.compile(r"#\s*(FILE NAME|DATA TYPE|NUMBER ALTERNATIVES)\b")


def _strip_comment(text: str) -> str:
    """``text`` up to a ``#`` that is not inside ``[...]`` or ``"..."``.

    With an unclosed bracket or quote the text comes back whole, for the parser to
    reject."""
    if "#" not in text:
        return text
    if "[" not in text and '"' not in text:
        return text[: text.index("#")]
    m = _BEFORE_COMMENT.match(text)
    end = m.end() if m is not None else len(text)
    return text[:end] if end < len(text) and text[end] == "#" else text


def _parse_prefs(text: str) -> list[list[str]] | str:
    """The tiers of candidate tokens of a ranking (the part after ``count:``), or a
    reason string when it is malformed."""
    text = text.strip()
    if not text:
        return []
    if "[" not in text and '"' not in text and "/" not in text and "," not in text:
        if _PLAIN.fullmatch(text) is None:
            return (
                "a candidate token has characters other than letters, digits, '_' and '-'; "
                "write such a name in square brackets, like [Bob Kiss]"
            )
        tiers = split_tiers(text)
        if isinstance(tiers, list):
            for tier in tiers:
                for tok in tier:
                    if _BARE.fullmatch(tok) is None:
                        return (
                            f"{tok!r} is not one candidate token (tokens have no spaces); "
                            f"write [{tok}] for a name with spaces, or separate candidates "
                            "with '>' or '='"
                        )
        return tiers
    return _parse_general(text)


def _parse_general(text: str) -> list[list[str]] | str:
    """Rankings with [bracketed] or "quoted" tokens, /ratings, or comma lists."""
    prefs: list[tuple[str, int | None, str]] = []
    pos = 0
    while pos < len(text):
        m = _PREF.match(text, pos)
        if m is None or m.end() == pos:
            return (
                f"cannot read the ranking from {text[pos:]!r}; expected candidate tokens "
                '(bare, [bracketed] or "quoted") with an optional /rating, separated by '
                "'>', '=' or ','"
            )
        pos = m.end()
        tok = m.group("br")
        if tok is None:
            tok = m.group("qu")
        if tok is None:
            tok = m.group("bare")
        tok = tok.strip()
        if not tok:
            return "empty candidate token '[]'"
        raw_rating = m.group("rating")
        rating: int | None = None
        if raw_rating is not None:
            rating = whole_number(raw_rating)
            if rating is None:
                return f"rating {shorten(raw_rating)!r} of {shorten(tok)!r} is not a whole number"
            if rating > MAX_WEIGHT:
                return f"rating {shorten(raw_rating)} of {shorten(tok)!r} is too large"
        sep = m.group("sep")
        if not sep and pos < len(text):
            return f"expected '>', '=' or ',' after {tok!r}"
        prefs.append((tok, rating, sep))
    seps = {sep for _, _, sep in prefs[:-1]}
    if prefs and prefs[-1][2]:
        return "the ranking ends with a separator; expected a candidate token after it"
    if "," not in seps:
        tiers: list[list[str]] = [[]]
        for tok, _, sep in prefs:
            tiers[-1].append(tok)
            if sep == ">":
                tiers.append([])
        return tiers
    if seps != {","}:
        return (
            "the ranking mixes ',' (unordered, rated choices) with '>' or '='; use one kind "
            "of separator per line"
        )
    unrated = [tok for tok, rating, _ in prefs if rating is None]
    if unrated:
        return (
            f"{unrated[0]!r} has no /rating in a comma-separated (unordered) list; such a "
            "list needs a rating on every candidate to give a ranking"
        )
    by_rating: dict[int, list[str]] = {}
    for tok, rating, _ in prefs:
        by_rating.setdefault(rating if rating is not None else 0, []).append(tok)
    return [by_rating[r] for r in sorted(by_rating, reverse=True)]


def _parse_metadata(text: str) -> tuple[str, object] | None:
    """``(key, value)`` of a ``{key: value}`` line (``("", None)`` for ``{}``), or ``None``
    when it is malformed. Values are JSON; a bare word is kept as a string.

    The key is a JSON string or a bare word (no ``:``, ``"``, braces); the value is
    everything after the first colon that follows it. Linear in the line.
    """
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    inner = text[1:-1].strip()
    if not inner:
        return "", None
    if inner.startswith('"'):
        try:
            key, end = json.JSONDecoder().raw_decode(inner)
        except (ValueError, RecursionError):  # a bad escape in a quoted key
            return None
        if not isinstance(key, str):
            return None
        rest = inner[end:].lstrip()
    else:
        colon = inner.find(":")
        key = inner[: max(colon, 0)].strip()
        if colon < 0 or not key or any(ch in key for ch in '"{}'):
            return None
        rest = inner[colon:]
    if not rest.startswith(":"):
        return None
    raw = rest[1:].strip()
    try:
        value: object = json.loads(raw)
    except (ValueError, RecursionError):
        value = raw.strip("'\"")
    return key, value


@dataclass(slots=True)
class _Header:
    """What the first pass learns: declared and used tokens, metadata."""

    declared: dict[str, str] = field(default_factory=dict)  # token -> full name
    used: dict[str, None] = field(default_factory=dict)  # tokens in ballots, in order
    metadata: dict[str, object] = field(default_factory=dict)


class ABIFFormat:
    """ABIF files (``.abif``): aggregated ranked ballots, ``count:A>B=C``.

    Read with ``read_ballots(path, format="abif", names="full")`` (or from the
    extension); write with ``write_ballots(profile, path, format="abif", title=...)``.

    Notes
    -----
    **Reading.** Ballot lines are ``count:ranking``: ``>`` separates tiers, ``=``
    ties candidates, and ``count`` voters cast the ballot; an empty ranking
    (``500:``) is a blank ballot. Candidate tokens are bare (letters, digits, ``_``,
    ``-``), ``[bracketed]`` or ``"quoted"``; ``=token:[Full Name]`` declares one.
    When the file declares its candidates, a ballot naming a token it does not
    declare is rejected (a typo would otherwise become a new candidate and its
    voters' preference would be lost); option ``undeclared="add"`` makes such tokens
    candidates too, after the declared ones in order of first appearance, as abiftool
    does. A file that declares no candidate takes them from its ballots. Option
    ``names``: ``"full"`` (default) names candidates by their
    declared full name, ``"token"`` by their token. Ratings (``A/5``) are checked to
    be whole numbers; with ``>`` and ``=`` the order written is the ranking and the
    ratings are otherwise ignored, while a comma-separated, unordered list
    (``A/5, B/2, C/2``) is ranked by its ratings, highest first, equal ratings
    tied. ``{key: value}`` metadata lines are read (``title`` sets
    :attr:`ReadReport.title`); ``#`` starts a comment anywhere outside brackets and
    quotes.

    **Unranked candidates.** Default policy ``"last"``: abiftool ranks candidates a
    ballot does not list below those it lists.

    **Errors.** A malformed ballot line (count 0, an empty preference, a candidate
    twice, a token with spaces outside brackets, a bad rating, a comma list
    without ratings) is rejected through the error policy with its count when
    readable. A malformed metadata or candidate line, a token declared twice with
    different names, and two candidates with one name are structural errors.

    **Memory.** Undeclared tokens may appear on any line, so the file is read twice:
    a seekable stream is rewound, anything else is spooled to a temporary file.
    Ballot lines of bare tokens are parsed a block at a time by vectorised code;
    only the others (brackets, quotes, ratings, comments, errors) one by one.

    **Writing.** Each candidate is declared ``=token:[name]``, the token being the
    name itself when it is a bare token and a sanitised, distinct form of it
    otherwise. Ballots are written ``weight:A>B=C``, blank ballots ``weight:``.
    Option ``title`` (str) adds a ``{title: ...}`` line. ABIF carries no unranked
    policy: read the file back with ``unranked=profile.unranked`` to get the same
    profile after :meth:`~voting.Profile.compress`.

    **Not supported.** Cardinal use of ratings (score, STAR), beyond ordering comma
    lists; skipped rankings (``42:>A>>B``, proposed in electorama/abif issue 35) and
    the obsolete ``count * ranking`` and ``[Name]: token`` syntaxes of early drafts;
    per-line JSON data after the ranking (``7: D>C: {...}``). These lines are
    rejected as malformed. Names containing ``]`` or line breaks cannot be written
    (:class:`~voting.UnsupportedProfileError`).

    References
    ----------
    .. [1] electorama/abif, https://github.com/electorama/abif (``abif-v0.31.ebnf``,
       ``draft1/ballot_lines.md``, ``testfiles/``).
    .. [2] electorama/abiftool (``abiflib``), https://github.com/electorama/abiftool

    Examples
    --------
    >>> import io
    >>> from voting.formats import read_ballots
    >>> lines = ["{title: 'Lunch'}", "=P:[Pizza]", "=S:[Sushi]", "3:P>S", "2:S=T", "1:"]
    >>> p, report = read_ballots(io.StringIO("\\n".join(lines)), "abif", errors="collect")
    >>> p.candidates, report.title, p.num_voters, report.ballots_rejected
    (('Pizza', 'Sushi'), 'Lunch', 4, 2)
    >>> print(report.rejected[0].reason)  # doctest: +ELLIPSIS
    unknown candidate token 'T': the file declares its candidates (=token:[Name]) and ...
    >>> p = read_ballots(io.StringIO("\\n".join(lines)), "abif", undeclared="add")
    >>> p.candidates, p.num_voters
    (('Pizza', 'Sushi', 'T'), 6)
    """

    name: ClassVar[str] = "abif"
    extensions: ClassVar[tuple[str, ...]] = (".abif",)
    default_unranked: ClassVar[UnrankedPolicy] = "last"
    orientation: ClassVar[str] = "preference order (best first)"

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """The policy a written file is read back with: the format's default."""
        return self.default_unranked

    # ------------------------------------------------------------------ sniff
    def sniff(self, head: str) -> bool:
        """True when every line of ``head`` is an ABIF comment, metadata, candidate or
        ballot line, with at least one ballot or candidate line.

        PrefLib files (whose ``count: 1,2,3`` lines look like unrated ABIF comma
        lists) are excluded by their ``# FILE NAME`` / ``# DATA TYPE`` headers and
        because unrated comma lists are not ABIF rankings.
        """
        lines = head.splitlines()
        if lines and not head.endswith(("\n", "\r")) and len(lines) > 1:
            lines = lines[:-1]
        found = False
        for raw in lines:
            s = raw.strip().lstrip("\ufeff")
            if not s:
                continue
            if s[0] == "#":
                if _SNIFF_PREFLIB.match(s):
                    return False
                continue
            s = _strip_comment(s).strip()
            if s[0] == "{":
                if _parse_metadata(s) is None:
                    return False
            elif s[0] == "=":
                if _CANDLINE.fullmatch(s) is None:
                    return False
                found = True
            else:
                m = _COUNT.match(s)
                if m is None or isinstance(_parse_prefs(s[m.end() :]), str):
                    return False
                found = True
        return found

    # ------------------------------------------------------------------- read
    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the ballots of an ABIF file in chunks of at most ``chunk_size``.

        Raises
        ------
        BallotFormatError
            A malformed metadata or candidate line, a token declared twice with
            different names, duplicate candidate names, no candidate at all; or
            (``errors="raise"``) a malformed ballot line.
        InvalidParameterError
            An unknown option or a ``names`` other than ``"full"`` / ``"token"``.
        """
        opts = check_options(self.name, options, {"names": "full", "undeclared": "reject"})
        mode = opts["names"]
        if mode not in ("full", "token"):
            raise InvalidParameterError(
                f"names={mode!r} for the 'abif' format; use 'full' (declared full names) "
                "or 'token' (the tokens ballots use)."
            )
        undeclared = opts["undeclared"]
        if undeclared not in ("reject", "add"):
            raise InvalidParameterError(
                f"undeclared={undeclared!r} for the 'abif' format; use 'reject' (a ballot "
                "naming a token the file does not declare is rejected) or 'add' (such tokens "
                "are candidates too)."
            )
        with rewindable(stream) as (src, start):
            header = _scan(src, ctx, block_lines(chunk_size, 64))
            tokens = list(header.declared)
            if undeclared == "add" or not tokens:
                tokens += [t for t in header.used if t not in header.declared]
            if not tokens:
                raise ctx.fail(
                    "no candidates: the file declares none (=token:[Name]) and no ballot ranks one"
                )
            ctx.check_candidates(len(tokens))
            names = tuple(header.declared.get(t, t) if mode == "full" else t for t in tokens)
            try:
                check_candidates(names)
            except InvalidProfileError as exc:
                raise ctx.fail(
                    f"{exc} Read with names='token' to name candidates by their tokens."
                ) from None
            title = header.metadata.get("title")
            if isinstance(title, str):
                ctx.title = title
            index = {t: i for i, t in enumerate(tokens)}
            chunker = RowChunker(names, ctx.policy(self.default_unranked), chunk_size)
            src.seek(start)
            yield from _read_ballots(src, ctx, index, chunker, block_lines(chunk_size, len(names)))
            yield from chunker.finish()

    # ------------------------------------------------------------------ write
    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write ``profile`` as ABIF (option ``title``, see the class).

        Raises
        ------
        UnsupportedProfileError
            A candidate name contains ``]`` or a line break.
        InvalidParameterError
            An unknown option, or a ``title`` that is not a one-line str.
        """
        check_options(self.name, options, {"title": None})
        title = str_option(options, "title", self.name)
        tokens = _tokens_for(profile.candidates)
        if title is not None:
            stream.write(f"{{title: {json.dumps(title, ensure_ascii=False)}}}\n")
        for tok, name in zip(tokens, profile.candidates, strict=True):
            stream.write(f"={tok}:[{name}]\n")
        lines: list[str] = []
        for weight, tiers in iter_tiers(profile):
            prefs = ">".join("=".join(tokens[c] for c in tier) for tier in tiers)
            lines.append(f"{weight}:{prefs}\n")
            if len(lines) >= 8192:
                stream.write("".join(lines))
                lines.clear()
        stream.write("".join(lines))


def _tokens_for(candidates: tuple[str, ...]) -> list[str]:
    """One distinct bare token per candidate: the name when it is one, else a sanitised
    form of it."""
    for name in candidates:
        if "]" in name or "\n" in name or "\r" in name or name != name.strip():
            raise UnsupportedProfileError(
                f"candidate name {name!r} contains ']', a line break or surrounding spaces, "
                "which an ABIF [bracketed] name cannot hold; rename it."
            )
    taken = {name for name in candidates if _WRITE_BARE.fullmatch(name)}
    tokens: list[str] = []
    for i, name in enumerate(candidates):
        if _WRITE_BARE.fullmatch(name):
            tokens.append(name)
            continue
        base = re.sub(r"[^A-Za-z0-9_\-]+", "_", name).strip("_") or f"c{i + 1}"
        tok = base
        k = 2
        while tok in taken:
            tok = f"{base}_{k}"
            k += 1
        taken.add(tok)
        tokens.append(tok)
    return tokens


def _plain_block(text: str, n_lines: int) -> tuple[str, list[int]] | None:
    """Rankings and counts of a block whose every line is ``count:ranking`` with bare
    tokens, ``>`` and ``=`` only; ``None`` for any other block.

    Empty or invalid tokens still pass here: :func:`encode_rankings` catches them.
    """
    if _PLAIN_CHARS.search(text) is not None or text.count(":") != n_lines:
        return None
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    colons = np.flatnonzero(raw == _COLON)
    ends = np.flatnonzero(raw == _NEWLINE)
    if len(ends) != n_lines or not (colons < ends).all() or not (colons[1:] > ends[:-1]).all():
        return None  # some line has no colon, another two
    parts = text.replace(":", "\n").split("\n")
    counts = parts[0:-1:2]
    if (
        not all(counts)
        or not all(map(str.isdigit, counts))
        or not "".join(counts).isascii()
        or max(map(len, counts)) > 18
    ):
        return None  # white space around a count, or count too long: line by line
    return "\n".join(parts[1::2]) + "\n", list(map(int, counts))


def _split_fast(lines: list[str]) -> tuple[str, list[int], list[int], list[int]]:
    """Split a block into plain ballot lines (``count:`` then bare tokens, ``>`` and
    ``=``) and the rest, for the vectorised path.

    Returns
    -------
    rankings : str
        The rankings of the plain ballot lines, each ending with a line break.
    where, counts : list of int
        The line index and count of each plain ballot line.
    slow : list of int
        Indices of every other line (blank, comment, metadata, candidate, a ranking
        with brackets, quotes, ratings, commas or a comment, an empty ranking).
    """
    n_lines = len(lines)
    text = "".join(lines).replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    plain = _plain_block(text, n_lines)
    if plain is not None:  # the usual case in a large file
        return plain[0], list(range(n_lines)), plain[1], []
    if n_lines > _PIECE:  # look for plain pieces: the special lines are usually few
        texts: list[str] = []
        where: list[int] = []
        numbers: list[int] = []
        slow: list[int] = []
        for start in range(0, n_lines, _PIECE):
            t, w, c, s = _split_fast(lines[start : start + _PIECE])
            texts.append(t)
            where.extend(start + i for i in w)
            numbers.extend(c)
            slow.extend(start + i for i in s)
        return "".join(texts), where, numbers, slow
    rankings: list[str] = []
    where = []
    numbers = []
    slow = []
    for i, raw in enumerate(lines):
        count, colon, rest = raw.partition(":")
        count = count.strip()
        rest = rest.strip()
        if colon and rest and count.isdigit() and count.isascii() and len(count) <= 18:
            rankings.append(rest)
            where.append(i)
            numbers.append(int(count))
        else:
            slow.append(i)
    if rankings and _NOT_PLAIN.search("\n".join(rankings)):
        keep = [k for k, r in enumerate(rankings) if _NOT_PLAIN.search(r) is None]
        slow.extend(where[k] for k in set(range(len(rankings))).difference(keep))
        slow.sort()
        rankings = [rankings[k] for k in keep]
        where = [where[k] for k in keep]
        numbers = [numbers[k] for k in keep]
    return "".join(r + "\n" for r in rankings), where, numbers, slow


def _scan(src: TextIO, ctx: ReadContext, block: int) -> _Header:
    """First pass: metadata, candidate declarations, and the tokens ballots use."""
    header = _Header()
    used = header.used
    lineno = 1
    it = iter(src)
    while lines := take_lines(it, block):
        plain, _, _, slow = _split_fast(lines)
        for i in slow:
            raw = lines[i]
            s = raw.strip()
            if lineno + i == 1:
                s = s.lstrip("\ufeff")
            if not s or s[0] == "#":
                continue
            c = s[0]
            if c.isdigit():
                mc = _COUNT.match(s)
                if mc is not None:
                    tiers = _parse_prefs(_strip_comment(s[mc.end() :]))
                    if isinstance(tiers, list):
                        for tier in tiers:
                            used.update(dict.fromkeys(tier))
            elif c == "{":
                item = _parse_metadata(_strip_comment(s))
                if item is None:
                    raise ctx.fail(
                        "malformed metadata line; expected one key/value pair such as "
                        '{title: "My election"}',
                        lineno + i,
                        raw.rstrip("\r\n"),
                    )
                if item[0]:
                    header.metadata[item[0]] = item[1]
            elif c == "=":
                _declare(header, _strip_comment(s).strip(), ctx, lineno + i, raw)
        names = ranking_names(plain)
        new = set(names).difference(used)
        if new:
            # Only names that are bare tokens: the others make their line invalid.
            used.update(
                dict.fromkeys(t for t in dict.fromkeys(names) if t in new and _BARE.fullmatch(t))
            )
        lineno += len(lines)
    return header


def _declare(header: _Header, text: str, ctx: ReadContext, lineno: int, raw: str) -> None:
    m = _CANDLINE.fullmatch(text)
    if m is None:
        raise ctx.fail(
            "malformed candidate line; expected =token:[Full Name]",
            lineno,
            raw.rstrip("\r\n"),
        )
    tok = next(g for g in (m.group("tb"), m.group("tq"), m.group("tw")) if g is not None)
    tok = tok.strip()
    desc = next((g for g in (m.group("db"), m.group("dq"), m.group("dw")) if g is not None), "")
    desc = desc.strip() or tok
    if not tok:
        raise ctx.fail("empty candidate token", lineno, raw.rstrip("\r\n"))
    old = header.declared.get(tok)
    if old is not None and old != desc:
        raise ctx.fail(
            f"candidate token {tok!r} is declared twice, as {old!r} and {desc!r}",
            lineno,
            raw.rstrip("\r\n"),
        )
    header.declared[tok] = desc


def _read_ballots(
    src: TextIO,
    ctx: ReadContext,
    index: dict[str, int],
    chunker: RowChunker,
    block: int,
) -> Iterator[Profile]:
    """Second pass: parse every ballot line, a block of lines at a time; reject the
    malformed ones."""
    # The fast path sees bare tokens only: '[Bob Kiss]' may be declared, 'Bob Kiss' is
    # still not a valid bare token.
    bare_index = {t: i for t, i in index.items() if _BARE.fullmatch(t)}
    lineno = 1
    it = iter(src)
    while lines := take_lines(it, block):
        rows = BlockRows(len(lines), len(index))
        rankings, where, counts, slow = _split_fast(lines)
        bad, r, c, t = encode_rankings(rankings, bare_index)
        weights = np.asarray(counts, dtype=np.int64)
        bad |= weights < 1  # count 0: the line parser rejects it
        keep = ~bad[r]
        at = np.asarray(where, dtype=np.intp)
        good = ~bad
        rows.fill(at[good], weights[good], at[r[keep]], c[keep], t[keep])
        slow.extend(at[bad].tolist())
        slow.sort()
        for i in slow:
            parsed = _parse_line(lines[i], lineno + i, index)
            if parsed is None:
                continue
            if isinstance(parsed[0], str):
                ctx.reject(lineno + i, lines[i].rstrip("\r\n"), parsed[0], parsed[1])
                continue
            rows.set(i, parsed[0], parsed[1], parsed[2])
        lineno += len(lines)
        yield from chunker.add(*rows.take())


def _parse_line(
    raw: str, lineno: int, index: dict[str, int]
) -> tuple[list[int], list[int], int] | tuple[str, int] | None:
    """A line in full generality: ``(cols, tiers, count)`` for a ballot, ``(reason,
    weight)`` for a malformed one, ``None`` for any other line (blank, comment,
    metadata, candidate)."""
    s = raw.strip()
    if lineno == 1:
        s = s.lstrip("\ufeff")
    if not s or s[0] in "#{=":
        return None
    m = _COUNT.match(s) if s[0].isdigit() else None
    if m is None:
        return (
            "expected a ballot line 'count:A>B=C', a metadata line '{key: value}', a "
            "candidate line '=token:[Name]' or a '#' comment",
            1,
        )
    weight = int(whole_number(m.group(1)) or 0)
    if weight < 1:
        return "count 0: the line stands for no ballot; a count must be >= 1", 0
    if weight > MAX_WEIGHT:
        return f"count {shorten(m.group(1))} is too large (the limit is {MAX_WEIGHT})", 1
    tiers = _parse_prefs(_strip_comment(s[m.end() :]))
    encoded = encode_tiers(tiers, index) if isinstance(tiers, list) else tiers
    if isinstance(encoded, str):
        if encoded.startswith("unknown candidate"):
            encoded = (
                f"{encoded.replace('candidate', 'candidate token', 1)}: the file declares "
                "its candidates (=token:[Name]) and this token is not one of them (a typo?); "
                "read with undeclared='add' if undeclared tokens are candidates"
            )
        return encoded, weight
    return encoded[0], encoded[1], weight

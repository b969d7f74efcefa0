"""Debian devotee tally sheets (``V:`` lines).

The layout
----------
Debian publishes, for every vote counted by its devotee software, a tally sheet
(https://www.debian.org/vote/, e.g. https://www.debian.org/vote/2007/vote_001_tally.txt).
A free-text preamble is followed by the options, one per line, in one of the forms
devotee has used::

       Option 1---------->: Wouter Verhelst
     /  Option 2--------->: Aigars Mahinovs
       Option 1:     Branden Robinson          (2002-2003)

and then one line per ballot::

    V: 2-1-3     5de2d9bdec162e7ad7d475f7a3a912e0

``V:`` is followed by one character per option, in option order: a digit ``1``-``9``
is the rank given to that option (1 = best, equal digits are a tie, gaps allowed, no
rank above the number of options), ``-`` leaves the option unranked. The rest of the
line (an MD5 or HMAC of the voter's token, or a login and name in 2004-2005) is
ignored. ``V:`` starts the line: a ballot line written otherwise (``v:``, `` V:``, a
NUL byte first) is rejected, not skipped, and after the first ballot every non-blank
line must be a ballot line. No published sheet has more than nine options; for 10 to 35 options this
reader and the writer use the letters ``A``-``Z`` (either case) for ranks 10-35, the
usual extension of digits (as in base 36). Option names are taken from the
``Option N`` lines, without the ``|||/`` drawing devotee sometimes appends to the
last one. Lines that start neither with ``Option`` nor ``V:`` are commentary and
skipped.

Unranked candidates
-------------------
Default ``unranked="last"``: unranked options tie below every ranked one. Debian's
official pairwise matrices are reproduced only this way.

Options
-------
None.

Complexity
----------
O(V·C) time for V ballots of C options; memory: one chunk of ballots. Reading is
plain Python line by line (published sheets hold a few hundred ballots), with a
cache of already-seen vote strings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import ClassVar, TextIO

import numpy as np

from voting._typing import UNRANKED, UnrankedPolicy
from voting.exceptions import UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options, dense_tiers, repeat_rows
from voting.formats._text import TOO_LARGE, shorten, whole_number
from voting.profile import Profile

__all__ = ["MAX_OPTIONS", "DebianFormat"]

MAX_OPTIONS = 35
"""Most options a tally sheet can hold: ranks 1-9, then A-Z for 10-35."""

# Possessive quantifiers, no two of which can match the same characters: one pass per
# line, whatever the line holds (a backtracking pattern took 14 s on a 40 KB line).
_OPTION_RE = re.compile(r"[ \t|/]*+Option[ \t]++(\d++)[ \t]*+-*+>?[ \t]*+:(.*)", re.ASCII)
_SNIFF_OPTION_RE = re.compile(r"^[ \t|/]*+Option[ \t]++1[ \t]*+-*+>?[ \t]*+:", re.M | re.ASCII)
_VOTE_RE = re.compile(r"V: ?(\S*+)")
_BATCH = 4096
_RANK_CHARS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_RANK_OF = {ch: i + 1 for i, ch in enumerate(_RANK_CHARS)}
_RANK_OF.update({ch.lower(): i + 10 for i, ch in enumerate(_RANK_CHARS[9:])})


def _option_name(raw: str) -> str:
    """The name of an ``Option N`` line, without the ``  |||/`` drawing devotee may
    append (two or more spaces, bars, a slash). Linear in the line."""
    name = raw.rstrip()
    if name.endswith("/"):
        bare = name[:-1].rstrip("|")
        if len(bare) - len(bare.rstrip()) >= 2:
            name = bare
    return name.strip()


def _looks_like_ballot(text: str) -> bool:
    """A line meant as a ballot but not written ``V:`` at its start (`` V:``, ``v:``,
    NUL bytes or a byte-order mark first)."""
    return text.lstrip(" \t\x00\ufeff").lower().startswith("v:")


_NOT_A_BALLOT = (
    "expected a ballot line 'V: <one character per option>' starting the line (no space, "
    "upper-case V); after the first ballot a tally sheet holds nothing else"
)


def _parse_vote(vote: str, names: tuple[str, ...]) -> list[int] | str:
    """Dense tiers of one vote string, or the reason it cannot be counted."""
    n = len(names)
    if len(vote) != n:
        if not vote:
            return f"no vote after 'V:'; expected {n} characters, one per option"
        return f"expected {n} characters after 'V:', one per option, got {len(vote)}"
    keys: list[int | None] = []
    for j, ch in enumerate(vote):
        if ch == "-":
            keys.append(None)
            continue
        rank = _RANK_OF.get(ch)
        if rank is None or rank > n:
            if ch == "0":
                what = "ranks start at 1"
            elif rank is None:
                what = "it is not a rank"
            else:
                what = f"rank {rank}, but the sheet has {n} options"
            return (
                f"character {ch!r} for option {j + 1} ({names[j]!r}) is not valid ({what}); "
                f"use {_RANK_CHARS[0]}-{_RANK_CHARS[n - 1]} for a rank, '-' for unranked"
            )
        keys.append(rank)
    return dense_tiers(keys)


class DebianFormat:
    """Debian devotee tally sheet: ``Option N: name`` header lines and ``V:`` ballot lines.

    See the module docstring for the layout. Default ``unranked="last"``.

    Examples
    --------
    >>> import io
    >>> from voting import read_ballots
    >>> sheet = "  Option 1--->: Yes\\n /  Option 2-->: No\\nV: 12  x\\nV: -1  y\\n"
    >>> p = read_ballots(io.StringIO(sheet), format="debian", compress=False)
    >>> p.candidates, p.ranks.tolist()
    (('Yes', 'No'), [[0, 1], [2147483647, 0]])
    """

    name: ClassVar[str] = "debian"
    extensions: ClassVar[tuple[str, ...]] = (".txt",)
    default_unranked: ClassVar[UnrankedPolicy] = "last"
    orientation: ClassVar[str] = "ranks (smaller = preferred, 1 = best)"
    writes_weights: ClassVar[bool] = False

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """The policy a written file is read back with: the format's default."""
        return self.default_unranked

    def sniff(self, head: str) -> bool:
        """True when ``head`` has an ``Option 1 ...:`` line and a ``V:`` line or the
        ``Tally Sheet`` title."""
        if not _SNIFF_OPTION_RE.search(head):
            return False
        return bool(re.search(r"^V:\s", head, re.M)) or "Tally Sheet" in head

    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the ballots in chunks of at most ``chunk_size`` rows (one row per voter).

        Raises
        ------
        BallotFormatError
            No ``Option N`` lines before the first ballot, options not numbered
            1, 2, ... (always); a malformed ``V:`` line (with ``errors="raise"``).
        InvalidParameterError
            Any option (the format has none).
        """
        check_options("debian", options, {})
        numbered: list[tuple[int, str]] = []
        chunker: RowChunker | None = None
        names: tuple[str, ...] = ()
        cache: dict[str, list[int] | str] = {}
        batch: list[list[int]] = []
        line_no = 0
        for line in stream:
            line_no += 1
            text = line.rstrip("\r\n")
            if chunker is None:
                m = _OPTION_RE.match(text)
                if m:
                    number = whole_number(m.group(1))
                    numbered.append((TOO_LARGE if number is None else number, m.group(2)))
                    if len(numbered) > MAX_OPTIONS:
                        raise self._too_many(len(numbered), ctx, line_no, text)
                    continue
                if not text.startswith("V:"):
                    if _looks_like_ballot(text):
                        ctx.reject(line_no, text, _NOT_A_BALLOT)
                    continue
                names = self._names(numbered, ctx, line_no, text)
                chunker = RowChunker(names, ctx.policy(self.default_unranked), chunk_size)
            if not text.startswith("V:"):
                if _OPTION_RE.match(text):
                    raise ctx.fail(
                        "an 'Option N' line after the ballots began; the options come "
                        "first, then the 'V:' lines",
                        line_no,
                        text,
                    )
                if text.strip():
                    ctx.reject(line_no, text, _NOT_A_BALLOT)
                continue
            m = _VOTE_RE.match(text)
            vote = m.group(1) if m else ""
            parsed = cache.get(vote)
            if parsed is None:
                parsed = _parse_vote(vote, names)
                if len(cache) < 100_000:
                    cache[vote] = parsed
            if isinstance(parsed, str):
                ctx.reject(line_no, text, parsed)
                continue
            batch.append(parsed)
            if len(batch) >= _BATCH:
                yield from chunker.add(np.array(batch, dtype=np.int32))
                batch = []
        if chunker is None:
            names = self._names(numbered, ctx, None, None)
            chunker = RowChunker(names, ctx.policy(self.default_unranked), chunk_size)
        if batch:
            yield from chunker.add(np.array(batch, dtype=np.int32))
        yield from chunker.finish()

    @staticmethod
    def _too_many(n: int, ctx: ReadContext, line: int | None, text: str | None) -> Exception:
        return ctx.fail(
            f"the sheet lists {n} or more options; a tally sheet holds at most "
            f"{MAX_OPTIONS} (one character per option, ranks 1-9 then A-Z)",
            line,
            text,
        )

    @staticmethod
    def _names(
        numbered: list[tuple[int, str]], ctx: ReadContext, line: int | None, text: str | None
    ) -> tuple[str, ...]:
        if not numbered:
            raise ctx.fail(
                "no 'Option N: name' lines before the ballots; a devotee tally sheet lists "
                "its options (e.g. '   Option 1--->: Yes') before the 'V:' lines",
                line,
                text,
            )
        numbers = [k for k, _ in numbered]
        if numbers != list(range(1, len(numbers) + 1)):
            shown = ", ".join(shorten(str(k)) if k < TOO_LARGE else "(huge)" for k in numbers)
            raise ctx.fail(
                f"the options are numbered {shown}; expected 1, 2, ..., {len(numbers)} "
                "in order, one 'Option N' line each",
                line,
                text,
            )
        names = tuple(_option_name(raw) for _, raw in numbered)
        seen: dict[str, int] = {}
        for j, name in enumerate(names):
            if not name:
                raise ctx.fail(f"option {j + 1} has no name after 'Option {j + 1}:'", line, text)
            if name in seen:
                raise ctx.fail(
                    f"options {seen[name] + 1} and {j + 1} have the same name {name!r}; "
                    "option names must be unique",
                    line,
                    text,
                )
            seen[name] = j
        return names

    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write a tally sheet: devotee's preamble, the ``Option N`` lines, one ``V:``
        line per voter.

        Tiers are written as ranks ``1``-``9`` then ``A``-``Z``, unranked options as
        ``-``. The last column, which holds a hash of the voter's secret in real
        sheets, holds the MD5 of the line's position instead. A ballot of weight
        ``w`` is written ``w`` times, a block of lines at a time (weights are never
        expanded in memory; :func:`voting.write_ballots` refuses more voters than
        :func:`voting.limits.max_expanded_voters`). Runtime complexity: O(voters·C).

        Raises
        ------
        UnsupportedProfileError
            More than 35 candidates, or a candidate name with a line break,
            surrounding spaces or a trailing ``/`` drawing, which would not read back.
        """
        check_options("debian", options, {})
        names = profile.candidates
        if len(names) > MAX_OPTIONS:
            raise UnsupportedProfileError(
                f"a Debian tally sheet holds at most {MAX_OPTIONS} options (one character "
                f"each: ranks 1-9, then A-Z); this profile has {len(names)} candidates. "
                "Use another format (civs, preflib)."
            )
        for name in names:
            if "\n" in name or "\r" in name or _option_name(name) != name:
                raise UnsupportedProfileError(
                    f"option name {name!r} would not read back from a tally sheet (line "
                    "break, surrounding spaces or a trailing '|/' drawing); rename it."
                )
        n = len(names)
        out = [
            "",
            "\t\t       Tally Sheet for the votes cast. ",
            " ",
            "   The format is:",
            '       "V: vote \t\tMD5SUM"',
            " The vote block represents the ranking given to each of the ",
            " candidates by the voter. ",
            " " + "-=" * 34,
            " " + "-=" * 34,
            "",
        ]
        for k in range(1, n + 1):
            lead = "     " if k == 1 else "   " + "|" * (k - 2) + "/  "
            out.append(f"{lead}Option {k}{'-' * (n + 2 - k)}>: {names[k - 1]}")
        out.append("   " + "|" * (n - 1) + "/")
        stream.write("\n".join(out) + "\n")
        table = np.array([*_RANK_CHARS[:n], "-"], dtype=object)
        voter = 0
        for start in range(0, profile.num_ballots, _BATCH):
            ranks = profile.ranks[start : start + _BATCH]
            weights = profile.weights[start : start + _BATCH]
            idx = np.where(ranks == UNRANKED, n, ranks)
            for rows in repeat_rows(idx, weights, _BATCH):
                lines = []
                for row in table[rows].tolist():
                    digest = hashlib.md5(str(voter).encode(), usedforsecurity=False).hexdigest()
                    lines.append(f"V: {''.join(row)} \t\t{digest}")
                    voter += 1
                stream.write("\n".join(lines) + "\n")

"""PrefLib ordinal preference files: ``.soc``, ``.soi``, ``.toc``, ``.toi``.

The layout
----------
Specified at https://www.preflib.org/format (reference text: ``FORMAT_SPECIFICATION.md``
of https://github.com/PrefLib/PrefLib-Data). A header of metadata lines, each
``# KEY: value``, comes first; this reader needs::

    # NUMBER ALTERNATIVES: 3
    # ALTERNATIVE NAME 1: Alice
    # ALTERNATIVE NAME 2: Bob
    # ALTERNATIVE NAME 3: Carol

and uses ``# TITLE`` (into the read report) and ``# DATA TYPE``. ``# NUMBER VOTERS``
and ``# NUMBER UNIQUE ORDERS``, when present, must agree with the body (the sum of
the counts, and the number of order lines, rejected ones included): a file whose
header and body disagree has lost or gained ballots, and is refused. Other keys are
informative and not checked. Then one line per distinct order, ``count: order``,
where ``order`` lists alternative numbers (1-based) best first, separated by commas,
with tied alternatives grouped in braces::

    13: 1,{2,3}
    7: 3,1

The four data types differ only in what the orders may hold: ``soc`` strict and
complete, ``soi`` strict, ``toc`` complete (ties allowed), ``toi`` anything. A line
that breaks the rule of the file's ``# DATA TYPE`` is rejected (a file without one
is read as ``toi``). An order may be empty (``4:``, a ballot that ranks nobody). The
older PrefLib layout without ``#`` metadata (before 2022) is not read.

Unranked candidates
-------------------
Default ``unranked="last"``: alternatives an incomplete order leaves out tie below
every one it ranks (PrefLib's own ``toc`` files are built from ``soi`` files that way).

Options
-------
Reading takes none. Writing takes:

data_type : {"soc", "soi", "toc", "toi"}, optional
    The file type to write. Default: the most restrictive type that holds the
    profile (as the specification requires). A type that cannot hold the profile
    (ties in ``soc``/``soi``, unranked candidates in ``soc``/``toc``) raises
    :class:`voting.UnsupportedProfileError`.
title : str, optional
    The ``# TITLE`` line.

Complexity
----------
O(L·C) time for L order lines of C alternatives (plain Python, one line at a time);
memory: one chunk of rows. Each line becomes one profile row whose weight is the
line's count.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Literal, TextIO

import numpy as np

from voting._typing import UNRANKED, UnrankedPolicy
from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.formats._base import ReadContext
from voting.formats._chunking import RowChunker, check_options
from voting.formats._text import MAX_WEIGHT, shorten, whole_number
from voting.profile import Profile

__all__ = ["DATA_TYPES", "PrefLibFormat"]

DataType = Literal["soc", "soi", "toc", "toi"]
DATA_TYPES: tuple[DataType, ...] = ("soc", "soi", "toc", "toi")
"""The ordinal PrefLib data types, most restrictive first."""

_NAME_RE = re.compile(r"ALTERNATIVE NAME ([0-9]++)", re.ASCII)
_COUNT_RE = re.compile(r"[ \t]*+([0-9]++)[ \t]*+:(.*)", re.ASCII | re.DOTALL)
_BATCH = 4096
_RULES: dict[str, tuple[bool, bool]] = {
    # type: (ties allowed, incomplete allowed)
    "soc": (False, False),
    "soi": (False, True),
    "toc": (True, False),
    "toi": (True, True),
}
_TYPE_WORDS = {
    "soc": "strict complete orders",
    "soi": "strict orders",
    "toc": "complete orders",
    "toi": "orders with ties, possibly incomplete",
}


def _parse_order(order: str, n: int) -> list[list[int]] | str:
    """The tiers (0-based alternative indices) of ``order``, or why it is malformed."""
    text = order.strip()
    if not text:
        return []
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "{":
            if depth:
                return "nested '{' in the order; tie groups cannot be nested"
            depth = 1
        elif ch == "}":
            if not depth:
                return "'}' without a matching '{' in the order"
            depth = 0
        elif ch == "," and not depth:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    if depth:
        return "'{' without a matching '}' in the order"
    parts.append("".join(current))
    tiers: list[list[int]] = []
    seen: set[int] = set()
    for k, raw in enumerate(parts):
        part = raw.strip()
        if not part:
            return f"position {k + 1} of the order is empty (two commas in a row?)"
        if part.startswith("{"):
            if not part.endswith("}"):
                return f"unexpected text after the tie group {part!r}"
            items = [s.strip() for s in part[1:-1].split(",")]
            if items == [""]:
                return "empty tie group '{}' in the order"
        else:
            items = [part]
        tier: list[int] = []
        for item in items:
            # whole_number's fast path, inlined: this loop runs once per ranked alternative
            alt = int(item) if len(item) < 19 and item.isdigit() and item.isascii() else None
            if alt is None:
                alt = whole_number(item)
            if alt is None:
                return (
                    f"{shorten(item)!r} is not an alternative number; expected numbers 1-{n}, "
                    "commas and {...} tie groups"
                )
            if not 1 <= alt <= n:
                return (
                    f"alternative {shorten(item)} is out of range; the file has alternatives 1-{n}"
                )
            if alt in seen:
                return f"alternative {alt} ranked twice"
            seen.add(alt)
            tier.append(alt - 1)
        tiers.append(tier)
    return tiers


@dataclass
class _OrderTally:
    """Order lines read (rejected ones included), their counts where readable, and the
    lines whose count could not be read (the header's totals are checked against them)."""

    orders: int = 0
    voters: int = 0
    unreadable: int = 0


def _order_line(
    text: str, line_no: int, n: int, data_type: str, ctx: ReadContext, tally: _OrderTally
) -> tuple[list[int], int] | None:
    """The rank row and count of a ``count: order`` line, or None when it is rejected."""
    tally.orders += 1
    m = _COUNT_RE.match(text)
    count = whole_number(m.group(1)) if m else None
    if m is None or count is None:
        tally.unreadable += 1
        ctx.reject(
            line_no,
            text,
            "expected 'count: order' (e.g. '7: 1,{2,3},4'), a number of voters, "
            "a colon and the order",
        )
        return None
    if count < 1:
        ctx.reject(line_no, text, "count 0: every order line needs a count >= 1", 0)
        return None
    if count > MAX_WEIGHT:
        tally.unreadable += 1
        ctx.reject(
            line_no,
            text,
            f"count {shorten(m.group(1))} is too large (the limit is {MAX_WEIGHT}, "
            "the int64 maximum)",
            1,
        )
        return None
    tally.voters += count
    tiers = _parse_order(m.group(2), n)
    problem = tiers if isinstance(tiers, str) else _type_problem(tiers, n, data_type)
    if problem is not None:
        ctx.reject(line_no, text, problem, count)
        return None
    assert not isinstance(tiers, str)
    row = [UNRANKED] * n
    for t, tier in enumerate(tiers):
        for alt in tier:
            row[alt] = t
    return row, count


def _type_problem(tiers: list[list[int]], n: int, data_type: str) -> str | None:
    """Why ``tiers`` does not fit a file of ``data_type`` (ties or truncation), if it does not."""
    ties_ok, incomplete_ok = _RULES[data_type]
    if not ties_ok and any(len(t) > 1 for t in tiers):
        tie = next(t for t in tiers if len(t) > 1)
        alts = ", ".join(str(a + 1) for a in tie)
        return (
            f"the order ties alternatives {alts}, but a {data_type!r} file holds "
            f"{_TYPE_WORDS[data_type]}; fix the line or the '# DATA TYPE' header"
        )
    ranked = sum(len(t) for t in tiers)
    if not incomplete_ok and ranked != n:
        return (
            f"the order ranks {ranked} of {n} alternatives, but a {data_type!r} file "
            f"holds {_TYPE_WORDS[data_type]}; fix the line or the '# DATA TYPE' header"
        )
    return None


class PrefLibFormat:
    """PrefLib ``.soc``/``.soi``/``.toc``/``.toi``: ``# ALTERNATIVE NAME`` metadata and
    ``count: order`` lines.

    See the module docstring for the layout and options. Default ``unranked="last"``.

    Examples
    --------
    >>> import io
    >>> from voting import read_ballots
    >>> text = ("# NUMBER ALTERNATIVES: 3\\n# ALTERNATIVE NAME 1: A\\n"
    ...         "# ALTERNATIVE NAME 2: B\\n# ALTERNATIVE NAME 3: C\\n7: 1,{2,3}\\n2: 3\\n")
    >>> p = read_ballots(io.StringIO(text), format="preflib", compress=False)
    >>> p.ranks.tolist(), p.weights.tolist()
    ([[0, 1, 1], [2147483647, 2147483647, 0]], [7, 2])
    """

    name: ClassVar[str] = "preflib"
    extensions: ClassVar[tuple[str, ...]] = (".soc", ".soi", ".toc", ".toi")
    default_unranked: ClassVar[UnrankedPolicy] = "last"
    orientation: ClassVar[str] = "preference order (best first)"

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """The policy a written file is read back with: the format's default."""
        return self.default_unranked

    def sniff(self, head: str) -> bool:
        """True when ``head`` has a ``# NUMBER ALTERNATIVES:`` or ``# ALTERNATIVE NAME 1:`` line."""
        return bool(
            re.search(
                r"^#[ \t]*+(?:NUMBER ALTERNATIVES|ALTERNATIVE NAME[ \t]++1)[ \t]*+:",
                head,
                re.M | re.I,
            )
        )

    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the orders in chunks of at most ``chunk_size`` rows, weighted by their counts.

        Raises
        ------
        BallotFormatError
            A missing or inconsistent header: no ``NUMBER ALTERNATIVES``, a missing
            or duplicate ``ALTERNATIVE NAME``, an unknown ``DATA TYPE`` (always); a
            malformed order line (with ``errors="raise"``).
        InvalidParameterError
            Any option (reading takes none).
        """
        check_options("preflib", options, {})
        meta: dict[str, tuple[str, int]] = {}
        alt_names: dict[int, str] = {}
        chunker: RowChunker | None = None
        n = 0
        data_type = "toi"
        batch_r: list[list[int]] = []
        batch_w: list[int] = []
        line_no = 0
        tally = _OrderTally()
        for line in stream:
            line_no += 1
            text = line.rstrip("\r\n")
            if line_no == 1:
                text = text.lstrip("\ufeff")
            stripped = text.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                if chunker is None:
                    self._meta_line(stripped, meta, alt_names, ctx, line_no)
                continue
            if chunker is None:
                names, data_type = self._header(meta, alt_names, ctx, line_no, text)
                n = len(names)
                chunker = RowChunker(names, ctx.policy(self.default_unranked), chunk_size)
            order = _order_line(text, line_no, n, data_type, ctx, tally)
            if order is None:
                continue
            batch_r.append(order[0])
            batch_w.append(order[1])
            if len(batch_r) >= _BATCH:
                yield from chunker.add(
                    np.array(batch_r, dtype=np.int32), np.array(batch_w, dtype=np.int64)
                )
                batch_r, batch_w = [], []
        if chunker is None:
            names, _ = self._header(meta, alt_names, ctx, None, None)
            chunker = RowChunker(names, ctx.policy(self.default_unranked), chunk_size)
        if batch_r:
            yield from chunker.add(
                np.array(batch_r, dtype=np.int32), np.array(batch_w, dtype=np.int64)
            )
        voters = None if tally.unreadable else tally.voters
        _check_declared_counts(meta, tally.orders, voters, ctx)
        yield from chunker.finish()

    @staticmethod
    def _meta_line(
        text: str,
        meta: dict[str, tuple[str, int]],
        alt_names: dict[int, str],
        ctx: ReadContext,
        line: int,
    ) -> None:
        key, colon, value = text[1:].partition(":")
        key = " ".join(key.upper().split())
        if not colon or not key:
            return  # a comment
        value = value.strip()
        nm = _NAME_RE.fullmatch(key)
        if nm:
            i = whole_number(nm.group(1))
            if i is None or i > MAX_WEIGHT:
                raise ctx.fail(
                    f"'# ALTERNATIVE NAME {shorten(nm.group(1))}' is not an alternative number",
                    line,
                    text,
                )
            if i in alt_names:
                raise ctx.fail(
                    f"alternative {i} is named twice ({alt_names[i]!r} and {value!r}); "
                    "each '# ALTERNATIVE NAME i' line must appear once",
                    line,
                    text,
                )
            alt_names[i] = value
        else:
            meta[key] = (value, line)

    @staticmethod
    def _header(
        meta: dict[str, tuple[str, int]],
        alt_names: dict[int, str],
        ctx: ReadContext,
        line: int | None,
        text: str | None,
    ) -> tuple[tuple[str, ...], str]:
        if "NUMBER ALTERNATIVES" not in meta:
            raise ctx.fail(
                "no '# NUMBER ALTERNATIVES: n' line before the orders; a PrefLib file starts "
                "with its metadata (see https://www.preflib.org/format)",
                line,
                text,
            )
        raw_n, n_line = meta["NUMBER ALTERNATIVES"]
        n = whole_number(raw_n)
        if n is None or n < 1:
            raise ctx.fail(
                f"'# NUMBER ALTERNATIVES: {shorten(raw_n)}' is not a positive whole number",
                n_line,
            )
        ctx.check_candidates(n, n_line)
        extra = sorted(i for i in alt_names if not 1 <= i <= n)
        if extra:
            raise ctx.fail(
                f"'# ALTERNATIVE NAME {extra[0]}' is out of range; the file declares {n} "
                "alternatives",
                line,
                text,
            )
        if len(alt_names) != n:
            missing = next(i for i in range(1, n + 1) if i not in alt_names)
            raise ctx.fail(
                f"no '# ALTERNATIVE NAME {missing}: name' line; every alternative 1-{n} "
                "needs a name",
                line,
                text,
            )
        names = tuple(alt_names[i] for i in range(1, n + 1))
        seen: dict[str, int] = {}
        for j, name in enumerate(names):
            if not name:
                raise ctx.fail(f"alternative {j + 1} has an empty name", line, text)
            if name in seen:
                raise ctx.fail(
                    f"alternatives {seen[name] + 1} and {j + 1} have the same name "
                    f"{name!r}; PrefLib names must be unique",
                    line,
                    text,
                )
            seen[name] = j
        data_type = meta.get("DATA TYPE", ("toi", 0))[0].strip().lower() or "toi"
        if data_type not in _RULES:
            raise ctx.fail(
                f"'# DATA TYPE: {shorten(data_type)}' is not an ordinal PrefLib type; this "
                f"reader reads {list(DATA_TYPES)}",
                line,
                text,
            )
        title = meta.get("TITLE", ("", 0))[0]
        if title:
            ctx.title = title
        return names, data_type

    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write the profile's distinct orders with their counts, most frequent first.

        Raises
        ------
        UnsupportedProfileError
            ``data_type`` cannot hold the profile, or a candidate name has a line
            break or surrounding spaces (it would not read back).
        InvalidParameterError
            An unknown option or a ``data_type`` that is not one of
            ``"soc"``, ``"soi"``, ``"toc"``, ``"toi"``.
        """
        opts = check_options("preflib", options, {"data_type": None, "title": None})
        requested = opts["data_type"]
        title = opts["title"]
        if requested is not None and requested not in _RULES:
            raise InvalidParameterError(
                f"data_type={requested!r}; expected one of {list(DATA_TYPES)} or None."
            )
        if title is not None and not isinstance(title, str):
            raise InvalidParameterError(f"title={title!r}; expected a str or None.")
        for name in profile.candidates:
            if "\n" in name or "\r" in name or name != name.strip():
                raise UnsupportedProfileError(
                    f"alternative name {name!r} has a line break or surrounding spaces; a "
                    "'# ALTERNATIVE NAME' line cannot hold it so that it reads back."
                )
        p = profile.compress()
        n = p.num_candidates
        ranks = p.ranks
        unranked = ranks == UNRANKED
        incomplete = bool(unranked.any())
        if p.num_ballots:
            ranked_count = (~unranked).sum(axis=1)
            top = np.where(unranked, -1, ranks).max(axis=1)
            ties = bool((top + 1 < ranked_count).any())
        else:
            ties = False
        needed = DATA_TYPES[(2 if ties else 0) + (1 if incomplete else 0)]
        data_type = str(requested) if requested is not None else needed
        ties_ok, incomplete_ok = _RULES[data_type]
        if (ties and not ties_ok) or (incomplete and not incomplete_ok):
            what = " and ".join(
                w
                for w, bad in (
                    ("ties", ties and not ties_ok),
                    ("unranked candidates", incomplete and not incomplete_ok),
                )
                if bad
            )
            raise UnsupportedProfileError(
                f"a {data_type!r} file holds {_TYPE_WORDS[data_type]}, but the profile has "
                f"{what}; write it as {needed!r} (the default) instead."
            )
        order = np.argsort(-p.weights, kind="stable")
        head = [
            f"# FILE NAME: {_file_name(stream)}",
            f"# TITLE: {title or ''}",
            "# DESCRIPTION: ",
            f"# DATA TYPE: {data_type}",
            "# MODIFICATION TYPE: original",
            "# RELATES TO: ",
            "# RELATED FILES: ",
            "# PUBLICATION DATE: ",
            "# MODIFICATION DATE: ",
            f"# NUMBER ALTERNATIVES: {n}",
            f"# NUMBER VOTERS: {p.num_voters}",
            f"# NUMBER UNIQUE ORDERS: {p.num_ballots}",
        ]
        head += [f"# ALTERNATIVE NAME {i + 1}: {name}" for i, name in enumerate(p.candidates)]
        stream.write("\n".join(head) + "\n")
        lines: list[str] = []
        for v in order.tolist():
            row = ranks[v].tolist()
            tiers: dict[int, list[int]] = {}
            for c, t in enumerate(row):
                if t != UNRANKED:
                    tiers.setdefault(t, []).append(c + 1)
            parts = []
            for t in sorted(tiers):
                alts = tiers[t]
                parts.append(
                    str(alts[0]) if len(alts) == 1 else "{" + ",".join(map(str, alts)) + "}"
                )
            lines.append(f"{int(p.weights[v])}: {','.join(parts)}")
            if len(lines) >= _BATCH:
                stream.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            stream.write("\n".join(lines) + "\n")


def _check_declared_counts(
    meta: dict[str, tuple[str, int]], orders: int, voters: int | None, ctx: ReadContext
) -> None:
    """Refuse a header whose ``NUMBER UNIQUE ORDERS`` or ``NUMBER VOTERS`` disagrees with
    the body (``voters`` is None when some count could not be read: those lines are
    already reported)."""
    for key, found, what in (
        ("NUMBER UNIQUE ORDERS", orders, "order lines"),
        ("NUMBER VOTERS", voters, "voters (the sum of the counts)"),
    ):
        if key not in meta or found is None:
            continue
        raw, line = meta[key]
        declared = whole_number(raw)
        if declared is None:
            raise ctx.fail(f"'# {key}: {shorten(raw)}' is not a whole number", line)
        if declared != found:
            raise ctx.fail(
                f"the header declares {shorten(raw)} {what.split(' (')[0]}, but the file has "
                f"{found} {what}; ballots are missing or extra: fix the header or the orders",
                line,
            )


def _file_name(stream: TextIO) -> str:
    name = getattr(stream, "name", None)
    return os.path.basename(name) if isinstance(name, str) else ""

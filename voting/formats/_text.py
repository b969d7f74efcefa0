"""Helpers the line-oriented text formats (BLT, ABIF, CEF) share.

- :class:`BlockRows` holds the ballots of one block of lines in file order: readers
  parse the ordinary lines of a block with vectorised NumPy code
  (:func:`encode_rankings` for ``A > B = C`` rankings) and only the unusual ones
  line by line, and never build a profile per ballot;
- :func:`rewindable` gives a reader a stream it can read twice (BLT keeps its
  candidate names at the end of the file; ABIF and CEF may name candidates only in
  their ballots), spooling a non-seekable stream to a temporary file;
- :func:`split_tiers` and :func:`encode_tiers` turn ``A > B = C`` rankings (ABIF and
  CEF) into columns and tiers, rejecting empty and duplicated preferences;
- :func:`iter_tiers` walks a profile's ballots as tiers of candidate indices, for
  the writers.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from typing import TextIO, cast

import numpy as np
import numpy.typing as npt

from voting._typing import UNRANKED, RankArray, WeightArray
from voting.exceptions import InvalidParameterError
from voting.profile import Profile

__all__ = [
    "MAX_WEIGHT",
    "TOO_LARGE",
    "BlockRows",
    "block_lines",
    "encode_rankings",
    "encode_tiers",
    "int_option",
    "iter_tiers",
    "ranking_names",
    "rewindable",
    "shorten",
    "split_tiers",
    "str_option",
    "take_lines",
    "whole_number",
]

MAX_WEIGHT = 2**63 - 1
"""Largest weight an int64 holds; a larger count is rejected, not wrapped."""

TOO_LARGE = MAX_WEIGHT + 1
""":func:`whole_number` of any number above :data:`MAX_WEIGHT` (which it never parses in
full): callers reject it as too large."""

BLOCK_CHARS = 1 << 24
"""Characters of text :func:`take_lines` gathers at most per block (16 Mi)."""


def whole_number(text: str) -> int | None:
    """The value of ``text`` when it is a whole number written in ASCII digits, else None.

    Leading zeros are allowed. A number above :data:`MAX_WEIGHT` comes back as
    :data:`TOO_LARGE`, without converting its digits (so a 200,000-digit number costs
    no more than a short one, and Python's limit on int-string conversion is never
    met). Superscripts, other scripts' digits and signs are not whole numbers here.
    """
    if len(text) < 19 and text.isdigit() and text.isascii():  # the usual case
        return int(text)
    if not text or not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0")
    if len(digits) > 19:
        return TOO_LARGE
    return min(int(digits or "0"), TOO_LARGE)


def shorten(text: str, width: int = 24) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, for error messages."""
    return text if len(text) <= width else text[: width - 3] + "..."


def take_lines(lines: Iterator[str], max_lines: int, max_chars: int = BLOCK_CHARS) -> list[str]:
    """The next lines of ``lines``: at most ``max_lines`` of them and, beyond the first,
    at most about ``max_chars`` characters in all (so a block of long lines stays small)."""
    out: list[str] = []
    chars = 0
    while len(out) < max_lines and chars < max_chars:
        part = list(islice(lines, min(1024, max_lines - len(out))))
        if not part:
            break
        out += part
        chars += sum(map(len, part))
    return out


SPOOL_CHARS = 32 * 2**20
"""Characters of a non-seekable stream kept in memory before spooling to disk."""


class BlockRows:
    """The ballots of one block of lines, one row per line, kept in file order.

    Lines that are not ballots (blank, comments, rejected) are dropped by
    :meth:`take`. Tiers need not be dense: :class:`~voting.Profile` makes them dense.
    """

    __slots__ = ("ok", "ranks", "weights")

    def __init__(self, n_lines: int, n_candidates: int) -> None:
        self.ranks = np.full((n_lines, n_candidates), UNRANKED, dtype=np.int32)
        self.weights = np.zeros(n_lines, dtype=np.int64)
        self.ok = np.zeros(n_lines, dtype=np.bool_)

    def fill(
        self,
        lines: npt.NDArray[np.intp],
        weights: npt.NDArray[np.int64],
        rows: npt.NDArray[np.intp],
        cols: npt.NDArray[np.intp],
        tiers: npt.NDArray[np.int64],
    ) -> None:
        """Ballots of ``lines`` with their ``weights``; candidate ``cols[i]`` is in tier
        ``tiers[i]`` on the ballot of line ``rows[i]``."""
        self.ranks[rows, cols] = tiers
        self.weights[lines] = weights
        self.ok[lines] = True

    def set(self, line: int, cols: list[int], tiers: Iterable[int], weight: int) -> None:
        """The ballot of one line."""
        self.ranks[line, cols] = list(tiers)
        self.weights[line] = weight
        self.ok[line] = True

    def take(self) -> tuple[RankArray, WeightArray]:
        """(ranks, weights) of the ballot lines, in file order."""
        if self.ok.all():
            return self.ranks, self.weights
        return self.ranks[self.ok], self.weights[self.ok]


def block_lines(chunk_size: int, n_candidates: int) -> int:
    """Lines parsed per block: at most ``chunk_size``, 65536, and 4M rank cells."""
    return max(1, min(chunk_size, 65536, 2**22 // max(1, n_candidates)))


_GT, _EQ, _NL = ord(">"), ord("="), ord("\n")


class _Lookup(dict[str, int]):
    """A name -> column dict that answers -1 for a missing name (``map`` calls its C
    ``__getitem__``, twice as fast as a comprehension calling ``get``)."""

    def __missing__(self, key: str) -> int:
        return -1


def ranking_names(text: str) -> list[str]:
    """Every name of the rankings ``"A > B = C"`` of ``text`` (each ending with a line
    break), in order; an empty ranking or preference gives an empty name.

    Splits with ``str.replace`` and ``str.split`` (C speed; a regular expression
    split costs ~30 times more here), then strips names only if there is white space.
    """
    if not text:
        return []
    if text.endswith("\n"):
        text = text[:-1]
    names = text.replace(">", "\n").replace("=", "\n").split("\n")
    if " " in text or "\t" in text:
        names = [name.strip(" \t") for name in names]
    return names


def encode_rankings(
    text: str, index: Mapping[str, int], unknown: set[str] | None = None
) -> tuple[
    npt.NDArray[np.bool_], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.int64]
]:
    """Vectorised parse of rankings ``"A > B = C"``, one per line of ``text``.

    Parameters
    ----------
    text : str
        The rankings, each ending with ``\\n`` (so ``""`` holds none and ``"\\n"``
        one empty ranking); names hold none of ``>``, ``=`` and ``\\r``.
    index : mapping of str to int
        Candidate name -> column.
    unknown : set of str, optional
        Where names missing from ``index`` are collected and then skipped. Without it
        such a name makes its ranking bad.

    Returns
    -------
    bad : ndarray of bool, shape (n_rankings,)
        Rankings to parse line by line instead (an empty name or tier, a candidate
        twice, an unknown name when ``unknown`` is None): the slow parser says why.
    rows, cols, tiers : ndarray
        Candidate ``cols[i]`` is in tier ``tiers[i]`` of ranking ``rows[i]``, for the
        good rankings.

    Notes
    -----
    One dictionary look-up per name (and a strip when there is white space) is the
    only per-name Python work; separators are read from the UTF-8 bytes (no
    multi-byte character contains the bytes of ``>``, ``=`` or a line break).
    Runtime complexity: O(T log T) for T names.
    """
    if not text:
        empty = np.zeros(0, dtype=np.intp)
        return np.zeros(0, dtype=np.bool_), empty, empty, np.zeros(0, dtype=np.int64)
    n_rank = text.count("\n")
    names = ranking_names(text)
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    seps = raw[(raw == _GT) | (raw == _EQ) | (raw == _NL)]
    lookup = _Lookup(index)
    ids = np.fromiter(map(lookup.__getitem__, names), dtype=np.intp, count=len(names))
    is_nl = seps == _NL
    line = np.cumsum(is_nl) - is_nl
    gt = (seps == _GT).astype(np.int64)
    before = np.cumsum(gt) - gt
    first = np.flatnonzero(np.concatenate(([True], is_nl[:-1])))
    tiers = before - before[first][line]
    bad = np.zeros(n_rank, dtype=np.bool_)
    missing = np.flatnonzero(ids < 0)
    for i in missing.tolist():
        name = names[i]
        if unknown is None or not name:
            bad[line[i]] = True
        else:
            unknown.add(name)
    known = ids >= 0
    width = max(index.values(), default=0) + 1  # columns need not be 0..len-1
    key = np.sort(line[known] * width + ids[known])
    dup = key[1:] == key[:-1]
    if dup.any():
        bad[key[1:][dup] // width] = True
    keep = known & ~bad[line]
    return bad, line[keep], ids[keep], tiers[keep]


def _seekable(stream: TextIO) -> bool:
    probe = getattr(stream, "seekable", None)
    if probe is None:
        return False
    try:
        if not probe():
            return False
        stream.tell()
    except (OSError, ValueError):
        return False
    return True


@contextmanager
def rewindable(stream: TextIO) -> Iterator[tuple[TextIO, int]]:
    """A stream that can be read twice, and the position to ``seek`` back to.

    A seekable stream is used as it is. Anything else (a pipe, a stream whose head
    was replayed after format sniffing) is copied to a temporary file that stays in
    memory up to :data:`SPOOL_CHARS` characters and spills to disk beyond, so memory
    does not grow with the file.
    """
    if _seekable(stream):
        yield stream, stream.tell()
        return
    with tempfile.SpooledTemporaryFile(
        max_size=SPOOL_CHARS, mode="w+", encoding="utf-8", newline=""
    ) as spool:
        shutil.copyfileobj(stream, spool)
        spool.seek(0)
        yield cast(TextIO, spool), 0


def split_tiers(text: str) -> list[list[str]] | str:
    """``"A > B = C"`` as ``[["A"], ["B", "C"]]`` (names stripped of spaces and tabs).

    Returns a reason string instead when a tier or a name is empty (``A >> B``,
    ``A > = B``, a trailing ``>``).
    """
    tiers = [[name.strip(" \t") for name in tier.split("=")] for tier in text.split(">")]
    for tier in tiers:
        for name in tier:
            if not name:
                return "empty preference: every '>' and '=' must stand between two candidate names"
    return tiers


def encode_tiers(
    tiers: list[list[str]], index: Mapping[str, int], unknown: set[str] | None = None
) -> tuple[list[int], list[int]] | str:
    """Columns and tiers of a ballot given as tiers of candidate names.

    Parameters
    ----------
    tiers : list of list of str
        Best tier first.
    index : mapping of str to int
        Candidate name -> column.
    unknown : set of str, optional
        Where names missing from ``index`` are collected and then skipped (a tier
        left empty by skipping disappears). Without it an unknown name makes the
        ballot invalid.

    Returns
    -------
    (cols, tiers) or str
        The ballot, or a reason naming the unknown or repeated candidate.
    """
    cols: list[int] = []
    ranks: list[int] = []
    t = 0
    for tier in tiers:
        placed = False
        for name in tier:
            c = index.get(name)
            if c is None:
                if unknown is None:
                    return f"unknown candidate {name!r}"
                unknown.add(name)
                continue
            cols.append(c)
            ranks.append(t)
            placed = True
        if placed:
            t += 1
    if len(set(cols)) != len(cols):
        seen: set[int] = set()
        for tier in tiers:
            for name in tier:
                c = index.get(name)
                if c is not None and c in seen:
                    return f"candidate {name!r} is ranked twice; rank each candidate at most once"
                if c is not None:
                    seen.add(c)
    return cols, ranks


def iter_tiers(profile: Profile, block: int = 65536) -> Iterator[tuple[int, list[list[int]]]]:
    """Each ballot of ``profile`` as ``(weight, tiers)``, tiers of column indices best first.

    Candidates in a tier come in column order; unranked candidates are left out.
    Rows are sorted ``block`` at a time, so memory stays bounded.
    """
    ranks = profile.ranks
    weights = profile.weights
    for start in range(0, ranks.shape[0], block):
        part = ranks[start : start + block]
        order = np.argsort(part, axis=1, kind="stable")
        sorted_ranks = np.take_along_axis(part, order, axis=1)
        for w, cands, levels in zip(
            weights[start : start + block].tolist(),
            order.tolist(),
            sorted_ranks.tolist(),
            strict=True,
        ):
            tiers: list[list[int]] = []
            prev = -1
            for c, level in zip(cands, levels, strict=True):
                if level == UNRANKED:
                    break
                if level != prev:
                    tiers.append([c])
                    prev = level
                else:
                    tiers[-1].append(c)
            yield w, tiers


def int_option(
    options: Mapping[str, object], name: str, format_name: str, minimum: int
) -> int | None:
    """The integer option ``name`` (``None`` when absent), checked to be >= ``minimum``."""
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidParameterError(
            f"{name}={value!r} for the {format_name!r} format; expected an int."
        )
    if value < minimum:
        raise InvalidParameterError(
            f"{name}={value!r} for the {format_name!r} format; it must be >= {minimum}."
        )
    return int(value)


def str_option(
    options: Mapping[str, object], name: str, format_name: str, forbidden: str = ""
) -> str | None:
    """The string option ``name`` (``None`` when absent), free of the ``forbidden`` characters
    and of line breaks."""
    value = options.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"{name}={value!r} for the {format_name!r} format; expected a str."
        )
    bad = sorted({ch for ch in value if ch in forbidden or ch in "\r\n"})
    if bad:
        raise InvalidParameterError(
            f"{name}={value!r} for the {format_name!r} format contains {bad}, which the "
            "format cannot write; remove them."
        )
    return value

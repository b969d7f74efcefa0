"""The Schulze (beat-path) method, with the strength measures and ranking of CIVS.

Definition (Schulze 2011). Let ``d[x, y]`` be the number of voters who rank ``x``
strictly above ``y``. ``x`` *defeats* ``y`` when ``d[x, y] > d[y, x]``; each defeat
has a *strength*. A *beat path* from ``a`` to ``b`` is a chain of defeats
``a = x0 > x1 > ... > xn = b``; its strength is that of its weakest defeat, and
``p[a, b]`` is the strength of the strongest beat path (none: no strength). ``a``
beats ``b`` in the Schulze order when ``p[a, b] > p[b, a]``. That relation is a
strict partial order; the winners are the candidates nobody beats.

Strength of a defeat of ``y`` by ``x`` (``w = d[x, y] > l = d[y, x]``):

* ``"winning"`` (default; CIVS, Debian): the pair ``(w, l)``: more winning votes
  is stronger, and for equal winning votes fewer losing votes is stronger;
* ``"margins"``: ``w - l``;
* ``"ratio"``: ``w / l``, compared exactly; a defeat with ``l = 0`` is infinitely
  strong (all such defeats are equally strong).

Ranking, as CIVS builds it: the closure is computed once; the candidates nobody
beats form the first tier, they are removed, the candidates nobody among the rest
beats form the second tier, and so on. No tie is broken in the ranking. ``seats=N``
elects the top ``N`` of that ranking; a tier straddling seat ``N`` is reported in
``tied_at_last_seat`` and ordered by the tie-break, which is recorded.

Known deviations from the official rules
----------------------------------------
* Debian (constitution A.6) drops options that fail quorum or a supermajority
  before counting; this module counts every option (:class:`voting.Debian` applies
  the drops first). Where nothing is dropped, the winner is Debian's (checked on
  every such vote from 2002 to 2018).
* Elekto (Kubernetes since 2021) uses winning votes without the losing-votes
  secondary key and orders candidates by their *number* of Schulze wins, which can
  split a tier of this ranking: in the 2025 Kubernetes code-of-conduct election two
  candidates tied 2-2 with no beat path either way share a tier here (reported as
  the tie at the last seat) but are ordered by Elekto. Every other published
  Elekto ranking is reproduced exactly with ``strength="winning"``.
* CIVS reports every candidate of a tier straddling the last seat as tied; this
  module reports the same tie (``tied_at_last_seat``) and, since a result must
  elect exactly ``seats`` candidates, also breaks it with ``tie_break``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, ClassVar, Literal, cast, get_args

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._distinct import unique_rows
from voting._numpy_paths import schulze as _np_schulze
from voting._params import Constraints, OneOf
from voting._typing import CountMatrix
from voting.exceptions import InvalidParameterError
from voting.methods._base import MethodTags, PairwiseMethod
from voting.pairwise_matrix import PairwiseMatrix
from voting.render import Explanation, json_ready
from voting.results import Result

__all__ = [
    "ALGORITHMS",
    "PARALLEL_MIN_CANDIDATES",
    "SORTED_MIN_CANDIDATES",
    "STRENGTHS",
    "Schulze",
    "SchulzeExplanation",
    "StrengthMeasure",
    "Witness",
    "strongest_paths",
]

StrengthMeasure = Literal["winning", "margins", "ratio"]
"""How strong a pairwise defeat is: ``"winning"`` votes, ``"margins"`` or ``"ratio"``."""

STRENGTHS: tuple[StrengthMeasure, ...] = get_args(StrengthMeasure)

_MEASURES: dict[str, str] = {
    "winning": "winning:losing votes of the weakest defeat on the path",
    "margins": "margin of the weakest defeat on the path",
    "ratio": "winning/losing votes (in lowest terms) of the weakest defeat on the path",
}

Algorithm = Literal["auto", "sorted", "floyd_warshall"]
"""How the strongest paths are computed (same result): see :func:`strongest_paths`."""

ALGORITHMS: tuple[Algorithm, ...] = get_args(Algorithm)

SORTED_MIN_CANDIDATES: int = 32
"""``algorithm="auto"`` uses the sorted-defeats kernel from this many candidates on,
Floyd–Warshall below (where both take microseconds)."""

PARALLEL_MIN_CANDIDATES: int = 512
"""With ``algorithm="floyd_warshall"``, the closure runs on all threads from this many
candidates on. Each block of 64 pivots ends with a barrier; on a busy machine every
barrier waits for a descheduled thread, so parallelism pays only for large C."""

_INT32_MAX = int(np.iinfo(np.int32).max)
_PACK_LIMIT = 2**62
"""Winning-votes strengths are packed into one int64 while ``(V + 1)² <`` this."""

CodeMatrix = NDArray[np.int32] | NDArray[np.int64]


# --------------------------------------------------------------------- encoding
@dataclass(frozen=True, slots=True)
class _Codes:
    """Defeat strengths as order-preserving non-negative integers (0 = no defeat).

    ``decode`` maps codes back to readable numbers: ``(winning, losing)`` for
    "winning", the margin for "margins", ``(numerator, denominator)`` in lowest
    terms for "ratio" (``(1, 0)`` for an infinite ratio).
    """

    codes: CodeMatrix
    strength: StrengthMeasure
    base: int = 0  # "winning", packed: code = w * base + (base - 1 - l)
    table: NDArray[np.int64] | None = None  # (K + 1, 2): code -> readable pair

    def decode(self, codes: NDArray[Any]) -> NDArray[np.int64]:
        """Readable strengths of ``codes``: shape ``codes.shape`` (margins) or ``+ (2,)``."""
        c = np.asarray(codes, dtype=np.int64)
        if self.strength == "margins":
            return c
        if self.table is not None:
            return self.table[c]
        w = c // self.base
        l_ = np.where(c > 0, self.base - 1 - c % self.base, 0)
        return np.stack([w, l_], axis=-1)


def _narrow(codes: NDArray[np.int64]) -> CodeMatrix:
    """int32 when every code fits (half the memory traffic in the kernel)."""
    if codes.size == 0 or int(codes.max()) <= _INT32_MAX:
        return np.ascontiguousarray(codes, dtype=np.int32)
    return np.ascontiguousarray(codes, dtype=np.int64)


def _dense_codes(
    defeat: NDArray[np.bool_], order_keys: NDArray[np.int64], pairs: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Codes 1..K for the defeats, by rank of ``order_keys`` rows (sorted ascending).

    ``order_keys`` holds one row per defeat, already ordered so that ascending
    lexicographic order is ascending strength and equal rows are equal strength.
    Returns the code matrix and the table ``code -> pairs`` row.
    """
    c = defeat.shape[0]
    codes = np.zeros((c, c), dtype=np.int64)
    table = np.zeros((1, 2), dtype=np.int64)
    if not defeat.any():
        return codes, table
    _, inverse, first = unique_rows(order_keys)
    codes[defeat] = inverse + 1
    table = np.concatenate([table, pairs[first]])
    return codes, table


def _encode(
    support: CountMatrix, strength: StrengthMeasure, *, pack_limit: int = _PACK_LIMIT
) -> _Codes:
    """Order-preserving integer codes of the defeat strengths of ``support``.

    Runtime complexity: O(C²) for "margins" and packed "winning"; O(C² log C) for
    "ratio" and for "winning" with more than about 2·10⁹ voters.
    """
    d = np.asarray(support, dtype=np.int64)
    w = d
    lose = d.T
    defeat = w > lose
    if strength == "margins":
        return _Codes(_narrow(np.where(defeat, w - lose, 0)), strength)
    if strength == "winning":
        top = int(d.max(initial=0))
        base = top + 1
        if base * base < pack_limit:
            packed = np.where(defeat, w * base + (base - 1 - lose), 0)
            return _Codes(_narrow(packed), strength, base=base)
        keys = np.stack([w[defeat], -lose[defeat]], axis=1)
        pairs = np.stack([w[defeat], lose[defeat]], axis=1)
        codes, table = _dense_codes(defeat, keys, pairs)
        return _Codes(_narrow(codes), strength, table=table)
    # ratio: exact order of w / l; l == 0 is infinite (all infinite ratios equal)
    ws = w[defeat]
    ls = lose[defeat]
    g = np.gcd(ws, ls)
    pairs = np.stack([ws // g, ls // g], axis=1)  # lowest terms; (k, 0) -> (1, 0)
    c = d.shape[0]
    codes = np.zeros((c, c), dtype=np.int64)
    if not len(pairs):
        return _Codes(_narrow(codes), strength, table=np.zeros((1, 2), dtype=np.int64))
    uniq, inverse = np.unique(pairs, axis=0, return_inverse=True)
    order = _ratio_order(uniq)
    code_of = np.empty(len(uniq), dtype=np.int64)
    code_of[order] = np.arange(1, len(uniq) + 1)
    codes[defeat] = code_of[inverse.reshape(-1)]
    table = np.concatenate([np.zeros((1, 2), dtype=np.int64), uniq[order]])
    return _Codes(_narrow(codes), strength, table=table)


def _ratio_order(pairs: NDArray[np.int64]) -> NDArray[np.int64]:
    """Indices sorting distinct reduced fractions ``num / den`` ascending (den 0 last).

    Sorted by float value first; rounding is monotone, so only runs of equal floats
    (distinct fractions closer than a float's precision) need the exact Fraction
    comparison. Above 2**53 the float conversion itself is inexact, so everything
    is compared as Fractions.
    """

    def exact(i: int) -> tuple[int, Fraction]:
        n, m = int(pairs[i, 0]), int(pairs[i, 1])
        return (1, Fraction(0)) if m == 0 else (0, Fraction(n, m))

    if int(pairs.max(initial=0)) >= 2**53:
        return np.array(sorted(range(len(pairs)), key=exact), dtype=np.int64)
    with np.errstate(divide="ignore"):
        q = pairs[:, 0] / pairs[:, 1]  # den 0 -> inf (num is 1)
    order = np.argsort(q, kind="stable")
    qs = q[order]
    same = np.flatnonzero(qs[1:] == qs[:-1])
    if same.size:
        starts = same[np.r_[True, np.diff(same) > 1]]
        for s in starts.tolist():
            e = s + 1
            while e < len(qs) and qs[e] == qs[s]:
                e += 1
            order[s:e] = sorted(order[s:e].tolist(), key=exact)
    return order


def strongest_paths(
    strengths: NDArray[Any], *, algorithm: Algorithm = "auto", parallel: bool | None = None
) -> CodeMatrix:
    """Strongest-path closure of a matrix of integer defeat strengths.

    Parameters
    ----------
    strengths : (C, C) array of non-negative int
        ``strengths[i, j] > 0``: ``i`` defeats ``j`` with that strength; 0: no
        defeat. Any order-preserving integer encoding of the real strengths
        works, since widest paths only compare. The diagonal is ignored.
    algorithm : {"auto", "sorted", "floyd_warshall"}, default "auto"
        ``"floyd_warshall"``: the textbook widest-path loop (Schulze 2011, section
        2.3), O(C³), vectorised, optionally multi-threaded. ``"sorted"``: add the
        defeats strongest first to a bitset transitive closure; the defeat that
        first connects ``x`` to ``y`` gives ``p[x, y]``; O(C² log) sorting plus at
        most O(C³/64) word operations, serial. ``"auto"``: "sorted" from
        :data:`SORTED_MIN_CANDIDATES` candidates on, unless ``parallel=True``.
    parallel : bool, optional
        Floyd–Warshall on all threads (True) or one (False). Default: on all
        threads from :data:`PARALLEL_MIN_CANDIDATES` candidates on.

    Returns
    -------
    ndarray, shape (C, C), int32 or int64
        ``p[i, j]``: strength of the strongest beat path from ``i`` to ``j`` (0 if
        none, and on the diagonal). Every algorithm returns the same matrix.

    Raises
    ------
    InvalidParameterError
        If ``strengths`` is not a square matrix of non-negative integers, or the
        options are unknown or contradictory.

    Notes
    -----
    Floyd–Warshall runs in the (max, min) semiring with pivots in blocks of 16
    (64 when parallel); see :mod:`voting._kernels.schulze`. Small matrices (and any
    matrix under ``VOTING_ENGINE=numpy``) go through a vectorised NumPy
    Floyd–Warshall instead, unless ``algorithm="sorted"`` or ``parallel=True`` asks
    for a kernel (:mod:`voting._dispatch`).

    Examples
    --------
    >>> strongest_paths(np.array([[0, 5, 0], [0, 0, 7], [2, 0, 0]])).tolist()
    [[0, 5, 5], [2, 0, 7], [2, 2, 0]]
    """
    if algorithm not in ALGORITHMS:
        raise InvalidParameterError(
            f"algorithm={algorithm!r} is unknown; use one of {list(ALGORITHMS)}."
        )
    if algorithm == "sorted" and parallel:
        raise InvalidParameterError(
            "algorithm='sorted' is serial; use algorithm='floyd_warshall' with parallel=True."
        )
    s = np.asarray(strengths)
    if s.ndim != 2 or s.shape[0] != s.shape[1]:
        raise InvalidParameterError(
            f"strengths has shape {s.shape}; expected a square (C, C) matrix."
        )
    if s.dtype == np.bool_ or not np.issubdtype(s.dtype, np.integer):
        raise InvalidParameterError(f"strengths has dtype {s.dtype}; expected integers.")
    if s.size and int(s.min()) < 0:
        raise InvalidParameterError(
            "strengths has negative entries; use 0 for 'no defeat' (for margins, "
            "pass np.maximum(margins, 0))."
        )
    if s.dtype != np.int32:
        s = _narrow(s.astype(np.int64, copy=False))
    s = np.ascontiguousarray(s)
    c = s.shape[0]
    explicit = algorithm == "sorted" or bool(parallel)
    if not use_numba("strongest_paths", c**3, prefer_numba=explicit):
        return cast(CodeMatrix, _np_schulze.strongest_paths(s))
    k = kernels("schulze")
    if algorithm == "auto":
        sorted_ok = c >= SORTED_MIN_CANDIDATES and not parallel
        algorithm = "sorted" if sorted_ok else "floyd_warshall"
    if algorithm == "sorted":
        return cast(CodeMatrix, k._strongest_paths_sorted(s))
    use_parallel = c >= PARALLEL_MIN_CANDIDATES if parallel is None else parallel
    kernel = k._strongest_paths_parallel if use_parallel else k._strongest_paths_serial
    return cast(CodeMatrix, kernel(s))


def _tiers(paths: CodeMatrix) -> list[list[int]]:
    c = paths.shape[0]
    if use_numba("strongest_paths", c * c):
        tier = kernels("schulze")._schulze_tiers(paths)
    else:
        tier = _np_schulze.schulze_tiers(paths)
    if (tier < 0).any():  # the Schulze relation is transitive: cannot happen
        raise RuntimeError("internal error: the Schulze relation has a cycle")
    n = int(tier.max(initial=-1)) + 1
    out: list[list[int]] = [[] for _ in range(n)]
    for c, t in enumerate(tier.tolist()):
        out[t].append(c)
    return out


# ------------------------------------------------------------------ explanation
def _strength_text(strength: StrengthMeasure, w: int, l_: int) -> str:
    if strength == "margins":
        return f"{w} to {l_} (margin {w - l_})"
    if strength == "ratio":
        ratio = "infinite" if l_ == 0 else f"{w / l_:.4g}"
        return f"{w} to {l_} (ratio {ratio})"
    return f"{w} to {l_}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Witness:
    """A strongest beat path between two candidates, to check a Schulze result by hand.

    Attributes
    ----------
    source, target : str
    path : tuple of str
        The candidates on a strongest beat path from ``source`` to ``target``
        (among those, one with the fewest defeats); empty when there is none.
    weakest : tuple of (str, str) or None
        The weakest defeat on ``path``: it sets the path's strength.
    votes_for, votes_against : int
        Pairwise counts of that defeat (``d[x, y]`` and ``d[y, x]``); 0 without a path.
    back_path : tuple of str
        A strongest beat path from ``target`` back to ``source`` (empty if none).
    back_for, back_against : int
        Pairwise counts of the weakest defeat on ``back_path``.
    outcome : {"beats", "ties", "loses"}
        How ``source`` fares against ``target`` in the Schulze order.
    strength : {"winning", "margins", "ratio"}
    """

    source: str
    target: str
    path: tuple[str, ...]
    weakest: tuple[str, str] | None
    votes_for: int
    votes_against: int
    back_path: tuple[str, ...]
    back_for: int
    back_against: int
    outcome: Literal["beats", "ties", "loses"]
    strength: StrengthMeasure

    def __str__(self) -> str:
        a, b = self.source, self.target
        there = ">".join(self.path)
        back = ">".join(self.back_path)
        s_there = _strength_text(self.strength, self.votes_for, self.votes_against)
        s_back = _strength_text(self.strength, self.back_for, self.back_against)
        if self.outcome == "beats":
            text = f"{a} beats {b} through {there}, strength {s_there}"
            if self.back_path:
                text += f"; the strongest path back, {back}, has strength {s_back}"
            return text
        if self.outcome == "loses":
            if self.path:
                return (
                    f"{a} does not beat {b}: its strongest path {there} has strength "
                    f"{s_there}, weaker than {back}, strength {s_back}"
                )
            return (
                f"{a} does not beat {b}: {a} has no beat path to {b}, and {back} has "
                f"strength {s_back}"
            )
        if not self.path:
            return f"{a} ties {b}: neither has a beat path to the other"
        return (
            f"{a} ties {b}: {there} has strength {s_there}, as strong as {back}, strength {s_back}"
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class SchulzeExplanation(Explanation):
    """How a Schulze result came about: pairwise counts and strongest paths.

    ``to_text()`` prints the strongest-path matrix; ``to_dict()`` gives ``pairwise``,
    ``strength``, ``strongest_paths`` (as :attr:`strongest_paths`) and ``beats``.

    Attributes
    ----------
    pairwise : PairwiseMatrix
        The pairwise counts ``d``.
    strength : {"winning", "margins", "ratio"}
        The strength measure used.
    path_codes : ndarray of int32 or int64, shape (C, C)
        Order-preserving integer codes of the strongest-path strengths (0 = no
        beat path): compare them, don't read them; see :attr:`strongest_paths`.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B", "C"]] * 4 + [["B", "C", "A"]] * 3
    ...                           + [["C", "A", "B"]] * 2)
    >>> e = Schulze().run(p).explanation
    >>> print(e.witness("A", "C"))
    A beats C through A>B>C, strength 6 to 3; the strongest path back, C>A, has strength 5 to 4
    >>> e.strongest_paths[0, 2].tolist()
    [6, 3]
    """

    pairwise: PairwiseMatrix
    strength: StrengthMeasure
    path_codes: CodeMatrix
    _codes: _Codes = field(repr=False)

    @property
    def candidates(self) -> tuple[str, ...]:
        """The candidates, in profile order."""
        return self.pairwise.candidates

    def __eq__(self, other: object) -> bool:
        """Same pairwise counts, strength measure and strongest paths."""
        if not isinstance(other, SchulzeExplanation):
            return NotImplemented
        return (
            self.strength == other.strength
            and self.pairwise == other.pairwise
            and bool(np.array_equal(self.strongest_paths, other.strongest_paths))
        )

    __hash__ = None  # type: ignore[assignment]

    @cached_property
    def strongest_paths(self) -> NDArray[np.int64]:
        """Readable strengths of the strongest beat paths (zeros where there is none).

        * ``"winning"``: shape (C, C, 2): winning and losing votes of the weakest
          defeat on a strongest path from row to column;
        * ``"margins"``: shape (C, C): the margin of that defeat;
        * ``"ratio"``: shape (C, C, 2): the ratio in lowest terms, ``(1, 0)`` if
          infinite.
        """
        out = self._codes.decode(self.path_codes)
        out.setflags(write=False)
        return out

    @cached_property
    def beats(self) -> NDArray[np.bool_]:
        """``beats[i, j]``: ``i`` beats ``j`` in the Schulze order."""
        b = self.path_codes > self.path_codes.T
        b.setflags(write=False)
        return b

    def _path(self, a: int, b: int) -> list[int]:
        """Fewest-defeats path from ``a`` to ``b`` using defeats at least as strong
        as ``p[a, b]`` (so its weakest defeat has exactly that strength). O(C²)."""
        target = self.path_codes[a, b]
        if target == 0:
            return []
        strong = self._codes.codes >= target
        np.fill_diagonal(strong, False)
        prev = np.full(len(self.candidates), -1, dtype=np.int64)
        prev[a] = a
        frontier = [a]
        while frontier and prev[b] < 0:
            nxt: list[int] = []
            for x in frontier:
                new = np.flatnonzero(strong[x] & (prev < 0))
                prev[new] = x
                nxt.extend(new.tolist())
            frontier = nxt
        if prev[b] < 0:  # pragma: no cover - the closure guarantees a path
            raise RuntimeError("internal error: no path of the closure's strength")
        path = [b]
        while path[-1] != a:
            path.append(int(prev[path[-1]]))
        return path[::-1]

    def _weakest(self, path: list[int]) -> tuple[int, int]:
        links = list(itertools.pairwise(path))
        return min(links, key=lambda e: self._codes.codes[e[0], e[1]])

    def witness(self, a: str | int, b: str | int) -> Witness:
        """A strongest beat path from ``a`` to ``b`` and one back, with their strengths.

        ``str(witness)`` reads e.g. ``"A beats D through A>C>D, strength 154 to 76"``.
        Runtime complexity: O(C²).
        """
        i = self.pairwise._idx(a)
        j = self.pairwise._idx(b)
        if i == j:
            raise InvalidParameterError(
                f"witness() needs two different candidates, got {a!r} twice."
            )
        names = self.candidates
        sup = self.pairwise.support
        there = self._path(i, j)
        back = self._path(j, i)
        weak = self._weakest(there) if there else None
        weak_back = self._weakest(back) if back else None
        pij, pji = self.path_codes[i, j], self.path_codes[j, i]
        outcome: Literal["beats", "ties", "loses"] = (
            "beats" if pij > pji else "loses" if pij < pji else "ties"
        )
        return Witness(
            source=names[i],
            target=names[j],
            path=tuple(names[x] for x in there),
            weakest=(names[weak[0]], names[weak[1]]) if weak else None,
            votes_for=int(sup[weak]) if weak else 0,
            votes_against=int(sup[weak[::-1]]) if weak else 0,
            back_path=tuple(names[x] for x in back),
            back_for=int(sup[weak_back]) if weak_back else 0,
            back_against=int(sup[weak_back[::-1]]) if weak_back else 0,
            outcome=outcome,
            strength=self.strength,
        )

    def to_text(self) -> str:
        """The strongest-path matrix as a table, rows to columns (``w:l`` pairs for
        "winning", margins, or ratios), with the candidates numbered as in
        :meth:`PairwiseMatrix.to_text`, under a line saying how to read it."""
        s = self.strongest_paths
        c = len(self.candidates)
        cells: list[list[str]] = []
        for i in range(c):
            row = []
            for j in range(c):
                if i == j or self.path_codes[i, j] == 0:
                    row.append("-")
                elif self.strength == "margins":
                    row.append(str(int(s[i, j])))
                elif self.strength == "ratio" and s[i, j, 1] == 0:
                    row.append("inf")
                else:
                    sep = ":" if self.strength == "winning" else "/"
                    row.append(f"{int(s[i, j, 0])}{sep}{int(s[i, j, 1])}")
            cells.append(row)
        width = max([len(x) for row in cells for x in row] + [3]) + 1
        lines = [
            f"Strongest beat paths, row to column: {_MEASURES[self.strength]}",
            "(a row beats a column when its path is stronger than the path back)",
            " " * 6 + "".join(f"{k + 1:>{width}}" for k in range(c)),
        ]
        lines += [f"{i + 1:>4}  " + "".join(f"{x:>{width}}" for x in cells[i]) for i in range(c)]
        lines.append("")
        lines += [f"{i + 1:>4}  {name}" for i, name in enumerate(self.candidates)]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``type``, ``pairwise``, ``strength``, ``strongest_paths`` (as
        :attr:`strongest_paths`: ``[winning, losing]`` pairs, margins or ``[p, q]``
        ratios, 0 where there is no path) and ``beats`` (as :attr:`beats`)."""
        out = self.fields_dict(
            strongest_paths=json_ready(self.strongest_paths), beats=json_ready(self.beats)
        )
        del out["path_codes"]  # codes to compare, not to read: strongest_paths says it
        return out


# ----------------------------------------------------------------------- method
@dataclass(frozen=True, kw_only=True)
class Schulze(PairwiseMethod[SchulzeExplanation]):
    """Schulze (beat-path) method, ranking as CIVS does.

    Parameters
    ----------
    strength : {"winning", "margins", "ratio"}, default "winning"
        Strength of a defeat of ``y`` by ``x`` (``w = d[x, y] > l = d[y, x]``):
        ``"winning"`` compares ``w`` then, for equal ``w``, fewer ``l`` is
        stronger (CIVS, Debian); ``"margins"`` is ``w - l``; ``"ratio"`` is
        ``w / l`` compared exactly, infinite when ``l = 0``.
    seats : int, default 1
        How many candidates to elect: the top ``seats`` of the Schulze ranking.
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier straddling the last seat; the broken tie is recorded in the
        result (``ties_broken``, ``tied_at_last_seat``).

    Notes
    -----
    ``d[x, y]`` counts the voters ranking ``x`` strictly above ``y`` (ties count
    for neither; unranked candidates follow the profile's ``unranked`` policy).
    ``x`` defeats ``y`` when ``d[x, y] > d[y, x]``. The strength of a beat path is
    that of its weakest defeat; ``p[x, y]`` is the strongest path's strength, and
    ``x`` beats ``y`` when ``p[x, y] > p[y, x]``, a strict partial order. The
    ranking takes the unbeaten candidates as the first tier, removes them and
    repeats (CIVS); no tie is broken inside the ranking.

    Schulze (2011) proves, for each of these strength measures, that the method
    elects the Condorcet winner, never a Condorcet loser, elects within the Smith
    and Schwartz sets, and is Pareto, monotonic, clone independent and reversal
    symmetric.

    Runtime complexity: O(V·C²) for the pairwise counts (cached on the profile),
    O(C³) for the strongest paths (Floyd–Warshall in the widest-path form; from 32
    candidates on, an equivalent kernel adds the defeats strongest first to a bitset
    closure, at most O(C³/64) word operations after an O(C²) sort), O(C²) for the
    ranking. Memory O(C²).

    References
    ----------
    .. [1] M. Schulze, "A new monotonic, clone-independent, reversal symmetric,
       and Condorcet-consistent single-winner election method", Social Choice and
       Welfare 36(2):267–303, 2011. doi:10.1007/s00355-010-0475-4
    .. [2] A. C. Myers, Condorcet Internet Voting Service (CIVS),
       https://civs1.civs.us/ (Schulze completion, ranking by tiers).
    .. [3] Constitution for the Debian Project, appendix A.6 (winning votes with
       losing votes as secondary key).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B", "C"]] * 4 + [["B", "C", "A"]] * 3
    ...                           + [["C", "A", "B"]] * 2)
    >>> r = Schulze().run(p)
    >>> r.winner, r.ranking
    ('A', (('A',), ('B',), ('C',)))
    """

    name: ClassVar[str] = "schulze"
    parameter_constraints: ClassVar[Constraints] = {
        "strength": OneOf(STRENGTHS, note="'winning' is CIVS's and Debian's"),
    }
    strength: StrengthMeasure = "winning"

    def tags(self) -> MethodTags:
        """Single-winner criteria for one seat; for a committee, only that the
        Condorcet winner is always elected."""
        if self.seats == 1:
            return MethodTags(
                kind="single_winner",
                condorcet_winner=True,
                condorcet_loser=True,
                smith=True,
                schwartz=True,
                pareto=True,
                monotonic=True,
                reversal_symmetry=True,
                clone_independent=True,
            )
        return MethodTags(kind="committee", condorcet_winner=True)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[SchulzeExplanation]:
        """Rank from pairwise counts alone (Schulze needs nothing else).

        Useful when only the pairwise matrix is published (Debian's results pages).
        """
        self.check_pairwise(pairwise)
        codes = _encode(pairwise.support, self.strength)
        paths = strongest_paths(codes.codes)
        paths.setflags(write=False)
        explanation = SchulzeExplanation(
            pairwise=pairwise, strength=self.strength, path_codes=paths, _codes=codes
        )
        return self.elect(pairwise.candidates, _tiers(paths), explanation)

"""Rank spread: the distribution of the positions voters gave each candidate.

Positions
---------
A ballot's candidates occupy positions ``1..C``, best first. A candidate in a tier of
``s`` candidates with ``S`` candidates above it shares positions ``S + 1 .. S + s``
and is given their average ``S + (s + 1) / 2``: three candidates tied right after the
first hold positions 2-4 and each gets 3.0; two tied at the top each get 1.5.
Positions are therefore multiples of one half, from 1 to C.

Unranked candidates:

- ``unranked="last"``: the ``u`` candidates a ballot leaves unranked are tied below
  every ranked one, so they share the last positions ``C - u + 1 .. C`` and each gets
  their average ``(C - u + 1 + C) / 2``;
- ``unranked="ignore"``: the ballot says nothing about them, so it contributes no
  position for them; each candidate's distribution then covers only the voters who
  ranked it (:attr:`RankSpread.counted`).

Consensus index
---------------
Tastle and Wierman's consensus measure for an ordinal scale [1]_, with the positions
``X`` on ``[1, C]`` (width ``d = C - 1``) and mean ``μ``:

    Cns(X) = 1 + Σ_i p_i · log2(1 - |X_i - μ| / d)

It is 1 when every voter gives the candidate the same position, and 0 when half the
voters put it first and half last (the most divided a distribution on the scale can
be); it decreases as mass moves away from the mean, more steeply far from it. With a
single candidate (``d = 0``) it is 1. Candidates no ballot positions (possible under
``"ignore"``) get NaN mean, spread and consensus.

References
----------
.. [1] W. J. Tastle, M. J. Wierman, "Consensus and dissention: a measure of ordinal
   dispersion", Int. J. Approx. Reasoning 45 (2007) 531–545.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._numpy_paths.spread import position_counts
from voting.analysis._common import Order, check_profile, resolve_order
from voting.profile import Profile
from voting.render import Record, json_ready, text_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["RankSpread", "rank_spread"]


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class RankSpread(Record):
    """Each candidate's distribution of (average) positions; see :mod:`voting.analysis.spread`.

    Renders as a table (:meth:`to_text`), JSON-ready data (:meth:`to_dict`) and a
    bubble chart (:meth:`plot`).

    Attributes
    ----------
    candidates : tuple of str
        Profile order (rows of :attr:`counts`).
    order : tuple of str
        Display order (result order, or by mean position).
    unranked : {"last", "ignore"}
    num_voters : int
    positions : ndarray of float64, shape (2C - 1,)
        ``1, 1.5, 2, ..., C``: the possible average positions.
    counts : ndarray of int64, shape (C, 2C - 1)
        ``counts[c, h]`` voters (weighted) gave candidate ``c`` position
        ``positions[h]``. Read-only.
    """

    candidates: tuple[str, ...]
    order: tuple[str, ...]
    unranked: str
    num_voters: int
    positions: NDArray[np.float64]
    counts: NDArray[np.int64]

    # ----------------------------------------------------------- statistics
    @cached_property
    def counted(self) -> NDArray[np.int64]:
        """Voters whose ballot gave each candidate a position (all of them under "last")."""
        return cast(NDArray[np.int64], _readonly(self.counts.sum(axis=1)))

    @cached_property
    def mean(self) -> NDArray[np.float64]:
        """Mean position of each candidate (NaN if never positioned)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            m = (self.counts @ self.positions) / self.counted
        return cast(NDArray[np.float64], _readonly(m))

    @cached_property
    def std(self) -> NDArray[np.float64]:
        """Standard deviation of each candidate's position (population, weighted)."""
        dev = self.positions[None, :] - self.mean[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            var = (self.counts * dev**2).sum(axis=1) / self.counted
        return cast(NDArray[np.float64], _readonly(np.sqrt(var)))

    @cached_property
    def consensus(self) -> NDArray[np.float64]:
        """Tastle–Wierman consensus of each candidate's positions, in [0, 1]."""
        c = len(self.candidates)
        out = np.full(c, np.nan)
        width = float(c - 1)
        for i in range(c):
            n = int(self.counted[i])
            if n == 0:
                continue
            if width == 0.0:
                out[i] = 1.0
                continue
            nz = self.counts[i] > 0
            p = self.counts[i][nz] / n
            dist = np.abs(self.positions[nz] - self.mean[i]) / width
            # 1 - dist is > 0 whenever p > 0 (dist = 1 needs all mass at the other end)
            out[i] = 1.0 + float((p * np.log2(np.maximum(1.0 - dist, 1e-300))).sum())
        return cast(NDArray[np.float64], _readonly(np.clip(out, 0.0, 1.0)))

    def _i(self, candidate: str) -> int:
        try:
            return self.candidates.index(candidate)
        except ValueError:
            raise KeyError(candidate) from None

    def distribution(self, candidate: str) -> dict[float, int]:
        """``{position: voters}`` for one candidate, positions with at least one voter."""
        row = self.counts[self._i(candidate)]
        return {float(self.positions[h]): int(row[h]) for h in np.flatnonzero(row)}

    def _mode(self, i: int) -> float | None:
        """The most frequent position of candidate ``i`` (the first, on equal counts)."""
        if int(self.counted[i]) == 0:
            return None
        return float(self.positions[int(np.argmax(self.counts[i]))])

    # --------------------------------------------------------------- output
    def to_text(self) -> str:
        """One line per candidate in display order: voters, mean, spread, consensus, mode."""
        rows = []
        for name in self.order:
            i = self._i(name)
            n = int(self.counted[i])
            most = self._mode(i)
            mode = "-" if most is None else f"{most:g}"
            rows.append(
                [
                    name,
                    str(n),
                    _f(self.mean[i], 2),
                    _f(self.std[i], 2),
                    _f(self.consensus[i], 3),
                    mode,
                ]
            )
        header = ["candidate", "voters", "mean pos", "std", "consensus", "mode"]
        return text_table(header, rows, "<>>>>>")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``type``, ``candidates`` (profile order), ``order`` (display
        order), ``unranked``, ``num_voters`` and ``rows``, one per candidate in display
        order: ``candidate``, ``voters``, ``mean``, ``std``, ``consensus``, ``mode``
        (``null`` where nobody gave the candidate a position) and ``distribution``
        (``{"position": voters}``, positions written ``"1"``, ``"1.5"``, ...)."""
        rows = []
        for name in self.order:
            i = self._i(name)
            rows.append(
                {
                    "candidate": name,
                    "voters": int(self.counted[i]),
                    "mean": json_ready(float(self.mean[i])),
                    "std": json_ready(float(self.std[i])),
                    "consensus": json_ready(float(self.consensus[i])),
                    "mode": self._mode(i),
                    "distribution": {f"{k:g}": v for k, v in self.distribution(name).items()},
                }
            )
        return {
            "type": type(self).__name__,
            "candidates": list(self.candidates),
            "order": list(self.order),
            "unranked": self.unranked,
            "num_voters": int(self.num_voters),
            "rows": rows,
        }

    def plot(
        self,
        *,
        order: Order = None,
        ax: Axes | None = None,
        path: str | os.PathLike[str] | None = None,
        title: str | None = None,
        dpi: int = 150,
    ) -> Figure:
        """Bubble chart (needs the ``plot`` extra).

        See :func:`voting.analysis.plot.plot_rank_spread`.
        """
        from voting.analysis.plot import plot_rank_spread

        return plot_rank_spread(self, order=order, ax=ax, path=path, title=title, dpi=dpi)


def _f(x: float, digits: int) -> str:
    return "-" if math.isnan(x) else f"{x:.{digits}f}"


def rank_spread(profile: Profile, *, order: Order = None) -> RankSpread:
    """The distribution of the positions voters gave each candidate.

    Parameters
    ----------
    profile : Profile
    order : sequence of str or Result, optional
        Display order for tables and the chart, e.g. a method's result (its ranking,
        best first). Names not listed follow by mean position. Default: by mean
        position (then profile order).

    Returns
    -------
    RankSpread
        Counts per candidate and average position, mean, standard deviation, and the
        Tastle–Wierman consensus index; ``.plot()`` draws the bubble chart.

    Raises
    ------
    InvalidParameterError
        ``order`` names an unknown candidate.
    EmptyProfileError
        The profile has no voters.

    Notes
    -----
    Tied candidates get the average of the positions they share; unranked ones are
    handled per the profile's policy (see :mod:`voting.analysis.spread`).
    Runtime complexity: O(V·C) (one numba pass over the ballots).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", ("B", "C", "D")], ["B", "A"]], weights=[2, 1])
    >>> s = rank_spread(p)
    >>> s.distribution("C")   # tied at positions 2-4 (3.0); unranked at 3-4 (3.5)
    {3.0: 2, 3.5: 1}
    >>> s.order
    ('A', 'B', 'C', 'D')
    """
    profile = check_profile(profile, "rank_spread")
    c = profile.num_candidates
    ignore = profile.unranked == "ignore"
    if use_numba("spread", profile.ranks.size):
        counts = kernels("spread")._position_counts(profile.ranks, profile.weights, ignore)
    else:
        counts = position_counts(profile.ranks, profile.weights, ignore)
    positions = _readonly(np.arange(2, 2 * c + 1, dtype=np.float64) / 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (counts @ positions) / counts.sum(axis=1)
    key = np.where(np.isnan(mean), np.inf, mean)
    default = tuple(profile.candidates[i] for i in np.lexsort((np.arange(c), key)))
    display = resolve_order(order, profile.candidates, default)
    return RankSpread(
        candidates=profile.candidates,
        order=display,
        unranked=profile.unranked,
        num_voters=profile.num_voters,
        positions=cast(NDArray[np.float64], positions),
        counts=cast(NDArray[np.int64], _readonly(counts)),
    )

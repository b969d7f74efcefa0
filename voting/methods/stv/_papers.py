"""The papers of a Gregory count (Scottish, ERS97, fractional) and their value classes.

Papers with the same ranking always travel together and carry the same value, so a
Gregory count keeps one state per unique ranking: the candidate holding it, its
position in the ranking, its *value class* and the batch it arrived in. A transfer
maps each value class present at a candidate to its new value, computed once in the
rule's exact arithmetic; the kernels (or their NumPy versions for few ballots, as
:mod:`voting._dispatch` decides) move and count papers by class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, use_numba
from voting._numpy_paths import stv as _np_stv
from voting.methods.stv._ballots import Ballots

__all__ = ["Papers"]

I32 = NDArray[np.int32]


class Papers:
    """Where every unique ranking's papers are, and their value classes.

    ``values[k]`` is the exact value of class ``k`` (a scaled ``int`` for fixed-point
    rules, a ``Fraction`` otherwise); equal values share a class. ``counts[c, k]``
    is the number of papers of class ``k`` held by candidate ``c`` (row ``C``: the
    exhausted papers) at the last :meth:`totals`.
    """

    def __init__(self, ballots: Ballots, one: Any) -> None:
        self.b = ballots
        n = ballots.n_candidates
        # the kernels, or their NumPy versions for few ballots (voting._dispatch)
        self.k: Any = kernels("stv") if use_numba("gregory", ballots.order.size) else None
        start = _np_stv.gregory_start if self.k is None else self.k._gregory_start
        self.at: NDArray[np.int32]
        self.pos: NDArray[np.int32]
        self.at, self.pos = start(ballots.order, ballots.length, np.ones(n, np.bool_))
        self.cls = np.zeros(ballots.n_unique, dtype=np.int32)
        self.arrived = np.zeros(ballots.n_unique, dtype=np.int32)
        self.values: list[Any] = [one]
        self._index: dict[Any, int] = {one: 0}
        self.counts: NDArray[np.int64] = self.tally_counts()

    def class_of(self, value: Any) -> int:
        """The class of papers of ``value`` (a new class for a new value)."""
        k = self._index.get(value)
        if k is None:
            k = len(self.values)
            self.values.append(value)
            self._index[value] = k
        return k

    def tally_counts(self) -> NDArray[np.int64]:
        """Papers per candidate (and exhausted) and value class."""
        tally = _np_stv.gregory_tally if self.k is None else self.k._gregory_tally
        counts: NDArray[np.int64] = tally(
            self.at, self.cls, self.b.mult, self.b.n_candidates, len(self.values)
        )
        return counts

    def totals(self, zero: Any) -> tuple[list[Any], Any]:
        """Recount: value held by each candidate's papers, and the exhausted value."""
        self.counts = self.tally_counts()
        n = self.b.n_candidates
        out = [zero] * (n + 1)
        rows, cols = np.nonzero(self.counts)
        for r, k in zip(rows.tolist(), cols.tolist(), strict=True):
            out[r] = out[r] + int(self.counts[r, k]) * self.values[k]
        return out[:n], out[n]

    def arrays(self) -> tuple[I32, I32, I32, I32, I32, I32]:
        """The rankings and the papers' state, as the kernels take them first."""
        return (self.b.order, self.b.length, self.at, self.pos, self.cls, self.arrived)

    def last_batch(self, candidate: int) -> int:
        """The id of the last batch of papers ``candidate`` received (0: first preferences)."""
        at_c = self.at == candidate
        return int(self.arrived[at_c].max()) if at_c.any() else 0

    def parcel(self, source: int, batch: int, continuing: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Papers of batch ``batch`` held by ``source``, by value class: row 0 those
        with a next continuing candidate (transferable), row 1 the rest."""
        src = np.zeros(self.b.n_candidates, dtype=np.bool_)
        src[source] = True
        parcel_counts = _np_stv.gregory_parcel if self.k is None else self.k._gregory_parcel
        counts: NDArray[np.int64] = parcel_counts(
            *self.arrays(), self.b.mult, src, batch, continuing, len(self.values)
        )
        return counts

    def move(
        self,
        sources: Sequence[int],
        continuing: NDArray[np.bool_],
        stage: int,
        class_map: NDArray[np.int32] | None = None,
        class_select: NDArray[np.bool_] | None = None,
        parcel: int = -1,
        keep_stuck: bool = False,
    ) -> None:
        """Move the papers of ``sources`` to their next continuing candidate.

        ``class_map`` gives each moved class its new class (default: unchanged);
        ``class_select`` moves only the selected classes; ``parcel`` (>= 0) only the
        papers of that batch; ``keep_stuck`` leaves papers without a next continuing
        candidate where they are. Moved papers arrive as batch ``stage``.
        """
        k = len(self.values)
        src = np.zeros(self.b.n_candidates, dtype=np.bool_)
        src[list(sources)] = True
        cmap = np.arange(k, dtype=np.int32) if class_map is None else class_map
        sel = np.ones(k, dtype=np.bool_) if class_select is None else class_select
        move = _np_stv.gregory_move if self.k is None else self.k._gregory_move
        move(*self.arrays(), src, sel, cmap, continuing, parcel, stage, keep_stuck)

"""Head to head: every pairwise contest, as a person reads it ("A defeats B 154-76").

The counts are those of :func:`voting.pairwise`: ``support[a, b]`` voters rank ``a``
strictly above ``b`` under the profile's unranked policy (``"last"``: a ranked
candidate beats an unranked one; ``"ignore"``: a pair counts only on ballots that rank
both). Voters who tie the two, or (under ``"ignore"``) leave either unranked, count for
neither side.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from voting.analysis._common import Order, check_profile, resolve_order
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.render import Record, markdown_table, text_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Contest", "HeadToHeadTable", "head_to_head_table"]


@dataclass(frozen=True, slots=True)
class Contest:
    """One pairwise contest, winner first (for a tie, in display order).

    Attributes
    ----------
    winner, loser : str
    for_winner, for_loser : int
        Voters ranking the winner above the loser, and the loser above the winner.
    tied : bool
        True when both counts are equal (then "winner" is just the first listed).
    """

    winner: str
    loser: str
    for_winner: int
    for_loser: int
    tied: bool

    @property
    def margin(self) -> int:
        """``for_winner - for_loser`` (>= 0)."""
        return self.for_winner - self.for_loser

    def __str__(self) -> str:
        verb = "ties" if self.tied else "defeats"
        return f"{self.winner} {verb} {self.loser} {self.for_winner}-{self.for_loser}"


@dataclass(frozen=True, eq=False)
class HeadToHeadTable(Record):
    """The full pairwise table of a profile.

    Renders as a grid (:meth:`to_text`, :meth:`to_markdown`), JSON-ready data
    (:meth:`to_dict`) and a heatmap (:meth:`plot`).

    Attributes
    ----------
    pairwise : PairwiseMatrix
        The counts (profile order).
    order : tuple of str
        Display order: rows and columns of :meth:`to_text`, and the order contests
        are listed in.
    """

    pairwise: PairwiseMatrix
    order: tuple[str, ...]

    @property
    def candidates(self) -> tuple[str, ...]:
        """Profile order."""
        return self.pairwise.candidates

    @cached_property
    def _perm(self) -> NDArray[np.int64]:
        return np.array([self.candidates.index(c) for c in self.order], dtype=np.int64)

    @property
    def support(self) -> NDArray[np.int64]:
        """``support[i, j]``: voters preferring ``order[i]`` to ``order[j]`` (display order)."""
        return self.pairwise.support[np.ix_(self._perm, self._perm)]

    @property
    def margins(self) -> NDArray[np.int64]:
        """``support - support.T`` in display order: positive where the row wins."""
        s = self.support
        return cast(NDArray[np.int64], s - s.T)

    @cached_property
    def contests(self) -> tuple[Contest, ...]:
        """Every pair once: by the display position of the first, then the second."""
        s = self.support
        out: list[Contest] = []
        for i, a in enumerate(self.order):
            for j in range(i + 1, len(self.order)):
                b = self.order[j]
                x, y = int(s[i, j]), int(s[j, i])
                if y > x:
                    out.append(Contest(b, a, y, x, False))
                else:
                    out.append(Contest(a, b, x, y, x == y))
        return tuple(out)

    def contest(self, a: str, b: str) -> Contest:
        """The contest between ``a`` and ``b``."""
        for c in self.contests:
            if {c.winner, c.loser} == {a, b} and a != b:
                return c
        raise KeyError((a, b))

    def records(self) -> list[dict[str, Any]]:
        """The contests as plain dicts (for JSON or a data frame)."""
        return [
            {
                "winner": c.winner,
                "loser": c.loser,
                "for_winner": c.for_winner,
                "for_loser": c.for_loser,
                "margin": c.margin,
                "tied": c.tied,
            }
            for c in self.contests
        ]

    def _grid(self) -> tuple[list[str], list[list[str]]]:
        s = self.support
        n = len(self.order)
        header = ["", *[str(i + 1) for i in range(n)]]
        rows = []
        for i, name in enumerate(self.order):
            cells = ["-" if i == j else f"{int(s[i, j])}-{int(s[j, i])}" for j in range(n)]
            rows.append([f"{i + 1}. {name}", *cells])
        return header, rows

    def to_text(self, *, contests: bool = True) -> str:
        """The table as text.

        A grid whose cell (row ``a``, column ``b``) reads ``x-y``: ``x`` voters prefer
        ``a``, ``y`` prefer ``b``. With ``contests=True`` (default), then one line per
        pair: "A defeats B 154-76".
        """
        header, rows = self._grid()
        lines = [text_table(header, rows, "<" + ">" * len(self.order))]
        if contests:
            lines.append("")
            lines.extend(str(c) for c in self.contests)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The grid as a Markdown table."""
        header, rows = self._grid()
        return markdown_table(header, rows, "<" + ">" * len(self.order))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``type``, ``candidates`` (profile order), ``order`` (display
        order), ``support`` (``support[i][j]``: voters preferring ``order[i]`` to
        ``order[j]``) and ``contests`` (:meth:`records`)."""
        return {
            "type": type(self).__name__,
            "candidates": list(self.candidates),
            "order": list(self.order),
            "support": self.support.tolist(),
            "contests": self.records(),
        }

    def plot(
        self,
        *,
        ax: Axes | None = None,
        path: str | os.PathLike[str] | None = None,
        title: str | None = None,
        dpi: int = 150,
    ) -> Figure:
        """Heatmap of the margins (``plot`` extra).

        See :func:`voting.analysis.plot.plot_head_to_head`.
        """
        from voting.analysis.plot import plot_head_to_head

        return plot_head_to_head(self, ax=ax, path=path, title=title, dpi=dpi)


def head_to_head_table(profile: Profile, *, order: Order = None) -> HeadToHeadTable:
    """Every pairwise contest of ``profile``, with its margin.

    Parameters
    ----------
    profile : Profile
    order : sequence of str or Result, optional
        Display order (e.g. a method's result). Default: by Copeland score (wins
        minus losses), then profile order, so a Condorcet winner comes first.

    Returns
    -------
    HeadToHeadTable
        ``contests`` ("A defeats B 154-76"), ``support``/``margins`` in display order,
        ``to_text()``, ``to_markdown()``, ``records()``, and ``.plot()`` (heatmap).

    Raises
    ------
    InvalidParameterError
        ``order`` names an unknown candidate, or ``profile`` is not a Profile.

    Notes
    -----
    Runtime complexity: O(V·C²) for the pairwise counts (cached on the profile), then
    O(C²).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"], ["A", ("B", "C")]])
    >>> t = head_to_head_table(p)
    >>> [str(c) for c in t.contests]
    ['A defeats B 2-1', 'A defeats C 2-1', 'B defeats C 2-0']
    """
    profile = check_profile(profile, "head_to_head_table", need_voters=False)
    m = profile.pairwise
    beats = m.support > m.support.T
    copeland = beats.sum(axis=1) - beats.sum(axis=0)
    c = profile.num_candidates
    default = tuple(profile.candidates[i] for i in np.lexsort((np.arange(c), -copeland)))
    return HeadToHeadTable(m, resolve_order(order, profile.candidates, default))

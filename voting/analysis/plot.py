"""Charts for the analyses (the optional ``plot`` extra: ``pip install 'voting[plot]'``).

matplotlib is imported inside each function, so ``import voting`` and ``import
voting.analysis`` never import it. Figures are built with
:class:`matplotlib.figure.Figure` directly, not ``pyplot``: no GUI backend, no global
state, safe in scripts, servers and tests. Pass ``ax=`` to draw into an existing
axes, ``path=`` to save (the format follows the suffix: ``.png``, ``.svg``, ``.pdf``).

- :func:`plot_rank_spread`: one row per candidate, bubbles sized by the number of
  voters who gave it each position, candidates in result order;
- :func:`plot_head_to_head`: heatmap of pairwise margins, cells labelled ``x-y``;
- :func:`plot_tie_sensitivity`: probability of election with its interval;
- :func:`plot_blocs`: each group's share on top against the share expected by chance.

Each function reads its report through a small protocol of the attributes it draws
(:class:`SpreadLike` for a :class:`~voting.analysis.spread.RankSpread`, ...), so that
this module imports none of the analysis modules whose ``plot`` methods import it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from voting.analysis._common import Order, resolve_order

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_blocs", "plot_head_to_head", "plot_rank_spread", "plot_tie_sensitivity"]

PathLike = str | os.PathLike[str]


class SpreadLike(Protocol):
    """What :func:`plot_rank_spread` draws: a :class:`~voting.analysis.spread.RankSpread`."""

    @property
    def candidates(self) -> tuple[str, ...]: ...
    @property
    def order(self) -> tuple[str, ...]: ...
    @property
    def positions(self) -> NDArray[np.float64]: ...
    @property
    def counts(self) -> NDArray[np.int64]: ...
    @property
    def mean(self) -> NDArray[np.float64]: ...


class HeadToHeadLike(Protocol):
    """What :func:`plot_head_to_head` draws: a
    :class:`~voting.analysis.head_to_head.HeadToHeadTable`."""

    @property
    def order(self) -> tuple[str, ...]: ...
    @property
    def support(self) -> NDArray[np.int64]: ...
    @property
    def margins(self) -> NDArray[np.int64]: ...


class SensitivityLike(Protocol):
    """What :func:`plot_tie_sensitivity` draws: a
    :class:`~voting.analysis.sensitivity.TieSensitivity`."""

    @property
    def method(self) -> str: ...
    @property
    def exact(self) -> bool: ...
    @property
    def runs(self) -> int: ...
    @property
    def confidence(self) -> float: ...
    @property
    def chances(self) -> Sequence[Any]: ...


class BlocsLike(Protocol):
    """What :func:`plot_blocs` draws: a :class:`~voting.analysis.blocs.BlocReport`."""

    @property
    def groups(self) -> Sequence[Any]: ...


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "plotting needs matplotlib: pip install 'voting[plot]' (or pip install matplotlib)."
        ) from None
    if ax is not None:
        fig = ax.get_figure()
        if fig is None:  # pragma: no cover - an Axes always belongs to a figure
            raise ValueError("ax is not attached to a figure.")
        return fig, ax  # type: ignore[return-value]
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _save(fig: Figure, path: PathLike | None, dpi: int) -> None:
    if path is not None:
        fig.savefig(os.fspath(path), dpi=dpi)


def plot_rank_spread(
    spread: SpreadLike,
    *,
    order: Order = None,
    ax: Axes | None = None,
    path: PathLike | None = None,
    title: str | None = None,
    max_area: float = 700.0,
    dpi: int = 150,
) -> Figure:
    """Bubble chart of a :class:`~voting.analysis.spread.RankSpread`.

    One row per candidate, in ``order`` (default: the spread's own order, e.g. a
    method's result), the first at the top. Along the row, a bubble at each
    position a voter gave the candidate (tied candidates at the average of their
    positions), its *area* proportional to the number of voters; a black tick marks
    the mean position.

    Parameters
    ----------
    spread : RankSpread
    order : sequence of str or Result, optional
    ax : matplotlib Axes, optional
        Draw here instead of a new figure.
    path : str or path, optional
        Save the figure there (PNG, SVG, ... by suffix).
    title : str, optional
    max_area : float, default 700
        Area (points²) of the largest bubble.
    dpi : int, default 150
        Resolution when saving a raster format.

    Returns
    -------
    matplotlib.figure.Figure
        Its axes hold one scatter collection per candidate (top row first).
    """
    rows = resolve_order(order, spread.candidates, spread.order)
    c = len(spread.candidates)
    fig, axes = _figure(ax, (max(6.0, 0.45 * c + 3.0), max(2.5, 0.42 * len(rows) + 1.2)))
    biggest = max(int(spread.counts.max(initial=0)), 1)
    means_x, means_y = [], []
    for r, name in enumerate(rows):
        i = spread.candidates.index(name)
        y = len(rows) - 1 - r
        nz = np.flatnonzero(spread.counts[i])
        axes.scatter(
            spread.positions[nz],
            np.full(len(nz), y, dtype=float),
            s=spread.counts[i][nz] / biggest * max_area,
            alpha=0.55,
            color=f"C{r % 10}",
            edgecolors="black",
            linewidths=0.4,
            zorder=2,
        )
        if not np.isnan(spread.mean[i]):
            means_x.append(float(spread.mean[i]))
            means_y.append(y)
    axes.plot(means_x, means_y, linestyle="none", marker="|", color="black", markersize=14,
              zorder=3, label="mean position")  # fmt: skip
    axes.set_yticks(range(len(rows)), list(reversed(rows)))
    axes.set_xticks(range(1, c + 1))
    axes.set_xlim(0.4, c + 0.6)
    axes.set_ylim(-0.7, len(rows) - 0.3)
    axes.set_xlabel("position on the ballot (1 = first; tied candidates share the average)")
    axes.grid(axis="x", alpha=0.3, zorder=0)
    axes.set_title(title if title is not None else "Rank spread")
    _save(fig, path, dpi)
    return fig


def plot_head_to_head(
    table: HeadToHeadLike,
    *,
    ax: Axes | None = None,
    path: PathLike | None = None,
    title: str | None = None,
    annotate: bool = True,
    dpi: int = 150,
) -> Figure:
    """Heatmap of the pairwise margins of a :class:`~voting.analysis.head_to_head.HeadToHeadTable`.

    Cell (row ``a``, column ``b``) is coloured by ``a``'s margin over ``b`` (blue:
    ``a`` wins, red: ``a`` loses, white: tie) and, with ``annotate``, labelled
    ``x-y`` (``x`` voters prefer ``a``, ``y`` prefer ``b``). Rows and columns in the
    table's display order. The diagonal is blank.

    Returns
    -------
    matplotlib.figure.Figure
        Its first axes holds one image (``AxesImage``) of shape (C, C).
    """
    n = len(table.order)
    fig, axes = _figure(ax, (max(5.0, 0.6 * n + 3.0), max(4.0, 0.55 * n + 2.0)))
    margins = table.margins.astype(float)
    np.fill_diagonal(margins, np.nan)
    limit = float(np.nanmax(np.abs(margins))) if n > 1 else 1.0
    limit = limit if limit > 0 else 1.0
    image = axes.imshow(margins, cmap="RdBu", vmin=-limit, vmax=limit)
    support = table.support
    if annotate:
        size = 8 if n <= 8 else 7 if n <= 14 else 6
        for i in range(n):
            for j in range(n):
                if i != j:
                    ink = "white" if abs(margins[i, j]) > 0.6 * limit else "black"
                    label = f"{int(support[i, j])}-{int(support[j, i])}"
                    axes.text(j, i, label, ha="center", va="center", fontsize=size, color=ink)
    labels = list(table.order)
    axes.set_xticks(range(n), labels, rotation=45, ha="right")
    axes.set_yticks(range(n), labels)
    axes.set_xlabel("opponent")
    fig.colorbar(image, ax=axes, label="margin (row minus column)", shrink=0.8)
    axes.set_title(title if title is not None else "Head to head")
    _save(fig, path, dpi)
    return fig


def plot_tie_sensitivity(
    report: SensitivityLike,
    *,
    ax: Axes | None = None,
    path: PathLike | None = None,
    title: str | None = None,
    dpi: int = 150,
) -> Figure:
    """Horizontal bars: each candidate's probability of election, with its interval.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per candidate, most likely at the top.
    """
    chances = report.chances
    n = len(chances)
    fig, axes = _figure(ax, (6.5, max(2.5, 0.35 * n + 1.2)))
    y = np.arange(n)[::-1]
    p = np.array([ch.probability for ch in chances])
    err = np.array([[ch.probability - ch.low for ch in chances],
                    [ch.high - ch.probability for ch in chances]])  # fmt: skip
    axes.barh(y, p, xerr=None if report.exact else err, color="C0", alpha=0.8, capsize=3)
    axes.set_yticks(y, [ch.candidate for ch in chances])
    axes.set_xlim(0.0, 1.0)
    how = "exact" if report.exact else f"{report.runs} samples, {100 * report.confidence:g}% CI"
    axes.set_xlabel(f"probability of being elected ({how})")
    axes.set_title(title if title is not None else f"Tie sensitivity: {report.method}")
    _save(fig, path, dpi)
    return fig


def plot_blocs(
    report: BlocsLike,
    *,
    strict: bool = False,
    ax: Axes | None = None,
    path: PathLike | None = None,
    title: str | None = None,
    dpi: int = 150,
) -> Figure:
    """Each group's share of voters putting it on top (bars) and the chance share (dots).

    With ``strict=True`` the "strictly on top" figures are drawn instead.

    Returns
    -------
    matplotlib.figure.Figure
    """
    groups = report.groups
    n = len(groups)
    fig, axes = _figure(ax, (max(5.0, 0.7 * n + 2.0), 4.0))
    x = np.arange(n)
    stats: list[Any] = [g.strict if strict else g.top for g in groups]
    axes.bar(x, [100 * s.share for s in stats], color="C0", alpha=0.8, label="observed")
    axes.plot(x, [100 * s.expected_share for s in stats], linestyle="none", marker="o",
              color="C3", label="expected by chance")  # fmt: skip
    axes.set_xticks(x, [f"{g.name} ({g.size})" for g in groups], rotation=45, ha="right")
    axes.set_ylabel("% of voters placing the group on top")
    axes.legend()
    kind = "strictly on top" if strict else "on top"
    axes.set_title(title if title is not None else f"Bloc voting ({kind})")
    _save(fig, path, dpi)
    return fig

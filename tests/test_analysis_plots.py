"""Charts of the analyses, tested by rendering them (Agg), not by eye."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import voting
from voting import Profile
from voting.analysis import (
    bloc_voting,
    head_to_head_table,
    rank_spread,
    tie_sensitivity,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _k8s() -> Profile:
    path = Path(__file__).resolve().parent.parent / "voting" / "data"
    return voting.read_ballots(path / "kubernetes-steering-2023.csv", format="civs")


def test_import_does_not_load_matplotlib() -> None:
    code = (
        "import sys, voting, voting.analysis, voting.analysis.plot; "
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _check_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 5000


def _check_svg(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert path.stat().st_size > 5000
    return root


def test_rank_spread_bubbles(tmp_path: Path) -> None:
    p = _k8s()
    s = rank_spread(p)
    fig = s.plot(path=tmp_path / "spread.png")
    _check_png(tmp_path / "spread.png")
    ax = fig.axes[0]
    # one scatter collection per candidate, one point per position given
    assert len(ax.collections) == p.num_candidates
    points = sum(len(np.asarray(coll.get_offsets())) for coll in ax.collections)
    assert points == int(np.count_nonzero(s.counts))
    # rows in result order, top row first
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert list(reversed(labels)) == list(s.order)
    # bubble areas proportional to counts
    from matplotlib.collections import PathCollection

    first = ax.collections[0]
    assert isinstance(first, PathCollection)  # a scatter
    i = s.candidates.index(s.order[0])
    sizes = first.get_sizes()
    nz = s.counts[i][s.counts[i] > 0]
    assert np.allclose(sizes / sizes.max(), nz / nz.max())
    s.plot(path=tmp_path / "spread.svg", order=list(reversed(s.order)))
    _check_svg(tmp_path / "spread.svg")


def test_rank_spread_on_given_axes() -> None:
    from matplotlib.figure import Figure

    p = Profile.from_rankings([["A", ("B", "C", "D")], ["B", "A"]])
    fig = Figure()
    ax = fig.add_subplot()
    out = rank_spread(p).plot(ax=ax, order=["D", "C", "B", "A"], title="toy")
    assert out is fig and ax.get_title() == "toy"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C", "D"]


def test_head_to_head_heatmap(tmp_path: Path) -> None:
    p = _k8s()
    t = head_to_head_table(p)
    fig = t.plot(path=tmp_path / "h2h.svg")
    _check_svg(tmp_path / "h2h.svg")
    ax = fig.axes[0]
    images = ax.get_images()
    assert len(images) == 1
    array = images[0].get_array()
    assert array is not None and array.shape == (11, 11)
    texts = [x.get_text() for x in ax.texts]
    assert len(texts) == 11 * 10 and "101-50" in texts
    t.plot(path=tmp_path / "h2h.png")
    _check_png(tmp_path / "h2h.png")


def test_tie_sensitivity_and_blocs_charts(tmp_path: Path) -> None:
    from voting.analysis.plot import plot_blocs

    p = Profile.from_rankings([[("A", "B"), "C"], ["C", "A", "B"], ["B", "A", "C"]])

    class _Top:
        name = "top"

        def run(self, profile: Profile) -> object:
            from voting.results import committee_from_ranking
            from voting.ties import CandidateOrder

            score = [0] * profile.num_candidates
            for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
                for c, r in enumerate(row):
                    if r == 0:
                        score[c] += w
            tiers = [[i for i, s in enumerate(score) if s == v] for v in sorted(set(score))[::-1]]
            return committee_from_ranking(
                "top", profile.candidates, tiers, 1, CandidateOrder(), None
            )

    r = tie_sensitivity(_Top(), p)  # type: ignore[arg-type]  # a minimal duck-typed Method
    fig = r.plot(path=tmp_path / "ties.png")
    _check_png(tmp_path / "ties.png")
    assert len(fig.axes[0].patches) == 3
    b = bloc_voting(_k8s(), {"RH": ["soltysh", "vincepri"], "Cisco": ["detiber", "natalisucks"]})
    fig = plot_blocs(b, path=tmp_path / "blocs.svg")
    _check_svg(tmp_path / "blocs.svg")
    assert len(fig.axes[0].patches) == 2
    # the report draws its own chart, as every analysis report does
    fig = b.plot(strict=True, path=tmp_path / "blocs-strict.png", title="strict")
    _check_png(tmp_path / "blocs-strict.png")
    assert len(fig.axes[0].patches) == 2 and fig.axes[0].get_title() == "strict"
    from matplotlib.patches import Rectangle

    heights = [bar.get_height() for bar in fig.axes[0].patches if isinstance(bar, Rectangle)]
    assert heights == [100 * g.strict.share for g in b.groups]

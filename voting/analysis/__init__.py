"""Election analyses: what an election official publishes after the count.

- :func:`bloc_voting`, :func:`discover_blocs`: how often voters put a group of
  candidates (a company's) on top, against chance;
- :func:`rank_spread`: the distribution of positions each candidate received, with a
  consensus index;
- :func:`head_to_head_table`: every pairwise contest, "A defeats B 154-76";
- :func:`tie_sensitivity`: how a method's outcome depends on the ties in the ballots.

Each returns a frozen report that renders itself (:class:`voting.render.Renderable`):
``to_text()`` for a person, ``to_dict()`` as JSON-ready data, and ``plot()`` for
the bloc report, the rank spread, the head-to-head table and the tie sensitivity;
charts live in :mod:`voting.analysis.plot` (the ``plot`` extra, imported only when
used).
"""

from __future__ import annotations

from voting.analysis.blocs import (
    BlocCount,
    BlocReport,
    GroupBloc,
    PermutationTest,
    bloc_voting,
    groups_from_affiliation,
)
from voting.analysis.discovery import BlocDiscovery, DiscoveredBloc, discover_blocs
from voting.analysis.head_to_head import Contest, HeadToHeadTable, head_to_head_table
from voting.analysis.sensitivity import (
    ElectionChance,
    OutcomeShare,
    TieSensitivity,
    tie_sensitivity,
)
from voting.analysis.spread import RankSpread, rank_spread

__all__ = [
    "BlocCount",
    "BlocDiscovery",
    "BlocReport",
    "Contest",
    "DiscoveredBloc",
    "ElectionChance",
    "GroupBloc",
    "HeadToHeadTable",
    "OutcomeShare",
    "PermutationTest",
    "RankSpread",
    "TieSensitivity",
    "bloc_voting",
    "discover_blocs",
    "groups_from_affiliation",
    "head_to_head_table",
    "rank_spread",
    "tie_sensitivity",
]

"""Array and literal aliases shared across the package."""

from __future__ import annotations

from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

RankArray: TypeAlias = NDArray[np.int32]
"""``(n_ballots, n_candidates)`` int32 tiers: 0 is the top tier, equal values tie."""

WeightArray: TypeAlias = NDArray[np.int64]
"""``(n_ballots,)`` int64 number of voters who cast each ballot."""

CountMatrix: TypeAlias = NDArray[np.int64]
"""``(n_candidates, n_candidates)`` int64 pairwise counts."""

UnrankedPolicy: TypeAlias = Literal["last", "ignore"]
"""How candidates a ballot leaves unranked are compared.

``"last"``: tied below every ranked candidate (Debian).
``"ignore"``: a pair counts only when the ballot ranks both (CIVS "No opinion", Elekto).
"""

UNRANKED_POLICIES: tuple[UnrankedPolicy, ...] = ("last", "ignore")

UNRANKED: int = int(np.iinfo(np.int32).max)
"""Sentinel value in :attr:`voting.Profile.ranks` for a candidate left unranked."""

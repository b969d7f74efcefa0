"""Array and literal aliases, and constants, shared across the package."""

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

# Line statuses of the ballot-text parser: the numba kernel
# (:func:`voting._kernels.parse._parse_civs_block`) and the readers that look again at
# the lines it flags (:mod:`voting.formats.civs`), whichever engine parsed the block.
LINE_OK = 0
"""Status of a line parsed into a ballot row."""
LINE_FLAGGED = 1
"""Status of a line the kernel does not accept; Python re-examines it."""
LINE_BLANK = 2
"""Status of an empty or whitespace-only line: not a ballot."""

"""The counts a conversion must keep: what the conversion tests compare.

The issue's rule is that a conversion keeps "every count under every method"; these
are the counts the tests compare before and after, on real elections and on
hypothesis profiles: the pairwise matrix, and the results of Schulze, IRV and Meek
STV (``rule="meek"``, which refuses tied ballots, so ``"meek-equal"`` too).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voting import IRV, STV, Profile, Schulze
from voting.exceptions import VotingError


def _outcome(method: Any, profile: Profile) -> tuple[Any, ...]:
    try:
        r = method.run(profile)
    except VotingError as exc:
        return ("refused", type(exc).__name__)
    return (r.elected, r.winners, r.ranking, tuple(str(t) for t in r.ties_broken))


def counts(profile: Profile, seats: int = 1, *, stv: bool = True) -> dict[str, Any]:
    """Pairwise matrix and Schulze, IRV and Meek STV outcomes of ``profile``."""
    out: dict[str, Any] = {
        "pairwise": np.asarray(profile.pairwise.support).tolist(),
        "schulze": _outcome(Schulze(seats=seats), profile),
        "irv": _outcome(IRV(), profile),
    }
    if stv:
        out["meek"] = _outcome(STV(seats=seats, rule="meek"), profile)
        out["meek-equal"] = _outcome(STV(seats=seats, rule="meek-equal"), profile)
    return out

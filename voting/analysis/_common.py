"""Helpers shared by the analyses: candidate orders, validation, p-values for tables.

Text tables are :func:`voting.render.text_table` and :func:`voting.render.markdown_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voting._typing import UNRANKED
from voting.exceptions import EmptyProfileError, InvalidParameterError
from voting.profile import Profile
from voting.results import Result

__all__ = [
    "Order",
    "check_profile",
    "resolve_order",
    "tier_structure",
]

Order = Sequence[str] | Result[Any] | None
"""A display order of candidates: names, best first; a method's :class:`~voting.results.Result`
(its ranking, tiers flattened in order); or None for the analysis's default."""


def check_profile(profile: object, what: str, *, need_voters: bool = True) -> Profile:
    """Validate the profile argument of an analysis."""
    if not isinstance(profile, Profile):
        raise InvalidParameterError(
            f"{what}() needs a voting.Profile, got {type(profile).__name__}; build one with "
            "Profile.from_rankings or voting.read_ballots."
        )
    if need_voters and profile.num_voters == 0:
        raise EmptyProfileError(f"{what}(): the profile has no ballots.")
    return profile


def resolve_order(
    order: Order, candidates: Sequence[str], default: Sequence[str]
) -> tuple[str, ...]:
    """The full display order: ``order``'s names first, then the rest in ``default`` order.

    Raises
    ------
    InvalidParameterError
        ``order`` names an unknown candidate or repeats one.
    """
    if order is None:
        return tuple(default)
    if isinstance(order, Result):
        names: list[str] = [c for tier in order.ranking for c in tier]
    elif isinstance(order, str):
        raise InvalidParameterError(
            f"order must be a sequence of candidate names or a Result, not the string {order!r}."
        )
    else:
        names = list(order)
    known = set(candidates)
    seen: set[str] = set()
    for name in names:
        if name not in known:
            raise InvalidParameterError(
                f"order names unknown candidate {name!r}; candidates are {list(candidates)}."
            )
        if name in seen:
            raise InvalidParameterError(f"order names {name!r} twice.")
        seen.add(name)
    return tuple(names) + tuple(c for c in default if c not in seen)


def fmt_p(p: float) -> str:
    """A p-value for a table: 3 significant digits, scientific below 0.001."""
    if p != p:  # NaN
        return "-"
    if p >= 0.001:
        return f"{p:.3f}"
    if p == 0.0:
        return "<1e-300"
    return f"{p:.1e}"


def tier_structure(ranks: NDArray[np.int32]) -> NDArray[np.int64]:
    """``sizes[v, t]``: number of candidates in tier ``t`` of ballot ``v`` (dense tiers)."""
    v, c = ranks.shape
    if v == 0 or c == 0:
        return np.zeros((v, c), dtype=np.int64)
    rows = np.broadcast_to(np.arange(v, dtype=np.int64)[:, None], (v, c))
    ranked = ranks != UNRANKED
    flat = rows[ranked] * c + ranks[ranked].astype(np.int64)
    return np.bincount(flat, minlength=v * c).astype(np.int64).reshape(v, c)

"""Checks of the candidate names and the unranked policy of a profile.

Shared by everything that takes them from a caller: :class:`voting.Profile`,
:class:`voting.BallotCounter`, the Dask counts (:mod:`voting.dask`) and the readers that
check a file's candidate list before they build a profile (ABIF, BLT). Each raises
:class:`~voting.InvalidProfileError` with what was wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable

from voting._typing import UNRANKED_POLICIES, UnrankedPolicy
from voting.exceptions import InvalidProfileError

__all__ = ["check_candidates", "check_policy"]


def check_candidates(candidates: Iterable[str]) -> tuple[str, ...]:
    """``candidates`` as a tuple of unique, non-empty names, or a clear error. O(C)."""
    if isinstance(candidates, str):
        raise InvalidProfileError(
            f"candidates must be a sequence of names, not the string {candidates!r}; "
            "wrap a single name in a list."
        )
    names = tuple(candidates)
    if not names:
        raise InvalidProfileError("candidates is empty; a profile needs at least one candidate.")
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if not isinstance(name, str):
            raise InvalidProfileError(
                f"candidate {i} is {name!r} of type {type(name).__name__}; names must be str."
            )
        if not name:
            raise InvalidProfileError(f"candidate {i} has an empty name.")
        if name in seen:
            raise InvalidProfileError(
                f"duplicate candidate name {name!r} at positions {seen[name]} and {i}; "
                "candidate names must be unique."
            )
        seen[name] = i
    return names


def check_policy(unranked: str) -> UnrankedPolicy:
    """``unranked`` when it is one of :data:`voting._typing.UNRANKED_POLICIES`."""
    if unranked not in UNRANKED_POLICIES:
        raise InvalidProfileError(
            f"unranked={unranked!r} is not a policy; use 'last' (unranked candidates tie "
            "below all ranked ones) or 'ignore' (a pair counts only when both are ranked)."
        )
    return unranked

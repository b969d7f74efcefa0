"""Size limits: what a ballot file, a profile or a writer may ask of memory and of int64.

Every limit is checked *before* anything of that size is allocated, and every error
that enforces one names the size found, the limit, and how to raise it. The limits and
the reasons for them are listed in the documentation page "Limits and hostile input"
(``docs/limits.md``).

Limits a caller can raise
-------------------------
Each is resolved in this order: the keyword argument of the call (``max_candidates=``
of :func:`voting.read_ballots`, say), then the environment variable, then the default.

========================= ============================== ===================================
limit                     environment variable           default
========================= ============================== ===================================
candidates in a file      ``VOTING_MAX_CANDIDATES``      :data:`DEFAULT_MAX_CANDIDATES`
characters in one line    ``VOTING_MAX_LINE_LENGTH``     :data:`DEFAULT_MAX_LINE_LENGTH`
lines an unweighted       ``VOTING_MAX_EXPANDED_VOTERS`` :data:`DEFAULT_MAX_EXPANDED_VOTERS`
writer may write
========================= ============================== ===================================

Fixed limits
------------
:data:`MAX_VOTERS` (``2**63 - 1``): every weight, and the total weight of a profile, a
:class:`voting.BallotCounter` or a sum of pairwise matrices, is an exact int64 count. A
larger total is refused, never wrapped.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from voting.exceptions import InvalidParameterError, InvalidProfileError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "DEFAULT_MAX_CANDIDATES",
    "DEFAULT_MAX_EXPANDED_VOTERS",
    "DEFAULT_MAX_LINE_LENGTH",
    "MAX_VOTERS",
    "max_candidates",
    "max_expanded_voters",
    "max_line_length",
]

MAX_VOTERS: int = 2**63 - 1
"""The largest weight, and the largest total weight, a profile holds (int64)."""

DEFAULT_MAX_CANDIDATES: int = 10_000
"""Candidates a ballot file may declare or name (a pairwise matrix of 10,000 candidates
takes 800 MB)."""

DEFAULT_MAX_LINE_LENGTH: int = 1 << 20
"""Characters in one line of a ballot file (1 Mi; a CIVS row of 10,000 ``No opinion``
cells is 110 k)."""

DEFAULT_MAX_EXPANDED_VOTERS: int = 10**8
"""Voters a writer of a format without weights (CIVS CSV, Debian) writes one line each."""

_ENV = {
    "max_candidates": ("VOTING_MAX_CANDIDATES", DEFAULT_MAX_CANDIDATES),
    "max_line_length": ("VOTING_MAX_LINE_LENGTH", DEFAULT_MAX_LINE_LENGTH),
    "max_expanded_voters": ("VOTING_MAX_EXPANDED_VOTERS", DEFAULT_MAX_EXPANDED_VOTERS),
}


def _resolve(name: str, value: object) -> int:
    variable, default = _ENV[name]
    if value is None:
        raw = os.environ.get(variable)
        if raw is None or not raw.strip():
            return default
        text = raw.strip().replace("_", "")
        if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
            raise InvalidParameterError(
                f"the environment variable {variable}={raw!r} is not a whole number >= 1; "
                f"unset it for the default {default:,}."
            )
        return int(text)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidParameterError(f"{name}={value!r}; expected an int >= 1 (or None).")
    return value


def max_candidates(value: int | None = None) -> int:
    """The candidate limit: ``value`` when given, else ``$VOTING_MAX_CANDIDATES``, else
    :data:`DEFAULT_MAX_CANDIDATES`."""
    return _resolve("max_candidates", value)


def max_line_length(value: int | None = None) -> int:
    """The line-length limit (characters, without the line break): ``value`` when given,
    else ``$VOTING_MAX_LINE_LENGTH``, else :data:`DEFAULT_MAX_LINE_LENGTH`."""
    return _resolve("max_line_length", value)


def max_expanded_voters(value: int | None = None) -> int:
    """Voters a writer without weights may write one line each: ``value`` when given,
    else ``$VOTING_MAX_EXPANDED_VOTERS``, else :data:`DEFAULT_MAX_EXPANDED_VOTERS`."""
    return _resolve("max_expanded_voters", value)


def how_to_raise(name: str) -> str:
    """The sentence every error that enforces limit ``name`` ends with."""
    variable, _ = _ENV[name]
    return f"raise it with {name}=N or the environment variable {variable}"


# ----------------------------------------------------- exact totals (internal)
def exact_total(weights: NDArray[np.int64]) -> int:
    """The exact sum of non-negative int64 ``weights`` (as a Python int), whatever it is.

    Summing in int64 could wrap; the sum is split into the high and the low 32 bits
    of every weight, each summed in int64 over blocks too short to overflow.
    O(V), two passes.
    """
    n = weights.shape[0]
    if n == 0:
        return 0
    if int(weights.max()) <= MAX_VOTERS // n:  # no sum of these can overflow
        return int(weights.sum())
    total = 0
    for start in range(0, n, 1 << 30):
        part = weights[start : start + (1 << 30)]
        total += (int((part >> 32).sum()) << 32) + int((part & 0xFFFFFFFF).sum())
    return total


def check_total(total: int, what: str) -> None:
    """Refuse a total weight above :data:`MAX_VOTERS` (``what`` names whose)."""
    if total > MAX_VOTERS:
        raise InvalidProfileError(
            f"{what} add up to {total:,} voters, more than the {MAX_VOTERS:,} (2**63 - 1) "
            "a count holds exactly in int64; no method could count them without overflow."
        )

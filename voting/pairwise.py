"""Deprecated module: import its names from :mod:`voting` instead.

``voting.pairwise`` is the function :func:`voting.pairwise`; this module of the same
name used to hold it with :class:`~voting.PairwiseMatrix` and
:class:`~voting.HeadToHead`, so that ``voting.pairwise`` meant one or the other by
import order (``voting.pairwise.PairwiseMatrix`` raised :class:`AttributeError`). They
now live in :mod:`voting.pairwise_matrix` (the matrix, its contests and the count of
ballot arrays) and :mod:`voting.streaming` (the function, which takes a profile or a
stream of chunks). ``from voting.pairwise import PairwiseMatrix`` still works, with a
:class:`DeprecationWarning`; this module will be removed in a later release, and the
package keeps ``voting.pairwise`` the function meanwhile (``voting.__init__``).
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the names were, for type checkers
    from voting.pairwise_matrix import HeadToHead, PairwiseMatrix
    from voting.streaming import pairwise

__all__ = ["HeadToHead", "PairwiseMatrix", "pairwise"]

_MOVED = {
    "HeadToHead": "voting.pairwise_matrix",
    "PairwiseMatrix": "voting.pairwise_matrix",
    "PARALLEL_BUFFER_BYTES": "voting.pairwise_matrix",
    "pairwise": "voting.streaming",
}


def __getattr__(name: str) -> Any:
    home = _MOVED.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"the module voting.pairwise is deprecated (its name is the function "
        f"voting.pairwise); import {name} from voting, or from {home}.",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(home), name)

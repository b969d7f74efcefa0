"""voting: typed, fast and exact voting methods for ranked ballots with ties.

The main objects:

- :class:`Profile`: ranked ballots (ties, truncation, weights) as one dense array;
- :func:`read_ballots`, :func:`iter_ballots`, :func:`write_ballots`: ballot files
  (CIVS CSV, Debian tally sheets, PrefLib, BLT, ABIF, CEF);
- :func:`pairwise` / :class:`PairwiseMatrix`: head-to-head counts, Condorcet winner and
  loser, Smith and Schwartz sets.
"""

from __future__ import annotations

from voting._typing import UNRANKED, UnrankedPolicy
from voting.exceptions import (
    BallotFormatError,
    EmptyProfileError,
    InvalidParameterError,
    InvalidProfileError,
    UnsupportedProfileError,
    VotingError,
)
from voting.formats import ReadReport, RejectedBallot, iter_ballots, read_ballots, write_ballots
from voting.pairwise import HeadToHead, PairwiseMatrix, pairwise
from voting.profile import Profile

__version__ = "0.1.0.dev0"

__all__ = [
    "UNRANKED",
    "BallotFormatError",
    "EmptyProfileError",
    "HeadToHead",
    "InvalidParameterError",
    "InvalidProfileError",
    "PairwiseMatrix",
    "Profile",
    "ReadReport",
    "RejectedBallot",
    "UnrankedPolicy",
    "UnsupportedProfileError",
    "VotingError",
    "__version__",
    "iter_ballots",
    "pairwise",
    "read_ballots",
    "write_ballots",
]

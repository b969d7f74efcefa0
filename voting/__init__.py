"""voting: typed, fast and exact voting methods for ranked ballots with ties.

The main objects:

- :class:`Profile`: ranked ballots (ties, truncation, weights) as one dense array;
- :func:`read_ballots`, :func:`iter_ballots`, :func:`write_ballots`: ballot files
  (CIVS CSV, Debian tally sheets, PrefLib, BLT, ABIF, CEF);
- :func:`pairwise` / :class:`PairwiseMatrix`: head-to-head counts, Condorcet winner and
  loser, Smith and Schwartz sets;
- methods behind one :class:`Method` interface (:class:`Schulze`, :class:`MinimaxPM`,
  :class:`RankedPairs`, ... ; :func:`all_methods`), returning frozen :class:`Result` objects
  that never lose a tie.
"""

from __future__ import annotations

from typing import Any

from voting._typing import UNRANKED, UnrankedPolicy
from voting.analysis import (
    bloc_voting,
    discover_blocs,
    head_to_head_table,
    rank_spread,
    tie_sensitivity,
)
from voting.exceptions import (
    BallotFormatError,
    EmptyProfileError,
    InvalidParameterError,
    InvalidProfileError,
    TooManyTieResolutionsError,
    UnsupportedProfileError,
    VotingError,
)
from voting.formats import ReadReport, RejectedBallot, iter_ballots, read_ballots, write_ballots
from voting.methods import Method, MethodTags, all_methods, get_method
from voting.methods.bottom_two import BottomTwoRunoff
from voting.methods.civs_proportional import CIVSProportional, Ratings
from voting.methods.condorcet_irv import CondorcetIRV
from voting.methods.copeland import Copeland
from voting.methods.cpo_stv import CPOSTV
from voting.methods.debian import Debian
from voting.methods.group_cap import GroupCap
from voting.methods.irv import IRV
from voting.methods.kemeny import Kemeny
from voting.methods.minimax import Minimax, MinimaxPM
from voting.methods.positional import Borda, Plurality
from voting.methods.ranked_pairs import MAM, RankedPairs
from voting.methods.schulze import Schulze
from voting.methods.schulze_stv import SchulzeSTV
from voting.methods.stv import STV, STVExplanation, STVRound
from voting.pairwise import HeadToHead, PairwiseMatrix, pairwise
from voting.profile import Profile
from voting.results import Result
from voting.streaming import BallotCounter, count_ballots
from voting.ties import BrokenTie, CandidateOrder, Random, TieBreak

__version__ = "0.1.0.dev0"

__all__ = [
    "CPOSTV",
    "IRV",
    "MAM",
    "STV",
    "UNRANKED",
    "BallotCounter",
    "BallotFormatError",
    "Borda",
    "BottomTwoRunoff",
    "BrokenTie",
    "CIVSProportional",
    "CandidateOrder",
    "CondorcetIRV",
    "Copeland",
    "Debian",
    "EmptyProfileError",
    "GroupCap",
    "HeadToHead",
    "InvalidParameterError",
    "InvalidProfileError",
    "Kemeny",
    "Method",
    "MethodTags",
    "Minimax",
    "MinimaxPM",
    "PairwiseMatrix",
    "Plurality",
    "Profile",
    "Random",
    "RankedPairs",
    "Ratings",
    "ReadReport",
    "RejectedBallot",
    "Result",
    "STVExplanation",
    "STVRound",
    "Schulze",
    "SchulzeSTV",
    "TieBreak",
    "TooManyTieResolutionsError",
    "UnrankedPolicy",
    "UnsupportedProfileError",
    "VotingError",
    "__version__",
    "all_methods",
    "bloc_voting",
    "count_ballots",
    "discover_blocs",
    "get_method",
    "head_to_head_table",
    "iter_ballots",
    "pairwise",
    "rank_spread",
    "read_ballots",
    "tie_sensitivity",
    "write_ballots",
]


def __getattr__(name: str) -> Any:
    """``voting.Lexicographic``: the deprecated name of :class:`CandidateOrder`."""
    if name == "Lexicographic":
        import warnings

        warnings.warn(
            "voting.Lexicographic is deprecated; use voting.CandidateOrder (the same rule: "
            "the order of the candidates in the input, not alphabetical order).",
            DeprecationWarning,
            stacklevel=2,
        )
        return CandidateOrder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

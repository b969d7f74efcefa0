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

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and documentation; at run time, see __getattr__
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
        ComputationTooLargeError,
        EmptyProfileError,
        InvalidParameterError,
        InvalidProfileError,
        TooManyTieResolutionsError,
        UnsupportedProfileError,
        VotingError,
    )
    from voting.formats import ReadReport, RejectedBallot, iter_ballots, read_ballots, write_ballots
    from voting.formats.ratings import Ratings
    from voting.methods import Method, MethodTags, all_methods, get_method
    from voting.methods.bottom_two import BottomTwoRunoff
    from voting.methods.civs_proportional import CIVSProportional
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
    from voting.pairwise_matrix import HeadToHead, PairwiseMatrix
    from voting.profile import Profile
    from voting.results import Result
    from voting.streaming import BallotCounter, count_ballots, pairwise
    from voting.ties import BrokenTie, CandidateOrder, Random, TieBreak

_LAZY: dict[str, str] = {
    "UNRANKED": "voting._typing",
    "UnrankedPolicy": "voting._typing",
    "bloc_voting": "voting.analysis",
    "discover_blocs": "voting.analysis",
    "head_to_head_table": "voting.analysis",
    "rank_spread": "voting.analysis",
    "tie_sensitivity": "voting.analysis",
    "BallotFormatError": "voting.exceptions",
    "ComputationTooLargeError": "voting.exceptions",
    "EmptyProfileError": "voting.exceptions",
    "InvalidParameterError": "voting.exceptions",
    "InvalidProfileError": "voting.exceptions",
    "TooManyTieResolutionsError": "voting.exceptions",
    "UnsupportedProfileError": "voting.exceptions",
    "VotingError": "voting.exceptions",
    "ReadReport": "voting.formats",
    "RejectedBallot": "voting.formats",
    "iter_ballots": "voting.formats",
    "read_ballots": "voting.formats",
    "write_ballots": "voting.formats",
    "Method": "voting.methods",
    "MethodTags": "voting.methods",
    "all_methods": "voting.methods",
    "get_method": "voting.methods",
    "BottomTwoRunoff": "voting.methods.bottom_two",
    "CIVSProportional": "voting.methods.civs_proportional",
    "Ratings": "voting.formats.ratings",
    "CondorcetIRV": "voting.methods.condorcet_irv",
    "Copeland": "voting.methods.copeland",
    "CPOSTV": "voting.methods.cpo_stv",
    "Debian": "voting.methods.debian",
    "GroupCap": "voting.methods.group_cap",
    "IRV": "voting.methods.irv",
    "Kemeny": "voting.methods.kemeny",
    "Minimax": "voting.methods.minimax",
    "MinimaxPM": "voting.methods.minimax",
    "Borda": "voting.methods.positional",
    "Plurality": "voting.methods.positional",
    "MAM": "voting.methods.ranked_pairs",
    "RankedPairs": "voting.methods.ranked_pairs",
    "Schulze": "voting.methods.schulze",
    "SchulzeSTV": "voting.methods.schulze_stv",
    "STV": "voting.methods.stv",
    "STVExplanation": "voting.methods.stv",
    "STVRound": "voting.methods.stv",
    "HeadToHead": "voting.pairwise_matrix",
    "PairwiseMatrix": "voting.pairwise_matrix",
    "pairwise": "voting.streaming",
    "Profile": "voting.profile",
    "Result": "voting.results",
    "BallotCounter": "voting.streaming",
    "count_ballots": "voting.streaming",
    "BrokenTie": "voting.ties",
    "CandidateOrder": "voting.ties",
    "Random": "voting.ties",
    "TieBreak": "voting.ties",
}
"""Public name -> the module defining it, imported on first access (PEP 562), so that
``import voting`` (and ``voting --help``) loads no more than what is used: the
command line answers in a fraction of a second and numba loads only for a kernel."""


def __getattr__(name: str) -> Any:
    if name == "Lexicographic":  # the deprecated name of CandidateOrder
        import warnings

        warnings.warn(
            "voting.Lexicographic is deprecated; use voting.CandidateOrder (the same rule: "
            "the order of the candidates in the input, not alphabetical order).",
            DeprecationWarning,
            stacklevel=2,
        )
        return __getattr__("CandidateOrder")
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later lookups skip this function
        return value
    try:  # a submodule not imported yet: voting.methods, voting.analysis, ...
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Package(types.ModuleType):
    """The package module, keeping ``voting.pairwise`` the function of that name.

    Importing the deprecated submodule ``voting.pairwise`` (kept so that old imports
    of ``voting.pairwise.PairwiseMatrix`` work) sets the package attribute of the same
    name to the module; the function takes its place again. Goes with that module.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "pairwise" and isinstance(value, types.ModuleType):
            from voting.streaming import pairwise

            value = pairwise
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    "ComputationTooLargeError",
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

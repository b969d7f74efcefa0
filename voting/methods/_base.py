"""The :class:`Method` protocol and :class:`MethodTags`.

A method is a frozen, keyword-only dataclass holding its parameters (like a
scikit-learn estimator's hyperparameters); ``run(profile)`` counts a profile and
returns a frozen :class:`~voting.results.Result`. ``dataclasses.replace`` stands in
for ``set_params``; the dataclass repr shows the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol, TypeVar, runtime_checkable

from voting.exceptions import EmptyProfileError, InvalidParameterError, InvalidProfileError
from voting.profile import Profile
from voting.results import Result

__all__ = ["Kind", "Method", "MethodTags", "check_profile", "check_seats"]

Kind = Literal["single_winner", "committee", "ranking"]

R_co = TypeVar("R_co", bound=Result[Any], covariant=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class MethodTags:
    """What a method is and which criteria it guarantees.

    The property-test kit (``voting.testing``) picks its checks from these tags:
    a method is only held to the criteria it declares.

    Attributes
    ----------
    kind : {"single_winner", "committee", "ranking"}
    condorcet_winner : bool
        Elects the Condorcet winner whenever there is one.
    condorcet_loser : bool
        Never elects a Condorcet loser (with two or more candidates).
    smith : bool
        The winners lie in the Smith set.
    schwartz : bool
        The winners lie in the Schwartz set.
    majority : bool
        A candidate more than half of the voters prefer to every other candidate
        wins outright (under ``unranked="ignore"`` such a ballot ranks everyone).
    pareto : bool
        A candidate every voter ranks below another is never among the winners.
    monotonic : bool
        Raising a winner on some ballots keeps them a winner.
    participation : bool
        Voters who turn up never change the winner to a candidate they like less
        than the old winner (no no-show paradox).
    reversal_symmetry : bool
        Reversing every ballot never leaves the same unique winner.
    clone_independent : bool
        Adding a clone of a losing candidate leaves the winners unchanged; cloning
        the sole winner keeps the win among the clones.
    droop_proportional : bool
        Committees honour Droop proportionality for solid coalitions.
    deterministic : bool
        Same input (and seed), same output.
    supports_ties : bool
        Ballots with tied candidates are counted as cast.
    supports_truncation : bool
        Ballots that leave candidates unranked are counted.
    """

    kind: Kind
    condorcet_winner: bool = False
    condorcet_loser: bool = False
    smith: bool = False
    schwartz: bool = False
    majority: bool = False
    pareto: bool = False
    monotonic: bool = False
    participation: bool = False
    reversal_symmetry: bool = False
    clone_independent: bool = False
    droop_proportional: bool = False
    deterministic: bool = True
    supports_ties: bool = True
    supports_truncation: bool = True


@runtime_checkable
class Method(Protocol[R_co]):
    """A voting method: parameters in the object, the profile passed to :meth:`run`."""

    name: ClassVar[str]

    def tags(self) -> MethodTags:
        """The method's kind and guaranteed criteria."""
        ...

    def run(self, profile: Profile, /) -> R_co:
        """Count ``profile``; never mutates it."""
        ...


def check_seats(seats: object, method: str) -> int:
    """Validate a ``seats`` parameter (in ``__post_init__``)."""
    if isinstance(seats, bool) or not isinstance(seats, int):
        raise InvalidParameterError(f"{method}: seats must be an int, got {seats!r}.")
    if seats < 1:
        raise InvalidParameterError(f"{method}: seats={seats}; it must be >= 1.")
    return seats


def check_profile(profile: object, method: str, seats: int = 1) -> Profile:
    """Validate the profile given to ``run``: a Profile with voters and enough candidates."""
    if not isinstance(profile, Profile):
        raise InvalidProfileError(
            f"{method}.run() needs a voting.Profile, got {type(profile).__name__}; "
            "build one with Profile.from_rankings or voting.read_ballots."
        )
    if profile.num_voters == 0:
        raise EmptyProfileError(f"{method}: the profile has no ballots to count.")
    if seats > profile.num_candidates:
        raise InvalidProfileError(
            f"{method}: seats={seats} but the profile has {profile.num_candidates} candidates."
        )
    return profile

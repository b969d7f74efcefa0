"""The :class:`Method` protocol, :class:`MethodTags`, and the one base every method uses.

A method is a frozen, keyword-only dataclass holding its parameters (like a
scikit-learn estimator's hyperparameters); ``run(profile)`` counts a profile and
returns a frozen :class:`~voting.results.Result`. ``dataclasses.replace`` stands in
for ``set_params``; the dataclass repr shows the parameters.

Every method of the library derives from :class:`MethodBase` (most through
:class:`SeatsMethod`, which holds ``seats`` and ``tie_break``, or
:class:`PairwiseMethod`, which adds ``run`` for methods that need only the pairwise
matrix). The base validates the parameters when the method is created, from the
constraints each class declares once in ``parameter_constraints``
(:mod:`voting._params`), keeps renamed parameters working with a
``DeprecationWarning``, and checks the profile given to ``run``. Not public API: the
methods themselves are.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar, runtime_checkable

from voting._params import Constraint, Constraints, InstanceOf, Integer, validate_parameters
from voting.exceptions import (
    ComputationTooLargeError,
    EmptyProfileError,
    InvalidParameterError,
    InvalidProfileError,
)
from voting.pairwise_matrix import PairwiseMatrix
from voting.profile import Profile
from voting.results import Result, committee_from_ranking
from voting.ties import BrokenTie, CandidateOrder, TieBreak

__all__ = [
    "SEATS",
    "TIE_BREAK",
    "Kind",
    "Method",
    "MethodBase",
    "MethodTags",
    "PairwiseMethod",
    "SeatsMethod",
    "check_pairwise",
    "check_profile",
    "check_size",
]

Kind = Literal["single_winner", "committee", "ranking"]

R_co = TypeVar("R_co", bound=Result[Any], covariant=True)
E = TypeVar("E")


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


SEATS: Constraint = Integer(low=1)
"""The constraint of every ``seats`` parameter."""

TIE_BREAK: Constraint = InstanceOf(
    TieBreak, "a TieBreak such as CandidateOrder() or Random(seed=0)"
)
"""The constraint of every ``tie_break`` parameter."""


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


def check_pairwise(pairwise: object, method: str, seats: int = 1) -> PairwiseMatrix:
    """Validate the matrix given to ``run_pairwise``."""
    if not isinstance(pairwise, PairwiseMatrix):
        raise InvalidProfileError(
            f"{method}.run_pairwise() needs a voting.PairwiseMatrix, got {type(pairwise).__name__}."
        )
    if seats > pairwise.num_candidates:
        raise InvalidProfileError(
            f"{method}: seats={seats} but there are {pairwise.num_candidates} candidates."
        )
    return pairwise


def _limit_text(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def check_size(
    method: str,
    parameter: str,
    limit: float,
    needed: float,
    *,
    size: str,
    detail: str = "",
    otherwise: str,
    error: type[ComputationTooLargeError] = ComputationTooLargeError,
) -> None:
    """The size guard: refuse, before the work starts, a count that needs more than ``limit``.

    Parameters
    ----------
    method : str
        The method's name, which starts the message.
    parameter, limit : str, int or float
        The guard parameter (``max_<unit>``) and its value.
    needed : int or float
        What the profile needs, in the same unit.
    size : str
        The size found, in words (``"25 candidates"``).
    detail : str
        What follows the limit in the message: the cost estimate (``": the dynamic
        programme ... would need about 0.5 GiB and 17 s"``).
    otherwise : str
        What to do instead of raising the limit.

    Raises
    ------
    ComputationTooLargeError
        ``"<method>: <size>, more than <parameter>=<limit><detail>. Raise <parameter>
        to run it anyway, or <otherwise>."``, when ``needed > limit``.
    """
    if needed <= limit:
        return
    raise error(
        f"{method}: {size}, more than {parameter}={_limit_text(limit)}{detail}. Raise "
        f"{parameter} to run it anyway, or {otherwise}.",
        parameter=parameter,
        limit=limit,
        needed=needed,
    )


@dataclass(frozen=True, kw_only=True)
class MethodBase:
    """The base of every method: declared parameter constraints, checked at creation.

    A subclass declares ``name`` (its registered name, which starts every message) and,
    for each parameter it adds, the parameter's :class:`~voting._params.Constraint` in
    ``parameter_constraints`` (the constraints of base classes apply too). Checks that
    constraints on single values cannot express (relations between parameters, values
    that need parsing) go in :meth:`check_parameters`.

    A renamed parameter stays accepted under its old name: the subclass declares the
    old name as an ``InitVar`` (default None) and ``renamed_parameters = {old: new}``
    (one entry per ``InitVar``, in the same order); a value given under the old name
    is moved to the new one with a ``DeprecationWarning``.
    """

    name: ClassVar[str]
    parameter_constraints: ClassVar[Constraints] = {}
    renamed_parameters: ClassVar[Mapping[str, str]] = {}

    def __post_init__(self, *renamed: object) -> None:
        for (old, new), value in zip(self.renamed_parameters.items(), renamed, strict=True):
            if value is not None:
                self._rename(old, new, value)
        validate_parameters(self)
        self.check_parameters()

    def _rename(self, old: str, new: str, value: object) -> None:
        default = next(f.default for f in dataclasses.fields(self) if f.name == new)
        if getattr(self, new) != default:
            raise InvalidParameterError(
                f"{self.name}: {old}={value!r} and {new}={getattr(self, new)!r} both given; "
                f"{old} is the former name of {new}: give {new} only."
            )
        warnings.warn(
            f"{self.name}: the parameter {old} is now called {new}; {old}= still works "
            "but will be removed.",
            DeprecationWarning,
            stacklevel=4,
        )
        object.__setattr__(self, new, value)

    def check_parameters(self) -> None:
        """Checks beyond the declared constraints (none by default); raise
        :class:`~voting.exceptions.InvalidParameterError`."""

    def check_profile(self, profile: object) -> Profile:
        """The profile given to ``run``, validated: a Profile with ballots and at least
        ``seats`` candidates.

        Raises
        ------
        InvalidProfileError
            Not a Profile, or fewer candidates than seats.
        EmptyProfileError
            No ballots.
        """
        return check_profile(profile, self.name, getattr(self, "seats", 1))


@dataclass(frozen=True, kw_only=True)
class SeatsMethod(MethodBase):
    """A method electing ``seats`` candidates, with a ``tie_break`` for the ties it leaves.

    Subclasses declare their further parameters and constraints.
    """

    parameter_constraints: ClassVar[Constraints] = {
        "seats": SEATS,
        "tie_break": TIE_BREAK,
    }
    seats: int = 1
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def elect(
        self,
        candidates: Sequence[str],
        tiers: Sequence[Sequence[int]],
        explanation: E,
        ties: Sequence[BrokenTie] = (),
    ) -> Result[E]:
        """Elect the top ``seats`` of the weak order ``tiers`` (candidate indices, best
        first), breaking a tier that straddles the last seat by ``tie_break``; ``ties``
        are the ties the count itself broke, recorded first."""
        result = committee_from_ranking(
            self.name, candidates, tiers, self.seats, self.tie_break, explanation
        )
        if ties:
            result = dataclasses.replace(result, ties_broken=tuple(ties) + result.ties_broken)
        return result


@dataclass(frozen=True, kw_only=True)
class PairwiseMethod(SeatsMethod, Generic[E]):
    """A ranking method computed from the pairwise matrix alone.

    ``run(profile)`` validates the profile (:meth:`check_profile`) and hands its cached
    pairwise matrix to ``run_pairwise``, which is also the entry point when only the
    matrix is known (a published tally, or a matrix summed over chunks of a large file).
    """

    def run(self, profile: Profile, /) -> Result[E]:
        """Count ``profile``'s pairwise matrix and rank from it.

        Raises
        ------
        InvalidProfileError
            If ``profile`` is not a Profile, or has fewer candidates than seats.
        EmptyProfileError
            If it has no ballots.
        """
        return self.run_pairwise(self.check_profile(profile).pairwise)

    def check_pairwise(self, pairwise: object) -> PairwiseMatrix:
        """The matrix given to ``run_pairwise``, validated (at least ``seats`` candidates).

        Raises
        ------
        InvalidProfileError
            Not a PairwiseMatrix, or fewer candidates than seats.
        """
        return check_pairwise(pairwise, self.name, self.seats)

    def run_pairwise(self, pairwise: PairwiseMatrix, /) -> Result[E]:
        """Rank from pairwise counts alone."""
        raise NotImplementedError  # pragma: no cover - every subclass defines it

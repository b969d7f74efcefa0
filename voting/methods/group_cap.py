"""At most ``k`` elected per group: a representation limit on any ranking method.

Some bodies cap how many of their members may share an employer. The Kubernetes
steering committee's election charter (kubernetes/steering ``elections.md``,
"Maximal representation"): "there will be a maximum of one-third representation on
the Steering Committee from any one company at any time. If the results of an
election result in greater than 1/3 representation, the lowest vote getters from
any particular company will be removed". In 2017 (13 members, so at most 4 per
company, with three Google employees already seated) that removed Michael Rubin,
ranked 4th, and seated the 7th instead.

Definition. The wrapped method ranks every candidate. Going down its ranking, a
candidate is elected unless their group already holds ``max_per_group`` seats
(counting the members ``seated`` before the election); then they are skipped, with
the group and count recorded, and the next one is considered, until ``seats`` are
filled. A tier of tied candidates that cannot all be elected (not enough seats, or
not enough room in a group) is ordered by ``tie_break``, recorded as a broken tie.
Candidates missing from ``groups`` belong to no group and are never skipped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from voting._params import Constraints, InstanceOf, Integer, Satisfies, mapping_of
from voting.exceptions import InvalidParameterError, InvalidProfileError
from voting.methods._base import MethodTags, SeatsMethod
from voting.profile import Profile
from voting.render import Explanation
from voting.results import Result
from voting.ties import BrokenTie

__all__ = ["GroupCap", "GroupCapExplanation", "SkippedCandidate"]

_COMMITTEE_METHODS = ("stv", "cpo_stv", "schulze_stv", "civs_proportional")


def _is_method(value: object) -> bool:
    """Whether ``value`` looks like a voting method (a ``run`` and a ``name``)."""
    return callable(getattr(value, "run", None)) and getattr(value, "name", None) is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedCandidate:
    """A candidate passed over because their group was full.

    Attributes
    ----------
    candidate : str
    group : str
    position : int
        1-based tier of the candidate in the wrapped method's ranking.
    held : int
        Seats the group held at that point (seated members included).
    """

    candidate: str
    group: str
    position: int
    held: int

    def __str__(self) -> str:
        return (
            f"{self.candidate} (ranked in tier {self.position}) skipped: {self.group} already "
            f"holds {self.held} seats, the most allowed"
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class GroupCapExplanation(Explanation):
    """How the cap changed the wrapped method's result.

    ``to_text()`` gives the cap and the skipped candidates; ``to_dict()`` the fields
    (``ranking`` as the wrapped result's own ``to_dict()``, ``seated`` as
    ``{group: seats}``); :meth:`notices` the skipped candidates.

    Attributes
    ----------
    ranking : Result
        The wrapped method's own result (its full ranking).
    max_per_group : int
    seated : tuple of (str, int)
        Members of each group holding seats before the election.
    skipped : tuple of SkippedCandidate
        In the order they were passed over.
    """

    ranking: Result[Any]
    max_per_group: int
    seated: tuple[tuple[str, int], ...]
    skipped: tuple[SkippedCandidate, ...]

    def to_text(self) -> str:
        """The cap and every skipped candidate, one per line."""
        lines = [f"At most {self.max_per_group} seats per group"]
        if self.seated:
            held = ", ".join(f"{g}: {n}" for g, n in self.seated)
            lines.append(f"Seats already held: {held}")
        lines.append(
            f"Ranking by {self.ranking.method}: "
            + " > ".join(" = ".join(t) for t in self.ranking.ranking)
        )
        if self.skipped:
            lines.extend(f"Skipped: {s}" for s in self.skipped)
        else:
            lines.append("No candidate skipped: the cap changed nothing.")
        return "\n".join(lines)

    def notices(self) -> tuple[str, ...]:
        """One line per candidate the cap skipped (or one saying it skipped nobody)."""
        return tuple(f"Skipped: {s}" for s in self.skipped) or ("The group cap skipped nobody.",)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``seated`` as ``{group: seats}``."""
        return self.fields_dict(seated=dict(self.seated))


@dataclass(frozen=True, kw_only=True)
class GroupCap(SeatsMethod):
    """Elect the top ``seats`` of a ranking method, at most ``max_per_group`` per group.

    Parameters
    ----------
    method : Method
        A method that ranks every candidate (Schulze, ranked pairs, Borda, IRV,
        Kemeny, ...); it is run for one seat and its full ranking is used.
        Proportional committee methods (STV, CPO-STV, Schulze STV, CIVS
        proportional) do not elect down a ranking and are refused.
    groups : mapping of str to str
        Candidate -> group (an employer, say). Unlisted candidates are in no group.
    max_per_group : int
        Most seats one group may hold, ``seated`` members included (>= 1).
    seats : int, default 1
    seated : mapping of str to int, optional
        Group -> members already holding seats, who count against the cap.
    tie_break : TieBreak, default CandidateOrder()
        Orders a tier that cannot be elected whole; recorded.

    Notes
    -----
    See the module docstring for the definition and the Kubernetes rule it
    implements. Runtime complexity: that of the wrapped method, plus O(C) for the
    walk down its ranking.

    References
    ----------
    .. [1] Kubernetes Steering Committee, "Steering Committee Elections", section
       "Maximal representation", https://github.com/kubernetes/steering/blob/main/elections.md
    .. [2] Kubernetes community, elections/steering/2017/RESULTS.md ("Google would be
       over-represented with this result, so Michael Rubin must be excluded").

    Examples
    --------
    >>> from voting import Profile, Schulze
    >>> p = Profile.from_rankings([["A", "B", "C"]] * 3 + [["B", "C", "A"]] * 2)
    >>> capped = GroupCap(method=Schulze(), groups={"A": "Acme", "B": "Acme"},
    ...                   max_per_group=1, seats=2)
    >>> r = capped.run(p)
    >>> r.elected
    ('A', 'C')
    >>> print(r.explanation.skipped[0])
    B (ranked in tier 2) skipped: Acme already holds 1 seats, the most allowed
    """

    name: ClassVar[str] = "group_cap"
    parameter_constraints: ClassVar[Constraints] = {
        "method": Satisfies(_is_method, "a voting method such as Schulze()"),
        "groups": InstanceOf(Mapping, "a mapping of candidate names to group names"),
        "max_per_group": Integer(low=1),
        "seated": Satisfies(
            mapping_of(object, Integer(low=0)), "a mapping of group names to ints >= 0"
        ),
    }
    method: Any
    groups: Mapping[str, str]
    max_per_group: int
    seated: Mapping[str, int] = field(default_factory=dict)

    def check_parameters(self) -> None:
        """Refuse the proportional committee methods, which do not elect down a ranking."""
        inner = self.method.name
        if inner in _COMMITTEE_METHODS:
            raise InvalidParameterError(
                f"group_cap: {inner!r} elects a proportional committee, not down a ranking; "
                "the cap applies to methods that rank every candidate (schulze, "
                "ranked_pairs, borda, irv, kemeny, ...)."
            )

    def tags(self) -> MethodTags:
        """A committee rule with a side constraint: no criterion survives the cap."""
        return MethodTags(kind="committee" if self.seats > 1 else "single_winner")

    def _inner(self) -> Any:
        names = {f.name for f in dataclasses.fields(self.method)}
        if "seats" in names and getattr(self.method, "seats", 1) != 1:
            return dataclasses.replace(self.method, seats=1)
        return self.method

    def run(self, profile: Profile, /) -> Result[GroupCapExplanation]:
        """Rank with the wrapped method, then elect down the ranking under the cap.

        Raises
        ------
        InvalidProfileError
            ``groups`` names an unknown candidate, or the cap leaves fewer eligible
            candidates than seats.
        """
        profile = self.check_profile(profile)
        for c in self.groups:
            profile.index(c)
        inner = self._inner().run(profile)
        walk = _Walk(self, profile.candidates)
        for pos, tier in enumerate(inner.ranking, 1):
            if len(walk.elected) >= self.seats:
                break
            walk.tier(pos, tier)
        if len(walk.elected) < self.seats:
            raise InvalidProfileError(
                f"group_cap: only {len(walk.elected)} candidates can be elected under a cap of "
                f"{self.max_per_group} per group, fewer than the {self.seats} seats; raise "
                "max_per_group or lower seats."
            )
        chosen, tied_last = set(walk.elected), walk.tied_last
        ahead = [tuple(c for c in t if c in chosen and c not in tied_last) for t in inner.ranking]
        behind = [
            tuple(c for c in t if c not in chosen and c not in tied_last) for t in inner.ranking
        ]
        ranking = (
            tuple(t for t in ahead if t)
            + ((tied_last,) if tied_last else ())
            + tuple(t for t in behind if t)
        )
        explanation = GroupCapExplanation(
            ranking=inner,
            max_per_group=self.max_per_group,
            seated=tuple(sorted(self.seated.items())),
            skipped=tuple(walk.skipped),
        )
        return Result(
            method=f"{inner.method}+group_cap",
            candidates=profile.candidates,
            ranking=ranking,
            seats=self.seats,
            winners=tuple(walk.elected) + tuple(c for c in tied_last if c not in chosen),
            elected=tuple(walk.elected),
            tied_at_last_seat=tied_last,
            ties_broken=tuple(walk.broken),
            explanation=explanation,
        )


class _Walk:
    """The walk down the wrapped method's ranking: who is elected, skipped, tied."""

    def __init__(self, cap: GroupCap, candidates: tuple[str, ...]) -> None:
        self.cap = cap
        self.held = {g: int(n) for g, n in cap.seated.items()}
        prio = cap.tie_break.priority(candidates)
        self.rank_of = {candidates[i]: r for r, i in enumerate(prio)}
        self.elected: list[str] = []
        self.skipped: list[SkippedCandidate] = []
        self.broken: list[BrokenTie] = []
        self.tied_last: tuple[str, ...] = ()

    def room(self, c: str) -> bool:
        """Whether ``c``'s group (if any) holds fewer than ``max_per_group`` seats."""
        g = self.cap.groups.get(c)
        return g is None or self.held.get(g, 0) < self.cap.max_per_group

    def take(self, c: str) -> None:
        self.elected.append(c)
        g = self.cap.groups.get(c)
        if g is not None:
            self.held[g] = self.held.get(g, 0) + 1

    def skip(self, c: str, pos: int) -> None:
        g = self.cap.groups[c]
        self.skipped.append(SkippedCandidate(candidate=c, group=g, position=pos, held=self.held[g]))

    def tier(self, pos: int, tier: tuple[str, ...]) -> None:
        """Elect what fits of the ``pos``-th tier, breaking a tie that cannot be elected whole."""
        fits = [c for c in tier if self.room(c)]
        for c in tier:
            if c not in fits:
                self.skip(c, pos)
        free = self.cap.seats - len(self.elected)
        per_group: dict[str, int] = {}
        for c in fits:
            g = self.cap.groups.get(c)
            if g is not None:
                per_group[g] = per_group.get(g, 0) + 1
        limit = self.cap.max_per_group
        crowded = [g for g, k in per_group.items() if self.held.get(g, 0) + k > limit]
        if len(fits) <= free and not crowded:
            for c in fits:
                self.take(c)
            return
        ordered = tuple(sorted(fits, key=self.rank_of.__getitem__))
        why = f"seat {len(self.elected) + 1}" if len(fits) > free else "group cap"
        if crowded:
            why += f" ({', '.join(crowded)} full)" if len(fits) <= free else ""
        self.broken.append(BrokenTie(tuple(fits), ordered, why, self.cap.tie_break.describe()))
        if len(fits) > free:
            self.tied_last = tuple(fits)
        for c in ordered:
            if len(self.elected) >= self.cap.seats:
                break
            if self.room(c):
                self.take(c)
            else:
                self.skip(c, pos)

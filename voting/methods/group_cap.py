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

from voting.exceptions import InvalidParameterError, InvalidProfileError
from voting.methods._base import MethodTags, check_profile, check_seats
from voting.methods._common import check_tie_break
from voting.profile import Profile
from voting.render import Explanation
from voting.results import Result
from voting.ties import BrokenTie, CandidateOrder, TieBreak

__all__ = ["GroupCap", "GroupCapExplanation", "SkippedCandidate"]

_COMMITTEE_METHODS = ("stv", "cpo_stv", "schulze_stv", "civs_proportional")


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
class GroupCap:
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
    method: Any
    groups: Mapping[str, str]
    max_per_group: int
    seats: int = 1
    seated: Mapping[str, int] = field(default_factory=dict)
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def __post_init__(self) -> None:
        check_seats(self.seats, self.name)
        check_tie_break(self.tie_break, self.name)
        inner = getattr(self.method, "name", None)
        if not callable(getattr(self.method, "run", None)) or inner is None:
            raise InvalidParameterError(
                f"group_cap: method={self.method!r} is not a voting method; pass one such "
                "as Schulze()."
            )
        if inner in _COMMITTEE_METHODS:
            raise InvalidParameterError(
                f"group_cap: {inner!r} elects a proportional committee, not down a ranking; "
                "the cap applies to methods that rank every candidate (schulze, "
                "ranked_pairs, borda, irv, kemeny, ...)."
            )
        limit = self.max_per_group
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidParameterError(
                f"group_cap: max_per_group={limit!r}; it must be an int >= 1."
            )
        for g, n in self.seated.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise InvalidParameterError(
                    f"group_cap: seated[{g!r}]={n!r}; it must be an int >= 0."
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
        profile = check_profile(profile, self.name, self.seats)
        for c in self.groups:
            profile.index(c)
        inner = self._inner().run(profile)
        held = {g: int(n) for g, n in self.seated.items()}
        prio = self.tie_break.priority(profile.candidates)
        rank_of = {profile.candidates[i]: r for r, i in enumerate(prio)}
        elected: list[str] = []
        skipped: list[SkippedCandidate] = []
        broken: list[BrokenTie] = []
        tied_last: tuple[str, ...] = ()

        def room(c: str) -> bool:
            g = self.groups.get(c)
            return g is None or held.get(g, 0) < self.max_per_group

        def take(c: str) -> None:
            elected.append(c)
            g = self.groups.get(c)
            if g is not None:
                held[g] = held.get(g, 0) + 1

        def skip(c: str, pos: int) -> None:
            g = self.groups[c]
            skipped.append(SkippedCandidate(candidate=c, group=g, position=pos, held=held[g]))

        for pos, tier in enumerate(inner.ranking, 1):
            if len(elected) >= self.seats:
                break
            fits = [c for c in tier if room(c)]
            for c in tier:
                if c not in fits:
                    skip(c, pos)
            free = self.seats - len(elected)
            per_group: dict[str, int] = {}
            for c in fits:
                g = self.groups.get(c)
                if g is not None:
                    per_group[g] = per_group.get(g, 0) + 1
            crowded = [g for g, k in per_group.items() if held.get(g, 0) + k > self.max_per_group]
            if len(fits) <= free and not crowded:
                for c in fits:
                    take(c)
                continue
            ordered = tuple(sorted(fits, key=rank_of.__getitem__))
            why = f"seat {len(elected) + 1}" if len(fits) > free else "group cap"
            if crowded:
                why += f" ({', '.join(crowded)} full)" if len(fits) <= free else ""
            broken.append(BrokenTie(tuple(fits), ordered, why, self.tie_break.describe()))
            if len(fits) > free:
                tied_last = tuple(fits)
            for c in ordered:
                if len(elected) >= self.seats:
                    break
                if room(c):
                    take(c)
                else:
                    skip(c, pos)
        if len(elected) < self.seats:
            raise InvalidProfileError(
                f"group_cap: only {len(elected)} candidates can be elected under a cap of "
                f"{self.max_per_group} per group, fewer than the {self.seats} seats; raise "
                "max_per_group or lower seats."
            )
        chosen = set(elected)
        ahead = [tuple(c for c in t if c in chosen and c not in tied_last) for t in inner.ranking]
        behind = [
            tuple(c for c in t if c not in chosen and c not in tied_last) for t in inner.ranking
        ]
        ranking = (
            tuple(t for t in ahead if t)
            + ((tied_last,) if tied_last else ())
            + tuple(t for t in behind if t)
        )
        winners = tuple(elected) + tuple(c for c in tied_last if c not in chosen)
        explanation = GroupCapExplanation(
            ranking=inner,
            max_per_group=self.max_per_group,
            seated=tuple(sorted(self.seated.items())),
            skipped=tuple(skipped),
        )
        return Result(
            method=f"{inner.method}+group_cap",
            candidates=profile.candidates,
            ranking=ranking,
            seats=self.seats,
            winners=winners,
            elected=tuple(elected),
            tied_at_last_seat=tied_last,
            ties_broken=tuple(broken),
            explanation=explanation,
        )

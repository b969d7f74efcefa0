"""Frozen, typed results that never lose a tie.

Every method returns a :class:`Result`: the full ranking as tiers (best first), the
candidates who could win before any tie-break (``winners``), the ``elected``
candidates after tie-breaking, every :class:`~voting.ties.BrokenTie`, the candidates
tied across the last seat, and a method-specific ``explanation``. A result renders
itself (:class:`voting.render.Renderable`): ``to_text()`` for a person,
``to_dict()`` for a program, the explanation's own ``to_dict()`` included.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from voting.exceptions import InvalidProfileError
from voting.profile import Profile
from voting.render import json_ready
from voting.ties import BrokenTie, TieBreak

__all__ = ["Result", "committee_from_committees", "committee_from_ranking", "committee_order"]

E = TypeVar("E")


@dataclass(frozen=True, slots=True, kw_only=True)
class Result(Generic[E]):
    """The outcome of a voting method on one profile.

    Attributes
    ----------
    method : str
        The method's name (``"schulze"``).
    candidates : tuple of str
        The profile's candidates, in profile order.
    ranking : tuple of tuple of str
        A weak order of all candidates: tiers, best first; names within a tier in
        profile order. Methods that only find winners put everyone else in one
        tier below them.
    seats : int
        How many candidates are elected (1 for single-winner methods).
    winners : tuple of str
        Before tie-breaking: every candidate who is elected under some resolution of
        the ties the tie-break decides. For a method that ranks and elects the top
        ``seats``, the candidates of the tiers needed to fill the seats (for one
        seat, the top tier); for a method that breaks ties while it counts (IRV,
        Condorcet-IRV, bottom-two runoff, STV), every candidate elected in some
        *parallel universe* (each tie broken every possible way), computed exactly.
        More than ``seats`` names means a tie decided who is elected.
    elected : tuple of str
        After tie-breaking: exactly ``seats`` names, in order of election.
    tied_at_last_seat : tuple of str
        The winners that a tie-break decided: the candidates of the tier that
        straddles the last seat (some of them are elected, some not), or the
        winners elected in some parallel universes but not in all. Empty when no
        tie decided a seat.
    ties_broken : tuple of BrokenTie
        Every tie the method broke, in order, with the rule used and whether it was
        decisive (:attr:`BrokenTie.decisive`).
    explanation : E
        Method-specific detail (pairwise matrix, strongest paths, rounds, ...).
    """

    method: str
    candidates: tuple[str, ...]
    ranking: tuple[tuple[str, ...], ...]
    seats: int
    winners: tuple[str, ...]
    elected: tuple[str, ...]
    tied_at_last_seat: tuple[str, ...] = ()
    ties_broken: tuple[BrokenTie, ...] = ()
    explanation: E

    @property
    def tie_broken(self) -> bool:
        """True when a tie-break decided something in this result."""
        return bool(self.ties_broken)

    @property
    def winner(self) -> str:
        """The single elected candidate (after tie-breaking) of a one-seat result."""
        if self.seats != 1:
            raise InvalidProfileError(
                f"this result elects {self.seats} candidates; use .elected instead of .winner."
            )
        return self.elected[0]

    def check(self, profile: Profile | None = None) -> None:
        """Raise ``ValueError`` if the result breaks its own invariants.

        The ranking partitions the candidates; ``elected`` has ``seats`` distinct
        names drawn from ``winners``; ``winners`` is the union of the top tiers
        that reach ``seats``; ties at the last seat and broken ties are consistent.
        With ``profile``, the candidates must be the profile's.
        """
        problems: list[str] = []
        if profile is not None and profile.candidates != self.candidates:
            problems.append("candidates differ from the profile's")
        flat = [c for tier in self.ranking for c in tier]
        if sorted(flat) != sorted(self.candidates) or len(set(flat)) != len(flat):
            problems.append(f"ranking {self.ranking} is not a partition of the candidates")
        if any(not tier for tier in self.ranking):
            problems.append("ranking has an empty tier")
        if not 1 <= self.seats <= len(self.candidates):
            problems.append(f"seats={self.seats} out of range")
        if len(self.elected) != self.seats or len(set(self.elected)) != self.seats:
            problems.append(f"elected {self.elected} is not {self.seats} distinct names")
        if not set(self.elected) <= set(self.winners):
            problems.append(f"elected {self.elected} not within winners {self.winners}")
        if self.tied_at_last_seat and not set(self.tied_at_last_seat) <= set(self.winners):
            problems.append("tied_at_last_seat not within winners")
        if len(self.winners) > self.seats and not (self.ties_broken or self.tied_at_last_seat):
            problems.append("more winners than seats but no tie recorded")
        if (
            len(self.winners) > self.seats
            and self.ties_broken
            and not any(t.decisive is not False for t in self.ties_broken)
        ):
            problems.append("more winners than seats but every broken tie is marked not decisive")
        if any(t.decisive not in (True, False, None) for t in self.ties_broken):
            problems.append("a BrokenTie.decisive is not True, False or None")
        if self.tied_at_last_seat and not self.ties_broken:
            problems.append("tied_at_last_seat without a broken tie")
        if problems:
            raise ValueError(f"invalid {self.method} result: " + "; ".join(problems))

    def __str__(self) -> str:
        lines = [f"{self.method}: elected {', '.join(self.elected)}"]
        for i, tier in enumerate(self.ranking, 1):
            mark = " (tied)" if len(tier) > 1 else ""
            lines.append(f"  {i:>3}. {' = '.join(tier)}{mark}")
        lines.extend(f"  tie broken: {t}" for t in self.ties_broken)
        return "\n".join(lines)

    def to_text(self) -> str:
        """The ranking as a table of tiers, who was elected, and one account of the ties.

        For every tie the tie-break decided: who tied, for what (``seat 3``,
        ``elimination in round 2``), the rule that broke it, the order it chose and
        whether it was decisive; then the candidates whose election it decided. The
        explanation renders itself: ``result.explanation.to_text()``.
        """
        s = "s" if self.seats != 1 else ""
        lines = [f"Result ({self.method}, {self.seats} seat{s}):", "  rank  candidate(s)"]
        for i, tier in enumerate(self.ranking, 1):
            mark = "  (tied)" if len(tier) > 1 else ""
            lines.append(f"  {i:>4}  {' = '.join(tier)}{mark}")
        label = "Winner" if self.seats == 1 else "Elected"
        lines.append(f"{label}: {', '.join(self.elected) or '(none)'}")
        if not self.ties_broken:
            return "\n".join([*lines, "No ties broken."])
        lines.append(f"Ties broken by the tie-break ({len(self.ties_broken)}):")
        for i, t in enumerate(self.ties_broken, 1):
            lines.append(f"  {i}. {t.context}: {', '.join(t.tied)} tied")
            lines.append(f"     broken by {t.rule}: {' > '.join(t.order)}")
            lines.append(f"     {_DECISIVE[t.decisive]}")
        if self.tied_at_last_seat:
            lines.append(
                "Decided by the tie-break: "
                + ", ".join(self.tied_at_last_seat)
                + f" (possible winners before tie-breaking: {', '.join(self.winners)})"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``method``, ``candidates``, ``seats``, ``ranking`` (tiers),
        ``winners``, ``elected``, ``tied_at_last_seat``, ``ties_broken`` (records
        ``{"tied", "order", "context", "rule", "decisive"}``) and ``explanation``: the
        explanation's own ``to_dict()`` (``null`` when there is none); see
        :func:`voting.render.json_ready` for the conventions."""
        return {
            "method": self.method,
            "candidates": list(self.candidates),
            "seats": self.seats,
            "ranking": [list(t) for t in self.ranking],
            "winners": list(self.winners),
            "elected": list(self.elected),
            "tied_at_last_seat": list(self.tied_at_last_seat),
            "ties_broken": json_ready(self.ties_broken),
            "explanation": json_ready(self.explanation),
        }


_DECISIVE = {
    True: "decisive: broken another way, it changes who can be elected",
    False: "not decisive: broken any other way, the same candidates are elected",
    None: "this method does not say whether it was decisive",
}


def order_tiers(
    tiers: Sequence[Sequence[int]], candidates: Sequence[str]
) -> tuple[tuple[str, ...], ...]:
    """Tiers of indices -> tiers of names, each tier in profile order."""
    return tuple(tuple(candidates[i] for i in sorted(tier)) for tier in tiers)


def committee_from_ranking(
    method: str,
    candidates: Sequence[str],
    tiers: Sequence[Sequence[int]],
    seats: int,
    tie_break: TieBreak,
    explanation: E,
    context: str = "seat",
) -> Result[E]:
    """Elect the top ``seats`` of a weak order, breaking a tie at the boundary.

    Parameters
    ----------
    method : str
    candidates : sequence of str
    tiers : sequence of sequences of int
        A weak order over candidate indices, best tier first, covering everyone.
    seats : int
    tie_break : TieBreak
        Orders the tier that straddles the last seat; the broken tie is recorded.
    explanation : E
    context : str
        Label for the recorded tie (``"seat"`` gives ``"seats 2-3"``).

    Returns
    -------
    Result
    """
    names = tuple(candidates)
    if not 1 <= seats <= len(names):
        raise InvalidProfileError(
            f"seats={seats} but the profile has {len(names)} candidates; "
            "ask for at most as many seats as candidates."
        )
    ranking = order_tiers(tiers, names)
    elected: list[str] = []
    winners: list[str] = []
    tied_last: tuple[str, ...] = ()
    broken: list[BrokenTie] = []
    for tier_idx, tier in zip(tiers, ranking, strict=True):
        if len(elected) >= seats:
            break
        winners.extend(tier)
        room = seats - len(elected)
        if len(tier) <= room:
            elected.extend(tier)
            continue
        prio = tie_break.priority(names)
        rank_of = {c: r for r, c in enumerate(prio)}
        ordered = tuple(names[i] for i in sorted(tier_idx, key=lambda i: rank_of[i]))
        first = len(elected) + 1
        label = f"{context} {first}" if room == 1 else f"{context}s {first}-{seats}"
        broken.append(BrokenTie(tier, ordered, label, tie_break.describe(), decisive=True))
        tied_last = tier
        elected.extend(ordered[:room])
    return Result(
        method=method,
        candidates=names,
        ranking=ranking,
        seats=seats,
        winners=tuple(winners),
        elected=tuple(elected),
        tied_at_last_seat=tied_last,
        ties_broken=tuple(broken),
        explanation=explanation,
    )


def committee_order(
    candidates: Sequence[str], committees: Sequence[Collection[int]], tie_break: TieBreak
) -> list[int]:
    """Indices of ``committees`` (of candidate indices), the tie-break's favourite first.

    A committee comes before another when its members' positions in
    ``tie_break.priority(candidates)``, sorted, come first lexicographically.
    """
    rank_of = {c: r for r, c in enumerate(tie_break.priority(candidates))}
    keys = [sorted(rank_of[c] for c in k) for k in committees]
    return sorted(range(len(committees)), key=keys.__getitem__)


def committee_from_committees(
    method: str,
    candidates: Sequence[str],
    committees: Sequence[Collection[int]],
    tie_break: TieBreak,
    explanation: E,
    order: Sequence[Sequence[int]] = (),
) -> Result[E]:
    """Elect one of the winning committees of a committee method, breaking a tie among several.

    The one way the committee methods (CPO-STV, Schulze STV, CIVS proportional) turn
    the committees their rules leave unbeaten into a :class:`Result`, as
    :func:`committee_from_ranking` does for a ranking of candidates.

    * ``ranking``: the candidates in every winning committee, then those in some
      (one tier: the tie), then the others; the first and last groups are split by
      the weak order ``order`` when one is given (CIVS's individual order), each
      tier in profile order.
    * ``winners``: every candidate of a winning committee, in ranking order.
    * ``elected``: the first committee of :func:`committee_order`, whose members come
      first in the tie-break's priority: its members that are in every winning
      committee, in ranking order, then the others in priority order.
    * With several winning committees, ``tied_at_last_seat`` holds the candidates in
      some but not all of them and one :class:`~voting.ties.BrokenTie` records the
      choice (``"seats 2-3 (2 tied committees)"``): those elected first, then the
      others, each in priority order; it is decisive (another choice elects someone
      else).

    Parameters
    ----------
    method : str
    candidates : sequence of str
    committees : sequence of collections of int
        The winning committees (candidate indices), all of the same size ``seats``.
    tie_break : TieBreak
    explanation : E
    order : sequence of sequences of int, optional
        A weak order over every candidate (tiers of indices, best first).

    Returns
    -------
    Result
    """
    names = tuple(candidates)
    sets = [frozenset(k) for k in committees]
    seats = len(sets[0]) if sets else 0
    if not sets or any(len(k) != seats for k in sets) or not 1 <= seats <= len(names):
        raise InvalidProfileError(
            f"{method}: the winning committees must be one or more committees of the same "
            f"size, between 1 and {len(names)} candidates; got {[sorted(k) for k in sets]}."
        )
    rank_of = {c: r for r, c in enumerate(tie_break.priority(names))}
    chosen = sets[committee_order(names, sets, tie_break)[0]]
    sure = frozenset.intersection(*sets)
    some = sorted(frozenset.union(*sets) - sure)
    split = order or [range(len(names))]

    def tiers_of(group: Collection[int]) -> list[list[int]]:
        return [t for t in (sorted(c for c in tier if c in group) for tier in split) if t]

    ahead = tiers_of(sure)
    rest = tiers_of(set(range(len(names))) - sure - set(some))
    first = [c for tier in ahead for c in tier]
    picked = sorted((c for c in some if c in chosen), key=rank_of.__getitem__)
    broken: tuple[BrokenTie, ...] = ()
    if some:
        others = sorted((c for c in some if c not in chosen), key=rank_of.__getitem__)
        seat = len(sure) + 1
        label = f"seat {seat}" if seat == seats else f"seats {seat}-{seats}"
        broken = (
            BrokenTie(
                tuple(names[c] for c in some),
                tuple(names[c] for c in picked + others),
                f"{label} ({len(sets)} tied committees)",
                tie_break.describe(),
                decisive=True,
            ),
        )
    return Result(
        method=method,
        candidates=names,
        ranking=order_tiers(ahead + ([some] if some else []) + rest, names),
        seats=seats,
        winners=tuple(names[c] for c in first + some),
        elected=tuple(names[c] for c in first + picked),
        tied_at_last_seat=tuple(names[c] for c in some),
        ties_broken=broken,
        explanation=explanation,
    )

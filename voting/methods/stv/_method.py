"""The public :class:`STV` method: parameters, validation and dispatch to a rule set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.methods._base import MethodTags, check_profile, check_seats
from voting.methods._universes import (
    Chooser,
    Classes,
    Outcome,
    check_put_limit,
    explore,
    mark_swaps,
    symmetric_classes,
    with_universes,
)
from voting.methods.stv._ballots import Ballots, compress
from voting.methods.stv._count import CountOutcome
from voting.methods.stv._explain import STVExplanation
from voting.methods.stv._quota import QUOTAS, QuotaName
from voting.methods.stv._rules import COUNTS
from voting.profile import Profile
from voting.results import Result
from voting.ties import CandidateOrder, TieBreak

__all__ = ["RULES", "STV", "Rule"]

Rule = Literal["meek", "meek-nz", "meek-equal", "scottish", "ers97", "fractional"]
RULES: tuple[Rule, ...] = ("meek", "meek-nz", "meek-equal", "scottish", "ers97", "fractional")

DEFAULT_QUOTA: dict[str, QuotaName] = {
    "meek": "droop-exact",
    "meek-nz": "droop-exact",
    "meek-equal": "droop-exact",
    "scottish": "droop",
    "ers97": "droop-exact",
    "fractional": "droop",
}


@dataclass(frozen=True, kw_only=True)
class STV:
    """Single transferable vote, by one of several official rule sets, counted exactly.

    Parameters
    ----------
    seats : int, default 1
        Number of candidates to elect.
    rule : {"meek", "meek-nz", "meek-equal", "scottish", "ers97", "fractional"}
        The rule set:

        - ``"meek"``: the Proportional Representation Foundation's Reference Meek
          Rule (Hill-Wichmann-Woodall Algorithm 123 in 9-decimal fixed point);
        - ``"meek-nz"``: New Zealand's Meek method (Local Electoral Regulations
          2001, Schedule 1A);
        - ``"meek-equal"``: the Reference Meek Rule extended to ballots that rank
          candidates equal (Hill's extension: the ballot's value is shared among the
          candidates ranked equal), so tied ballots are counted as cast;
        - ``"scottish"``: weighted inclusive Gregory of the Scottish Local Government
          Elections Order 2007, rules 45-52 (5-decimal truncation per paper);
        - ``"ers97"``: the Electoral Reform Society's 1997 rules (last-parcel
          Gregory, 2 decimals, deferred surpluses, bulk exclusion);
        - ``"fractional"``: weighted inclusive Gregory in exact rational arithmetic,
          a simple baseline.
    quota : {"droop", "droop-exact", "hare"}, optional
        Default: the rule's own (integer Droop for ``scottish`` and ``fractional``;
        the exact Droop quota with the rule's rounding for the others). See
        :mod:`voting.methods.stv._quota` for each rule's formula.
    tie_break : TieBreak, default CandidateOrder()
        Decides ties that the rule leaves to lot (after the rule's own look-back at
        earlier rounds). Every tie broken is recorded in the result. ``"meek-nz"``
        does not use it: Schedule 1A breaks ties by its own pseudo-random numbers
        (clauses 19 and 40-48).
    put_limit : int, default 256
        The most counts run to find the winners under every resolution of the ties
        left to lot (see Notes); past it, ``run`` raises
        :class:`~voting.exceptions.TooManyTieResolutionsError`.

    Notes
    -----
    Every count is exact: Python integers scaled by ``10**d`` for rules with ``d``
    decimals, :class:`fractions.Fraction` for ``fractional``, never floats. Every
    round is checked to reconcile (candidates' votes + non-transferable + loss to
    rounding = valid votes); a failure raises ``CountInvariantError``.

    Ties. ``elected`` is the official count (ties left to lot decided by
    ``tie_break``, or by Schedule 1A's pseudo-random numbers for ``"meek-nz"``).
    ``winners`` holds every candidate elected under *some* resolution of those
    ties (the parallel-universe answer), computed exactly by counting again with
    each tie decided every other way: one full count per resolution, at most
    ``put_limit``. Each tie in ``ties_broken`` says whether it was decisive (deciding
    it another way, and the later ties in any way, elects someone else); a tie the
    rule settles by earlier rounds is not a lot and is not explored.

    Ballots are compressed to unique rankings first; every rule moves all papers
    of one ranking together, which is exact because their transfers are identical.
    Ballots ranking nobody are not valid votes and are not counted. Strict-ranking
    rules reject ballots with candidates ranked equal.

    Runtime complexity: O(V·C) to compress V ballots, then O(I·U) for Meek (I
    iterations in all, U unique rankings) or O(S·U·C) for the Gregory rules (S stages).

    References
    ----------
    .. [1] I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123: Single
       Transferable Vote by Meek's method", The Computer Journal 30(3), 1987.
    .. [2] Proportional Representation Foundation, "Reference Meek Rule".
    .. [3] The Scottish Local Government Elections Order 2007 (SSI 2007/42), Sch. 1.
    .. [4] R. A. Newland and F. S. Britton, "How to conduct an election by the Single
       Transferable Vote", 3rd ed., Electoral Reform Society, 1997.
    .. [5] New Zealand Local Electoral Regulations 2001, Schedule 1A.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["A", "B"], ["A", "C"], ["B", "C"], ["C"]], weights=[6, 3, 2, 1])
    >>> STV(seats=2, rule="scottish").run(p).elected
    ('A', 'B')
    """

    name: ClassVar[str] = "stv"
    seats: int = 1
    rule: Rule = "meek"
    quota: QuotaName | None = None
    tie_break: TieBreak = field(default_factory=CandidateOrder)
    put_limit: int = 256

    def __post_init__(self) -> None:
        check_seats(self.seats, "stv")
        if not isinstance(self.rule, str) or self.rule not in RULES:
            raise InvalidParameterError(
                f"stv: rule={self.rule!r} is not a rule set; valid rules are {list(RULES)}."
            )
        if self.quota is not None and (not isinstance(self.quota, str) or self.quota not in QUOTAS):
            raise InvalidParameterError(
                f"stv: quota={self.quota!r} is not a quota; valid quotas are {list(QUOTAS)} "
                "(or None for the rule's own)."
            )
        check_put_limit(self.put_limit, "stv")
        if not isinstance(self.tie_break, TieBreak):
            raise InvalidParameterError(
                f"stv: tie_break must be a TieBreak such as CandidateOrder() or Random(seed=0), "
                f"got {self.tie_break!r}."
            )

    @property
    def quota_name(self) -> QuotaName:
        """The quota used: ``quota`` or the rule's default."""
        return self.quota if self.quota is not None else DEFAULT_QUOTA[self.rule]

    def tags(self) -> MethodTags:
        """Committee method, Droop-proportional with a Droop quota; ties only for meek-equal."""
        return MethodTags(
            kind="committee",
            droop_proportional=self.quota_name != "hare",
            supports_ties=self.rule == "meek-equal",
            supports_truncation=True,
        )

    def run(self, profile: Profile, /) -> Result[STVExplanation]:
        """Count ``profile`` and return the committee with the round-by-round record.

        Raises
        ------
        UnsupportedProfileError
            A ballot ranks candidates equal and the rule needs strict rankings.
        InvalidProfileError
            More seats than candidates.
        EmptyProfileError
            No ballot ranks any candidate.
        """
        profile = check_profile(profile, "stv", self.seats)
        ballots = compress(profile)
        if not ballots.strict and self.rule != "meek-equal":
            raise UnsupportedProfileError(
                f"stv: rule={self.rule!r} needs strict rankings, but some ballots rank "
                "candidates equal. Use STV(rule='meek-equal'), which shares a ballot's value "
                "among candidates ranked equal (Hill's extension of Meek), or resolve the "
                "ties first (for example at random over many seeds, as voting.analysis does) "
                "and report how often the committee changes."
            )
        seats = self.seats

        def count(chooser: Chooser) -> tuple[Outcome, CountOutcome]:
            out = self._count(ballots, profile.candidates, chooser)
            return (frozenset(out.elected), frozenset()), out

        kind = Classes(lambda: symmetric_classes(profile.ranks, profile.weights))
        outcome, universes = explore(count, limit=self.put_limit, method=self.name, kind=kind)
        universes, swaps, labels = kind.close(universes)
        names = profile.candidates
        explanation = STVExplanation(
            rule=self.rule,
            quota_name=self.quota_name,
            seats=self.seats,
            candidates=names,
            valid_votes=ballots.valid,
            invalid_votes=ballots.invalid,
            decimals=_DECIMALS[self.rule],
            rounds=outcome.rounds,
            notes=outcome.notes,
        )
        elected = tuple(names[c] for c in outcome.elected)
        ranking = tuple(tuple(names[c] for c in tier) for tier in outcome.ranking)
        winners = tuple(c for tier in ranking for c in tier if c in set(elected))
        result = Result(
            method=self.name,
            candidates=names,
            ranking=ranking,
            seats=seats,
            winners=winners,
            elected=elected,
            tied_at_last_seat=(),
            ties_broken=outcome.ties,
            explanation=explanation,
        )
        result = with_universes(result, universes, outcome.tie_picks)
        return mark_swaps(result, swaps, labels, outcome.tie_lots)

    def _count(
        self, ballots: Ballots, candidates: tuple[str, ...], chooser: Chooser | None = None
    ) -> CountOutcome:
        return COUNTS[self.rule].count(
            ballots,
            candidates,
            self.seats,
            quota=self.quota_name,
            tie_break=self.tie_break,
            chooser=chooser,
            rule=self.rule,
        )


_DECIMALS: dict[str, int | None] = {
    "meek": 9,
    "meek-nz": 9,
    "meek-equal": 9,
    "scottish": 5,
    "ers97": 2,
    "fractional": None,
}

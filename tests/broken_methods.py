"""Methods broken on purpose: what the property-test kit must never let pass.

Two kinds, each with the checks that must fail on it:

- *false claims*: a real method of the library whose tags claim a criterion it does
  not meet (instant runoff claiming the Condorcet winner criterion and monotonicity,
  minimax claiming Smith, ...). The search must find the ballots that disprove it.
- *bugs*: small methods with one deliberate mistake (weights ignored, the unranked
  policy ignored, an off-by-one over the candidates, a winner that depends on the
  ballot order, ...).

:data:`BROKEN` lists them; ``tests/test_testing_kit.py`` asserts that the default
budget catches every one, and ``benchmarks/bench_testing_kit.py`` measures how
reliably over many seeds.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

import numpy as np

from voting import UNRANKED, Profile, UnsupportedProfileError
from voting.methods import MethodTags, get_method
from voting.methods._base import Method, check_profile
from voting.results import Result, committee_from_ranking
from voting.ties import CandidateOrder, TieBreak

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def tiers_of(scores: list[int], higher_first: bool = True) -> list[list[int]]:
    """Candidate indices grouped by score, best first."""
    values = sorted(set(scores), reverse=higher_first)
    return [[i for i, s in enumerate(scores) if s == v] for v in values]


def claiming(method: Method[Any], **claims: bool) -> Method[Any]:
    """``method`` unchanged, but with tags that also claim ``claims``.

    The result is an instance of a subclass, so ``dataclasses.replace`` (which the
    checks use to pin tie-breaks and vary seats) keeps the false claims.
    """
    cls = type(method)

    def tags(self: Any) -> MethodTags:
        return MethodTags(**{**dataclasses.asdict(cls.tags(self)), **claims})

    sub = type(f"Claiming{cls.__name__}", (cls,), {"tags": tags, "__module__": __name__})
    fields = dataclasses.fields(cast("DataclassInstance", method))  # methods are dataclasses
    params = {f.name: getattr(method, f.name) for f in fields if f.init}
    out: Method[Any] = sub(**params)
    return out


# ------------------------------------------------------------------ toy bugs
@dataclass(frozen=True, kw_only=True)
class ToyPlurality:
    """Plurality (every candidate in a ballot's top tier gets its weight)."""

    name: ClassVar[str] = "toy_plurality"
    tie_break: TieBreak = field(default_factory=CandidateOrder)
    claim_condorcet: bool = False  # a false claim, to be caught
    count_rows: bool = False  # ignore weights: a bug, to be caught

    def tags(self) -> MethodTags:
        return MethodTags(kind="single_winner", condorcet_winner=self.claim_condorcet)

    def run(self, profile: Profile, /) -> Result[None]:
        check_profile(profile, self.name)
        scores = [0] * profile.num_candidates
        for row, w in zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True):
            top = min(row)
            for c, r in enumerate(row):
                if r == top != UNRANKED:
                    scores[c] += 1 if self.count_rows else w
        return committee_from_ranking(
            self.name, profile.candidates, tiers_of(scores), 1, self.tie_break, None
        )


@dataclass(frozen=True, kw_only=True)
class Quirky:
    """One deliberate bug per API property, chosen by ``bug``."""

    name: ClassVar[str] = "quirky"
    bug: str
    _calls: Any = field(default_factory=itertools.count, repr=False, compare=False)

    def tags(self) -> MethodTags:
        claims = self.bug != "strict_only"
        return MethodTags(kind="single_winner", supports_ties=claims, supports_truncation=claims)

    def run(self, profile: Profile, /) -> Result[None]:
        check_profile(profile, self.name)
        n = profile.num_candidates
        if self.bug == "first_ballot":  # not anonymous
            first = profile.ranks[0].tolist()
            winner = first.index(min(first))
        elif self.bug == "first_column":  # not neutral
            winner = 0
        elif self.bug == "counter":  # not deterministic
            winner = next(self._calls) % n
        elif self.bug == "bad_winners":  # winners do not match the ranking
            return Result(
                method=self.name,
                candidates=profile.candidates,
                ranking=(profile.candidates,),
                seats=1,
                winners=profile.candidates[:1],
                elected=profile.candidates[:1],
                explanation=None,
            )
        elif self.bug in ("strict_only", "strict_only_claims"):
            if not profile.is_strict:
                raise UnsupportedProfileError("quirky counts complete strict ballots only")
            winner = 0
        else:  # pragma: no cover - a typo in a test
            raise AssertionError(self.bug)
        rest = [c for c in range(n) if c != winner]
        tiers = [[winner], rest] if rest else [[winner]]
        return committee_from_ranking(
            self.name, profile.candidates, tiers, 1, CandidateOrder(), None
        )


def _copeland_tiers(support: np.ndarray[Any, Any], rows: int) -> list[list[int]]:
    """Copeland tiers, with the scores of the candidates from ``rows`` on left at 0."""
    n = support.shape[0]
    scores = [0] * n
    for i in range(rows):
        scores[i] = int(sum(np.sign(support[i, j] - support[j, i]) for j in range(n) if j != i))
    return tiers_of(scores)


@dataclass(frozen=True, kw_only=True)
class CopelandBug:
    """Copeland (wins minus losses), with one of two realistic bugs.

    ``bug="unranked"`` counts head to head as if unranked candidates were always
    ranked last, whatever the profile's policy (wrong under ``"ignore"``).
    ``bug="fifth"`` scores only the first four candidates (a buffer sized for four),
    so a fifth candidate keeps a score of 0: wrong only with five candidates or more.
    """

    name: ClassVar[str] = "copeland_bug"
    bug: str
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def tags(self) -> MethodTags:
        return MethodTags(kind="single_winner", condorcet_winner=True, condorcet_loser=True)

    def run(self, profile: Profile, /) -> Result[None]:
        check_profile(profile, self.name)
        n = profile.num_candidates
        if self.bug == "unranked":
            support = profile.with_unranked("last").pairwise.support
            rows = n
        elif self.bug == "fifth":
            support = profile.pairwise.support
            rows = min(n, 4)
        else:  # pragma: no cover - a typo in a test
            raise AssertionError(self.bug)
        return committee_from_ranking(
            self.name, profile.candidates, _copeland_tiers(support, rows), 1, self.tie_break, None
        )


# ------------------------------------------------------------------ catalogue
class Broken(NamedTuple):
    """A broken method and the checks that must fail on it."""

    id: str
    method: Method[Any]
    fails: tuple[str, ...]


def _claim(name: str, params: dict[str, Any], *fails: str, **tags: bool) -> Broken:
    label = f"{name}({','.join(f'{k}={v}' for k, v in params.items())})" if params else name
    return Broken(
        f"{label} claims {'+'.join(tags)}", claiming(get_method(name, **params), **tags), fails
    )


BROKEN: tuple[Broken, ...] = (
    # the case: a method that claims the Condorcet winner criterion and
    # monotonicity and violates both
    _claim(
        "irv",
        {},
        "check_condorcet_winner",
        "check_monotonicity",
        condorcet_winner=True,
        monotonic=True,
    ),
    _claim(
        "stv",
        {"seats": 1},
        "check_condorcet_winner",
        "check_monotonicity",
        condorcet_winner=True,
        monotonic=True,
    ),
    _claim(
        "plurality",
        {},
        "check_condorcet_winner",
        "check_condorcet_loser",
        "check_reversal_symmetry",
        condorcet_winner=True,
        condorcet_loser=True,
        reversal_symmetry=True,
    ),
    _claim(
        "borda",
        {},
        "check_condorcet_winner",
        "check_majority",
        "check_independence_of_clones",
        condorcet_winner=True,
        majority=True,
        clone_independent=True,
    ),
    _claim("minimax", {}, "check_smith", "check_condorcet_loser", smith=True, condorcet_loser=True),
    _claim("minimax_pm", {}, "check_condorcet_loser", condorcet_loser=True),
    _claim("copeland", {}, "check_independence_of_clones", clone_independent=True),
    _claim(
        "schulze_stv",
        {"seats": 2},
        "check_droop_proportionality",
        droop_proportional=True,
    ),
    Broken(
        "plurality counting ballots, not voters",
        ToyPlurality(count_rows=True),
        ("check_weights_equal_repetition",),
    ),
    Broken("the first ballot decides", Quirky(bug="first_ballot"), ("check_anonymity",)),
    Broken("the first column wins", Quirky(bug="first_column"), ("check_neutrality",)),
    Broken("a different winner on every call", Quirky(bug="counter"), ("check_deterministic",)),
    Broken(
        "winners not the ranking's top", Quirky(bug="bad_winners"), ("check_returns_valid_result",)
    ),
    Broken(
        "refuses the tied ballots it claims",
        Quirky(bug="strict_only_claims"),
        ("check_returns_valid_result",),
    ),
    Broken(
        "copeland ignoring the unranked policy",
        CopelandBug(bug="unranked"),
        (
            "check_condorcet_winner",
            "check_condorcet_loser",
        ),
    ),
    Broken(
        "copeland forgetting a fifth candidate",
        CopelandBug(bug="fifth"),
        ("check_condorcet_winner",),
    ),
)
"""Every broken method, with the checks that must fail on it."""

BROKEN_CHECKS: tuple[tuple[str, Method[Any], str], ...] = tuple(
    (f"{b.id}: {check}", b.method, check) for b in BROKEN for check in b.fails
)
"""One ``(id, method, check name)`` per check that must fail."""

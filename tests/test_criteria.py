"""Criteria: every tagged guarantee holds, and the baselines visibly fail theirs.

Oracles are plain Python on the naive pairwise counts (``voting.testing._reference``),
independent of the kernels and of the methods. The second half uses
``hypothesis.find`` (derandomized, so reproducible) or a constructed profile to show
each method failing a criterion it does not declare, and checks the counterexample
with the same oracles: the kit can tell a method that lacks a property from one that
has it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from voting import Profile
from voting.methods import Method
from voting.methods.bottom_two import BottomTwoRunoff
from voting.methods.condorcet_irv import CondorcetIRV
from voting.methods.copeland import Copeland
from voting.methods.irv import IRV
from voting.methods.minimax import Minimax, MinimaxPM
from voting.methods.positional import Borda, Plurality
from voting.methods.ranked_pairs import MAM, RankedPairs
from voting.results import Result
from voting.testing._reference import (
    condorcet_loser,
    condorcet_winner,
    pairwise_support,
    smith_set,
)

from .strategies import profiles
from .test_condorcet_irv import SMITH_DEMO, TIED_FIRSTS

METHODS: list[Any] = [
    MinimaxPM(),
    Minimax(),
    RankedPairs(),
    MAM(),
    CondorcetIRV(),
    CondorcetIRV(first_preferences="recount"),
    BottomTwoRunoff(),
    Copeland(),
    Plurality(),
    Plurality(tied_first="each"),
    Borda(),
    IRV(),
]


def _id(m: Any) -> str:
    extra = "-recount" if getattr(m, "first_preferences", "") == "recount" else ""
    extra += "-each" if getattr(m, "tied_first", "") == "each" else ""
    return str(m.name) + extra


# ------------------------------------------------------------------ oracles
def elects_condorcet_winner(profile: Profile, result: Result[Any]) -> bool:
    cw = condorcet_winner(pairwise_support(profile))
    return cw is None or result.winners == (profile.candidates[cw],)


def avoids_condorcet_loser(profile: Profile, result: Result[Any]) -> bool:
    cl = condorcet_loser(pairwise_support(profile))
    return cl is None or profile.candidates[cl] not in result.winners


def stays_in_smith(profile: Profile, result: Result[Any]) -> bool:
    smith = {profile.candidates[i] for i in smith_set(pairwise_support(profile))}
    return set(result.winners) <= smith


def respects_majority(profile: Profile, result: Result[Any]) -> bool:
    rows = list(zip(profile.ranks.tolist(), profile.weights.tolist(), strict=True))
    for c in range(profile.num_candidates):
        alone_first = sum(w for row, w in rows if row[c] == 0 and row.count(0) == 1)
        if 2 * alone_first > profile.num_voters:
            return result.winners == (profile.candidates[c],)
    return True


CRITERIA: dict[str, Callable[[Profile, Result[Any]], bool]] = {
    "condorcet_winner": elects_condorcet_winner,
    "condorcet_loser": avoids_condorcet_loser,
    "smith": stays_in_smith,
    "majority": respects_majority,
}

CASES = [
    pytest.param(m, tag, id=f"{_id(m)}-{tag}")
    for m in METHODS
    for tag in CRITERIA
    if getattr(m.tags(), tag)
]


def test_every_declared_criterion_is_checked() -> None:
    assert len(CASES) == sum(getattr(m.tags(), t) for m in METHODS for t in CRITERIA)
    assert {"condorcet_winner", "condorcet_loser", "smith", "majority"} == {
        p.values[1] for p in CASES
    }


@pytest.mark.parametrize(("method", "tag"), CASES)
@settings(max_examples=60)
@given(profile=profiles(min_candidates=1, max_candidates=6))
def test_declared_criteria_hold(method: Any, tag: str, profile: Profile) -> None:
    if profile.num_voters == 0:
        return
    result = method.run(profile)
    result.check(profile)
    assert CRITERIA[tag](profile, result), profile.to_code()


# -------------------------------------------------- failures, found or built
FIND = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    phases=(Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
    deadline=None,
)


def strict_profiles(
    orders: Sequence[tuple[str, ...]], max_weight: int = 9, max_ballots: int | None = None
) -> Any:
    """Strict complete ballots drawn from ``orders``, each with a weight."""
    names = sorted(orders[0])
    return st.lists(
        st.tuples(st.sampled_from(list(orders)), st.integers(1, max_weight)),
        min_size=1,
        max_size=max_ballots or len(orders),
        unique_by=lambda t: t[0],
    ).map(
        lambda bs: Profile.from_rankings(
            [list(b) for b, _ in bs], candidates=names, weights=[w for _, w in bs]
        )
    )


# the single-peaked orders of three candidates on the line A - B - C: the centre B is
# often the Condorcet winner and often squeezed out by first-preference methods
LINE = [("A", "B", "C"), ("B", "A", "C"), ("B", "C", "A"), ("C", "B", "A")]


def _misses_condorcet_winner(method: Any) -> Callable[[Profile], bool]:
    def condition(p: Profile) -> bool:
        cw = condorcet_winner(pairwise_support(p))
        return cw is not None and p.candidates[cw] not in method.run(p).winners

    return condition


@pytest.mark.parametrize("method", [Plurality(), Borda(), IRV()], ids=_id)
def test_first_preference_and_positional_methods_miss_the_condorcet_winner(method: Any) -> None:
    assert not method.tags().condorcet_winner
    p = find(strict_profiles(LINE), _misses_condorcet_winner(method), settings=FIND)
    result = method.run(p)
    assert not elects_condorcet_winner(p, result), p.to_code()


def test_condorcet_methods_never_miss_on_the_same_search_space() -> None:
    for method in (MinimaxPM(), RankedPairs(), CondorcetIRV(), BottomTwoRunoff(), Copeland()):
        with pytest.raises(NoSuchExample):
            find(
                strict_profiles(LINE),
                _misses_condorcet_winner(method),
                settings=settings(FIND, max_examples=40),
            )


def test_tennessee_baselines_miss_nashville() -> None:
    from .test_minimax import TENNESSEE

    assert condorcet_winner(pairwise_support(TENNESSEE)) == 1  # Nashville
    assert Plurality().run(TENNESSEE).winner == "Memphis"
    assert IRV().run(TENNESSEE).winner == "Knoxville"
    # Borda picks Nashville here; the search above finds where it does not
    assert Borda().run(TENNESSEE).winner == "Nashville"


def _raise_to_top(p: Profile, row: int, candidate: str, k: int) -> Profile:
    """``k`` of the voters of ballot ``row`` move ``candidate`` to the top."""
    ballots = [[next(iter(t)) for t in b] for b in p.to_rankings()]
    weights = p.weights.tolist()
    raised = [candidate] + [c for c in ballots[row] if c != candidate]
    ballots.append(raised)
    weights.append(k)
    weights[row] -= k
    keep = [i for i, w in enumerate(weights) if w > 0]
    return Profile.from_rankings(
        [ballots[i] for i in keep], candidates=p.candidates, weights=[weights[i] for i in keep]
    )


def _non_monotonic(method: Method[Result[Any]]) -> Callable[[tuple[Profile, int, int]], bool]:
    def condition(case: tuple[Profile, int, int]) -> bool:
        p, row, k = case
        before = method.run(p)
        if len(before.winners) != 1:
            return False
        w = before.winners[0]
        after = _raise_to_top(p, row, w, k)
        return method.run(after).winners != (w,)

    return condition


@st.composite
def _abc_raises(draw: st.DrawFn) -> tuple[Profile, int, int]:
    """A > B > C, B > C > A, C > A > B with weights; some B > C > A voters raise a name."""
    a, b, c = (draw(st.integers(1, 40)) for _ in range(3))
    p = Profile.from_rankings(
        [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[a, b, c]
    )
    return p, 1, draw(st.integers(1, b))


def test_irv_is_not_monotonic() -> None:
    # Constructed (the classic): 39 A>B>C, 35 B>C>A, 26 C>A>B. C goes, A wins 65-35.
    # Ten B>C>A voters raise A to the top: now B (25) goes and C beats A 51-49.
    p = Profile.from_rankings(
        [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], weights=[39, 35, 26]
    )
    assert IRV().run(p).winner == "A"
    after = _raise_to_top(p, 1, "A", 10)
    assert IRV().run(after).winner == "C"
    assert _non_monotonic(IRV())((p, 1, 10))
    # and found by search
    case = find(_abc_raises(), _non_monotonic(IRV()), settings=FIND)
    assert _non_monotonic(IRV())(case)
    assert not IRV().tags().monotonic


def test_minimax_elects_the_condorcet_loser() -> None:
    # SMITH_DEMO: A > B > C > A each 10-5; D loses 6-9 to each. D's worst defeat (9
    # winning votes, margin 3) is the mildest: both minimax rules elect D, the
    # Condorcet loser, outside the Smith set {A, B, C}. So does Plurality (6 firsts).
    s = pairwise_support(SMITH_DEMO)
    assert condorcet_loser(s) == 3
    assert smith_set(s) == {0, 1, 2}
    for method in (Minimax(), MinimaxPM(), Plurality()):
        result = method.run(SMITH_DEMO)
        assert result.winners == ("D",)
        assert not avoids_condorcet_loser(SMITH_DEMO, result)
        assert not stays_in_smith(SMITH_DEMO, result)
        assert not method.tags().condorcet_loser and not method.tags().smith
    # the Smith-consistent methods keep D last or out of the winners
    for smith_method in (RankedPairs(), CondorcetIRV(), BottomTwoRunoff(), Copeland()):
        assert stays_in_smith(SMITH_DEMO, smith_method.run(SMITH_DEMO))


def test_minimax_condorcet_loser_is_found_by_search() -> None:
    # ballots that rotate a cycle A > B > C > A, with D last or first
    cycle = [("A", "B", "C"), ("B", "C", "A"), ("C", "A", "B")]
    orders = [(*c, "D") for c in cycle] + [("D", *c) for c in cycle]

    def condition(p: Profile) -> bool:
        cl = condorcet_loser(pairwise_support(p))
        return cl is not None and p.candidates[cl] in Minimax().run(p).winners

    p = find(strict_profiles(orders), condition, settings=FIND)
    assert not avoids_condorcet_loser(p, Minimax().run(p))


def test_condorcet_irv_recount_can_tie_in_the_condorcet_loser() -> None:
    s = pairwise_support(TIED_FIRSTS)
    assert condorcet_loser(s) == 3
    result = CondorcetIRV(first_preferences="recount").run(TIED_FIRSTS)
    assert "D" in result.winners
    assert not avoids_condorcet_loser(TIED_FIRSTS, result)
    assert not stays_in_smith(TIED_FIRSTS, result)
    assert avoids_condorcet_loser(TIED_FIRSTS, CondorcetIRV().run(TIED_FIRSTS))

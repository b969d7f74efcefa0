"""The property-test kit on toy methods: correct ones pass, broken ones fail readably.

The toys are defined here (and registered nowhere): a correct Copeland passes every
check its tags claim; methods broken on purpose (one per property) fail that check
with a counterexample that pastes back into the same profile.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import hypothesis
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.broken_methods import BROKEN, BROKEN_CHECKS, Quirky, ToyPlurality, tiers_of
from voting import UNRANKED, InvalidParameterError, Profile, UnsupportedProfileError, pairwise
from voting.methods import MethodTags
from voting.methods._base import check_profile
from voting.results import Result, committee_from_ranking
from voting.testing import (
    ALL_CHECKS,
    DEFAULT_BUDGET,
    DEFAULT_SETTINGS,
    Budget,
    CheckFailure,
    Searched,
    check_anonymity,
    check_condorcet_winner,
    check_deterministic,
    check_droop_proportionality,
    check_method,
    check_monotonicity,
    check_neutrality,
    check_participation,
    check_returns_valid_result,
    check_weights_equal_repetition,
    find_failure,
    find_violation,
    method_checks,
    parametrize_with_checks,
)
from voting.testing import _reference as ref
from voting.testing import _transforms as tf
from voting.testing._search import ROUND
from voting.testing.strategies import profiles
from voting.ties import CandidateOrder, TieBreak

FAST = hypothesis.settings(DEFAULT_SETTINGS, max_examples=25)
FIND_FAST = hypothesis.settings(DEFAULT_SETTINGS, max_examples=300)
NO_SHRINK = dataclasses.replace(DEFAULT_BUDGET, shrink=False)
"""The default search, reporting its first counterexample unshrunk (the same examples,
in the same order: shrinking starts only after a counterexample is found)."""
SOME = hypothesis.settings(DEFAULT_SETTINGS, max_examples=60)


# ---------------------------------------------------------------- toy methods
@dataclass(frozen=True, kw_only=True)
class ToyCopeland:
    """Copeland (wins minus losses): correct, with the criteria it really meets."""

    name: ClassVar[str] = "toy_copeland"
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def tags(self) -> MethodTags:
        return MethodTags(
            kind="single_winner",
            condorcet_winner=True,
            condorcet_loser=True,
            smith=True,
            majority=True,
            pareto=True,
            monotonic=True,
            reversal_symmetry=True,
        )

    def run(self, profile: Profile, /) -> Result[None]:
        check_profile(profile, self.name)
        s = profile.pairwise.support
        scores = [int(np.sign(s[i] - s[:, i]).sum()) for i in range(profile.num_candidates)]
        return committee_from_ranking(
            self.name, profile.candidates, tiers_of(scores), 1, self.tie_break, None
        )


@dataclass(frozen=True, kw_only=True)
class ToyBorda:
    """Borda from pairwise margins; committees take the top ``seats`` scores."""

    name: ClassVar[str] = "toy_borda"
    seats: int = 1
    tie_break: TieBreak = field(default_factory=CandidateOrder)
    claim_droop: bool = False

    def tags(self) -> MethodTags:
        return MethodTags(
            kind="committee" if self.seats > 1 or self.claim_droop else "single_winner",
            condorcet_loser=True,
            pareto=True,
            monotonic=True,
            reversal_symmetry=True,
            droop_proportional=self.claim_droop,
        )

    def run(self, profile: Profile, /) -> Result[None]:
        check_profile(profile, self.name, self.seats)
        s = profile.pairwise.support
        scores = [int((s[i] - s[:, i]).sum()) for i in range(profile.num_candidates)]
        return committee_from_ranking(
            self.name, profile.candidates, tiers_of(scores), self.seats, self.tie_break, None
        )


@dataclass(frozen=True, kw_only=True)
class ToyIRV:
    """Instant runoff on strict ballots; eliminations tie-broken by position."""

    name: ClassVar[str] = "toy_irv"

    def tags(self) -> MethodTags:
        return MethodTags(kind="single_winner", majority=True, supports_ties=False)

    def run(self, profile: Profile, /) -> Result[None]:
        check_profile(profile, self.name)
        rows, weights = profile.ranks.tolist(), profile.weights.tolist()
        alive = list(range(profile.num_candidates))
        out: list[list[int]] = []
        while len(alive) > 1:
            tally = dict.fromkeys(alive, 0)
            for row, w in zip(rows, weights, strict=True):
                best = min(alive, key=lambda c: row[c])
                if row[best] != UNRANKED:
                    tally[best] += w
            low = min(tally.values())
            loser = max(c for c in alive if tally[c] == low)
            alive.remove(loser)
            out.append([loser])
        return committee_from_ranking(
            self.name, profile.candidates, [alive, *out[::-1]], 1, CandidateOrder(), None
        )


# --------------------------------------------------------------- passing case
def test_a_correct_method_passes_everything_it_claims() -> None:
    report = check_method(ToyCopeland(), settings=FAST)
    assert report.ok, str(report)
    assert report.failed == ()
    assert set(report.passed) == {c.__name__ for c in method_checks(ToyCopeland())}
    assert "check_condorcet_winner" in report.passed
    text = str(report)
    assert text.startswith("check_method(ToyCopeland(tie_break=CandidateOrder(order=None)))")
    assert "passed  check_smith" in text


@parametrize_with_checks([ToyBorda()], settings=FAST)
def test_toys_pass_through_parametrize_with_checks(method: Any, check: Any) -> None:
    check(method)


# ------------------------------------------------------------- failing cases
def _failure(check: Any, method: Any) -> CheckFailure:
    with pytest.raises(CheckFailure) as info:
        check(method, settings=FAST)
    return info.value


def test_a_false_claim_fails_with_a_pasteable_counterexample() -> None:
    method = ToyPlurality(claim_condorcet=True)
    failure = _failure(check_condorcet_winner, method)
    assert isinstance(failure, AssertionError)
    msg = str(failure)
    assert msg.startswith(f"check_condorcet_winner failed for {method!r}: ")
    assert "beats every other candidate head to head (Condorcet winner)" in msg
    assert "Counterexample (paste to reproduce):" in msg
    assert "method.run(profile)" in msg
    assert "# -> elected=(" in msg and "winners=(" in msg and "ranking=(" in msg
    # the code in the message rebuilds the very profile, on which the method misbehaves
    line = next(ln for ln in msg.splitlines() if ln.strip().startswith("profile = "))
    rebuilt = eval(line.split("=", 1)[1].strip(), {"Profile": Profile})
    assert isinstance(failure.profile, Profile)
    assert rebuilt == failure.profile
    cw = pairwise(rebuilt).condorcet_winner()
    assert cw is not None
    assert set(method.run(rebuilt).winners) != {cw}
    assert failure.check == "check_condorcet_winner"
    assert failure.method is method


def test_the_counterexample_is_small() -> None:
    failure = _failure(check_condorcet_winner, ToyPlurality(claim_condorcet=True))
    assert failure.profile is not None
    assert failure.profile.num_ballots <= 3
    assert failure.profile.num_candidates <= 4


@pytest.mark.parametrize(
    ("check", "method", "message"),
    [
        (check_anonymity, Quirky(bug="first_ballot"), "reordering the ballots changed"),
        (check_neutrality, Quirky(bug="first_column"), "listing the candidates in another"),
        (check_deterministic, Quirky(bug="counter"), "a second run gave a different result"),
        (
            check_returns_valid_result,
            Quirky(bug="bad_winners"),
            r"winners \(A\) do not include the top",
        ),
        (
            check_returns_valid_result,
            Quirky(bug="strict_only_claims"),
            r"method.run\(profile\) raised UnsupportedProfileError",
        ),
        (
            check_weights_equal_repetition,
            ToyPlurality(count_rows=True),
            "a ballot of weight k counts differently|merging identical ballots",
        ),
        (check_monotonicity, ToyIRV(), "after raising"),
    ],
    ids=lambda x: x.__name__ if callable(x) and hasattr(x, "__name__") else None,
)
def test_each_broken_property_is_caught(check: Any, method: Any, message: str) -> None:
    if check is check_monotonicity:
        # IRV's non-monotonicity hides in about one profile in a hundred: the default
        # budget, without shrinking (only the message is checked)
        failure = find_failure(method, check, budget=NO_SHRINK)
        assert failure is not None
    else:
        failure = _failure(check, method)
    assert re.search(message, str(failure))


def test_derived_profiles_are_shown_with_their_results() -> None:
    failure = _failure(check_anonymity, Quirky(bug="first_ballot"))
    msg = str(failure)
    assert "shuffled = Profile.from_rankings(" in msg
    assert "method.run(shuffled)" in msg
    assert [run.name for run in failure.runs] == ["profile", "shuffled"]
    assert all(run.result is not None for run in failure.runs)


def test_neutrality_pins_the_tie_break_and_says_so() -> None:
    failure = find_failure(ToyBorda(seats=2, claim_droop=True), "neutrality", settings=FAST)
    assert failure is None  # positional tie-breaking is pinned to names


def test_unsupported_ballots_are_not_generated_when_the_tags_say_so() -> None:
    report = check_method(Quirky(bug="strict_only"), settings=FAST)
    # strict_only elects the first column: neutrality fails, but nothing raised
    assert report.failed == ("check_neutrality",)
    assert report.passed == (
        "check_returns_valid_result",
        "check_deterministic",
        "check_no_profile_mutation",
        "check_anonymity",
        "check_weights_equal_repetition",
    )


@dataclass(frozen=True, kw_only=True)
class StrictBorda(ToyBorda):
    """Refuses tied ballots, and says so in its tags."""

    def tags(self) -> MethodTags:
        return dataclasses.replace(super().tags(), supports_ties=False)

    def run(self, profile: Profile, /) -> Result[None]:
        for row in profile.ranks.tolist():
            ranked = [r for r in row if r != UNRANKED]
            if len(set(ranked)) < len(ranked):
                raise UnsupportedProfileError("strict ballots only")
        return super().run(profile)


def test_no_check_builds_ties_for_a_method_that_refuses_them() -> None:
    # every check, including those that change the ballots (raise, reverse, clone);
    # Borda breaks some of the criteria, but never by meeting a tied ballot
    messages = []
    for check in ALL_CHECKS.values():
        if check is check_droop_proportionality:
            continue
        try:
            check(StrictBorda(), settings=FAST)
        except CheckFailure as failure:
            messages.append(str(failure))
    assert messages  # majority, Condorcet winner, ...
    assert not [m for m in messages if "UnsupportedProfileError" in m]


def test_committee_checks_vary_the_seats() -> None:
    method = ToyBorda(seats=2, claim_droop=True)
    assert check_droop_proportionality in list(method_checks(method))
    failure = find_failure(method, check_droop_proportionality)
    assert failure is not None
    msg = str(failure)
    assert "the Droop quota is" in msg and "quota(s) of voters prefer" in msg
    assert "ToyBorda(seats=" in msg  # the seats the counterexample needs
    check_returns_valid_result(method, settings=FAST)


# ---------------------------------------------------------- method_checks
def test_method_checks_follow_the_tags() -> None:
    names = [c.__name__ for c in method_checks(ToyPlurality())]
    assert names == [
        "check_returns_valid_result",
        "check_deterministic",
        "check_no_profile_mutation",
        "check_anonymity",
        "check_neutrality",
        "check_weights_equal_repetition",
    ]
    copeland = [c.__name__ for c in method_checks(ToyCopeland())]
    assert copeland[6:] == [
        "check_pareto",
        "check_majority",
        "check_condorcet_winner",
        "check_condorcet_loser",
        "check_smith",
        "check_monotonicity",
        "check_reversal_symmetry",
    ]
    assert set(ALL_CHECKS) >= set(copeland)


def test_participation_is_gated_by_its_tag_once_methodtags_has_one() -> None:
    @dataclass(frozen=True)
    class Tags:  # MethodTags plus a participation flag
        kind: str = "single_winner"
        deterministic: bool = True
        supports_ties: bool = True
        supports_truncation: bool = True
        participation: bool = True

    @dataclass(frozen=True, kw_only=True)
    class ParticipatingBorda(ToyBorda):
        def tags(self) -> Any:
            return Tags()

    assert check_participation not in list(method_checks(ToyBorda()))
    assert check_participation in list(method_checks(ParticipatingBorda()))
    check_participation(ToyBorda(), settings=FAST)  # pairwise Borda has no no-show paradox


def test_nondeterministic_methods_skip_the_determinism_check() -> None:
    @dataclass(frozen=True)
    class Lottery(ToyPlurality):
        def tags(self) -> MethodTags:
            return MethodTags(kind="single_winner", deterministic=False)

    assert check_deterministic not in list(method_checks(Lottery()))


# ------------------------------------------------------- reports, xfail, xpass
def test_expected_failures_are_reported_as_such() -> None:
    method = ToyPlurality(claim_condorcet=True)
    report = check_method(
        method, expected_failed={"check_condorcet_winner": "known: plurality"}, settings=FAST
    )
    assert report.ok
    outcome = report["check_condorcet_winner"]
    assert outcome.status == "xfail"
    assert outcome.reason == "known: plurality"
    assert isinstance(outcome.failure, CheckFailure)
    report.raise_if_failed()


def test_an_expected_failure_that_passes_is_reported() -> None:
    report = check_method(
        ToyPlurality(), expected_failed={"check_anonymity": "thought broken"}, settings=FAST
    )
    assert not report.ok
    assert report["check_anonymity"].status == "xpass"
    assert "check_anonymity was expected to fail (thought broken) but passed." in str(report)
    with pytest.raises(AssertionError, match="XPASS"):
        report.raise_if_failed()


def test_expected_failures_may_name_checks_the_tags_do_not_select() -> None:
    report = check_method(ToyPlurality(), expected_failed={"check_majority": "?"}, settings=FAST)
    assert report["check_majority"].status == "xpass"  # plurality has the majority property
    report = check_method(
        ToyPlurality(),
        expected_failed={"check_condorcet_winner": "plurality is not Condorcet"},
        settings=FAST,
    )
    assert report["check_condorcet_winner"].status == "xfail"
    assert report.ok


def test_unknown_check_names_are_rejected() -> None:
    with pytest.raises(InvalidParameterError, match="not a check"):
        check_method(ToyCopeland(), expected_failed={"check_nonsense": "?"})
    with pytest.raises(InvalidParameterError, match="unknown check or property 'nonsense'"):
        find_violation(ToyCopeland(), "nonsense")


def test_unexpected_failures_are_listed_with_their_messages() -> None:
    report = check_method(ToyPlurality(claim_condorcet=True), settings=FAST)
    assert report.failed == ("check_condorcet_winner",)
    text = str(report)
    assert "FAILED  check_condorcet_winner" in text
    assert "Counterexample (paste to reproduce):" in text
    with pytest.raises(AssertionError, match="check_condorcet_winner failed"):
        report.raise_if_failed()


# ------------------------------------------------------ parametrize_with_checks
def test_parametrize_ids_are_readable() -> None:
    mark = parametrize_with_checks(
        [ToyCopeland(), ToyPlurality(claim_condorcet=True)],
        expected_failed=lambda m: (
            {"check_condorcet_winner": "false claim"} if isinstance(m, ToyPlurality) else {}
        ),
    )
    names, params = mark.args
    assert names == ("method", "check")
    ids = [p.id for p in params]
    assert "toy_copeland-check_condorcet_winner" in ids
    assert "toy_plurality(claim_condorcet=True)-check_condorcet_winner" in ids
    xfails = [p for p in params if p.marks]
    assert [p.id for p in xfails] == ["toy_plurality(claim_condorcet=True)-check_condorcet_winner"]
    assert xfails[0].marks[0].kwargs["strict"] is True


# ---------------------------------------------------------------- find_violation
def test_find_violation_returns_a_minimal_counterexample_or_none() -> None:
    p = find_violation(ToyBorda(), "majority", settings=FIND_FAST)
    assert isinstance(p, Profile)
    m = ref.majority_winner(p)
    assert m is not None
    assert set(ToyBorda().run(p).winners) != {p.candidates[m]}
    # accepted spellings: property name, check name, the check itself
    assert find_violation(ToyPlurality(), check_condorcet_winner, settings=FIND_FAST) is not None
    assert find_violation(ToyCopeland(), "check_condorcet_winner", settings=FAST) is None


# ------------------------------------------------------------ transforms
@SOME
@given(st.data())
def test_raising_a_candidate_only_improves_it(data: st.DataObject) -> None:
    p = data.draw(profiles(max_voters=1))
    row = p.ranks[0].tolist()
    n = p.num_candidates
    c = data.draw(st.integers(0, n - 1))
    lift = data.draw(st.integers(1, 2 * n + 1))
    ties = data.draw(st.booleans())
    new = tf.raise_candidate(row, c, lift, p.unranked, allow_ties=ties)
    ranked = [r for r in new if r != UNRANKED]
    if not ties and p.is_strict:
        assert len(set(ranked)) == len(ranked)

    def rel(r: list[int] | tuple[int, ...], a: int, b: int) -> bool:
        return ref.prefers(r, a, b, p.unranked)

    for a in range(n):
        for b in range(n):
            if c not in (a, b):
                assert rel(row, a, b) == rel(new, a, b)  # others keep their order
    for o in range(n):
        if o != c:
            assert rel(row, c, o) <= rel(new, c, o)  # c never loses ground
            assert rel(new, o, c) <= rel(row, o, c)


@SOME
@given(profiles())
def test_reversal_reverses_every_preference(p: Profile) -> None:
    r = tf.reverse_ballots(p)
    for (old, _), (new, _) in zip(ref.ballots(p), ref.ballots(r), strict=True):
        for a in range(p.num_candidates):
            for b in range(p.num_candidates):
                assert ref.prefers(old, a, b, p.unranked) == ref.prefers(new, b, a, p.unranked)


@SOME
@given(st.data())
def test_clones_sit_next_to_their_original(data: st.DataObject) -> None:
    p = data.draw(profiles())
    c = data.draw(st.integers(0, p.num_candidates - 1))
    places = data.draw(
        st.lists(st.sampled_from([tf.BELOW, tf.ABOVE, tf.TIED]), min_size=len(p), max_size=len(p))
    )
    q = tf.add_clone(p, c, places)
    k = p.num_candidates
    assert q.candidates[:k] == p.candidates and q.candidates[k] == p.candidates[c] + "'"
    for (old, _), (new, _) in zip(ref.ballots(p), ref.ballots(q), strict=True):
        for a in range(k):  # the original candidates keep their order
            for b in range(k):
                assert ref.prefers(old, a, b, p.unranked) == ref.prefers(new, a, b, p.unranked)
        for x in range(k):
            if x != c:  # everyone else is above both, below both, or tied with both
                assert ref.prefers(new, x, c, p.unranked) == ref.prefers(new, x, k, p.unranked)
                assert ref.prefers(new, c, x, p.unranked) == ref.prefers(new, k, x, p.unranked)
        assert (new[k] == UNRANKED) == (old[c] == UNRANKED)


def test_expanding_weights_repeats_ballots() -> None:
    p = Profile.from_rankings([["A", "B"], ["B"]], weights=[2, 1])
    q = tf.expand_weights(p)
    assert q.weights.tolist() == [1, 1, 1]
    assert q.to_rankings() == [p.to_rankings()[0]] * 2 + [p.to_rankings()[1]]


# ------------------------------------------------------------- the oracles
@SOME
@given(profiles(max_candidates=6))
def test_reference_oracles_agree_with_the_library(p: Profile) -> None:
    support = ref.pairwise_support(p)
    m = pairwise(p)
    assert support == m.support.tolist()
    names = p.candidates
    cw, cl = ref.condorcet_winner(support), ref.condorcet_loser(support)
    assert m.condorcet_winner() == (None if cw is None else names[cw])
    assert m.condorcet_loser() == (None if cl is None else names[cl])
    assert m.smith_set() == {names[i] for i in ref.smith_set(support)}
    assert m.schwartz_set() == {names[i] for i in ref.schwartz_set(support)}


@SOME
@given(profiles(max_candidates=6))
def test_brute_force_and_closure_oracles_agree(p: Profile) -> None:
    support = ref.pairwise_support(p)
    brute = ref.smith_set(support), ref.schwartz_set(support)
    saved = ref._BRUTE_FORCE_MAX
    ref._BRUTE_FORCE_MAX = 0
    try:
        assert (ref.smith_set(support), ref.schwartz_set(support)) == brute
    finally:
        ref._BRUTE_FORCE_MAX = saved
    assert ref.schwartz_set(support) <= ref.smith_set(support)


def test_reference_preferences_follow_the_unranked_policy() -> None:
    row = [0, UNRANKED, UNRANKED]
    assert ref.prefers(row, 0, 1, "last")
    assert not ref.prefers(row, 0, 1, "ignore")
    assert not ref.prefers(row, 1, 2, "last")
    p = Profile.from_rankings([["A"], ["A"], ["B", "A", "C"]], unranked="ignore")
    assert ref.majority_winner(p) is None  # bullet votes prefer nobody under "ignore"
    assert ref.majority_winner(p.with_unranked("last")) == 0
    assert ref.solid_support(p.with_unranked("last"), [0]) == 2
    assert ref.solid_support(p, [0]) == 0
    assert ref.droop_quota(100, 3) == 26
    assert ref.pareto_dominated(ref.pairwise_support(p.with_unranked("last")), 3) == {2: 0}


def test_messages_name_candidates_not_indices() -> None:
    failure = _failure(check_condorcet_winner, ToyPlurality(claim_condorcet=True))
    assert re.search(r"[A-E] beats every other candidate", str(failure))


# ------------------------------------------------------------- budgets
@pytest.mark.parametrize(
    ("method", "check"), [(m, c) for _, m, c in BROKEN_CHECKS], ids=[i for i, _, _ in BROKEN_CHECKS]
)
def test_the_default_budget_catches_every_broken_method(method: Any, check: str) -> None:
    """No false pass: every deliberately broken method fails its check at the default
    budget (seed 0; ``benchmarks/bench_testing_kit.py`` runs many seeds)."""
    with pytest.raises(CheckFailure) as info:
        ALL_CHECKS[check](method, budget=NO_SHRINK)
    failure = info.value
    assert failure.check == check
    assert isinstance(failure.searched, Searched)
    assert failure.searched.examples >= 1
    assert failure.searched.budget == NO_SHRINK


def test_the_broken_catalogue_covers_the_issue_case() -> None:
    """A method claiming the Condorcet winner criterion and monotonicity that breaks
    both (instant runoff) is in the catalogue, with both checks."""
    irv = next(b for b in BROKEN if b.id.startswith("irv "))
    tags = irv.method.tags()
    assert tags.condorcet_winner and tags.monotonic
    assert set(irv.fails) == {"check_condorcet_winner", "check_monotonicity"}
    checks = {c.__name__ for c in method_checks(irv.method)}
    assert set(irv.fails) <= checks  # check_method would run both


def test_a_pass_says_how_much_was_searched() -> None:
    budget = Budget(seconds=0.2, min_examples=10)
    searched = check_condorcet_winner(ToyCopeland(), budget=budget)
    assert isinstance(searched, Searched)
    assert searched.check == "check_condorcet_winner"
    assert searched.examples >= ROUND  # whole rounds until the time is spent
    assert searched.runs >= searched.examples
    assert searched.cpu_seconds > 0 and searched.seconds > 0
    assert searched.budget == budget
    assert re.fullmatch(
        r"[\d,]+ examples \([\d,]+ runs\) in \d+\.\d CPU s \(\d+\.\d s\), seed 0", str(searched)
    )
    assert Budget(seconds=None, max_examples=1).describe() == "at most 1 examples, seed 0"
    assert budget.describe() == "0.2 CPU s per check, at least 10 examples, seed 0"
    small = Budget(seconds=None, max_examples=10)
    report = check_method(ToyCopeland(), budget=small)
    assert report.ok and report.budget == small
    assert all(o.searched is not None and o.searched.examples == 10 for o in report.outcomes)
    summary = report.summary()
    assert summary.splitlines()[0].endswith("; budget at most 10 examples, seed 0")
    line = next(ln for ln in summary.splitlines() if "check_smith" in ln)
    assert re.search(r"passed  check_smith +[\d,]+ examples in \d+\.\d CPU s$", line)
    assert "examples" not in report.summary(searched=False)


def test_a_failure_says_how_much_was_searched_before_it() -> None:
    budget = Budget(seconds=None, max_examples=60)
    report = check_method(ToyPlurality(claim_condorcet=True), budget=budget)
    outcome = report["check_condorcet_winner"]
    assert outcome.status == "failed"
    assert outcome.searched is not None and outcome.searched.examples >= 1
    line = next(ln for ln in report.summary().splitlines() if "check_condorcet_winner" in ln)
    assert re.search(r"FAILED  check_condorcet_winner +after [\d,]+ examples in", line)


def test_explicit_settings_run_exactly_as_given() -> None:
    searched = check_anonymity(ToyCopeland(), settings=FAST)
    assert searched.budget is None
    assert 1 <= searched.examples <= 25
    assert str(searched).endswith("explicit settings")


@dataclass(frozen=True, kw_only=True)
class Recorder(ToyCopeland):
    """Copeland that remembers every profile it counts."""

    seen: list[str] = field(default_factory=list, compare=False, repr=False)

    def run(self, profile: Profile, /) -> Result[None]:
        self.seen.append(profile.to_code())
        return super().run(profile)


def test_a_seed_fixes_the_examples_whatever_the_machine() -> None:
    def examples(budget: Budget) -> list[str]:
        method = Recorder()
        check_anonymity(method, budget=budget)
        return method.seen

    exact = Budget(seconds=None, min_examples=0, max_examples=ROUND, seed=3)
    first = examples(exact)
    assert len(first) == 2 * ROUND  # each example counts the profile and its shuffle
    assert examples(exact) == first
    assert examples(dataclasses.replace(exact, seed=4)) != first
    # a longer budget runs the same rounds first
    longer = examples(dataclasses.replace(exact, max_examples=2 * ROUND + 7))
    assert len(longer) == 2 * (2 * ROUND + 7)
    assert longer[: len(first)] == first


def test_min_examples_holds_past_the_time_budget() -> None:
    searched = check_anonymity(ToyCopeland(), budget=Budget(seconds=0, min_examples=30))
    assert searched.examples >= 30


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seconds": None}, "would search forever"),
        ({"seconds": -1}, "at least 0"),
        ({"seconds": float("nan")}, "finite number"),
        ({"min_examples": -1}, "min_examples=-1"),
        ({"max_examples": 0}, "max_examples=0"),
        ({"seed": 1.5}, "seed=1.5"),
        ({"shrink": "no"}, "shrink='no'"),
    ],
)
def test_bad_budgets_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=re.escape(message)):
        Budget(**kwargs)


def test_settings_and_budget_are_exclusive() -> None:
    with pytest.raises(InvalidParameterError, match="not both"):
        check_anonymity(ToyCopeland(), settings=FAST, budget=DEFAULT_BUDGET)
    with pytest.raises(InvalidParameterError, match="not both"):
        check_method(ToyCopeland(), settings=FAST, budget=DEFAULT_BUDGET)
    with pytest.raises(InvalidParameterError, match="not both"):
        parametrize_with_checks([ToyCopeland()], settings=FAST, budget=DEFAULT_BUDGET)

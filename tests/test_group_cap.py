"""At most k elected per group: Kubernetes 2017's official committee, and the rule itself.

The official oracle: Kubernetes' 2017 steering election ranked Michael Rubin 4th by
Schulze, but Google already held three of the committee's seats and a company may
hold at most a third of the 13 (4), so he was skipped and the 7th-ranked elected.
Hypothesis then checks the rule on random profiles against a plain reference: walk
down the ranking (ties in tie-break order) and take whoever's group has room.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting import Borda, InvalidParameterError, InvalidProfileError, Profile, Schulze
from voting.cli import main
from voting.methods import get_method
from voting.methods.group_cap import GroupCap
from voting.ties import CandidateOrder

from .strategies import profiles

GROUPS_2017 = Path(__file__).resolve().parent / "data" / "groups" / "kubernetes-2017.toml"
SEATED_2017 = {"Google": 3, "Microsoft": 1, "Red Hat": 1, "Heptio": 1, "CoreOS": 1}


def _k8s_2017(elections_dir: Path) -> tuple[Profile, dict[str, Any]]:
    from voting import read_ballots

    with open(elections_dir / "index.json", encoding="utf-8") as f:
        (entry,) = [e for e in json.load(f) if e.get("election") == "Kubernetes steering/2017"]
    return read_ballots(elections_dir / entry["ballots_file"]), entry


def _official(entry: dict[str, Any]) -> set[str]:
    # the CSV header spells "Phillip Whitrock" (index.json's note)
    return {w.replace("Wittrock", "Whitrock") for w in entry["official_winners"]}


def test_kubernetes_2017_official_committee(elections_dir: Path) -> None:
    profile, entry = _k8s_2017(elections_dir)
    plain = Schulze(seats=6).run(profile)
    assert "Michael Rubin" in plain.elected  # what the ranking alone gives
    capped = GroupCap(
        method=Schulze(),
        groups=entry["affiliation"],
        max_per_group=4,
        seats=6,
        seated=SEATED_2017,
    ).run(profile)
    assert set(capped.elected) == _official(entry)
    (skipped,) = capped.explanation.skipped
    assert (skipped.candidate, skipped.group, skipped.held) == ("Michael Rubin", "Google", 4)
    capped.check(profile)


def test_kubernetes_2017_from_the_command_line(
    elections_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, entry = _k8s_2017(elections_dir)
    path = elections_dir / entry["ballots_file"]
    args = ["count", str(path), "--seats", "6", "--groups", str(GROUPS_2017)]
    assert main([*args, "--max-per-group", "4"]) == 0
    out = capsys.readouterr().out
    elected = out.split("Elected: ")[1].splitlines()[0].split(", ")
    assert set(elected) == _official(entry)
    assert "Skipped: Michael Rubin (ranked in tier 4) skipped: Google already holds 4" in out
    assert main([*args]) == 2  # a cap needs its K
    assert "--max-per-group K and --groups TOML go together" in capsys.readouterr().err


def _reference(
    result: Any, groups: dict[str, str], k: int, seats: int, names: tuple[str, ...]
) -> list[str]:
    """Walk down the ranking, ties in profile order, taking whoever's group has room."""
    held: dict[str, int] = {}
    out: list[str] = []
    for tier in result.ranking:
        for c in sorted(tier, key=names.index):
            g = groups.get(c)
            if len(out) < seats and (g is None or held.get(g, 0) < k):
                out.append(c)
                if g is not None:
                    held[g] = held.get(g, 0) + 1
    return out


@settings(max_examples=80)
@given(
    profiles(min_candidates=2, max_candidates=6, max_voters=8),
    st.data(),
)
def test_the_cap_against_a_reference(p: Profile, data: st.DataObject) -> None:
    if p.num_voters == 0:
        return
    names = p.candidates
    groups = {
        c: data.draw(st.sampled_from(["g1", "g2", "g3"])) for c in names if data.draw(st.booleans())
    }
    k = data.draw(st.integers(1, 2))
    seats = data.draw(st.integers(1, len(names)))
    inners: list[Schulze | Borda] = [Schulze(), Borda()]
    inner = data.draw(st.sampled_from(inners))
    expected = _reference(inner.run(p), groups, k, seats, names)
    capped = GroupCap(method=inner, groups=groups, max_per_group=k, seats=seats)
    if len(expected) < seats:
        with pytest.raises(InvalidProfileError, match="raise max_per_group or lower seats"):
            capped.run(p)
        return
    r = capped.run(p)
    r.check(p)
    assert sorted(r.elected) == sorted(expected)
    for g in set(groups.values()):
        assert sum(groups.get(c) == g for c in r.elected) <= k
    for s in r.explanation.skipped:
        assert s.held == k and s.candidate not in r.elected


@settings(max_examples=60)
@given(profiles(min_candidates=2, max_candidates=6, max_voters=8), st.data())
def test_a_cap_that_never_binds_changes_nothing(p: Profile, data: st.DataObject) -> None:
    if p.num_voters == 0:
        return
    seats = data.draw(st.integers(1, p.num_candidates))
    groups = {c: "one" for c in p.candidates}
    r = GroupCap(method=Schulze(), groups=groups, max_per_group=seats, seats=seats).run(p)
    plain = Schulze(seats=seats).run(p)
    assert r.elected == plain.elected
    assert not r.explanation.skipped


def test_refusals() -> None:
    with pytest.raises(InvalidParameterError, match="proportional committee"):
        GroupCap(method=get_method("stv"), groups={}, max_per_group=1)
    with pytest.raises(InvalidParameterError, match="max_per_group=0"):
        GroupCap(method=Schulze(), groups={}, max_per_group=0)
    with pytest.raises(InvalidParameterError, match="seated"):
        GroupCap(method=Schulze(), groups={}, max_per_group=1, seated={"g": -1})
    p = Profile.from_rankings([["A", "B"]])
    with pytest.raises(InvalidProfileError, match="unknown candidate 'Z'"):
        GroupCap(method=Schulze(), groups={"Z": "g"}, max_per_group=1).run(p)
    tied = Profile.from_rankings([[("A", "B", "C")]])
    r = GroupCap(
        method=Schulze(),
        groups={"A": "g", "B": "g"},
        max_per_group=1,
        seats=2,
        tie_break=CandidateOrder(order=["B", "A", "C"]),
    ).run(tied)
    assert r.elected == ("B", "C") and r.ties_broken

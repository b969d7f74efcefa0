"""Conversions keep the count, or refuse: every real election, every pair of formats.

For each ballot file in ``tests/data/elections`` and each registered format, the
file is written in that format (in memory) and read back with the format's own
defaults, as the next user would read it. Either the writer refuses (then the
policy the format reads with must really change the count) or the read-back is
:meth:`~voting.Profile.equivalent` to the original and every count agrees: the
pairwise matrix and the results of Schulze, IRV and Meek STV. Each accepted copy
is then converted again into every format (the pairwise matrix of conversions).
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting import Profile, UnsupportedProfileError, read_ballots
from voting.formats import FORMATS, get_format, write_ballots
from voting.profile import canonical

from .conftest import ELECTIONS
from .counts import counts
from .format_checks import write_or_refuse
from .strategies import profiles

PATTERNS = ("debian/*/*_tally.txt", "**/*.blt", "**/*.csv", "**/*.toi")
FILES = sorted({p for pattern in PATTERNS for p in ELECTIONS.glob(pattern)})
OPTIONS: dict[str, dict[str, Any]] = {"blt": {"seats": 1}, "cef": {"seats": 1}}


@cache
def _seats() -> dict[str, int]:
    with open(ELECTIONS / "index.json", encoding="utf-8") as f:
        index = json.load(f)
    out: dict[str, int] = {}
    for e in index:
        names = [e.get("file"), e.get("ballots_file")]
        names += [v.split()[0] for v in e.get("files", {}).values()]
        for name in names:
            if name and isinstance(e.get("seats"), int):
                out[name] = e["seats"]
    return out


def _read(path: Path) -> Profile:
    return read_ballots(path)


def _seats_of(path: Path, profile: Profile) -> int:
    seats = _seats().get(path.relative_to(ELECTIONS).as_posix(), 1)
    return max(1, min(seats, profile.num_candidates - 1))


REFUSED: set[tuple[str, str]] = set()
"""(format, reason) of refusals for something other than the unranked policy."""


def _round_trip(profile: Profile, fmt: str) -> Profile | None:
    """The profile as read back from ``fmt``; None when the writer refuses."""
    try:
        text = write_or_refuse(profile, fmt, **OPTIONS.get(fmt, {}))
    except UnsupportedProfileError as exc:  # names, ties, sizes the format cannot hold
        if "without changing the count" in str(exc):
            raise  # a policy refusal write_or_refuse did not expect: a real failure
        REFUSED.add((fmt, str(exc).split(";")[0]))
        return None
    if text is None:
        return None
    return read_ballots(io.StringIO(text), fmt)


def _id(path: Path) -> str:
    return path.relative_to(ELECTIONS).as_posix()


def test_every_kind_of_real_file_is_covered() -> None:
    kinds = {p.suffix for p in FILES}
    assert kinds == {".txt", ".blt", ".csv", ".toi"}
    assert len(FILES) >= 80


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_conversion_keeps_every_count_or_refuses(path: Path) -> None:
    original = _read(path)
    seats = _seats_of(path, original)
    before = counts(original, seats)
    copies: dict[str, Profile] = {}
    for fmt in FORMATS:
        back = _round_trip(original, fmt)
        read_back = get_format(fmt).read_back_unranked(OPTIONS.get(fmt, {}))
        if back is None:
            if read_back is None or read_back == original.unranked:
                continue  # refused for a name or a tie the format cannot hold
            if original.unranked == "last":  # on request: pairwise counts survive
                out = io.StringIO()
                try:
                    write_ballots(original, out, fmt, unranked_as_last_tier=True)
                except UnsupportedProfileError:
                    continue
                kept = read_ballots(io.StringIO(out.getvalue()), fmt)
                assert kept.pairwise.support.tolist() == before["pairwise"], fmt
            continue
        assert back.equivalent(original), fmt
        assert counts(back, seats) == before, fmt
        copies[fmt] = back
    # CEF records the policy: it takes every election whose names it can write
    assert "cef" in copies or any(f == "cef" for f, _ in REFUSED)
    keeps_ignore = original.equivalent(canonical(original).with_unranked("ignore"))
    assert "civs" not in copies or keeps_ignore
    for first, copy in copies.items():
        for fmt in FORMATS:
            again = _round_trip(copy, fmt)
            if again is not None:
                assert again.equivalent(original), (first, fmt)
                assert again.pairwise.support.tolist() == before["pairwise"], (first, fmt)
            else:
                assert fmt not in copies, (first, fmt)


@settings(max_examples=60)
@given(
    profiles(min_candidates=2, max_candidates=5, max_voters=8),
    st.sampled_from(sorted(FORMATS)),
    st.sampled_from(sorted(FORMATS)),
)
def test_every_format_pair_on_hypothesis_profiles(p: Profile, first: str, second: str) -> None:
    """Ties, truncation, weights and both policies: a copy of a copy counts the same."""
    if p.num_voters == 0:
        return
    seats = min(2, p.num_candidates - 1)
    before = counts(p, seats)
    once = _round_trip(p, first)
    if once is None:
        return
    assert once.equivalent(p)
    assert counts(once, seats) == before
    twice = _round_trip(once, second)
    if twice is not None:
        assert twice.equivalent(p)
        assert counts(twice, seats) == before


def test_the_issue_cases(elections_dir: Path) -> None:
    """Kubernetes 2021 as BLT elected deads2k instead of cblecker; Debian 2005 as CSV
    gave Robinson-Towns 222-192 instead of 245-222. Both are refused now, and the
    ways that keep the count keep the official numbers."""
    k8s = _read(elections_dir / "kubernetes" / "2021" / "ballots.csv")
    assert _round_trip(k8s, "blt") is None
    cef = _round_trip(k8s, "cef")
    assert cef is not None
    from voting import Schulze

    assert "cblecker" in Schulze(seats=4).run(cef).elected
    debian = _read(elections_dir / "debian" / "2005" / "leader2005_tally.txt")
    assert _round_trip(debian, "civs") is None
    out = io.StringIO()
    write_ballots(debian, out, "civs", unranked_as_last_tier=True)
    csv = read_ballots(io.StringIO(out.getvalue()), "civs")
    robinson, towns = csv.index("Branden Robinson"), csv.index("Anthony Towns")
    assert (csv.pairwise.support[robinson, towns], csv.pairwise.support[towns, robinson]) == (
        245,
        222,
    )

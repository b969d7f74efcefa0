"""``voting analyze``, run as a separate process on a real election and its employers.

The groups file is written from the candidates' employers recorded in the shared
elections index (Kubernetes steering committee 2023), and every figure the command
prints as JSON is checked against the Python API.
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import voting
from tests.test_cli import assert_user_error, run
from voting.analysis import groups_from_affiliation
from voting.cli import main

K8S_2023 = "kubernetes/2023/ballots.csv"


def _toml_string(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid TOML basic string


def write_groups(path: Path, groups: dict[str, Any]) -> Path:
    lines = ["# employers of the candidates", "[groups]"]
    for name, members in groups.items():
        lines.append(f"{_toml_string(name)} = [{', '.join(map(_toml_string, members))}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def k8s_2023(elections_dir: Path) -> Path:
    return elections_dir / K8S_2023


@pytest.fixture
def k8s_groups(elections_index: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    entry = next(e for e in elections_index if e.get("ballots_file") == K8S_2023)
    return groups_from_affiliation(entry["affiliation"])


@pytest.fixture
def groups_toml(k8s_groups: dict[str, Any], tmp_path: Path) -> Path:
    return write_groups(tmp_path / "groups.toml", k8s_groups)


def _close(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and math.isclose(a, b))


def test_json_matches_the_api(k8s_2023: Path, groups_toml: Path, k8s_groups: Any) -> None:
    proc = run("analyze", k8s_2023, "--groups", groups_toml, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    profile = voting.read_ballots(k8s_2023)
    assert data["candidates"] == list(profile.candidates)
    assert data["voters"] == profile.num_voters == 209

    blocs = voting.bloc_voting(profile, k8s_groups)
    got = {g["name"]: g for g in data["blocs"]["groups"]}
    assert list(got) == list(k8s_groups)
    for g in blocs.groups:
        row = got[g.name]
        assert row["candidates"] == list(g.candidates)
        assert row["chance_one_in"] == g.chance_one_in
        for kind in ("top", "strict"):
            want = getattr(g, kind)
            assert row[kind]["count"] == want.count
            assert Fraction(row[kind]["expected_count"]) == want.expected_count  # exact
            assert _close(row[kind]["p_value"], want.p_value)
    assert (got["Red Hat"]["top"]["count"], got["Cisco"]["strict"]["count"]) == (12, 4)
    test = blocs.permutation_test
    assert test is not None
    assert data["blocs"]["permutation_test"]["p_value"] == test.p_value  # same seed (0)

    spread = voting.rank_spread(profile)
    assert [r["candidate"] for r in data["rank_spread"]["rows"]] == list(spread.order)
    for r in data["rank_spread"]["rows"]:
        i = profile.candidates.index(r["candidate"])
        assert r["voters"] == int(spread.counted[i])
        assert math.isclose(r["mean"], float(spread.mean[i]))
        assert {float(k): v for k, v in r["distribution"].items()} == spread.distribution(
            r["candidate"]
        )

    table = voting.head_to_head_table(profile)
    assert data["head_to_head"]["order"] == list(table.order)
    assert data["head_to_head"]["support"] == table.support.tolist()
    assert data["head_to_head"]["contests"] == table.records()


def test_text_tables_and_the_bubble_chart(
    k8s_2023: Path, groups_toml: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "spread.png"
    proc = run("analyze", k8s_2023, "--groups", groups_toml, "--plot", png, "--seed", "3")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for heading in ("== Blocs (groups from", "== Rank spread", "== Head to head"):
        assert heading in out
    assert "Red Hat" in out and "Joint permutation test (9999 relabellings)" in out
    assert "soltysh defeats pohly 101-50" in out
    assert f"Bubble chart saved to {png}" in out
    assert png.read_bytes().startswith(b"\x89PNG")


def test_blocs_are_discovered_without_groups(k8s_2023: Path) -> None:
    proc = run("analyze", k8s_2023, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "blocs" not in data
    found = voting.discover_blocs(voting.read_ballots(k8s_2023))
    assert [b["candidates"] for b in data["discovered_blocs"]["blocs"]] == [
        list(b.candidates) for b in found.blocs
    ]
    assert data["discovered_blocs"]["tests"] == found.tests
    proc = run("analyze", k8s_2023, "--permutations", "0")
    assert proc.returncode == 0, proc.stderr
    assert "== Blocs (discovered" in proc.stdout
    assert "soltysh + pohly" in proc.stdout


def test_bundled_example() -> None:
    proc = run("analyze", "--example", "debian-leader-2005")
    assert proc.returncode == 0, proc.stderr
    assert "504 voters, 7 candidates, unranked=last" in proc.stdout
    assert "Branden Robinson defeats" in proc.stdout


def test_user_errors(k8s_2023: Path, tmp_path: Path) -> None:
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[groups]\nCisco = ["detiber",\n  "nobody"]\n', encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text('[groups]\nCisco = ["detiber"\nx = 1\n', encoding="utf-8")
    no_table = tmp_path / "no_table.toml"
    no_table.write_text('Cisco = ["detiber"]\n', encoding="utf-8")
    not_list = tmp_path / "not_list.toml"
    not_list.write_text('[groups]\nok = ["detiber"]\nCisco = "detiber"\n', encoding="utf-8")
    twice = tmp_path / "twice.toml"
    twice.write_text('[groups]\nCisco = ["detiber", "detiber"]\n', encoding="utf-8")
    cases: list[tuple[tuple[str | Path, ...], tuple[str, ...]]] = [
        (("--groups", unknown), ("unknown.toml, line 3", "'nobody'")),
        (("--groups", broken), ("broken.toml", "line 3")),
        (("--groups", no_table), ("no_table.toml", "[groups]")),
        (("--groups", not_list), ("not_list.toml, line 3", "'Cisco'")),
        (("--groups", twice), ("twice.toml", "twice")),
        (("--groups", tmp_path / "missing.toml"), ("missing.toml",)),
        (("--permutations", "-1"), ("--permutations",)),
        (("--plot", tmp_path / "chart.xyz"), ("chart.xyz",)),
    ]
    for extra, fragments in cases:
        assert_user_error(run("analyze", k8s_2023, *extra), *fragments)
    assert_user_error(run("analyze", tmp_path / "missing.csv"), "missing.csv")


def test_plot_without_matplotlib_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    args = ["analyze", "--example", "debian-leader-2005", "--plot", str(tmp_path / "s.png")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("voting: error: ") and "voting[plot]" in err[0]

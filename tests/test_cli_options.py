"""``voting count`` reaches every method parameter, and says where its seats came from.

Also ``voting convert``'s guarantees: it never overwrites its input, carries what the
output format can hold, and checks that the written file reads back to the same
counts.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from voting import read_ballots
from voting.cli import main
from voting.examples import EXAMPLES
from voting.methods import METHODS, method_class

from .conftest import official_winners

GOVAN = Path("scotland") / "glasgow-2007" / "Govan-2007.blt"


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _json(capsys: pytest.CaptureFixture[str], *args: object) -> dict[str, Any]:
    status, out, err = _run(capsys, *args, "--json")
    assert status == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


# ---------------------------------------------------------------- --option
def test_every_method_parameter_is_reachable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each registered method's parameters (other than the tie-break, set by --seed)
    are accepted by name with a value of their default's kind."""
    path = tmp_path / "small.csv"
    path.write_text("A,B,C,D,E\n1,2,3,4,5\n2,1,3,5,4\n5,4,3,2,1\n3,1,2,4,5\n", encoding="utf-8")
    example = ("count", path, "--seats", "2")
    samples = {
        "strength": "margins",
        "first_preferences": "recount",
        "max_comparisons": "60000",
        "quota": "droop",
        "rule": "meek-equal",
        "criterion": "best",
        "budget": "400",
        "max_listed": "5",
        "tied_first": "split",
        "max_seconds": "30",
    }
    seen = set()
    for name in METHODS:
        fields = [f for f in dataclasses.fields(method_class(name)) if f.init]
        for f in fields:
            if f.name in ("tie_break", "seats") or f.name not in samples:
                continue
            seats = ("--seats", "1") if name in ("debian",) else ()
            option = f"{f.name}={samples[f.name]}"
            data = _json(capsys, *example, *seats, "--method", name, "--option", option)
            assert str(data["parameters"][f.name]) == samples[f.name], (name, f.name)
            seen.add(f.name)
    assert {"strength", "first_preferences", "max_comparisons", "max_seconds"} <= seen


def test_option_errors_name_the_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    example = ("count", "--example", "kubernetes-steering-2023")
    status, _, err = _run(capsys, *example, "--option", "strenght=margins")
    assert status == 2 and "did you mean 'strength'" in err and "seats, strength, tie_break" in err
    status, _, err = _run(capsys, *example, "--option", "strength=loudest")
    assert status == 2 and "loudest" in err  # validated by Schulze itself
    status, _, err = _run(capsys, *example, "--option", "strength")
    assert status == 2 and "NAME=VALUE" in err
    status, _, err = _run(capsys, *example, "--method", "kemeny", "--option", "max_listed=many")
    assert status == 2 and "max_listed='many' is not a number" in err
    status, _, err = _run(capsys, *example, "--option", "tie_break=coin")
    assert status == 2 and "order:A>B>C" in err and "random:S" in err
    status, _, err = _run(capsys, *example, "--method", "shulze")
    assert status == 2 and "did you mean 'schulze'" in err


def test_the_tie_break_is_reachable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "tie.csv"
    path.write_text("A,B,C\n1,2,3\n2,1,3\n", encoding="utf-8")  # A and B tie
    data = _json(capsys, "count", path, "--option", "tie_break=order:B>A>C")
    assert data["elected"] == ["B"]
    assert (
        data["parameters"]["tie_break"]
        == "given order (B > A > C first, then the others in input order)"
    )
    assert _json(capsys, "count", path)["elected"] == ["A"]
    seeded = _json(capsys, "count", path, "--option", "tie_break=random:3")
    assert seeded["elected"] == _json(capsys, "count", path, "--seed", "3")["elected"]
    status, _, err = _run(capsys, "count", path, "--seed", "3", "--option", "tie_break=random:3")
    assert status == 2 and "both set the tie-break" in err


def test_a_limit_names_how_to_raise_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "six.csv"
    path.write_text("A,B,C,D,E,F\n1,2,3,4,5,6\n6,5,4,3,2,1\n2,1,4,3,6,5\n", encoding="utf-8")
    args = ("count", path, "--method", "cpo_stv", "--seats", "2")
    status, _, err = _run(capsys, *args, "--option", "max_comparisons=10")
    assert status == 2
    assert "max_comparisons=10" in err and "--option max_comparisons=N" in err
    data = _json(capsys, *args, "--option", "max_comparisons=1000")
    assert len(data["elected"]) == 2


# ------------------------------------------------------------------- seats
def test_the_seats_and_the_method_say_where_they_came_from(
    capsys: pytest.CaptureFixture[str], elections_dir: Path
) -> None:
    govan = elections_dir / GOVAN
    data = _json(capsys, "count", govan, "--method", "stv")
    assert (data["seats"], data["seats_source"]) == (4, "the blt file's header")
    data = _json(capsys, "count", govan, "--method", "stv", "--seats", "3")
    assert (data["seats"], data["seats_source"]) == (3, "--seats")
    data = _json(capsys, "count", govan, "--method", "stv", "--option", "seats=2")
    assert (data["seats"], data["seats_source"]) == (2, "--seats")
    csv = elections_dir / "kubernetes" / "2023" / "ballots.csv"
    data = _json(capsys, "count", csv)
    assert (data["seats"], data["seats_source"]) == (1, "the method's default")
    assert data["method_source"] == "the default"
    _, out, _ = _run(capsys, "count", govan, "--method", "stv")
    assert "Method: stv (--method); seats: 4 (the blt file's header)" in out


def test_kemeny_on_a_multi_seat_blt(
    capsys: pytest.CaptureFixture[str], elections_dir: Path
) -> None:
    data = _json(capsys, "count", elections_dir / GOVAN, "--method", "kemeny")
    assert data["seats"] == 4 and len(data["elected"]) == 4
    ranking = [c for tier in data["ranking"] for c in tier]
    assert data["elected"] == ranking[:4]


def test_a_single_winner_method_notes_unused_file_seats(
    capsys: pytest.CaptureFixture[str], elections_dir: Path
) -> None:
    data = _json(capsys, "count", elections_dir / GOVAN, "--method", "debian")
    assert data["seats"] == 1
    assert any("not used" in n for n in data["notes"])
    status, _, err = _run(
        capsys, "count", elections_dir / GOVAN, "--method", "debian", "--seats", "4"
    )
    assert status == 2 and "elects one winner" in err


def test_nixos_2024_example_and_its_header(
    capsys: pytest.CaptureFixture[str], elections_dir: Path
) -> None:
    data = _json(capsys, "count", "--example", "nixos-steering-2024")
    assert data["seats"] == 7 and data["seats_source"] == "the example's official seat count"
    assert data["method"] == "civs_proportional"
    official = official_winners("Nix Steering Committee Election 2024")
    assert set(data["elected"]) == official
    blt = elections_dir / "nixos" / "SC-election-2024" / "opavote_ballots.blt"
    status, _, err = _run(capsys, "count", blt)
    assert status == 2 and "23 seats for 23 candidates" in err and "--seats N" in err
    data = _json(capsys, "count", blt, "--seats", "7", "--method", "civs_proportional")
    assert set(data["elected"]) == official


def test_the_example_list_states_seats_and_method(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "examples")
    assert status == 0
    for ex in EXAMPLES.values():
        (line,) = [x for x in out.splitlines() if x.startswith(ex.name + " ")]
        assert f"{ex.seats} seat" in line and ex.method in line
    assert EXAMPLES["nixos-steering-2024"].seats == 7
    assert EXAMPLES["kubernetes-steering-2023"].seats == 4


# ------------------------------------------------------------------ convert
def test_convert_never_overwrites_its_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, elections_dir: Path
) -> None:
    source = tmp_path / "ballots.csv"
    source.write_bytes((elections_dir / "kubernetes" / "2023" / "ballots.csv").read_bytes())
    before = source.read_bytes()
    link = tmp_path / "link.csv"
    os.link(source, link)
    for target in (source, tmp_path / "." / "ballots.csv", link):
        status, _, err = _run(capsys, "convert", source, target)
        assert status == 2 and "never overwrites its input" in err
    assert source.read_bytes() == before


def test_convert_materialises_on_request_and_carries_seats(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, elections_dir: Path
) -> None:
    debian = elections_dir / "debian" / "2005" / "leader2005_tally.txt"
    out_csv = tmp_path / "d.csv"
    status, _, err = _run(capsys, "convert", debian, out_csv)
    assert status == 2 and "--unranked-as-last-tier" in err and not out_csv.exists()
    status, out, _ = _run(capsys, "convert", debian, out_csv, "--unranked-as-last-tier")
    assert status == 0 and "read back: same counts" in out and "tied last tier" in out
    original = read_ballots(debian)
    assert read_ballots(out_csv).pairwise.support.tolist() == original.pairwise.support.tolist()
    govan = elections_dir / GOVAN
    cef = tmp_path / "g.cvotes"
    status, out, _ = _run(capsys, "convert", govan, cef)
    assert status == 0 and "seats 4 carried over" in out
    assert read_ballots(cef, errors="collect")[1].seats == 4
    weights = tmp_path / "w.csv"
    nix = elections_dir / "nixos" / "SC-election-2024" / "civs_ballots.csv"
    status, out, _ = _run(capsys, "convert", nix, weights, "--write-option", "orientation=weights")
    assert status == 0, out
    assert read_ballots(weights).equivalent(read_ballots(nix))
    status, out, _ = _run(capsys, "convert", nix, tmp_path / "n.blt")
    assert status == 0 and "--write-option seats=N" in out


def test_convert_that_would_not_read_back_leaves_the_output_untouched(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    elections_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The read-back check runs on the written file before it replaces OUT: a failed
    check leaves an existing OUT exactly as it was, and no temporary file behind."""
    from voting.profile import Profile

    source = elections_dir / "kubernetes" / "2023" / "ballots.csv"
    target = tmp_path / "out.cvotes"
    target.write_text("precious\n", encoding="utf-8")
    monkeypatch.setattr(Profile, "equivalent", lambda self, other: False)
    status, _, err = _run(capsys, "convert", source, target)
    assert status == 2 and "would not read back to the same counts" in err
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.cvotes"]

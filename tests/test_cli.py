"""The ``voting`` command, run as a separate process on real ballot files.

Each test starts the installed command (``voting`` when it is on ``PATH``, else
``python -m voting``) and checks its output and exit status against the Python API.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import voting
from voting.cli import main
from voting.examples import EXAMPLES, example_path

_SCRIPT = shutil.which("voting")
COMMANDS = [[sys.executable, "-m", "voting"]] + ([[_SCRIPT]] if _SCRIPT else [])


def run(*args: str | Path, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    argv = (command or COMMANDS[0]) + [str(a) for a in args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


def assert_user_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("voting: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: Path(c[-1]).name)
def test_count_bundled_example(command: list[str]) -> None:
    proc = run("count", "--example", "debian-leader-2005", command=command)
    assert proc.returncode == 0, proc.stderr
    profile = voting.read_ballots(example_path("debian-leader-2005"), "debian")
    result = voting.get_method("schulze").run(profile)
    assert f"Winner: {result.winner}" in proc.stdout
    assert "Pairwise matrix" in proc.stdout
    assert "Condorcet winner" in proc.stdout


def test_examples_and_methods_lists() -> None:
    proc = run("examples")
    assert proc.returncode == 0
    for name in EXAMPLES:
        assert name in proc.stdout
    proc = run("methods")
    assert proc.returncode == 0
    assert set(proc.stdout.split()) == set(voting.methods.METHODS)


def test_json_matches_the_api_on_a_kubernetes_election(elections_dir: Path) -> None:
    path = elections_dir / "kubernetes" / "2023" / "ballots.csv"
    proc = run("count", path, "--method", "schulze", "--seats", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    profile = voting.read_ballots(path)
    result = voting.get_method("schulze", seats=3).run(profile)
    assert data["candidates"] == list(profile.candidates)
    assert data["voters"] == profile.num_voters
    assert data["method"] == "schulze"
    assert data["parameters"]["seats"] == 3
    assert data["ranking"] == [list(t) for t in result.ranking]
    assert data["winners"] == list(result.winners)
    assert data["elected"] == list(result.elected)
    assert data["tied_at_last_seat"] == list(result.tied_at_last_seat)
    assert len(data["ties_broken"]) == len(result.ties_broken)
    m = profile.pairwise
    assert data["pairwise"]["candidates"] == list(m.candidates)
    assert data["pairwise"]["support"] == m.support.tolist()


def test_seed_sets_a_random_tie_break(elections_dir: Path) -> None:
    path = elections_dir / "kubernetes" / "2023" / "ballots.csv"
    proc = run("count", path, "--seats", "3", "--seed", "7", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    tie_break = voting.Random(seed=7)
    result = voting.get_method("schulze", seats=3, tie_break=tie_break).run(
        voting.read_ballots(path)
    )
    assert data["elected"] == list(result.elected)
    assert "random" in data["parameters"]["tie_break"].lower()


def test_scottish_stv_on_a_glasgow_ward(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    entry = next(e for e in elections_index if e.get("file", "").endswith("Calton-2007.blt"))
    path = elections_dir / entry["file"]
    seats = str(entry["seats"])
    proc = run(
        "count", path, "--method", "stv", "--rule", "scottish", "--seats", seats, "--explain"
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(_elected(proc.stdout)) == sorted(entry["expected_elected"])
    assert "Explanation:" in proc.stdout
    assert "Quota" in proc.stdout  # the STV round table
    proc = run("count", path, "--method", "stv", "--rule", "scottish", "--seats", seats, "--json")
    assert sorted(json.loads(proc.stdout)["elected"]) == sorted(entry["expected_elected"])


def _elected(stdout: str) -> list[str]:
    line = next(x for x in stdout.splitlines() if x.startswith("Elected: "))
    return line.removeprefix("Elected: ").split(", ")


def test_explain_prints_each_methods_explanation() -> None:
    for method in ("schulze", "irv"):
        proc = run("count", "--example", "debian-leader-2005", "--method", method, "--explain")
        assert proc.returncode == 0, proc.stderr
        explanation = proc.stdout.split("Explanation:", 1)[1].strip()
        assert explanation


_REPRS = re.compile(r"object at 0x|\b[A-Z]\w*\(\w+=|Fraction\(|array\(")


@pytest.mark.parametrize("method", sorted(voting.methods.METHODS))
def test_explain_and_json_render_every_method(method: str) -> None:
    """--explain prints the explanation's own text (no Python repr); --json --explain
    carries its structured fields, the API's to_dict(); plain --json leaves it out."""
    path = example_path("debian-leader-2005")
    committee = method in ("stv", "cpo_stv", "schulze_stv", "civs_proportional")
    args = ["count", str(path), "--method", method] + (["--seats", "2"] if committee else [])
    rule = {"rule": "meek-equal"} if method == "stv" else {}  # the ballots tie candidates
    args += [f"--rule={v}" for v in rule.values()]
    out = io.StringIO()
    assert main([*args, "--json", "--explain"], out=out) == 0
    data = json.loads(out.getvalue())
    profile = voting.read_ballots(path)
    params = {"seats": data["seats"]} if "seats" in data["parameters"] else {}
    result = voting.get_method(method, **params, **rule).run(profile)
    assert data["elected"] == list(result.elected)
    assert data["explanation"] == json.loads(json.dumps(result.to_dict()["explanation"]))
    assert data["explanation"]["type"] == type(result.explanation).__name__
    out = io.StringIO()
    assert main([*args, "--explain"], out=out) == 0
    text = out.getvalue()
    assert text.split("Explanation:\n", 1)[1].rstrip("\n") == result.explanation.to_text()
    assert _REPRS.search(text) is None
    assert result.to_text() in text
    out = io.StringIO()
    assert main([*args, "--json"], out=out) == 0
    assert "explanation" not in json.loads(out.getvalue())


@pytest.mark.parametrize("suffix", ["abif", "blt", "csv", "cvotes"])
def test_convert_keeps_the_count_or_refuses(
    suffix: str, tmp_path: Path, elections_dir: Path
) -> None:
    """Kubernetes ballots leave candidates at 'No opinion' (unranked='ignore'); ABIF and
    BLT files are read with unranked='last', so writing them there would change the
    count: convert refuses and writes nothing. CSV and CEF keep it."""
    source = elections_dir / "kubernetes" / "2023" / "ballots.csv"
    target = tmp_path / f"ballots.{suffix}"
    proc = run("convert", source, target)
    original = voting.read_ballots(source)
    if suffix in ("abif", "blt"):
        assert_user_error(proc, "without changing the count", "--unranked ignore", "cef")
        assert not target.exists()
        return
    assert proc.returncode == 0, proc.stderr
    assert "read back: same counts" in proc.stdout
    assert voting.read_ballots(target).equivalent(original)


def test_convert_with_explicit_formats(tmp_path: Path) -> None:
    source = example_path("debian-leader-2005")
    target = tmp_path / "out.txt"
    proc = run("convert", source, target, "--from", "debian", "--to", "preflib")
    assert proc.returncode == 0, proc.stderr
    original = voting.read_ballots(source, "debian").compress()
    assert voting.read_ballots(target, "preflib").compress() == original


def test_validate_reports_every_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text("alice,bob,carol\n1,2,3\n1,2\n3,2,1\nx,y,z\n2,1,3\n", encoding="utf-8")
    proc = run("validate", path)
    assert proc.returncode == 1, proc.stderr
    _, report = voting.read_ballots(path, errors="collect")
    bad = [line for line in proc.stdout.splitlines() if line.startswith(f"{path}:")]
    assert [int(line.split(":")[1]) for line in bad] == [r.line for r in report.rejected]
    assert len(bad) == 2
    assert "rejected" in proc.stdout.splitlines()[-1]
    good = tmp_path / "good.csv"
    good.write_text("alice,bob,carol\n1,2,3\n", encoding="utf-8")
    proc = run("validate", good)
    assert proc.returncode == 0
    assert "1 ballots read, 1 counted, 0 rejected" in proc.stdout


def test_user_errors_are_one_line_with_status_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("alice,bob\n1,2\nx\n", encoding="utf-8")
    cases: list[tuple[tuple[str | Path, ...], tuple[str, ...]]] = [
        (("count", tmp_path / "missing.csv"), ("missing.csv",)),
        (("count", bad), ("bad.csv, line 3",)),
        (("count", "--example", "debian-leader-2005", "--method", "nonesuch"), ("nonesuch",)),
        (("count", "--example", "debian-leader-2005", "--seats", "two"), ("--seats",)),
        (("count",), ()),
    ]
    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        procs = list(pool.map(lambda case: run(*case[0]), cases))
    for (_, fragments), proc in zip(cases, procs, strict=True):
        assert_user_error(proc, *fragments)


def test_more_user_errors_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same handling, through ``voting.cli.main`` (cheaper than a process each)."""
    example = ("count", "--example", "debian-leader-2005")
    bad = tmp_path / "bad.csv"
    bad.write_text("alice,bob\n1,2\nx\n", encoding="utf-8")
    cases: list[tuple[tuple[str | Path, ...], tuple[str, ...]]] = [
        (("convert", bad, tmp_path / "out.abif"), ("line 3",)),
        (("convert", example_path("debian-leader-2005"), tmp_path / "out.xyz"), ("format",)),
        ((*example, "--seats", "0"), ("--seats",)),
        ((*example, "--format", "nonesuch"), ("--format",)),
        ((*example, "--method", "stv", "--rule", "bogus"), ("bogus",)),
        ((*example, "--method", "irv", "--rule", "meek"), ("--rule",)),
        ((*example, "--method", "borda", "--seed", "-1"), ("seed",)),
        (("count", "--example", "nonesuch"), ("nonesuch",)),
        (("validate", tmp_path / "missing.csv"), ("missing.csv",)),
        (("frobnicate",), ("frobnicate",)),
    ]
    for args, fragments in cases:
        status = main([str(a) for a in args])
        err = capsys.readouterr().err
        assert status == 2, (args, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("voting: error: "), (args, err)
        for fragment in fragments:
            assert fragment in lines[0], (args, err)


def test_one_account_of_the_ties(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], elections_dir: Path
) -> None:
    """Who tied, for what, which rule broke it and what it is, and whether it decided."""
    coc = elections_dir / "kubernetes" / "code-of-conduct" / "2025" / "ballots.csv"
    assert main(["count", str(coc), "--seats", "3"]) == 0
    out = capsys.readouterr().out
    assert "no tie-break chose" not in out and "Tie broken:" not in out
    assert "Ties broken by the tie-break (1):" in out
    assert "  1. seat 3: swatisehgal, stmcginnis tied" in out
    assert (
        "     broken by candidate order (the candidate listed first in the input is "
        "favoured): swatisehgal > stmcginnis"
    ) in out
    assert "     decisive: broken another way, it changes who can be elected" in out
    assert "Decided by the tie-break: swatisehgal, stmcginnis" in out
    # an elimination tie that decides an IRV winner; its JSON says so too
    cyc = tmp_path / "cycle.csv"
    cyc.write_text("a,b,c\n1,2,3\n3,1,2\n2,3,1\n", encoding="utf-8")
    assert main(["count", str(cyc), "--method", "irv"]) == 0
    out = capsys.readouterr().out
    assert "elimination in round 1: a, b, c tied" in out
    assert "possible winners before tie-breaking: a, b, c" in out
    assert main(["count", str(cyc), "--method", "irv", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"] == ["a", "b", "c"] and data["elected"] == ["a"]
    assert [t["decisive"] for t in data["ties_broken"]] == [True]
    # a tie that cannot change the winner is reported as such
    calm = tmp_path / "calm.csv"
    calm.write_text("A,B,C\n1,2,\n1,2,\n2,1,\n2,,1\n", encoding="utf-8")
    assert main(["count", str(calm), "--method", "irv"]) == 0
    out = capsys.readouterr().out
    assert "not decisive: broken any other way, the same candidates are elected" in out
    assert "Decided by the tie-break" not in out

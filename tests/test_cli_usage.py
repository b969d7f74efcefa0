"""The ``voting`` command as a newcomer meets it: no arguments, ``--version``, names typed
loosely, errors in the command line's terms, standard input, withdrawn candidates.

Most cases run :func:`voting.cli.main` in the process (standard input replaced by a
byte stream); one runs the real command with a pipe.
"""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import voting
from tests.test_cli import COMMANDS, assert_user_error
from voting.cli import main
from voting.examples import example_path
from voting.methods import METHODS

DEBIAN = example_path("debian-leader-2005")
K8S = example_path("kubernetes-steering-2023")

#: A BLT file whose second candidate withdrew (the ``-2`` line); ballots still name her.
WITHDRAWN_BLT = """\
4 2
-2
3 1 2 3 0
2 2 3 4 0
2 4 1 0
1 3 2 1 0
0
"Ann"
"Bea"
"Cid"
"Dov"
"Club committee"
"""


def run_main(
    args: list[str | Path], capsys: pytest.CaptureFixture[str], stdin: bytes | None = None
) -> tuple[int, str, str]:
    """``main(args)`` in the process: exit status, standard output, standard error."""
    if stdin is None:
        status = main([str(a) for a in args])
    else:
        saved = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        try:
            status = main([str(a) for a in args])
            gc.collect()
            assert not sys.stdin.buffer.closed  # reading '-' leaves stdin open
        finally:
            sys.stdin = saved
    out, err = capsys.readouterr()
    return status, out, err


def user_error(status: int, err: str, *fragments: str) -> str:
    """The one error line, after checking status 2 and that it holds ``fragments``."""
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("voting: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], err
    return lines[0]


# ------------------------------------------------------------------ bare command
def test_no_arguments_print_the_usage_with_status_2() -> None:
    proc = subprocess.run(COMMANDS[0], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("usage: voting")
    for command in ("count", "analyze", "convert", "validate", "examples", "methods"):
        assert command in proc.stderr
    assert "voting --help" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["--version"], capsys)
    assert status == 0
    assert out.strip() == f"voting {voting.__version__}"
    status, out, _ = run_main(["--help"], capsys)
    assert status == 0 and out.startswith("usage: voting") and "--version" in out
    assert "'-' reads standard input" in out


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("spelling", ["Schulze", "SCHULZE", " schulze "])
def test_method_names_ignore_case(spelling: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["count", DEBIAN, "--method", spelling, "--json"], capsys)
    assert status == 0, err
    data = json.loads(out)
    assert data["method"] == "schulze"
    assert data["winners"] == list(voting.Schulze().run(voting.read_ballots(DEBIAN)).winners)


def test_dashes_stand_for_underscores(capsys: pytest.CaptureFixture[str]) -> None:
    assert "ranked_pairs" in METHODS
    status, out, err = run_main(["count", DEBIAN, "--method", "Ranked-Pairs", "--json"], capsys)
    assert status == 0, err
    assert json.loads(out)["method"] == "ranked_pairs"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["count", DEBIAN, "--method", "shulze"], ["unknown method 'shulze'", "'schulze'"]),
        (["count", DEBIAN, "--method", "bordaa"], ["did you mean 'borda'?"]),
        (["count", "--example", "debian"], ["did you mean 'debian-leader-2005'?"]),
        (["cont", DEBIAN], ["invalid choice: 'cont'", "did you mean 'count'"]),
        (["count", DEBIAN, "--format", "BLT"], ["did you mean 'blt'?"]),
        (["count", DEBIAN, "--method", "zzz"], ["unknown method 'zzz'", "voting methods"]),
    ],
)
def test_unknown_names_get_suggestions(
    args: list[str | Path], fragments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(args, capsys)
    line = user_error(status, err, *fragments)
    if "zzz" in args:
        assert "did you mean" not in line


def test_bundled_example_names_ignore_case(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["count", "--example", "Debian-Leader-2005", "--json"], capsys)
    assert status == 0, err
    assert json.loads(out)["voters"] == voting.read_ballots(DEBIAN).num_voters


# ------------------------------------------------------------------ CLI terms
@pytest.mark.parametrize(
    ("args", "fragments", "python"),
    [
        (["count", K8S, "--seats", "99"], ["--seats 99", "11 candidates"], "seats="),
        (["count", K8S, "--method", "stv", "--seats", "2"], ["--rule meek-equal"], "STV("),
        (["count", K8S, "--method", "stv", "--rule", "foo"], ["--rule foo"], "rule="),
        (["count", K8S, "--method", "stv", "--quota", "x"], ["--quota x", "no --quota"], "None"),
        (["count", K8S, "--method", "borda", "--seed", "-1"], ["--seed -1"], "seed="),
        (["count", "-"], ["<stdin>", "pass --format"], "format="),
        (["convert", DEBIAN, "out.xyz"], ["pass --to"], "format="),
        (["convert", "-", "out.blt"], ["pass --from"], "format="),
    ],
)
def test_errors_name_flags_not_parameters(
    args: list[str | Path], fragments: list[str], python: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(args, capsys, stdin=b"nothing a format knows\n")
    line = user_error(status, err, *fragments)
    assert python not in line


# ------------------------------------------------------------------ standard input
@pytest.mark.parametrize("fmt", [None, "debian"])
def test_count_reads_standard_input(fmt: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    args: list[str | Path] = ["count", "-", "--json", *(["--format", fmt] if fmt else [])]
    status, out, err = run_main(args, capsys, stdin=DEBIAN.read_bytes())
    assert status == 0, err
    from_file = json.loads(run_main(["count", DEBIAN, "--json"], capsys)[1])
    data = json.loads(out)
    assert data["election"] == "<stdin>"
    for key in ("candidates", "voters", "ranking", "winners", "pairwise"):
        assert data[key] == from_file[key]


def test_validate_and_analyze_read_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["validate", "-"], capsys, stdin=K8S.read_bytes())
    assert status == 0, err
    _, report = voting.read_ballots(K8S, errors="collect")
    assert out.strip() == (
        f"<stdin> (civs): {report.ballots_read} ballots read, {report.ballots_counted} counted, "
        "0 rejected"
    )
    status, out, err = run_main(
        ["analyze", "-", "--format", "civs", "--json"], capsys, K8S.read_bytes()
    )
    assert status == 0, err
    assert json.loads(out)["candidates"] == list(voting.read_ballots(K8S).candidates)


def test_validate_reports_bad_lines_of_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["validate", "-", "--format", "civs"], capsys, b"a,b\n1,2\nx\n")
    assert status == 1
    assert out.splitlines()[0].startswith("<stdin>:3: ")


def test_convert_between_standard_streams(tmp_path: Path) -> None:
    """A real pipe: ``voting convert - - --to blt < debian.txt`` writes BLT on stdout and
    its summary on stderr."""
    proc = subprocess.run(
        [*COMMANDS[0], "convert", "-", "-", "--to", "blt"],
        input=DEBIAN.read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out.blt"
    out.write_bytes(proc.stdout)
    original = voting.read_ballots(DEBIAN).compress()
    assert voting.read_ballots(out).compress() == original
    assert b"<stdin> (debian, unranked=last) -> <stdout> (blt, unranked=last): 504 voters" in (
        proc.stderr
    )


def test_convert_to_standard_output_needs_a_format(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(["convert", DEBIAN, "-"], capsys)
    user_error(status, err, "needs --to FORMAT")


# ------------------------------------------------------------------ withdrawn
@pytest.fixture
def withdrawn_blt(tmp_path: Path) -> Path:
    path = tmp_path / "club.blt"
    path.write_text(WITHDRAWN_BLT, encoding="utf-8")
    profile, report = voting.read_ballots(path, errors="collect")
    assert report.withdrawn == ("Bea",) and "Bea" not in profile.candidates
    return path


def test_count_says_who_withdrew(withdrawn_blt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["count", withdrawn_blt], capsys)
    assert status == 0, err
    assert "Withdrawn (not counted): Bea" in out.splitlines()
    assert "3 candidates" in out
    status, out, err = run_main(["count", withdrawn_blt, "--json"], capsys)
    data = json.loads(out)
    assert data["withdrawn"] == ["Bea"]
    assert data["candidates"] == ["Ann", "Cid", "Dov"]
    status, out, _ = run_main(["count", DEBIAN, "--json"], capsys)
    assert json.loads(out)["withdrawn"] == []
    assert "Withdrawn" not in run_main(["count", DEBIAN], capsys)[1]


def test_other_commands_say_who_withdrew(
    withdrawn_blt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_main(["validate", withdrawn_blt], capsys)
    assert status == 0
    assert "withdrawn candidates (not counted): Bea" in out
    status, out, _ = run_main(["convert", withdrawn_blt, tmp_path / "club.abif"], capsys)
    assert status == 0
    assert out.splitlines()[0].endswith("read back: same counts; withdrawn, not written: Bea")
    status, out, err = run_main(["analyze", withdrawn_blt], capsys)
    assert status == 0, err
    assert "Withdrawn (not counted): Bea" in out
    status, out, _ = run_main(["analyze", withdrawn_blt, "--json"], capsys)
    assert json.loads(out)["withdrawn"] == ["Bea"]


# ------------------------------------------------------------------ --plot
def test_plot_reports_the_file_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    stem = tmp_path / "spread"
    status, out, err = run_main(["analyze", DEBIAN, "--plot", stem], capsys)
    assert status == 0, err
    written = tmp_path / "spread.png"
    assert written.read_bytes().startswith(b"\x89PNG")
    assert not stem.exists()
    assert f"Bubble chart saved to {written}" in out.splitlines()
    status, out, _ = run_main(["analyze", DEBIAN, "--plot", stem, "--json"], capsys)
    assert json.loads(out)["plot"] == str(written)
    svg = tmp_path / "chart.svg"
    status, out, _ = run_main(["analyze", DEBIAN, "--plot", svg], capsys)
    assert svg.is_file() and f"Bubble chart saved to {svg}" in out


def test_the_installed_command_reports_errors_the_same_way() -> None:
    """The same one-line error from the console script, when it is installed."""
    command = COMMANDS[-1]
    proc = subprocess.run(
        [*command, "count", str(DEBIAN), "--method", "shulze"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_user_error(proc, "did you mean 'schulze'")

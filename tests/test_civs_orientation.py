"""No silently reversed ballots: CIVS files' orientation is explicit, inferred or flagged.

A proportional-mode CIVS export stores weights (larger = preferred); read as ranks
every ballot is reversed. Every read records which orientation it used and why
(``ReadReport.orientation`` / ``orientation_note``); ``"auto"`` infers it from the
shapes only one orientation produces; the CLI prints it; ``Ratings.read_civs_csv`` and
``read_ballots(format="civs")`` are one reader with one set of options.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voting import BallotFormatError, InvalidParameterError, Profile, ReadReport, read_ballots
from voting.cli import main
from voting.formats.civs import INFER_ROWS, infer_orientation
from voting.methods.civs_proportional import CIVSProportional, Ratings

from .conftest import official_winners

NIX = Path("nixos") / "SC-election-2024" / "civs_ballots.csv"
OFFICIAL_NIX = official_winners("Nix Steering Committee Election 2024")


def read(text: str, **options: Any) -> tuple[Profile, ReadReport]:
    return read_ballots(io.StringIO(text), "civs", errors="collect", **options)


def test_nix_2024_is_inferred_to_hold_weights(elections_dir: Path) -> None:
    path = elections_dir / NIX
    auto, report = read_ballots(path, errors="collect")
    assert report.orientation is not None and report.orientation.startswith("weights")
    assert report.orientation_note is not None
    assert report.orientation_note.startswith("inferred: 349 of the 450 ballots")
    assert auto == read_ballots(path, orientation="weights") == read_ballots(path, inverted=True)
    committee = CIVSProportional(seats=7).run(auto)
    assert set(committee.elected) == OFFICIAL_NIX
    # read the wrong way round, the count elects another committee: hence the fuss
    ranks = read_ballots(path, orientation="ranks")
    assert set(CIVSProportional(seats=7).run(ranks).elected) != OFFICIAL_NIX


def test_ranks_are_inferred_for_every_rank_export(elections_dir: Path) -> None:
    for path in sorted(elections_dir.glob("k*/**/*.csv")):
        p, report = read_ballots(path, errors="collect")
        assert report.orientation is not None and report.orientation.startswith("ranks"), path
        note = report.orientation_note or ""
        assert note.startswith(("inferred:", "assumed:")), (path, note)
        assert p == read_ballots(path, orientation="ranks"), path


def test_inference_rules() -> None:
    # 'No opinion' and a repeated n say ranks; the web-vote shape says weights
    assert infer_orientation([[1, None, 2]], 3)[0] == "ranks"
    assert infer_orientation([[1, 3, 3]], 3)[0] == "ranks"
    orientation, note = infer_orientation([[4, 1, 1, 3]], 4)
    assert orientation == "weights" and "1 of the 1 ballots" in note
    # complete rankings read the same shape either way: assumed, and said so
    orientation, note = infer_orientation([[1, 2, 3], [3, 1, 2]], 3)
    assert orientation == "ranks" and note.startswith("assumed:")
    assert infer_orientation([[1, 2, 3]], 3, assume="weights")[0] == "weights"
    # one stray ballot of the other kind among many does not decide
    many = [[1, None, 2]] * 10 + [[3, 1, 1]]
    orientation, note = infer_orientation(many, 3)
    assert orientation == "ranks" and "1 looks like weights" in note
    with pytest.raises(BallotFormatError, match=r"orientation='ranks'.*orientation='weights'"):
        infer_orientation([[1, None, 2], [3, 1, 1]], 3)


def test_reading_reports_the_orientation_and_how() -> None:
    _, report = read("A,B,C\n1,2,No opinion\n")
    assert report.orientation == "ranks (smaller = preferred, 1 = best)"
    assert (report.orientation_note or "").startswith("inferred:")
    p, report = read("A,B,C,D\n4,1,1,3\n1,4,1,1\n")
    assert (report.orientation or "").startswith("weights")
    assert p.ranks.tolist() == [
        [0, 2147483647, 2147483647, 1],
        [2147483647, 0, 2147483647, 2147483647],
    ]
    _, report = read("A,B,C\n1,2,No opinion\n", orientation="weights")
    assert (report.orientation_note or "").startswith("given (orientation='weights'); but 1 of")
    _, report = read("A,B\n1,2\n", orientation="ranks")
    assert report.orientation_note == "given (orientation='ranks')"
    with pytest.raises(BallotFormatError, match="cannot tell"):
        read("A,B,C\n1,No opinion,2\n3,1,1\n")


def test_other_formats_state_their_fixed_orientation(elections_dir: Path) -> None:
    path = elections_dir / "debian" / "2005" / "leader2005_tally.txt"
    _, report = read_ballots(path, errors="collect")
    assert report.orientation == "ranks (smaller = preferred, 1 = best)"
    assert report.orientation_note == "fixed by the format"
    blt = elections_dir / "nixos" / "SC-election-2024" / "opavote_ballots.blt"
    _, report = read_ballots(blt, errors="collect")
    assert report.orientation == "preference order (best first)"


def test_option_errors() -> None:
    with pytest.raises(InvalidParameterError, match="orientation='sideways'"):
        read("A,B\n1,2\n", orientation="sideways")
    with pytest.raises(InvalidParameterError, match="contradicts"):
        read("A,B\n1,2\n", orientation="ranks", inverted=True)
    assert read("A,B\n3,2\n", orientation="weights", inverted=True)[0].ranks.tolist() == [[0, 1]]


def test_the_first_block_decides_and_says_how_many_ballots(tmp_path: Path) -> None:
    rows = "\n".join("1,2,3" for _ in range(INFER_ROWS + 5))
    _, report = read("A,B,C\n" + rows + "\n3,1,1\n")
    assert report.orientation_note is not None
    assert f"the {INFER_ROWS} ballots examined" in report.orientation_note


# --------------------------------------------------------------- one reader
def test_ratings_share_the_reader_options_and_errors(tmp_path: Path) -> None:
    text = "A,B,C\n3,1,2\n0,3,No opinion\nx,1,2\n"
    ratings, report = Ratings.read_civs_csv(io.StringIO(text), combined=True, errors="collect")
    assert ratings.values.tolist() == [[3, 1, 2], [0, 3, 0]]
    (bad,) = report.rejected
    assert bad.line == 4 and "not a whole number" in bad.reason
    assert (report.orientation or "").startswith("weights")
    assert "look like ranks" in (report.orientation_note or "")  # the 'No opinion'
    with pytest.raises(BallotFormatError, match="line 4"):
        Ratings.read_civs_csv(io.StringIO(text), combined=True)
    # a compressed file, and ranks read as CIVS's web-vote weights n - 1 - tier
    path = tmp_path / "b.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("A,B,C\n1,2,No opinion\n")
    r = Ratings.read_civs_csv(path, combined=False, orientation="ranks")
    assert r.values.tolist() == [[2, 1, 0]]
    with pytest.raises(InvalidParameterError, match=r"unknown option|orientation="):
        Ratings.read_civs_csv(path, combined=False, orientation="up")


def test_ratings_of_the_nix_export_are_its_stored_weights(elections_dir: Path) -> None:
    path = elections_dir / NIX
    ratings = Ratings.read_civs_csv(path, combined=False)
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64)
    assert sorted(map(tuple, ratings.values.tolist())) == sorted(map(tuple, raw.tolist()))
    auto = Ratings.read_civs_csv(path, combined=False, orientation="auto")
    assert np.array_equal(auto.values, ratings.values)
    committee = CIVSProportional(seats=7).run(ratings)
    assert set(committee.elected) == OFFICIAL_NIX


# ------------------------------------------------------------------------ CLI
def test_cli_prints_the_orientation(
    elections_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(elections_dir / NIX)
    assert main(["count", path, "--method", "civs_proportional", "--seats", "7"]) == 0
    out = capsys.readouterr().out
    assert "Orientation: weights (larger = preferred" in out and "inferred: 349" in out
    assert set(out.split("Elected: ")[1].splitlines()[0].split(", ")) == OFFICIAL_NIX
    assert main(["analyze", path, "--orientation", "weights", "--permutations", "0"]) == 0
    assert "Orientation: weights" in capsys.readouterr().out
    assert main(["analyze", path, "--inverted", "--permutations", "0", "--json"]) == 0
    assert '"orientation": "weights' in capsys.readouterr().out
    assert main(["count", path, "--orientation", "ranks", "--inverted"]) == 2
    assert "contradicts" in capsys.readouterr().err

"""read_ballots / iter_ballots / write_ballots: inference, error policies, chunks, files."""

from __future__ import annotations

import gzip
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO, cast

import numpy as np
import pytest

from voting import (
    BallotFormatError,
    InvalidParameterError,
    Profile,
    ReadReport,
    UnrankedPolicy,
    iter_ballots,
    read_ballots,
    write_ballots,
)
from voting.formats import FORMATS, BallotFormat, get_format, infer_format
from voting.formats.civs import CIVSFormat
from voting.formats.debian import DebianFormat
from voting.formats.preflib import PrefLibFormat

CIVS = "A,B,C\n1,2,3\n2,1,No opinion\n1,2,3\n"
DEBIAN = (
    "\n\t\t       Tally Sheet for the votes cast.\n"
    "     Option 1--->: A\n   /  Option 2-->: B\n   |/\n"
    "V: 12 \t\t5de2d9bdec162e7ad7d475f7a3a912e0\nV: 21 \t\t82779753e0665892a0168183b4d03db6\n"
)
PREFLIB = (
    "# FILE NAME: x.soi\n# TITLE: T\n# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n"
    "# NUMBER VOTERS: 5\n# NUMBER UNIQUE ORDERS: 2\n"
    "# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: 1,2\n2: 2\n"
)
BLT = '3 1\n4 1 2 3 0\n2 3 0\n0\n"A"\n"B"\n"C"\n"Title"\n'
ABIF = '{"title": "Example"}\n=A:[Alice]\n=B:[Bob]\n# a comment\n27:A>B\n3:B=A\n'
CEF = "#/Candidates: A;B;C\n#/Implicit Ranking: true\nA > B > C * 42\nC > A = B\n"
SAMPLES = {
    "civs": CIVS,
    "debian": DEBIAN,
    "preflib": PREFLIB,
    "blt": BLT,
    "abif": ABIF,
    "cef": CEF,
}
MINE: dict[str, BallotFormat] = {
    "civs": CIVSFormat(),
    "debian": DebianFormat(),
    "preflib": PrefLibFormat(),
}


# ----------------------------------------------------------------- inference
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_our_sniffers_claim_only_their_own_format(sample: str) -> None:
    for name, fmt in MINE.items():
        assert fmt.sniff(SAMPLES[sample]) == (name == sample), (name, sample)


@pytest.mark.parametrize("name", sorted(MINE))
def test_exactly_one_registered_format_sniffs_our_samples(name: str) -> None:
    assert [n for n in FORMATS if get_format(n).sniff(SAMPLES[name])] == [name]
    assert infer_format(io.StringIO(SAMPLES[name]), SAMPLES[name]) == name


def test_real_files_sniff_as_exactly_one_format(elections_dir: Path) -> None:
    patterns = {
        "civs": "**/*[Bb][Aa][Ll][Ll][Oo][Tt][Ss].csv",
        "debian": "debian/**/*tally.txt",
        "preflib": "preflib/*/*",
    }
    for expected, pattern in patterns.items():
        files = sorted(elections_dir.glob(pattern))
        assert files, pattern
        for f in files:
            head = f.read_text(encoding="utf-8-sig")[:65536]
            assert [n for n in FORMATS if get_format(n).sniff(head)] == [expected], f
            assert infer_format(f) == expected


@pytest.mark.parametrize("name", sorted(MINE))
def test_inferred_from_content_whatever_the_extension(name: str, tmp_path: Path) -> None:
    path = tmp_path / "ballots.dat"
    path.write_text(SAMPLES[name], encoding="utf-8")
    assert infer_format(path) == name
    assert read_ballots(path) == read_ballots(path, name)


def test_inference_failure_asks_for_format() -> None:
    with pytest.raises(BallotFormatError, match="pass format="):
        read_ballots(io.StringIO("hello world\n"))


class _OneWay:
    """A text stream that cannot seek (like a pipe)."""

    name = "<pipe>"

    def __init__(self, text: str) -> None:
        self._inner = io.StringIO(text)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> str:
        return self._inner.read(-1 if size is None else size)

    def readline(self, size: int | None = -1) -> str:
        return self._inner.readline(-1 if size is None else size)

    def __iter__(self) -> Iterator[str]:
        return iter(self._inner.readline, "")


@pytest.mark.parametrize("name", sorted(MINE))
def test_non_seekable_streams_are_sniffed_and_replayed(name: str) -> None:
    got = read_ballots(cast(TextIO, _OneWay(SAMPLES[name])))
    assert got == read_ballots(io.StringIO(SAMPLES[name]), name)


# ---------------------------------------------------------- reading policies
def test_compress_merges_identical_ballots() -> None:
    p = read_ballots(io.StringIO(CIVS), "civs")
    assert p.num_ballots == 2
    assert p.num_voters == 3
    raw = read_ballots(io.StringIO(CIVS), "civs", compress=False)
    assert raw.num_ballots == 3
    assert raw.compress() == p


def test_collect_returns_a_report_that_accounts_for_every_ballot() -> None:
    text = CIVS + "1,2\nx,y,z\n"
    _, report = read_ballots(io.StringIO(text), "civs", errors="collect")
    assert isinstance(report, ReadReport)
    assert report.ballots_read == report.ballots_counted + report.ballots_rejected == 5
    assert [(r.line, r.text) for r in report.rejected] == [(5, "1,2"), (6, "x,y,z")]
    assert "5 ballots read, 3 counted, 2 rejected" in str(report)
    with pytest.raises(BallotFormatError, match="line 5: expected 3 values") as info:
        report.raise_if_rejected()
    assert "1 more rejected lines" in str(info.value)


def test_raise_names_file_line_and_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CIVS + "1,2,x\n", encoding="utf-8")
    with pytest.raises(BallotFormatError) as info:
        read_ballots(path)
    message = str(info.value)
    assert str(path) in message
    assert "line 5" in message
    assert "'1,2,x'" in message
    assert "errors='collect'" in message


def test_unranked_override_applies_to_every_format() -> None:
    for name, text in (("civs", CIVS), ("debian", DEBIAN), ("preflib", PREFLIB)):
        default = read_ballots(io.StringIO(text), name).unranked
        assert default == MINE[name].default_unranked
        other: UnrankedPolicy = "last" if default == "ignore" else "ignore"
        assert read_ballots(io.StringIO(text), name, unranked=other).unranked == other


def test_unknown_options_name_the_option() -> None:
    for name, text in (("civs", CIVS), ("debian", DEBIAN), ("preflib", PREFLIB)):
        with pytest.raises(InvalidParameterError, match="'colour'"):
            read_ballots(io.StringIO(text), name, colour="red")


# --------------------------------------------------------------------- chunks
@pytest.mark.parametrize("name", sorted(MINE))
@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_iter_ballots_chunks_add_up_to_read_ballots(name: str, chunk_size: int) -> None:
    text = SAMPLES[name] * 1 if name != "civs" else CIVS + "3,3,1\n" * 5
    chunks = list(iter_ballots(io.StringIO(text), name, chunk_size=chunk_size))
    assert chunks
    assert all(c.num_ballots <= chunk_size for c in chunks)
    whole = read_ballots(io.StringIO(text), name, compress=False)
    assert sum(chunks[1:], chunks[0]) == whole


def test_chunk_size_must_be_positive() -> None:
    with pytest.raises(InvalidParameterError, match="chunk_size=0"):
        list(iter_ballots(io.StringIO(CIVS), "civs", chunk_size=0))


# ---------------------------------------------------------------------- files
def test_gzip_files(tmp_path: Path, elections_dir: Path) -> None:
    src = elections_dir / "debian/2007/vote_001_tally.txt"
    gz = tmp_path / "vote_001_tally.txt.gz"
    with open(src, "rb") as f, gzip.open(gz, "wb") as g:
        shutil.copyfileobj(f, g)
    assert read_ballots(gz) == read_ballots(src)


def test_missing_file() -> None:
    with pytest.raises(FileNotFoundError):
        read_ballots("/nonexistent/ballots.csv")


@pytest.mark.parametrize(
    ("suffix", "name"),
    [(".csv", "civs"), (".txt", "debian"), (".soi", "preflib"), (".toi", "preflib")],
)
def test_write_picks_the_format_from_the_extension(suffix: str, name: str, tmp_path: Path) -> None:
    p = Profile.from_rankings([["A", "B"], ["B"]], weights=[2, 1])
    path = tmp_path / f"out{suffix}"
    write_ballots(p, path)
    assert infer_format(path) == name
    back = read_ballots(path)
    assert back.equivalent(p)


def test_write_refuses_an_unknown_extension(tmp_path: Path) -> None:
    p = Profile.from_rankings([["A", "B"]])
    with pytest.raises(InvalidParameterError, match="pass format="):
        write_ballots(p, tmp_path / "out.xyz")


def test_real_elections_read_through_the_generic_api(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    """Every file of our three formats reads by inference alone, with no rejected line."""
    done = 0
    for e in elections_index:
        rel = e.get("file") or e.get("ballots_file")
        if not rel or not str(rel).lower().endswith(
            ("tally.txt", "ballots.csv", ".soi", ".toi", ".toc")
        ):
            continue
        p, report = read_ballots(elections_dir / rel, errors="collect")
        assert not report.rejected, rel
        assert report.format in MINE
        voters = e.get("n_ballots", e.get("n_voters"))
        assert p.num_voters == voters, rel
        assert np.all(p.weights >= 1)
        done += 1
    assert done >= 60

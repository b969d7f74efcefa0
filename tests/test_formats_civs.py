"""CIVS / Elekto ballot CSV: parsing, errors, the numba kernel, real elections, round trip."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting import (
    UNRANKED,
    BallotFormatError,
    InvalidParameterError,
    Profile,
    UnrankedPolicy,
    UnsupportedProfileError,
    iter_ballots,
    read_ballots,
    write_ballots,
)
from voting._dispatch import forced_engine
from voting._kernels.parse import _parse_civs_block, _parse_civs_block_parallel
from voting._typing import LINE_BLANK, LINE_FLAGGED, LINE_OK
from voting.formats import civs
from voting.formats.civs import CIVSFormat, _parse_row
from voting.profile import canonical

from .strategies import profiles

U = UNRANKED


def read(text: str, **kw: Any) -> Any:
    kw.setdefault("compress", False)
    return read_ballots(io.StringIO(text), format="civs", **kw)


# --------------------------------------------------------------------- parsing
def test_ranks_ties_gaps_and_no_opinion() -> None:
    p = read("A,B,C,D\n1,3,3,7\nNo opinion,1,,2\n2,2,2,2\n")
    assert p.candidates == ("A", "B", "C", "D")
    assert p.unranked == "ignore"
    assert p.ranks.tolist() == [[0, 1, 1, 2], [U, 0, U, 1], [0, 0, 0, 0]]
    assert p.weights.tolist() == [1, 1, 1]


def test_spaces_crlf_bom_blank_lines_and_missing_final_newline() -> None:
    p = read("\ufeffA, B ,C\r\n 1 , 2,No opinion\r\n\r\n   \n2,1,3")
    assert p.candidates == ("A", "B", "C")
    assert p.ranks.tolist() == [[0, 1, U], [1, 0, 2]]


def test_quoted_header_and_cells_and_other_letter_case() -> None:
    p = read('"Smith, J",B\n"2",1\nno opinion,1\nNO OPINION,\n')
    assert p.candidates == ("Smith, J", "B")
    assert p.ranks.tolist() == [[1, 0], [U, 0], [U, U]]


def test_header_only_file_gives_one_empty_chunk() -> None:
    chunks = list(iter_ballots(io.StringIO("A,B,C\n"), "civs"))
    assert len(chunks) == 1
    assert chunks[0].num_ballots == 0
    assert chunks[0].candidates == ("A", "B", "C")


def test_dash_is_no_opinion_as_civs_upload_reads_it() -> None:
    # CIVS's ballot upload takes "-" for no opinion; combined-weights proportional
    # exports keep it (weight 0, the lowest): unranked in both orientations
    assert read("A,B,C\n1,-,2\n- ,1, -\n").ranks.tolist() == [[0, U, 1], [U, 0, U]]
    assert read("A,B,C\n3,-,2\n", inverted=True).ranks.tolist() == [[0, U, 1]]
    p, report = read("A,B,C\n1,--,2\n", errors="collect")
    assert p.num_ballots == 0 and report.ballots_rejected == 1


def test_unranked_override() -> None:
    assert read("A,B\n1,No opinion\n", unranked="last").unranked == "last"


# -------------------------------------------------------------------- inverted
def test_inverted_larger_is_preferred_and_one_is_unranked() -> None:
    p = read("A,B,C,D\n4,1,3,3\n1,1,1,1\n2,No opinion,,5\n", inverted=True)
    assert p.unranked == "last"  # the default for proportional-mode exports
    assert p.ranks.tolist() == [[0, U, 1, 1], [U, U, U, U], [1, U, U, 0]]
    assert read("A,B\n2,1\n", inverted=True, unranked="ignore").unranked == "ignore"


def test_nix_2024_inverted_equals_its_blt_copy(elections_dir: Path) -> None:
    """The documented rule reproduces the OpaVote copy of the same 450 ballots: larger
    is preferred, 1 is unranked (a complete ranking's last choice reads as unranked)."""
    folder = elections_dir / "nixos" / "SC-election-2024"
    p = read_ballots(folder / "civs_ballots.csv", format="civs", inverted=True, compress=False)
    assert p.num_candidates == 23
    assert p.num_voters == 450
    assert p.unranked == "last"
    got = Counter(
        tuple(sorted((c for c in range(23) if row[c] != U), key=lambda c: row[c]))
        for row in p.ranks.tolist()
    )
    lines = (folder / "opavote_ballots.blt").read_text(encoding="utf-8").splitlines()
    assert lines[0].split() == ["23", "23"]
    want: Counter[tuple[int, ...]] = Counter()
    for line in lines[1:]:
        nums = [int(x) for x in line.split()]
        if nums == [0]:
            break
        order = tuple(c - 1 for c in nums[1:-1])
        want[order[:22]] += nums[0]  # CIVS stores the 23rd choice as 1, i.e. unranked
    names = [s.strip('"') for s in lines[-24:-1]]
    assert names == list(p.candidates)
    assert got == want
    assert sum(got.values()) == 450


# ----------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1,2", "expected 3 values, one per candidate, got 2"),
        ("1,2,3,", "expected 3 values, one per candidate, got 4 (a trailing comma?)"),
        ("1,x,3", "rank 'x' for candidate 'B' (column 2) is not a whole number or 'No opinion'"),
        ("1,2,1.5", "rank '1.5' for candidate 'C' (column 3) is not a whole number"),
        ("-1,2,3", "rank '-1' for candidate 'A' (column 1) is negative"),
        ("1;2;3", "expected 3 values, one per candidate, got 1"),
        ("No opinions,1,2", "rank 'No opinions' for candidate 'A'"),
    ],
)
def test_bad_lines_raise_with_line_number_and_reason(line: str, reason: str) -> None:
    with pytest.raises(BallotFormatError) as info:
        read(f"A,B,C\n1,2,3\n\n{line}\n2,1,3\n")
    err = info.value
    assert err.line == 4
    assert err.text == line
    assert reason in err.reason
    assert "errors='collect'" in err.reason


def test_collect_counts_every_ballot_read() -> None:
    text = "A,B,C\n1,2,3\nx,1,2\n1,2\n\n3,2,1\n1,2,3,4\n"
    p, report = read(text, errors="collect")
    assert p.num_voters == 2
    assert [r.line for r in report.rejected] == [3, 4, 7]
    assert report.ballots_rejected == 3
    assert report.ballots_read == report.ballots_counted + report.ballots_rejected == 5
    assert report.format == "civs"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("1,2,3\n1,2,3\n", "looks like a ballot"),
        ("A,,C\n1,2,3\n", "name of candidate 2 blank"),
        ("A,B,\n1,2,3\n", "trailing comma"),
        ("A,B,A\n1,2,3\n", "'A' is named twice"),
    ],
)
def test_structural_errors_fail_even_when_collecting(text: str, reason: str) -> None:
    with pytest.raises(BallotFormatError, match=reason):
        read(text, errors="collect")


def test_unknown_and_bad_options() -> None:
    with pytest.raises(InvalidParameterError, match="'invert'"):
        read("A,B\n1,2\n", invert=True)
    with pytest.raises(InvalidParameterError, match="inverted='yes'"):
        read("A,B\n1,2\n", inverted="yes")
    with pytest.raises(InvalidParameterError, match="'sep'"):
        write_ballots(Profile.from_rankings([["A"]]), io.StringIO(), "civs", sep=";")


# ------------------------------------------------------- blocks, chunks, lines
def _big_text(n: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    tokens = ["1", "2", "3", "10", "No opinion", "", " 4 "]
    rows = [",".join(rng.choice(tokens, size=4).tolist()) for _ in range(n)]
    rows[n // 3] = "1,2,bad,4"
    rows[n // 2] = ""
    return "W,X,Y,Z\r\n" + "\r\n".join(rows) + "\r\n"


@pytest.mark.parametrize("block", [1, 7, 64, 1000])
def test_small_blocks_give_the_same_ballots_and_line_numbers(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _big_text(300)
    whole, report = read(text, errors="collect")
    monkeypatch.setattr(civs, "_BLOCK_CHARS", block)
    cut, cut_report = read(text, errors="collect")
    assert cut == whole
    assert cut_report.rejected == report.rejected
    assert [r.line for r in report.rejected] == [2 + 300 // 3]
    assert whole.num_voters == 298


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 50, 10_000])
def test_chunks_are_bounded_and_add_up(chunk_size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(civs, "_BLOCK_CHARS", 97)
    text = _big_text(120, seed=3)
    chunks = list(iter_ballots(io.StringIO(text), "civs", chunk_size=chunk_size, errors="collect"))
    assert all(1 <= c.num_ballots <= chunk_size for c in chunks)
    assert all(c.num_ballots == chunk_size for c in chunks[:-1])
    whole = read(text, errors="collect")[0]
    assert np.array_equal(np.concatenate([c.ranks for c in chunks]), whole.ranks)


# ------------------------------------------------------ kernel vs reference
_CELLS = st.one_of(
    st.integers(0, 30).map(str),
    st.integers(0, 10**25).map(str),
    st.sampled_from(["No opinion", "no opinion", "No  opinion", "", " ", "\t", "x", "-1", "1.0"]),
    st.sampled_from(['"1"', '"No opinion"', "N", "No", "1 2", "\r"]),
)


@st.composite
def _lines(draw: st.DrawFn, n_cands: int) -> str:
    cells = draw(st.lists(_CELLS, min_size=0, max_size=n_cands + 2))
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return pad + ",".join(cells) + draw(st.sampled_from(["", "\r", " "]))


@settings(max_examples=150)
@given(st.data(), st.integers(1, 6), st.booleans())
def test_kernel_agrees_with_python_reference(data: st.DataObject, c: int, inverted: bool) -> None:
    lines = data.draw(st.lists(_lines(c), min_size=1, max_size=8))
    text = "\n".join(lines) + "\n"
    raw = text.encode()
    ranks, status, starts, ends = _parse_civs_block(np.frombuffer(raw, np.uint8), c, inverted)
    expected = text.split("\n")[:-1]
    assert len(status) == len(expected)
    names = tuple(f"c{i}" for i in range(c))
    for i, line in enumerate(expected):
        assert raw[starts[i] : ends[i]].decode() == line
        ref = _parse_row(line, names, inverted)
        if status[i] == LINE_OK:
            assert ref == ranks[i].tolist(), line
        elif status[i] == LINE_BLANK:
            assert ref is None, line
        else:
            assert status[i] == LINE_FLAGGED
            # flagged lines go to the reference; plain well-formed lines (one optional
            # "\r" before the newline, as the kernel accepts) never are
            plain = all(
                cell.strip(" \t") == "No opinion"
                or (cell.strip(" \t").isdigit() and len(cell.strip(" \t")) <= 18)
                or not cell.strip(" \t")
                for cell in line.removesuffix("\r").split(",")
            )
            assert not (plain and isinstance(ref, list)), line


@settings(max_examples=100)
@given(st.data(), st.integers(1, 6), st.booleans(), st.integers(1, 5))
def test_parallel_kernel_equals_serial(
    data: st.DataObject, c: int, inverted: bool, chunks: int
) -> None:
    lines = data.draw(st.lists(_lines(c), min_size=0, max_size=12))
    buf = np.frombuffer(("\n".join(lines) + "\n" if lines else "").encode(), np.uint8)
    ranks, status, starts, ends = _parse_civs_block(buf, c, inverted)
    p_ranks, p_status, p_starts, p_ends = _parse_civs_block_parallel(buf, c, inverted, chunks)
    assert p_status.tolist() == status.tolist()
    assert p_starts.tolist() == starts.tolist() and p_ends.tolist() == ends.tolist()
    ok = status == LINE_OK  # other rows are undefined
    assert p_ranks[ok].tolist() == ranks[ok].tolist()


def test_reader_on_threads_reads_what_one_thread_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _big_text(3000, seed=5)
    with forced_engine("numba"):
        one = read(text, errors="collect")
        monkeypatch.setattr(civs, "PARALLEL_MIN_BYTES", 1)
        monkeypatch.setattr(civs, "num_threads", lambda: 3)
        many = read(text, errors="collect")
    assert many[0] == one[0]
    assert many[1].rejected == one[1].rejected


def test_kernel_plain_rows() -> None:
    raw = b"3,1,No opinion\n\n  \r\n2,2,2\r\n1,x,3\n1,2\n"
    ranks, status, starts, ends = _parse_civs_block(np.frombuffer(raw, np.uint8), 3, False)
    assert status.tolist() == [LINE_OK, LINE_BLANK, LINE_BLANK, LINE_OK, LINE_FLAGGED, LINE_FLAGGED]
    assert ranks[0].tolist() == [1, 0, U]
    assert ranks[3].tolist() == [0, 0, 0]
    assert [raw[a:b] for a, b in zip(starts, ends, strict=True)][4] == b"1,x,3"


def test_kernel_wide_rank_spans_use_the_sort_path() -> None:
    raw = b"1000,5,999999999999,5\n"
    ranks, status, _, _ = _parse_civs_block(np.frombuffer(raw, np.uint8), 4, False)
    assert status.tolist() == [LINE_OK]
    assert ranks[0].tolist() == [1, 0, 2, 0]
    inv, _, _, _ = _parse_civs_block(np.frombuffer(raw, np.uint8), 4, True)
    assert inv[0].tolist() == [1, 2, 0, 2]


# ------------------------------------------------------------------ real data
def _civs_entries(index: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in index if str(e.get("ballots_file", "")).lower().endswith("ballots.csv")]


def test_kubernetes_and_knative_ballots(
    elections_dir: Path, elections_index: list[dict[str, Any]]
) -> None:
    entries = _civs_entries(elections_index)
    assert len(entries) >= 14
    for e in entries:
        p, report = read_ballots(elections_dir / e["ballots_file"], errors="collect")
        assert report.format == "civs"
        assert not report.rejected, e["ballots_file"]
        assert p.unranked == "ignore"
        assert p.num_voters == e["n_ballots"], e["ballots_file"]
        assert list(p.candidates) == e["candidates"], e["ballots_file"]
        if "n_candidates" in e:
            assert p.num_candidates == e["n_candidates"]
        if "n_ballots_with_equal_ranks" in e:
            ranked = (p.ranks != U).sum(axis=1)
            distinct = np.where(p.ranks == U, -1, p.ranks).max(axis=1) + 1
            tied = int(p.weights[distinct < ranked].sum())
            assert tied == e["n_ballots_with_equal_ranks"], e["ballots_file"]


# ------------------------------------------------------------------- writing
def test_writer_output() -> None:
    p = Profile.from_rankings([["A", ("B", "C")], ["C"]], weights=[2, 1], unranked="ignore")
    out = io.StringIO()
    CIVSFormat().write(p, out, {})
    assert out.getvalue() == "A,B,C\n1,2,2\n1,2,2\nNo opinion,No opinion,1\n"
    out = io.StringIO()
    CIVSFormat().write(p, out, {"inverted": True})
    assert out.getvalue() == "A,B,C\n3,2,2\n3,2,2\n1,1,3\n"


def test_writer_quotes_commas_and_refuses_names_that_cannot_read_back() -> None:
    p = Profile.from_rankings([['Smith, "J"', "B"]], candidates=['Smith, "J"', "B"])
    out = io.StringIO()
    write_ballots(p, out, "civs")
    assert out.getvalue().splitlines()[0] == '"Smith, ""J""",B'
    assert read(out.getvalue()).candidates == p.candidates
    for names in (["A\nB", "C"], [" A", "B"], ["1", "2"]):
        bad = Profile.from_rankings([names], candidates=names)
        with pytest.raises(UnsupportedProfileError):
            write_ballots(bad, io.StringIO(), "civs")


@settings(max_examples=60)
@given(profiles(max_candidates=6, max_voters=12), st.booleans())
def test_round_trip(profile: Profile, inverted: bool) -> None:
    """What is written reads back (with the format's defaults) to the same counts, or
    nothing is written because the policy the file is read with would change them."""
    target: UnrankedPolicy = "last" if inverted else "ignore"
    out = io.StringIO()
    if not profile.equivalent(canonical(profile).with_unranked(target)):
        with pytest.raises(UnsupportedProfileError, match="without changing the count"):
            write_ballots(profile, out, "civs", inverted=inverted)
        assert out.getvalue() == ""
        return
    write_ballots(profile, out, "civs", inverted=inverted)
    back = read_ballots(io.StringIO(out.getvalue()), "civs", inverted=inverted)
    assert back.equivalent(profile)
    # same policy: the very same ballots (weights store a complete ranking's last
    # choice as 1, unranked: equivalent, not equal)
    if profile.unranked == target and not inverted:
        assert back == profile.compress()


# ---------------------------------------------------------------------- sniff
def test_sniff() -> None:
    sniff = CIVSFormat().sniff
    assert sniff("A,B,C\n1,2,3\nNo opinion,,1\n")
    assert sniff("A,B\n")  # header only, two names
    assert sniff("A,B,C\n1,2,3\n4,5")  # a cut last line is ignored
    assert not sniff("A\n")
    assert not sniff("1,2,3\n1,2,3\n")
    assert not sniff("A,B,C\n1,2\n")
    assert not sniff("A,B,C\n1,x,3\n")
    assert not sniff("")

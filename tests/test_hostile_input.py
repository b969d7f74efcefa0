"""Issue 17, class by class: no crash, no hang, no silent miscount, no lost ballot or file.

Each test is one class of defect the audit found (its example first, then the class):
a clear ``VotingError`` naming the file and line, an exact count, or a report that
accounts for every ballot. The fuzzing harness (``tests/test_fuzz_formats.py``) then
throws mutations of the real elections at every reader, writer and the CLI; the
linear-time claims are measured in ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import gzip
import io
import math
import os
import subprocess
import sys
import textwrap
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import voting
from voting import (
    BallotCounter,
    BallotFormatError,
    InvalidParameterError,
    InvalidProfileError,
    Kemeny,
    PairwiseMatrix,
    Profile,
    ReadReport,
    UnsupportedProfileError,
    iter_ballots,
    pairwise,
    read_ballots,
    write_ballots,
)
from voting.cli import main
from voting.formats import RejectedBallotsWarning
from voting.limits import (
    DEFAULT_MAX_CANDIDATES,
    MAX_VOTERS,
    max_candidates,
    max_line_length,
)

PREFLIB = (
    "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: {voters}\n"
    "# NUMBER UNIQUE ORDERS: {orders}\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
)
DEBIAN = "  Option 1--->: Yes\n  Option 2--->: No\n"


def read(text: str, fmt: str, **kw: Any) -> Profile:
    """``read_ballots`` on ``text`` (bad ballots raise, or are dropped under
    ``errors="ignore"``)."""
    profile: Profile = read_ballots(io.StringIO(text), format=fmt, **kw)
    return profile


def read_collect(text: str, fmt: str, **kw: Any) -> tuple[Profile, ReadReport]:
    """``read_ballots(..., errors="collect")`` on ``text``: the profile and its report."""
    return read_ballots(io.StringIO(text), format=fmt, errors="collect", **kw)


# ------------------------------------------------------------ weights and totals
@pytest.mark.parametrize(
    ("weights", "fragment"),
    [
        ([2**62] * 3, "add up to 13,835,058,055,282,163,712 voters"),  # wrapped negative
        (np.array([2**64 - 1], dtype=np.uint64), "ballot 0 has weight 18446744073709551615"),
        ([1e20], r"ballot 0 has weight 1e\+20"),  # became the int64 minimum, then hung STV
        ([2**63], "ballot 0 has weight 9223372036854775808"),  # became -2**63
        ([2**64], "ballot 0 has weight 18446744073709551616"),
        ([1, 2**80], "ballot 1 has weight"),
        ([MAX_VOTERS, 1], "add up to 9,223,372,036,854,775,808"),
    ],
)
def test_weights_beyond_int64_are_refused_at_construction(
    weights: list[int], fragment: str
) -> None:
    ranks = [[0, 1]] * len(weights)
    with pytest.raises(InvalidProfileError, match=fragment):
        Profile.from_arrays(ranks, weights=weights)


def test_the_largest_total_is_counted_exactly() -> None:
    p = Profile.from_arrays([[0, 1], [1, 0], [0, 1]], weights=[2**62, 2**61, 2**61 - 1])
    assert p.num_voters == MAX_VOTERS
    assert pairwise(p).support.tolist() == [[0, 2**62 + 2**61 - 1], [2**61, 0]]
    assert voting.Plurality().run(p).winner == "c0"


def test_streamed_and_merged_totals_are_checked() -> None:
    half = Profile.from_arrays([[0, 1]], weights=[2**62])
    counter = BallotCounter().update(half)
    with pytest.raises(InvalidProfileError, match="add up to 9,223,372,036,854,775,808"):
        counter.update(half)
    assert counter.num_voters == 2**62  # the refused chunk was not counted
    with pytest.raises(InvalidProfileError, match="merged"):
        counter.merge(BallotCounter().update(half))
    with pytest.raises(InvalidProfileError, match="first 2 chunks"):
        pairwise(iter([half, half]))
    a = PairwiseMatrix(("A", "B"), np.array([[0, 2**62], [0, 0]]))
    with pytest.raises(InvalidProfileError, match="would pass"):
        a + a


def test_a_file_whose_weights_overflow_is_refused_naming_it() -> None:
    text = PREFLIB.format(voters=2, orders=2).replace("# NUMBER VOTERS: 2\n", "")
    text += f"{2**62}: 1,2\n{2**62}: 2,1\n"
    with pytest.raises(BallotFormatError, match=r"<stream>, line 7: .* more than the 9,223,"):
        read(text, "preflib")


@pytest.mark.parametrize(
    ("support", "fragment"),
    [
        ([[0, -5], [3, 0]], r"support\[0, 1\] = -5 is negative"),
        ([[2, 1], [3, 0]], r"support\[0, 0\] = 2; the diagonal must be zero"),
        (np.array([[0, 2**63], [0, 0]], dtype=np.uint64), "more than the"),
        ([[0.5, 1], [1, 0]], "dtype float64"),
    ],
)
def test_pairwise_matrix_refuses_impossible_support(support: object, fragment: str) -> None:
    with pytest.raises(InvalidProfileError, match=fragment):
        PairwiseMatrix(("A", "B"), np.asarray(support))


def test_kemeny_count_of_optimal_rankings_saturates_and_never_wraps() -> None:
    # every ranking of 22 candidates is optimal: 22! > 2**63, and the sum of two
    # saturated counts (2**62 + 2**62) wrapped to -2**63 before
    c = 22
    pm = PairwiseMatrix(tuple(f"c{i}" for i in range(c)), np.zeros((c, c), dtype=np.int64))
    r = Kemeny(max_listed=1).run_pairwise(pm)
    assert r.explanation.num_optimal == 2**62 < math.factorial(c)
    assert "at least 2^62" in str(r.explanation)


def test_kemeny_refuses_scores_beyond_int64() -> None:
    pm = PairwiseMatrix(("A", "B", "C"), np.array([[0, 2**62, 2**62], [0, 0, 2**62], [0] * 3]))
    with pytest.raises(UnsupportedProfileError, match="add up to 13,835,058,055,282,163,712"):
        Kemeny().run_pairwise(pm)


# --------------------------------------------------------------- lost ballots
def test_debian_ballot_lines_written_otherwise_are_rejected_not_skipped() -> None:
    body = "V: 12 a\n V: 21 b\nv: 12 c\n\x00V: 21 d\nV: 21 e\nhello\nV: 1- f\n"
    with pytest.raises(BallotFormatError, match="starting the line") as info:
        read(DEBIAN + body, "debian")
    assert info.value.line == 4
    p, report = read_collect(DEBIAN + body, "debian")
    assert [r.line for r in report.rejected] == [4, 5, 6, 8]
    assert report.ballots_read == 7 == p.num_voters + 4
    # a ballot-like line before the options is a ballot too, and an Option line
    # after the ballots is a structural error
    _, early = read_collect("v: 12\n" + DEBIAN + "V: 12\n", "debian")
    assert early.ballots_read == 2 and early.rejected[0].line == 1
    with pytest.raises(BallotFormatError, match="'Option N' line after the ballots"):
        read_collect(DEBIAN + "V: 12\n  Option 3--->: Maybe\n", "debian")


@pytest.mark.parametrize(
    ("voters", "orders", "fragment"),
    [
        (9, 2, "declares 9 voters, but the file has 7 voters"),
        (7, 5, "declares 5 order lines, but the file has 2 order lines"),
        ("x", 2, "'# NUMBER VOTERS: x' is not a whole number"),
    ],
)
def test_preflib_header_counts_must_agree_with_the_body(
    voters: object, orders: int, fragment: str
) -> None:
    text = PREFLIB.format(voters=voters, orders=orders) + "4: 1,2\n3: 2\n"
    with pytest.raises(BallotFormatError, match=fragment) as info:
        read_collect(text, "preflib")
    assert info.value.line in (3, 4)
    assert read(PREFLIB.format(voters=7, orders=2) + "4: 1,2\n3: 2\n", "preflib").num_voters == 7
    # rejected lines count: read = counted + rejected = the header's voters
    bad = PREFLIB.format(voters=7, orders=2) + "4: 1,2\n3: 2,9\n"
    _, report = read_collect(bad, "preflib")
    assert (report.ballots_counted, report.ballots_rejected) == (4, 3)


def test_unknown_candidates_are_rejected_not_invented() -> None:
    cef = "#/Candidates: A ; B\nA > C\nB\n"
    with pytest.raises(BallotFormatError, match="unknown candidate 'C'") as info:
        read(cef, "cef")
    assert info.value.line == 2
    abif = "=A:[Alice]\n=B:[Bob]\n3:A>Bb\n2:B\n"
    p, report = read_collect(abif, "abif")
    assert p.candidates == ("Alice", "Bob")
    assert (report.ballots_counted, report.ballots_rejected) == (2, 3)
    assert "unknown candidate token 'Bb'" in report.rejected[0].reason


def test_blt_ballot_lines_after_the_names_are_refused() -> None:
    text = '2 1\n1 1 2 0\n0\n"A"\n"B"\n"T"\n3 2 1 0\n'
    with pytest.raises(BallotFormatError, match="a ballot line after the end") as info:
        read_collect(text, "blt")
    assert info.value.line == 7
    # a second lone 0 is a ballot line too; quoted strings after the title are fine
    with pytest.raises(BallotFormatError, match="after the end of the ballots"):
        read('2 1\n1 1 0\n0\n0\n"A"\n"B"\n', "blt")
    assert read('2 1\n1 1 0\n0\n"A"\n"B"\n"T" "source"\n', "blt").num_voters == 1


def test_error_policies_are_checked_and_every_rejection_is_reachable() -> None:
    text = DEBIAN + "V: 12\nV: x2\nV: 21\n"
    for typo in ("colect", "Collect", "", None, 1):
        with pytest.raises(InvalidParameterError, match="is not an error policy"):
            read(text, "debian", errors=typo)
        with pytest.raises(InvalidParameterError, match="is not an error policy"):
            iter_ballots(io.StringIO(text), "debian", errors=typo)  # type: ignore[arg-type]  # deliberately not an error policy
    with pytest.warns(RejectedBallotsWarning, match="1 of 3 ballots were not counted") as got:
        p = read(text, "debian", errors="ignore")
    assert p.num_voters == 2
    message = got[0].message
    assert isinstance(message, RejectedBallotsWarning)
    report = message.report
    assert report.ballots_read == 3 and report.rejected[0].line == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read(DEBIAN + "V: 12\n", "debian", errors="ignore")  # nothing skipped: no warning
    stream = iter_ballots(io.StringIO(text), "debian", errors="collect", chunk_size=1)
    assert [c.num_voters for c in stream] == [1, 1]
    assert stream.done
    assert stream.report.ballots_read == 3 and stream.report.rejected[0].line == 4
    with pytest.raises(InvalidParameterError, match="unranked='lst'"):
        read(text, "debian", unranked="lst")


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_every_line_ending_reads_the_same(tmp_path: Path, end: str) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(("A,B\n" + "1,2\n2,1\n" * 3).replace("\n", end).encode())
    p, report = read_ballots(path, errors="collect")
    assert (p.num_voters, report.ballots_rejected) == (6, 0)


# ------------------------------------------------------------------ lost files
@pytest.mark.parametrize(
    ("fmt", "profile"),
    [
        ("blt", Profile.from_rankings([["B"]], candidates=['say "hi"', "B"])),
        ("debian", Profile.from_arrays(np.zeros((1, 40), dtype=np.int32))),
        ("abif", Profile.from_rankings([["A"]], candidates=["a]b", "A"])),
        ("cef", Profile.from_rankings([["A"]], candidates=["a;b", "A"])),
    ],
)
def test_a_refused_write_leaves_the_file_untouched(
    tmp_path: Path, fmt: str, profile: Profile
) -> None:
    dest = tmp_path / "out.txt"
    dest.write_text("precious\n")
    with pytest.raises(UnsupportedProfileError):
        write_ballots(profile, dest, format=fmt)
    assert dest.read_text() == "precious\n"
    assert [x.name for x in tmp_path.iterdir()] == ["out.txt"]  # no temporary left


def test_convert_that_fails_keeps_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text('"say ""hi""",B\n1,2\n')
    dest = tmp_path / "out.blt"
    dest.write_text("precious\n")
    assert main(["convert", str(src), str(dest)]) == 2
    assert "double quote" in capsys.readouterr().err
    assert dest.read_text() == "precious\n"
    good = tmp_path / "good.csv"
    good.write_text("A,B\n1,2\n")
    os.chmod(dest, 0o640)
    assert main(["convert", str(good), str(dest)]) == 0
    assert read_ballots(dest).num_voters == 1
    assert (dest.stat().st_mode & 0o777) == 0o640  # permissions kept
    assert sorted(x.name for x in tmp_path.iterdir()) == ["good.csv", "in.csv", "out.blt"]


@pytest.mark.slow
def test_a_huge_weight_is_never_expanded_into_rows(tmp_path: Path) -> None:
    p = Profile.from_arrays([[0, 1]], weights=[10**10])
    tracemalloc.start()
    try:
        with pytest.raises(UnsupportedProfileError, match=r"10,000,000,000 voters.*100,000,000"):
            write_ballots(p, tmp_path / "x.csv")
        out = io.StringIO()
        write_ballots(
            Profile.from_arrays([[0, 1], [1, 0]], weights=[300_000, 2]),
            out,
            format="debian",
            max_expanded_voters=10**6,
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20  # a row of 300,000 voters is written in blocks
    assert out.getvalue().count("\nV: 12 ") == 300_000
    assert read_ballots(io.StringIO(out.getvalue()), "debian").weights.tolist() == [300_000, 2]
    assert not (tmp_path / "x.csv").exists()


# ------------------------------------------------------------ crashes and hangs
def test_invalid_utf8_names_the_file_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"A,B\n1,2\n2,1\n1,\xe9\n")
    with pytest.raises(BallotFormatError) as info:
        read_ballots(path)
    assert info.value.line == 4
    assert "b'\\xe9' at byte 14 of the file are not valid utf-8" in str(info.value)
    assert "encoding=" in str(info.value)
    assert str(path) in str(info.value)
    p = read_ballots(path, encoding="latin-1", errors="collect")[0]
    assert p.num_voters == 2  # the é line is rejected as a rank, not a crash


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_are_detected(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "b.blt"
    path.write_bytes('2 1\n3 1 2 0\n0\n"Zoë"\n"B"\n"T"\n'.encode(codec))
    assert read_ballots(path).candidates == ("Zoë", "B")


def test_binary_streams_and_encoding_checks(tmp_path: Path) -> None:
    data = "A,Zoë\n1,2\n".encode("cp1252")
    assert read_ballots(io.BytesIO(data), "civs", encoding="cp1252").candidates == ("A", "Zoë")
    with pytest.raises(InvalidParameterError, match="not a codec"):
        read_ballots(io.BytesIO(data), "civs", encoding="utf-9")
    with pytest.raises(InvalidParameterError, match="already decoded"):
        read_ballots(io.StringIO("A,B\n1,2\n"), "civs", encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "text", "fragment"),
    [
        ("blt", '2 1\n\u00b2 1 2 0\n0\n"A"\n"B"\n', "does not start with a weight"),
        ("abif", "=A:[A]\n\u00b2:A\n", "expected a ballot line"),
        ("abif", "=A:[A]\n\u00b2:A\n1:A\n", "expected a ballot line"),
        ("cef", "#/Candidates: A ; B\nA > B * \u00b2\n", "got '\u00b2'"),
        ("preflib", PREFLIB.format(voters=1, orders=1) + "\u0663: 1\n", "expected 'count"),
        ("civs", "A,B\n\u00b2,1\n", "is not a whole number"),
        ("blt", "2 1\n" + "9" * 200_000 + ' 1 2 0\n0\n"A"\n"B"\n', "is too large"),
        ("preflib", PREFLIB.format(voters=1, orders=1) + "9" * 200_000 + ": 1\n", "too large"),
        ("civs", "A,B\n" + "9" * 200_000 + ",1\n", "is too large"),
        ("cef", "#/Candidates: A\nA * " + "9" * 200_000 + "\n", "too large"),
        ("abif", "=A:[A]\n=B:[B]\n1:A/" + "9" * 200_000 + ",B/1\n", "too large"),
        ("debian", "Option " + "9" * 200_000 + ": A\nV: 1\n", r"numbered \(huge\)"),
        ("blt", '2 1\n-9000000000000000000\n1 1 0\n0\n"A"\n"B"\n', "withdrawn candidate"),
        ("blt", "2 1\n-" + "9" * 5000 + '\n1 1 0\n0\n"A"\n"B"\n', "withdrawn candidate"),
    ],
)
def test_numbers_that_crashed_int_are_reported(fmt: str, text: str, fragment: str) -> None:
    with pytest.raises(BallotFormatError, match=fragment) as info:
        read(text, fmt)
    assert info.value.line is not None


def test_a_truncated_gzip_names_the_file_and_where_it_breaks(tmp_path: Path) -> None:
    data = gzip.compress(b"A,B\n" + b"1,2\n" * 100_000)
    path = tmp_path / "t.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BallotFormatError, match="breaks off or is corrupt") as info:
        read_ballots(path)
    assert info.value.line is not None and info.value.line > 1
    path.write_bytes(b"not gzip at all")
    with pytest.raises(BallotFormatError, match="not valid gzip data"):
        read_ballots(path, "civs")


def test_long_lines_are_refused_before_they_are_held(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("A,B\n1,2\n" + "1," * 3_000_000 + "\n")
    tracemalloc.start()
    try:
        with pytest.raises(BallotFormatError, match="longer than 1,048,576 characters") as info:
            read_ballots(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.line == 3
    assert "max_line_length" in str(info.value)
    assert peak < 48 * 2**20  # the 6 MB line was never held whole
    assert read_ballots(path, max_line_length=8_000_000, errors="collect")[1].ballots_rejected == 1
    # every reader's way of reading a line is limited: iteration, readline, read
    for fmt, head in [("debian", DEBIAN), ("blt", "2 1\n"), ("abif", ""), ("cef", "")]:
        with pytest.raises(BallotFormatError, match="longer than 100 characters"):
            read(head + "x" * 200 + "\n", fmt, max_line_length=100)


@pytest.mark.parametrize(
    "text",
    [
        "# NUMBER ALTERNATIVES: 1000000000\n# ALTERNATIVE NAME 1: A\n1: 1\n",
        '1000000000 1\n1 1 0\n0\n"A"\n',
        "30000 1\n1 1 0\n0\n" + "".join(f'"c{i}"\n' for i in range(30000)),
        "#/Candidates: " + " ; ".join(f"c{i}" for i in range(20000)) + "\nc1\n",
        "".join(f"=c{i}:[c{i}]\n" for i in range(20000)) + "1:c1\n",
        ",".join(f"c{i}" for i in range(20000)) + "\n",
    ],
    ids=["preflib", "blt", "blt-30000", "cef", "abif", "civs"],
)
def test_huge_declared_sizes_are_refused_before_allocation(text: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(BallotFormatError, match=r"candidates; the limit is 10,000 \(raise"):
            read_ballots(io.StringIO(text))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20 + 40 * len(text)


def test_limits_resolve_keyword_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_candidates() == DEFAULT_MAX_CANDIDATES
    monkeypatch.setenv("VOTING_MAX_CANDIDATES", "3")
    assert max_candidates() == 3 and max_candidates(7) == 7
    with pytest.raises(BallotFormatError, match="the limit is 3"):
        read_ballots(io.StringIO("A,B,C,D\n1,2,3,4\n"))
    monkeypatch.setenv("VOTING_MAX_LINE_LENGTH", "lots")
    with pytest.raises(InvalidParameterError, match="VOTING_MAX_LINE_LENGTH='lots'"):
        max_line_length()
    with pytest.raises(InvalidParameterError, match="max_candidates=0"):
        max_candidates(0)


# ----------------------------------------------------------------------- threads
_THREADS = textwrap.dedent(
    """
    import os, sys, threading
    import numpy as np
    import voting

    rng = np.random.default_rng(1)
    p = voting.Profile.from_arrays(np.argsort(rng.random((4000, 12)), axis=1))
    want = voting.pairwise(p, parallel=False)
    errors = []

    def work():
        for _ in range(3):
            if voting.pairwise(p, parallel=True) != want:
                errors.append("miscount")
            voting.Schulze().run(p)
            voting.STV(seats=3).run(p)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    import dask, dask.array as da
    import voting.dask as vd
    with dask.config.set(scheduler="threads", num_workers=8):
        got = vd.pairwise(da.from_array(p.ranks, chunks=(500, 12)), parallel=True)
    assert got.support.tolist() == want.support.tolist()
    pid = os.fork()
    if pid == 0:
        ok = voting.pairwise(p, parallel=True) == want
        os._exit(0 if ok else 3)
    _, status = os.waitpid(pid, 0)
    print(errors, os.waitstatus_to_exitcode(status))
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
@pytest.mark.parametrize("layer", [None, "workqueue"])
def test_threads_dask_and_fork_after_a_parallel_kernel(layer: str | None) -> None:
    # run in a child: an unsafe layer aborts the whole process (SIGABRT), which
    # would take pytest down with it
    env = dict(os.environ)
    env.pop("NUMBA_THREADING_LAYER", None)
    if layer is not None:
        env["NUMBA_THREADING_LAYER"] = layer
    proc = subprocess.run(
        [sys.executable, "-c", _THREADS], capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["[]", "0"]


def test_every_method_counts_near_the_int64_limit_exactly_or_refuses() -> None:
    p = Profile.from_rankings([["A", "B", "C"], ["B", "C", "A"]], weights=[2**61, 2**61])
    borda = voting.Borda().run(p).explanation.scores
    assert [int(x) for x in borda] == [2**62, 3 * 2**61, 2**61]  # a row sum passes int64
    for method in voting.all_methods():
        try:
            result = method.run(p)
        except (UnsupportedProfileError, InvalidProfileError):
            continue
        assert {c for tier in result.ranking for c in tier} == {"A", "B", "C"}


def test_tie_analysis_refuses_to_expand_a_huge_weight() -> None:
    p = Profile.from_rankings([[("A", "B", "C", "D", "E", "F", "G")]], weights=[10**10])
    with pytest.raises(UnsupportedProfileError, match="expand 10,000,000,000 voters"):
        voting.tie_sensitivity(voting.Schulze(), p, samples=10, seed=1)


def test_dask_reductions_refuse_totals_beyond_int64() -> None:
    da = pytest.importorskip("dask.array")
    import dask

    import voting.dask as vd

    ranks = da.from_array(np.array([[0, 1], [1, 0]], dtype=np.int32), chunks=(1, 2))
    weights = da.from_array(np.array([2**62, 2**62], dtype=np.int64), chunks=1)
    with dask.config.set(scheduler="synchronous"):
        assert vd.pairwise(ranks, weights=weights).support.tolist() == [[0, 2**62], [2**62, 0]]
        with pytest.raises(InvalidProfileError, match="merged counters"):
            vd.count_ballots(ranks, weights=weights)
        heavy = da.from_array(np.array([[0, 1], [0, 1]], dtype=np.int32), chunks=(1, 2))
        with pytest.raises(InvalidProfileError, match="would pass"):
            vd.pairwise(heavy, weights=weights)


def test_abif_vectorised_parser_with_bracketed_candidates_between_bare_ones() -> None:
    # the duplicate check packed (line, column) with the count of bare tokens as its
    # base, while columns run over every candidate: an IndexError, found by hypothesis
    text = "=A:[A]\n1:A>A>[Bob Kiss]\n1:B>B>\n2:B>A\n"
    p, report = read_collect(text, "abif", undeclared="add", names="token")
    assert p.candidates == ("A", "Bob Kiss", "B")
    assert [r.line for r in report.rejected] == [2, 3]
    assert p.weights.tolist() == [2]

"""CEF (Condorcet Election Format, ``.cvotes``) reader and writer."""

from __future__ import annotations

import gzip
import io
import warnings
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
    UnsupportedProfileError,
)
from voting.formats import FORMATS, get_format, iter_ballots, read_ballots, write_ballots
from voting.formats._base import ReadContext
from voting.formats.abif import ABIFFormat
from voting.formats.blt import BLTFormat
from voting.formats.cef import CEFFormat, _Params, _vote_line

from .format_checks import Unseekable, assert_bad_line_reported, assert_chunks_add_up
from .strategies import profiles

U = UNRANKED

# The first valid example of the specification.
WITH_TAGS = """# My beautiful election
#/Candidates: Candidate A;Candidate B;Candidate C
#/Implicit Ranking: true
#/Weight allowed: true

# Here the votes datas:
Candidate A > Candidate B > Candidate C * 42
julien@condorcet.vote , signature:55073db57b0a859911 || Candidate A > Candidate B > Candidate C # Same as above, so there will be 43 votes with this ranking. And tags are registered by the software if able.
Candidate C > Candidate A = Candidate B ^7 * 8 # 8 votes with a weight of 7.
Candidate B = Candidate A > Candidate C
Candidate C # Interpreted as Candidate C > Candidate A = Candidate B, because implicit ranking is true (which is also default, but it's better to say it)
Candidate B > Candidate C # Interpreted as Candidate B > Candidate C
"""  # noqa: E501

# The second valid example: no implicit ranking, weights not allowed.
WITHOUT_IMPLICIT = """# My beautiful election
#/Candidates: Candidate A ; Candidate B ; Candidate C
#/Implicit Ranking: false
#/Weight allowed: false

# Here are the votes data:
Candidate A > Candidate B > Candidate C ^7 *2 # Vote weight is disabled, so ^7 is ignored. Two votes with a weight of 1.
Candidate C>Candidate B # Vote is untouched. When compute pairwise, Candidate C win again Candidate B, no one beats the candidate or achieves a draw.
/EMPTY/ * 2 # Two blanks (NOTA) votes.
Candidate B # Vote is valid but does not have any effect on most election methods, especially Condorcet methods.
"""  # noqa: E501


def read(text: str, **kw: Any) -> Any:
    return read_ballots(io.StringIO(text), "cef", compress=False, **kw)


# ---------------------------------------------------------------- the specification
def test_spec_example_with_tags_weights_and_implicit_ranking() -> None:
    p, report = read(WITH_TAGS, errors="collect")
    assert p.candidates == ("Candidate A", "Candidate B", "Candidate C")
    assert p.unranked == "last"
    assert p.ranks.tolist() == [
        [0, 1, 2],
        [0, 1, 2],
        [1, 1, 0],
        [0, 0, 1],
        [U, U, 0],
        [U, 0, 1],
    ]
    # '^7 * 8' with weights allowed: 8 voters of weight 7.
    assert p.weights.tolist() == [42, 1, 56, 1, 1, 1]
    assert not report.rejected
    assert report.seats is None


def test_spec_example_without_implicit_ranking_or_weights() -> None:
    p, report = read(WITHOUT_IMPLICIT, errors="collect")
    assert p.unranked == "ignore"
    assert p.ranks.tolist() == [[0, 1, 2], [U, 1, 0], [U, U, U], [U, 0, U]]
    assert p.weights.tolist() == [2, 1, 2, 1]
    assert report.ballots_counted == 6


def test_caller_overrides_the_implicit_ranking_parameter() -> None:
    assert read(WITHOUT_IMPLICIT, unranked="last").unranked == "last"
    assert read(WITH_TAGS, unranked="ignore").unranked == "ignore"


def test_parameters_seats_title_and_case() -> None:
    text = (
        "#/candidates:  A ; B\n"
        "#/NUMBER OF SEAT: 3\n"
        "#/Title: Board election 2025\n"
        "#/Some software option: 12\n"
        "A > B\n"
    )
    p, report = read(text, errors="collect")
    assert p.candidates == ("A", "B")
    assert (report.seats, report.title) == (3, "Board election 2025")


def test_empty_ranking_keywords_of_spec_and_reference_implementation() -> None:
    p = read("#/Candidates: A ; B\n/EMPTY/\n/EMPTY_RANKING/ * 3\n")
    assert p.ranks.tolist() == [[U, U], [U, U]]
    assert p.weights.tolist() == [1, 3]


def test_unknown_names_are_skipped_with_one_warning_when_asked() -> None:
    text = "#/Candidates: A ; B ; C\nA > Zed > B = Yves\nYves > C\nZed\n"
    with pytest.warns(UserWarning, match=r"2 candidate\(s\) missing .*'Yves', 'Zed'"):
        p, report = read(text, errors="collect", unknown_candidates="skip")
    assert p.ranks.tolist() == [[0, 1, U], [U, U, 0], [U, U, U]]
    assert not report.rejected


def test_votes_naming_unknown_candidates_are_rejected_by_default() -> None:
    text = "#/Candidates: A ; B ; C\nA > Zed > B = Yves\nYves > C\nB * 4\n"
    with pytest.raises(BallotFormatError, match="unknown candidate 'Zed'") as info:
        read(text)
    assert info.value.line == 2
    p, report = read(text, errors="collect")
    assert p.weights.tolist() == [4]
    assert [r.line for r in report.rejected] == [2, 3]
    assert report.ballots_read == 6
    with pytest.raises(InvalidParameterError, match="unknown_candidates='drop'"):
        read(text, unknown_candidates="drop")


def test_candidates_come_from_the_votes_when_not_declared() -> None:
    text = "# no parameters\nB > A = C\n\nD * 2\n"
    p = read(text)
    assert p.candidates == ("A", "B", "C", "D")
    assert p.ranks.tolist() == [[1, 0, 1, U], [U, U, U, 0]]
    assert p.weights.tolist() == [1, 2]


def test_crlf_and_bom() -> None:
    p = read("\ufeff#/Candidates: A;B\r\nB>A\r\n")
    assert p.candidates == ("A", "B")
    assert p.ranks.tolist() == [[1, 0]]


def test_weights_and_quantifiers_without_spaces() -> None:
    p = read("#/Candidates: A ; B\n#/Weight Allowed: true\nA>B^3*2\nB *4\n")
    assert p.weights.tolist() == [6, 4]


# ------------------------------------------------------------- malformed ballots
BAD_LINES = [
    ("A < B", "unexpected '<'", 1),
    ("A > B > A", "'A' is ranked twice", 1),
    ("A > B > A * 5", "'A' is ranked twice", 5),
    ("A > B > A * 8 ^7", "expected a whole number after '*'", 1),
    ("A >> B * 3", "empty preference", 3),
    ("A > = B", "empty preference", 1),
    ("A > B *", "expected a whole number after '*'", 1),
    ("A > B * x", "expected a whole number after '*'", 1),
    ("A ^x", "expected a whole number after '^'", 1),
    ("A > B * 0", "stands for no voter", 0),
    ("A ^0 * 4", "stands for no voter", 0),
    ("tag || ^7 * 4", "no ranking", 1),
    ("A > B | C", "unexpected '|'", 1),
    ("A > /EMPTY/", "/EMPTY/ stands for a whole blank vote", 1),
]


@pytest.mark.parametrize(("line", "reason", "weight"), BAD_LINES)
def test_malformed_vote_is_reported_with_reason_and_weight(
    line: str, reason: str, weight: int
) -> None:
    text = f"#/Candidates: A ; B ; C\n#/Weight Allowed: true\nA > B * 2\n{line}\nC\n"
    assert_bad_line_reported(
        read, text, line_no=4, line=line, reason=reason, weight=weight, counted=[2, 1]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#/Candidates: A;B # comment\nA\n", "comments are not allowed on parameter lines"),
        ("#/Candidates: A;B\n   #/Implicit Ranking: false\nA\n", "beginning of the line"),
        ("#/Candidates: A;B\nA > B\n#/Implicit Ranking: false\n", "before the first vote"),
        ("#/Candidates: A;B\n#/Candidates: A;B\nA\n", "given twice"),
        ("#/Candidates: A;;B\nA\n", "found an empty name"),
        ("#/Candidates: A>B;C\nC\n", "names cannot hold"),
        ("#/Candidates: A;B;A\nA\n", "names 'A' twice"),
        ("#/Number of Seats: two\nA\n", "expected a whole number >= 1"),
        ("#/Implicit Ranking: maybe\nA\n", "expected true or false"),
        ("#/Candidates\nA\n", "expected a parameter line"),
        ("# only comments\n", "no candidates"),
    ],
)
def test_structural_errors_fail_whatever_the_error_policy(text: str, message: str) -> None:
    with pytest.raises(BallotFormatError, match=message):
        read(text, errors="collect")


# ---------------------------------------------------------------------- chunking
@pytest.mark.parametrize("chunk_size", [1, 2, 4, 1000])
def test_chunks_are_bounded_and_add_up(chunk_size: int) -> None:
    assert_chunks_add_up(read, WITH_TAGS, "cef", chunk_size)


def test_parameters_without_votes_yield_one_empty_chunk() -> None:
    chunks = list(iter_ballots(io.StringIO("#/Candidates: A ; B\n#/Number of Seats: 1\n"), "cef"))
    assert len(chunks) == 1
    assert chunks[0].num_ballots == 0
    assert chunks[0].candidates == ("A", "B")


def test_an_unseekable_stream_is_spooled() -> None:
    text = "B > A = C\nD * 2\n"  # candidates from the votes: two passes
    p = read_ballots(Unseekable(text), "cef", compress=False)
    assert p == read(text)
    q = read_ballots(Unseekable(WITH_TAGS))
    assert q == read(WITH_TAGS).compress()


def test_gzip_file_without_candidates_parameter(tmp_path: Path) -> None:
    text = "B > A = C\nD * 2\n"  # candidates from the votes: two passes
    with gzip.open(tmp_path / "x.cvotes.gz", "wt", encoding="utf-8") as f:
        f.write(text)
    assert read_ballots(tmp_path / "x.cvotes.gz", compress=False) == read(text)


# ----------------------------------------------------------- fast path vs slow path
_ATOMS = ["A", "B", "C", "Zed", "A B", "/EMPTY/", ""]
_SEPS = [" > ", "=", " = ", ">", ">>", " < "]
_TAILS = ["", " * 2", "*3", " ^2", " ^2 * 3", " * 0", " * x", " # c", "  "]


@st.composite
def vote_lines(draw: st.DrawFn) -> str:
    atoms = draw(st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=5))
    seps = draw(st.lists(st.sampled_from(_SEPS), min_size=len(atoms), max_size=len(atoms)))
    ranking = "".join(s + a for s, a in zip(seps, atoms, strict=True))[len(seps[0]) :]
    tags = draw(st.sampled_from(["", "t1, t2 || "]))
    return tags + ranking + draw(st.sampled_from(_TAILS))


@pytest.mark.parametrize("unknown", ["reject", "skip"])
@settings(max_examples=75)
@given(st.lists(vote_lines(), max_size=12), st.integers(1, 4), st.booleans())
def test_vectorised_block_parser_agrees_with_the_line_parser(
    unknown: str, lines: list[str], chunk_size: int, weights: bool
) -> None:
    """Every line, whichever path parses it, gives what :func:`_vote_line` gives."""
    head = f"#/Candidates: A ; B ; C\n#/Weight Allowed: {str(weights).lower()}\n"
    text = head + "".join(x + "\n" for x in lines)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, report = read(
            text, errors="collect", chunk_size=chunk_size, unknown_candidates=unknown
        )
    params = _Params(candidates=("A", "B", "C"), weight_allowed=weights, body=3)
    ctx = ReadContext(source="<ref>", errors="collect", unranked=None)
    index = {"A": 0, "B": 1, "C": 2}
    rows: list[list[int]] = []
    counts: list[int] = []
    for lineno, line in enumerate(lines, start=3):
        parsed = _vote_line(line, lineno, ctx, params, index, set() if unknown == "skip" else None)
        if parsed is None:
            continue
        cols, tiers, weight = parsed
        row = [U] * 3
        for c, t in zip(cols, tiers, strict=True):
            row[c] = t
        rows.append(row)
        counts.append(weight)
    want = Profile(np.array(rows, dtype=np.int64).reshape(-1, 3), counts, ["A", "B", "C"])
    assert got == want
    assert report.rejected == tuple(ctx.rejected)


# ------------------------------------------------------------------------ writing
def test_writer_output() -> None:
    p = Profile.from_rankings(
        [["Bob Kiss", ("Andy", "Doña")], ["Andy"], []],
        candidates=["Andy", "Bob Kiss", "Doña"],
        weights=[3, 1, 2],
        unranked="ignore",
    )
    out = io.StringIO()
    write_ballots(p, out, "cef", seats=2, title="Board 2025")
    assert out.getvalue() == (
        "#/Candidates: Andy ; Bob Kiss ; Doña\n"
        "#/Number of Seats: 2\n"
        "#/Title: Board 2025\n"
        "#/Implicit Ranking: false\n"
        "#/Weight Allowed: false\n"
        "\n"
        "Bob Kiss > Andy = Doña * 3\n"
        "Andy\n"
        "/EMPTY_RANKING/ * 2\n"
    )
    out.seek(0)
    q, report = read_ballots(out, "cef", errors="collect")
    assert q == p.compress()
    assert (report.seats, report.title) == (2, "Board 2025")


@pytest.mark.parametrize("name", ["A>B", "A;B", "a,b", "#1", "x/y", "2*3", "^", "a|b", "a<b", " A"])
def test_writer_rejects_names_cef_cannot_hold(name: str) -> None:
    with pytest.raises(UnsupportedProfileError, match="cannot be written in CEF"):
        write_ballots(Profile.from_rankings([[name]]), io.StringIO(), "cef")


def test_writer_rejects_bad_options() -> None:
    p = Profile.from_rankings([["A"]])
    with pytest.raises(InvalidParameterError, match="seats=0"):
        write_ballots(p, io.StringIO(), "cef", seats=0)
    with pytest.raises(InvalidParameterError, match="cannot write"):
        write_ballots(p, io.StringIO(), "cef", title="A > B")
    with pytest.raises(InvalidParameterError, match="unknown option 'weights'"):
        write_ballots(p, io.StringIO(), "cef", weights=True)


@settings(max_examples=60)
@given(profiles())
def test_round_trip_keeps_the_policy(p: Profile) -> None:
    """CEF carries the policy: implicit ranking true is "last", false is "ignore"."""
    out = io.StringIO()
    write_ballots(p, out, "cef", seats=3)
    out.seek(0)
    q, report = read_ballots(out, "cef", errors="collect")
    assert q == p.compress()
    assert not report.rejected
    assert report.seats == 3
    assert CEFFormat().sniff(out.getvalue())


def test_writer_by_extension(tmp_path: Path) -> None:
    p = Profile.from_rankings([["A", "B"], ["B"]], weights=[2, 5])
    write_ballots(p, tmp_path / "x.cvotes")
    assert read_ballots(tmp_path / "x.cvotes") == p.compress()


def test_a_cvotes_file_without_parameters_is_found_by_its_extension(tmp_path: Path) -> None:
    (tmp_path / "plain.cvotes").write_text("A > B\nB * 2\n", encoding="utf-8")
    p = read_ballots(tmp_path / "plain.cvotes")
    assert p.candidates == ("A", "B")
    assert p.num_voters == 3


# ------------------------------------------------------------------------ sniffing
def test_sniff_recognises_cef_and_nothing_else(elections_dir: Path) -> None:
    cef = CEFFormat()
    assert cef.sniff(WITH_TAGS)
    assert cef.sniff(WITHOUT_IMPLICIT[:60])
    assert not cef.sniff("A > B\n")  # no parameters: only the extension says CEF
    for path in sorted(elections_dir.rglob("*")):
        if not path.is_file() or path.suffix in {".json", ".md", ".yaml"}:
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:65536]
        assert not cef.sniff(head), path
    p = Profile.from_rankings([["A", "B"], ["B"]])
    for fmt in ("blt", "abif"):
        out = io.StringIO()
        write_ballots(p, out, fmt)
        assert not cef.sniff(out.getvalue())
    assert not BLTFormat().sniff(WITH_TAGS)
    assert not ABIFFormat().sniff(WITH_TAGS)


@settings(max_examples=25)
@given(profiles())
def test_no_other_registered_format_claims_what_the_writer_writes(p: Profile) -> None:
    out = io.StringIO()
    write_ballots(p, out, "cef")
    head = out.getvalue()
    claimed = [name for name in FORMATS if get_format(name).sniff(head)]
    assert claimed == ["cef"] or (not p.num_ballots and claimed in ([], ["cef"]))

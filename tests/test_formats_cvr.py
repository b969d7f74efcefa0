"""Cast vote records: the readers keep every mark; the profile builder applies the rules."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voting import BallotFormatError
from voting.exceptions import InvalidParameterError
from voting.formats import read_cvr
from voting.formats._xlsx import iter_rows
from voting.formats.cvr import UNDECLARED_WRITE_IN, ballots_from_positions
from voting.formats.cvr_profile import BallotRules, cvr_profile
from voting.methods.irv import IRV
from voting.rctab import contest_profile, count, load_config

DATA = Path(__file__).parent / "data" / "rctab"
_UNRANKED = int(np.iinfo(np.int32).max)


def _xlsx(path: Path, rows: str, strings: list[str]) -> Path:
    """A minimal workbook whose first sheet holds ``rows`` (sheetData XML)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{sst}</sst>')
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>',
        )
    return path


def test_xlsx_rows_as_the_sheet_holds_them(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>7.0</v></c><c r="B2" s="3"/><c r="C2" t="s"><v>2</v></c></row>'
        '<row r="5"/>'
        '<row r="1048576"></row>'
        '<row r="6"><c r="B6" t="inlineStr"><is><t>A &amp; B</t></is></c></row>'
    )
    path = _xlsx(tmp_path / "s.xlsx", rows, ["id", "first", "Ann"])
    got = list(iter_rows(str(path)))
    assert got == [
        (0, [(0, "id"), (1, "first")]),
        (1, [(0, "7"), (2, "Ann")]),  # a cell without a value is no cell
        (4, []),  # a present empty row is a row
        (1048575, []),
        (5, [(1, "A & B")]),
    ]


def test_ess_reader_options(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>1</v></c>'
        '<c r="D2" t="s"><v>2</v></c></row>'
        '<row r="3"><c r="A3"><v>2</v></c><c r="B3" t="s"><v>3</v></c>'
        '<c r="C3" t="s"><v>4</v></c></row>'
        '<row r="4"><c r="A4"><v>3</v></c></row>'
    )
    path = _xlsx(tmp_path / "e.xlsx", rows, ["id", "Ann", "Bob", "Ann|Bob", "undervote"])
    cvrs = read_cvr(
        path,
        "ess",
        first_vote_column=2,
        first_vote_row=2,
        id_column=1,
        overvote_delimiter="|",
        skipped_rank_label="undervote",
        treat_blank_as_undeclared_write_in=True,
        max_rankings=3,
    )
    assert [cvrs.ballot(i).positions for i in range(3)] == [
        (("Ann",), (UNDECLARED_WRITE_IN,), ("Bob",)),
        (("Ann", "Bob"), (), (UNDECLARED_WRITE_IN,)),
        ((UNDECLARED_WRITE_IN,), (UNDECLARED_WRITE_IN,), (UNDECLARED_WRITE_IN,)),
    ]
    assert cvrs.supplied_ids == ("1", "2", "3")
    assert cvrs.ids == ("e.xlsx-1", "e.xlsx-2", "e.xlsx-3")


def test_generic_csv_errors_collect(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("id,Ann,Bob\n1,1,2\n2,x,1\n3,,1\n", encoding="utf-8")
    with pytest.raises(BallotFormatError, match=r"line 3.*expected a rank number"):
        read_cvr(path, "genericCsv", first_vote_column=2)
    cvrs, report = read_cvr(path, "genericCsv", errors="collect", first_vote_column=2)
    assert len(cvrs) == 2 and report.ballots_rejected == 1 and report.ballots_read == 3


def test_read_cvr_refuses_unknown_options(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("id,Ann\n1,1\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="genericCsv reader"):
        read_cvr(path, "genericCsv", first_vote_column=2, contest_id="x")
    with pytest.raises(InvalidParameterError, match="provider"):
        read_cvr(path, "nope")


# ------------------------------------------------------------------ profile rules
BALLOTS = [
    [["A"], [], [], ["B"]],  # two skipped rankings
    [["A", "B"], ["C"]],  # overvote first
    [["B"], ["B"], ["C"]],  # repeated ranking
    [["overvote"], ["C"]],  # explicit overvote
    [[UNDECLARED_WRITE_IN], ["A"]],
]


def _rows(rules: BallotRules, **kw: Any) -> dict[str, int]:
    p = cvr_profile(
        ballots_from_positions(BALLOTS),
        rules,
        candidates=["A", "B", "C", UNDECLARED_WRITE_IN],
        **kw,
    )
    return {
        " ".join(f"{c}{r}" for c, r in zip(p.candidates, row, strict=True) if r != _UNRANKED): int(
            w
        )
        for row, w in zip(p.ranks.tolist(), p.weights.tolist(), strict=True)
    }


def test_profile_exhaust_immediately() -> None:
    rows = _rows(BallotRules(overvote_rule="exhaustImmediately", max_skipped_ranks=1))
    assert rows == {"A0": 1, "": 2, "B0 C1": 1, "A1 Undeclared Write-ins0": 1}


def test_profile_skip_to_next_and_unlimited_skips() -> None:
    rows = _rows(BallotRules(overvote_rule="alwaysSkipToNextRank"))
    assert rows == {"A0 B1": 1, "C0": 2, "B0 C1": 1, "A1 Undeclared Write-ins0": 1}


def test_profile_duplicates_and_tied_overvotes() -> None:
    rows = _rows(
        BallotRules(overvote_rule="exhaustIfMultipleContinuing", exhaust_on_duplicate=True),
        write_ins="drop",
    )
    assert rows == {"A0 B1": 1, "A0 B0 C1": 1, "B0": 1, "": 1, "A0": 1}


def _single_winner_configs() -> list[Path]:
    out = []
    for cfg_path in sorted(DATA.glob("*/*_config.json")):
        name = cfg_path.parent.name
        if not (cfg_path.parent / f"{name}_expected_detailed_report.json").exists():
            continue
        rules = load_config(cfg_path).rules
        if (
            rules.number_of_winners == 1
            and rules.overvote_rule.value != "exhaustIfMultipleContinuing"
            and rules.stop_after_round is None
        ):
            out.append(cfg_path)
    return out


@pytest.mark.parametrize("config", _single_winner_configs(), ids=lambda p: p.parent.name)
def test_profile_irv_elects_rctabs_winner(config: Path) -> None:
    """An instant-runoff count of the contest's profile elects RCTab's winner. Where RCTab
    broke a tie by its own rule, its winner is one of IRV's parallel-universe winners
    (every candidate who wins under some resolution of the ties)."""
    tab = count(config)[0]
    profile = contest_profile(config, write_ins="drop")
    result = IRV().run(profile)
    if tab.any_tie_broken:
        assert set(tab.winners) <= set(result.winners)
    else:
        assert list(result.winners) == tab.winners

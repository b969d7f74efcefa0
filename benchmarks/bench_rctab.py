# mypy: disable-error-code="import-untyped,misc"
"""Benchmarks of US ranked-choice counts (``voting.rctab``): read and tabulate, per CVR format.

Ballots: drawn with replacement (fixed ``--seed``) from the 80,101 real cast vote records
of the 2013 Minneapolis mayoral election in ``tests/data/rctab`` (35 candidates and
undeclared write-ins, three rankings, overvotes and skipped rankings as cast), then written
in each vendor format: ES&S ``.xlsx`` and ``.csv``, RCTab's generic CSV, Clear Ballot CSV,
NIST CDF JSON and XML, Dominion ``CvrExport.json`` and Hart XML files (one per ballot).
Each contest is counted single-winner, overvotes exhausting, one skipped ranking allowed.

What is measured (method in ``benchmarks/_harness.py``; the large reads make
``--big-repeats`` (3) timed calls, without warm-up):

1. ``read + tabulate``: :func:`voting.rctab.count` from the configuration (every file
   read, records merged, every round counted), in ballots per second, beside the
   format's plain parse: the standard-library parse of the same file doing nothing with
   it (``csv.reader``, ``json.load``, ``ElementTree.iterparse``, our streaming sheet reader
   for ``.xlsx``, with python-calamine's whole-sheet read for reference when installed).
2. ``count only``: the rounds alone on records already read (RCTab's tabulation), and side
   by side :class:`voting.IRV` on the contest's profile (:func:`voting.rctab.contest_profile`)
   and the profile's construction.

Run from the repository root (several minutes; ``--quick``: 10^4 ballots)::

    python3 -m benchmarks.bench_rctab
    python3 -m benchmarks.bench_rctab --quick
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import numpy as np

from benchmarks._harness import ROOT, Report, parser, time_call

SOURCE = ROOT / "tests" / "data" / "rctab" / "2013_minneapolis_mayor"
UWI = "UWI"


def _ballots(n: int, seed: int) -> tuple[list[list[list[str]]], list[str]]:
    """``n`` ballots (positions of mark texts) drawn from the Minneapolis records."""
    from voting.rctab import load_config
    from voting.rctab.sources import read_sources

    cfg = load_config(SOURCE / "2013_minneapolis_mayor_config.json")
    cvrs, _ = read_sources(cfg)
    names = [c.name for c in cfg.candidates]
    pool = []
    for i in range(len(cvrs)):
        b = cvrs.ballot(i)
        pool.append(
            [
                names[:2]
                if pos == ("overvote",)
                else [UWI if t == "Undeclared Write-ins" else t for t in pos]
                for pos in b.positions
            ]
        )  # an explicit overvote becomes two marks at that ranking
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(pool), size=n)
    return [pool[i] for i in pick.tolist()], names


def _config(folder: Path, names: list[str], source: dict[str, Any]) -> Path:
    cfg = {
        "tabulatorVersion": "TEST",
        "outputSettings": {"contestName": "bench", "outputDirectory": "output"},
        "cvrFileSources": [{"undeclaredWriteInLabel": UWI, **source}],
        "candidates": [{"name": n, "aliases": [f"c{k}"]} for k, n in enumerate(names)],
        "rules": {
            "tiebreakMode": "random",
            "randomSeed": "1",
            "overvoteRule": "exhaustImmediately",
            "winnerElectionMode": "singleWinnerMajority",
            "numberOfWinners": "1",
            "decimalPlacesForVoteArithmetic": "4",
            "maxSkippedRanksAllowed": "1",
            "maxRankingsAllowed": "3",
        },
    }
    path = folder / f"{source['provider']}_{Path(source['filePath']).stem}_config.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    return path


def write_ess(folder: Path, ballots: list[list[list[str]]], names: list[str], xlsx: bool) -> Path:
    header = ["Cast Vote Record", "Precinct", "Ballot Style", "Choice 1", "Choice 2", "Choice 3"]

    def cells(i: int, b: list[list[str]]) -> list[str]:
        row = [str(i + 1), f"P-{i % 117}", "1"]
        for k in range(3):
            pos = b[k] if k < len(b) else []
            row.append("overvote" if len(pos) > 1 else pos[0] if pos else "undervote")
        return row

    if not xlsx:
        path = folder / "ess.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for i, b in enumerate(ballots):
                w.writerow(cells(i, b))
        return path
    strings: dict[str, int] = {}

    def sst(s: str) -> int:
        return strings.setdefault(s, len(strings))

    path = folder / "ess.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(f'<worksheet xmlns="{main}"><sheetData>'.encode())
            for r, row in enumerate([header] + [cells(i, b) for i, b in enumerate(ballots)], 1):
                parts = [f'<row r="{r}">']
                for c, value in enumerate(row):
                    col = "ABCDEF"[c]
                    if r > 1 and c == 0:
                        parts.append(f'<c r="{col}{r}"><v>{value}</v></c>')
                    else:
                        parts.append(f'<c r="{col}{r}" t="s"><v>{sst(value)}</v></c>')
                parts.append("</row>")
                f.write("".join(parts).encode())
            f.write(b"</sheetData></worksheet>")
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{items}</sst>')
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>',
        )
    return path


def write_generic(folder: Path, ballots: list[list[list[str]]], names: list[str]) -> Path:
    cols = [*names, UWI]
    index = {n: k for k, n in enumerate(cols)}
    path = folder / "generic.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", *cols])
        for i, b in enumerate(ballots):
            row = [""] * len(cols)
            for k, pos in enumerate(b, 1):
                for t in pos:
                    row[index[t]] = str(k)  # a repeated candidate keeps its last rank
            w.writerow([str(i + 1), *row])
    return path


def write_clear_ballot(folder: Path, ballots: list[list[list[str]]], names: list[str]) -> Path:
    cols = [*names, UWI]
    fixed = [
        "RowNumber",
        "BoxID",
        "BoxPosition",
        "BallotID",
        "PrecinctID",
        "BallotStyleID",
        "PrecinctStyleName",
        "ScanComputerName",
        "Status",
        "Remade",
    ]
    choice = [
        f"Choice_{k}_{r}:Mayor:{r}:Number of Winners 1:{n}:NP"
        for r in (1, 2, 3)
        for k, n in enumerate(cols)
    ]
    where = {(r, n): j for j, (r, n) in enumerate((r, n) for r in (1, 2, 3) for n in cols)}
    path = folder / "clearballot.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(fixed + choice)
        for i, b in enumerate(ballots):
            row = ["0"] * len(choice)
            for r, pos in enumerate(b[:3], 1):
                for t in pos:
                    row[where[(r, t)]] = "1"
            w.writerow(
                [str(i + 1), "1", str(i), f"B{i}", f"P{i % 117}", "1", "S", "PC1", "0", "0", *row]
            )
    return path


def _cdf_doc(ballots: list[list[list[str]]], names: list[str]) -> dict[str, Any]:
    cols = [*names, UWI]
    return {
        "GpUnit": [{"@id": "gpu", "Name": "City"}],
        "Election": [
            {
                "@id": "e",
                "Candidate": [{"@id": f"c{k}", "Name": n} for k, n in enumerate(cols)],
                "Contest": [
                    {
                        "@id": "contest",
                        "Name": "Mayor",
                        "ContestSelection": [
                            {
                                "@id": f"s{k}",
                                "CandidateIds": [f"c{k}"],
                                **({"IsWriteIn": "true"} if n == UWI else {}),
                            }
                            for k, n in enumerate(cols)
                        ],
                    }
                ],
            }
        ],
        "CVR": [
            {
                "BallotPrePrintedId": str(i + 1),
                "CurrentSnapshotId": f"s{i}",
                "CVRSnapshot": [
                    {
                        "@id": f"s{i}",
                        "CVRContest": [
                            {
                                "ContestId": "contest",
                                "CVRContestSelection": [
                                    {
                                        "ContestSelectionId": f"s{cols.index(t)}",
                                        "SelectionPosition": [
                                            {
                                                "HasIndication": "yes",
                                                "IsAllocable": "unknown",
                                                "NumberVotes": 1,
                                                "Rank": r,
                                            }
                                        ],
                                    }
                                    for r, pos in enumerate(b, 1)
                                    for t in pos
                                ],
                            }
                        ],
                    }
                ],
            }
            for i, b in enumerate(ballots)
        ],
    }


def write_cdf_json(folder: Path, ballots: list[list[list[str]]], names: list[str]) -> Path:
    path = folder / "cdf.json"
    path.write_text(json.dumps(_cdf_doc(ballots, names)), encoding="utf-8")
    return path


def write_cdf_xml(folder: Path, ballots: list[list[list[str]]], names: list[str]) -> Path:
    cols = [*names, UWI]
    path = folder / "cdf.xml"
    with open(path, "w", encoding="utf-8") as f:
        f.write('<CastVoteRecordReport xmlns="NIST_V0_cast_vote_records.xsd">')
        for i, b in enumerate(ballots):
            sels = "".join(
                f"<CVRContestSelection><ContestSelectionId>s{cols.index(t)}</ContestSelectionId>"
                f"<SelectionPosition><HasIndication>yes</HasIndication><IsAllocable>unknown"
                f"</IsAllocable><NumberVotes>1</NumberVotes><Rank>{r}</Rank></SelectionPosition>"
                "</CVRContestSelection>"
                for r, pos in enumerate(b, 1)
                for t in pos
            )
            f.write(
                f'<CVR><CurrentSnapshotId>s{i}</CurrentSnapshotId><CVRSnapshot ObjectId="s{i}">'
                f"<CVRContest><ContestId>contest</ContestId>{sels}</CVRContest></CVRSnapshot>"
                f"<UniqueId>{i + 1}</UniqueId></CVR>"
            )
        cands = "".join(
            f'<Candidate ObjectId="c{k}"><Name>{escape(n)}</Name></Candidate>'
            for k, n in enumerate(cols)
        )
        sel = "".join(
            f'<ContestSelection ObjectId="s{k}"><CandidateIds>c{k}</CandidateIds>'
            + ("<IsWriteIn>true</IsWriteIn>" if n == UWI else "")
            + "</ContestSelection>"
            for k, n in enumerate(cols)
        )
        f.write(
            f'<Election ObjectId="e">{cands}<Contest ObjectId="contest"><Name>Mayor</Name>{sel}'
            '</Contest></Election><GpUnit ObjectId="gpu"><Name>City</Name></GpUnit>'
            '<Party ObjectId="p"/><ReportingDevice ObjectId="d"/>'
            "<ReportGeneratingDeviceIds>d</ReportGeneratingDeviceIds></CastVoteRecordReport>"
        )
    return path


def write_dominion(folder: Path, ballots: list[list[list[str]]], names: list[str]) -> Path:
    out = folder / "dominion"
    out.mkdir()
    cols = [*names, UWI]

    def manifest(items: list[dict[str, Any]]) -> str:
        return json.dumps({"Version": "5.10", "List": items})

    (out / "PrecinctPortionManifest.json").write_text(manifest([{"Id": 1, "Description": "P1"}]))
    (out / "ContestManifest.json").write_text(
        manifest([{"Id": 7, "Description": "Mayor", "NumOfRanks": 3}])
    )
    (out / "CandidateManifest.json").write_text(
        manifest([{"Id": k, "Description": n, "ContestId": 7} for k, n in enumerate(cols)])
    )
    sessions = [
        {
            "TabulatorId": 1,
            "BatchId": i // 500,
            "RecordId": i,
            "Original": {
                "PrecinctPortionId": 1,
                "IsCurrent": True,
                "Cards": [
                    {
                        "Contests": [
                            {
                                "Id": 7,
                                "OutstackConditionIds": [],
                                "Marks": [
                                    {"CandidateId": cols.index(t), "Rank": r, "IsAmbiguous": False}
                                    for r, pos in enumerate(b, 1)
                                    for t in pos
                                ],
                            }
                        ]
                    }
                ],
            },
        }
        for i, b in enumerate(ballots)
    ]
    (out / "CvrExport.json").write_text(json.dumps({"Version": "5.10", "Sessions": sessions}))
    return out


def write_hart(folder: Path, ballots: list[list[list[str]]], names: list[str]) -> Path:
    out = folder / "hart"
    out.mkdir()
    cols = [*names, UWI]
    for i, b in enumerate(ballots):
        values: dict[int, list[str]] = {}
        for r, pos in enumerate(b, 1):
            for t in pos:
                values.setdefault(cols.index(t), ["0", "0", "0"])[r - 1] = "1"
        opts = "".join(
            f"<Option><Name>{escape(cols[k])}</Name><Id>c{k}</Id><Value>{''.join(v)}</Value></Option>"
            for k, v in values.items()
        )
        (out / f"{i:07d}.xml").write_text(
            f'<Cvr xmlns="http://tempuri.org/CVRDesign.xsd"><Contests><Contest><Name>Mayor</Name>'
            f"<Id>mayor</Id><Options>{opts}</Options></Contest></Contests><BatchNumber>1</BatchNumber>"
            f"<CvrGuid>{i}</CvrGuid><PrecinctSplit><Name>P</Name><Id>1</Id></PrecinctSplit></Cvr>",
            encoding="utf-8",
        )
    return out


def _parse_csv(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f))


def _parse_json(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return len(json.load(f))


def _parse_xml(path: Path) -> int:
    n = 0
    for _, el in ElementTree.iterparse(path):
        n += 1
        el.clear()
    return n


def _parse_hart(folder: Path) -> int:
    return sum(len(ElementTree.parse(p).getroot()) for p in folder.iterdir())


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--ballots", type=int, default=1_000_000, help="ballots of the CSV/xlsx formats")
    p.add_argument(
        "--verbose-ballots",
        type=int,
        default=100_000,
        help="ballots of the verbose formats (CDF, Dominion, Clear Ballot)",
    )
    p.add_argument("--hart-ballots", type=int, default=10_000, help="ballots (files) of Hart")
    p.add_argument("--big-repeats", type=int, default=3, help="timed repeats of each large read")
    args = p.parse_args()
    if args.quick:
        args.ballots = args.verbose_ballots = 10_000
        args.hart_ballots = 1_000
    from voting import IRV
    from voting.formats._xlsx import iter_rows
    from voting.rctab import contest_profile, count, load_config
    from voting.rctab.ballots import contest_ballots
    from voting.rctab.sources import read_sources
    from voting.rctab.tabulator import run_tabulation

    rep = Report("rctab", "US RCV: read and tabulate cast vote records, per format", args)
    for line in rep.header():
        print(line)
    big, _ = _ballots(args.ballots, args.seed)
    names = _ballots(1, args.seed)[1]
    verbose = big[: args.verbose_ballots]
    hart = big[: args.hart_ballots]
    tmp = Path(tempfile.mkdtemp(prefix="bench_rctab_"))
    try:
        cases: list[tuple[str, int, Path, dict[str, Any], Callable[[Path], int]]] = []
        xlsx = write_ess(tmp, big, names, xlsx=True)
        cases.append(
            (
                "ES&S xlsx",
                len(big),
                xlsx,
                {
                    "provider": "ess",
                    "filePath": str(xlsx),
                    "firstVoteColumnIndex": 4,
                    "firstVoteRowIndex": 2,
                    "idColumnIndex": 1,
                    "precinctColumnIndex": 2,
                    "overvoteLabel": "overvote",
                    "skippedRankLabel": "undervote",
                },
                lambda p: sum(1 for _ in iter_rows(str(p))),
            )
        )
        ess = write_ess(tmp, big, names, xlsx=False)
        cases.append(
            (
                "ES&S csv",
                len(big),
                ess,
                {
                    "provider": "ess",
                    "filePath": str(ess),
                    "firstVoteColumnIndex": 4,
                    "firstVoteRowIndex": 2,
                    "idColumnIndex": 1,
                    "precinctColumnIndex": 2,
                    "overvoteLabel": "overvote",
                    "skippedRankLabel": "undervote",
                },
                _parse_csv,
            )
        )
        gen = write_generic(tmp, big, names)
        cases.append(
            (
                "generic CSV",
                len(big),
                gen,
                {
                    "provider": "genericCsv",
                    "filePath": str(gen),
                    "firstVoteColumnIndex": 2,
                    "firstVoteRowIndex": 2,
                    "idColumnIndex": 1,
                },
                _parse_csv,
            )
        )
        cb = write_clear_ballot(tmp, verbose, names)
        cases.append(
            (
                "Clear Ballot CSV",
                len(verbose),
                cb,
                {"provider": "clearBallot", "filePath": str(cb), "contestId": "Mayor"},
                _parse_csv,
            )
        )
        cj = write_cdf_json(tmp, verbose, names)
        cases.append(
            (
                "CDF JSON",
                len(verbose),
                cj,
                {"provider": "cdf", "filePath": str(cj), "contestId": "Mayor"},
                _parse_json,
            )
        )
        cx = write_cdf_xml(tmp, verbose, names)
        cases.append(
            (
                "CDF XML",
                len(verbose),
                cx,
                {"provider": "cdf", "filePath": str(cx), "contestId": "Mayor"},
                _parse_xml,
            )
        )
        dom = write_dominion(tmp, verbose, names)
        cases.append(
            (
                "Dominion JSON",
                len(verbose),
                dom,
                {"provider": "dominion", "filePath": str(dom), "contestId": "7"},
                lambda p: _parse_json(p / "CvrExport.json"),
            )
        )
        ht = write_hart(tmp, hart, names)
        cases.append(
            (
                "Hart XML files",
                len(hart),
                ht,
                {"provider": "hart", "filePath": str(ht), "contestId": "mayor"},
                _parse_hart,
            )
        )
        rep.section("read + tabulate, per format (ballots/s), beside the plain parse")
        winners = set()
        for label, n, path, source, plain in cases:
            if source["provider"] in ("dominion", "hart"):
                source["undeclaredWriteInLabel"] = (
                    f"c{len(names)}" if source["provider"] == "hart" else str(len(names))
                )
            cfg_path = _config(tmp, names, source)
            cfg = load_config(cfg_path)
            if source["provider"] in ("dominion", "hart"):
                aliases = {"dominion": lambda k: str(k), "hart": lambda k: f"c{k}"}[
                    source["provider"]
                ]
                raw = json.loads(cfg_path.read_text())
                raw["candidates"] = [
                    {"name": nm, "aliases": [aliases(k)]} for k, nm in enumerate(names)
                ]
                cfg_path.write_text(json.dumps(raw))
                cfg = load_config(cfg_path)
            t_plain = time_call(
                lambda plain=plain, path=path: plain(path), args.big_repeats, warmup=False
            )
            rep.record("plain parse", f"{label}: plain parse", t_plain, n, "ballots", format=label)
            result: list[Any] = []
            t_all = time_call(
                lambda cfg=cfg, result=result: result.append(count(cfg)),
                args.big_repeats,
                warmup=False,
            )
            rep.record(
                "read+tabulate", f"{label}: read + tabulate", t_all, n, "ballots", format=label
            )
            rep.say(f"{'':<46s} {t_all.median / t_plain.median:>14.2f} x the plain parse")
            winners.add((label, tuple(result[-1][0].winners)))
        rep.note("winners", sorted(winners))
        rep.section(f"count only, {len(big):,} ES&S ballots already read")
        cfg = load_config(_config(tmp, names, cases[1][3]))
        cvrs, _ = read_sources(cfg)
        ballots = contest_ballots(cvrs, cfg)
        rep.say(f"{len(cvrs):,} records, {len(ballots.groups):,} distinct")
        t = time_call(lambda: contest_ballots(cvrs, cfg), args.repeats)
        rep.record("count", "merge identical records", t, len(cvrs), "ballots")
        t = time_call(lambda: run_tabulation(cfg, ballots), args.repeats)
        rep.record("count", "rctab rounds (vectorised)", t, len(cvrs), "ballots")
        t = time_call(
            lambda: run_tabulation(cfg, ballots, reference=True), args.big_repeats, warmup=False
        )
        rep.record("count", "rctab rounds (reference, per ballot)", t, len(cvrs), "ballots")
        profile = contest_profile(cfg, write_ins="drop")
        t = time_call(lambda: IRV().run(profile), args.repeats)
        rep.record("count", "voting.IRV on the contest profile", t, len(cvrs), "ballots")
        irv_winners = IRV().run(profile).winners
        rep.say(f"IRV winner {irv_winners}, RCTab winner {run_tabulation(cfg, ballots).winners}")
        out = rep.write()
        print(f"wrote {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

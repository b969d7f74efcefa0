"""voting.report and `voting report`: the results page's content, read back without a browser.

The oracles: the library's own counts (winners, pairwise counts, Schulze strongest paths
against the plain-Python reference in tests/naive.py), RCTab's own expected reports for
the round-by-round sheet of a US contest, hashlib for the input hashes, and the page's
recount command run through the command line.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import shlex
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from voting import Profile, read_ballots
from voting.cli import main
from voting.examples import EXAMPLES, example_path
from voting.methods import get_method
from voting.methods.schulze import Schulze
from voting.methods.stv import STV
from voting.methods.stv._arith import format_value
from voting.report import SCHEMA_VERSION, rctab_report_data, render_html, report_data
from voting.report._html import fixed
from voting.ties import Random

from . import naive
from .report_pages import check_accessible, check_self_contained, parse

DATA = Path(__file__).resolve().parent / "data"
PORTLAND = DATA / "rctab" / "2015_portland_mayor" / "2015_portland_mayor_config.json"
FRACTIONAL = (
    DATA
    / "rctab"
    / "test_set_multi_winner_fractional_threshold"
    / "test_set_multi_winner_fractional_threshold_config.json"
)
GLASGOW = DATA / "elections" / "scotland" / "glasgow-2007" / "Calton-2007.blt"
GROUPS_2017 = DATA / "groups" / "kubernetes-2017.toml"


def run_cli(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0, argv
    return out.getvalue()


def count_json(argv: list[str]) -> dict[str, Any]:
    """``voting count ... --json`` through the CLI (argv as the page prints it)."""
    assert argv[:2] == ["voting", "count"]
    return dict(json.loads(run_cli(*argv[1:], "--json")))


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Any]]:
    """``voting report --example NAME`` for every bundled example: the page and its JSON."""
    out = tmp_path_factory.mktemp("pages")
    pages = {}
    for name in EXAMPLES:
        html, js = out / f"{name}.html", out / f"{name}.json"
        run_cli("report", "--example", name, "-o", str(html), "--json-out", str(js))
        pages[name] = (html.read_text("utf-8"), json.loads(js.read_text("utf-8")))
    return pages


def official_count(name: str) -> Any:
    ex = EXAMPLES[name]
    profile = read_ballots(example_path(name), format=ex.format)
    params = {"seats": ex.seats} if ex.seats != 1 else {}
    return profile, get_method(ex.method, **params).run(profile)


# ---------------------------------------------------------------- every example
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_page_winners_and_pairwise(name: str, example_pages: Any) -> None:
    html, data = example_pages[name]
    page = parse(html)
    profile, result = official_count(name)
    assert [li.text for li in page.ids["elected"].find_all("li")] == list(result.elected)
    assert page.data() == data  # the embedded JSON is the JSON written beside the page
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["result"]["ranking"] == [list(t) for t in result.ranking]
    rows = [th.text for th in page.ids["ranking-table"].find_all("th", scope="row")]
    assert rows == [" = ".join(t) for t in result.ranking]
    support = profile.pairwise.support
    for i, a in enumerate(profile.candidates):
        for j, b in enumerate(profile.candidates):
            if a == b:
                continue
            x, y = int(support[i, j]), int(support[j, i])
            cell = page.cell("pairwise-table", a, b)
            words = f"{a} defeats {b} {x}-{y}" if x > y else f"{b} defeats {a} {y}-{x}"
            words = words if x != y else f"{a} ties {b} {x}-{y}"
            assert cell.attrs["title"] == words
            assert cell.text.startswith(f"{x}{x - y:+d}")
            assert words in cell.text  # for a screen reader too
            assert cell.attrs["class"] == ("win" if x > y else "loss" if x < y else "tie")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_page_is_self_contained_and_accessible(name: str, example_pages: Any) -> None:
    page = parse(example_pages[name][0])
    check_self_contained(page)
    check_accessible(page)
    csp = page.root.find_all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert csp and "default-src 'none'" in csp[0].attrs["content"]
    for key in ("spread", "head-to-head", "pairwise", "ballots", "recount", "ties"):
        assert key in page.ids, key
    nav = [a.attrs["href"] for a in page.root.find_all("nav")[0].find_all("a")]
    assert all(h[1:] in page.ids for h in nav)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_page_recount_command_reproduces_it(name: str, example_pages: Any) -> None:
    html, data = example_pages[name]
    command = parse(html).ids["recount-command"].text
    assert command == data["recount"]["text"]
    recount = count_json(shlex.split(command))
    assert recount["elected"] == data["result"]["elected"]
    assert recount["ranking"] == data["result"]["ranking"]
    assert not data["recount"]["not_expressible"]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_page_inputs_and_ballots(name: str, example_pages: Any) -> None:
    _, data = example_pages[name]
    path = example_path(name)
    (f,) = data["input"]["files"]
    assert f["name"] == path.name and f["bytes"] == path.stat().st_size
    assert f["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    _, report = read_ballots(path, format=EXAMPLES[name].format, errors="collect")
    b = data["ballots"]
    assert (b["read"], b["counted"], b["rejected"]) == (
        report.ballots_read,
        report.ballots_counted,
        report.ballots_rejected,
    )
    assert data["input"]["example"] == name
    assert data["generator"]["version"] == __import__("voting").__version__


def test_schulze_witnesses_match_the_reference_paths(example_pages: Any) -> None:
    """Each tier boundary's witness: a real beat path of the strongest strength, and back."""
    _, data = example_pages["kubernetes-steering-2023"]
    profile, result = official_count("kubernetes-steering-2023")
    sp = data["schulze"]
    names = list(profile.candidates)
    support = profile.pairwise.support
    paths = naive.schulze_strongest_paths(support, "winning")
    tiers = [list(t) for t in result.ranking]
    assert sp["tiers"] == tiers
    lower = [c for t in tiers[1:] for c in t]
    assert [w["target"] for w in sp["witnesses"]] == lower  # one per candidate below tier 1
    for w in sp["witnesses"]:
        s, t = names.index(w["source"]), names.index(w["target"])
        upper, below = w["boundary"]
        assert w["source"] in tiers[upper - 1] and w["target"] in tiers[below - 1]
        assert paths[s][t] > paths[t][s]  # the source beats the target
        hops = [names.index(c) for c in w["path"]]
        assert hops[0] == s and hops[-1] == t
        weakest = min(
            (naive.schulze_defeat_key(int(support[a, b]), int(support[b, a]), "winning"))
            for a, b in itertools.pairwise(hops)
        )
        assert weakest == paths[s][t] == (1, w["votes_for"], -w["votes_against"])
        if w["back_path"]:
            assert paths[t][s] == (1, w["back_for"], -w["back_against"])
        else:
            assert paths[t][s] == (0,)
    i, j = sp["order"].index(names[0]), sp["order"].index(names[1])
    cell = sp["strongest_paths"][i][j]
    if paths[0][1] == (0,):
        assert cell == ""
    else:
        _, w_, minus_l = paths[0][1]  # (1, votes for, -votes against)
        assert cell == f"{w_}:{-int(str(minus_l))}"


# ----------------------------------------------------------------- STV, IRV
def test_stv_sheet_is_the_count_sheet() -> None:
    profile = read_ballots(GLASGOW)
    method = STV(seats=3, rule="scottish")  # the file says 3 seats
    result = method.run(profile)
    data = report_data(profile, method, result=result, source=str(GLASGOW))
    (sheet,) = data["rounds"]
    e = result.explanation
    assert [r["label"] for r in sheet["rounds"]] == [r.label for r in e.rounds]
    for r, mine in zip(e.rounds, sheet["rounds"], strict=True):
        for name, tally in zip(e.candidates, r.tallies, strict=True):
            assert Fraction(mine["tallies"][name]) == tally  # exact
            assert fixed(mine["tallies"][name], sheet["decimals"]) == format_value(tally, 5)
        assert Fraction(mine["exhausted"]) == r.exhausted
        assert Fraction(mine["threshold"]) == r.quota
        assert mine["elected"] == list(r.elected) and mine["excluded"] == list(r.excluded)
    for k, after in enumerate(e.rounds[1:], 1):
        mine = sheet["rounds"][k]
        gains = {n: t for n, t in zip(e.candidates, after.transfers, strict=True) if t > 0}
        flows = {f["to"]: Fraction(f["votes"]) for f in mine["flows"] if f["to"] in gains}
        assert flows == gains  # every gain is a flow, exactly
        givers = {n for n, t in zip(e.candidates, after.transfers, strict=True) if t < 0}
        assert all(set(f["from"]) <= givers | {"loss to rounding"} for f in mine["flows"])
    page = parse(render_html(data))
    check_accessible(page)
    table = page.ids["rounds-table"]
    first = table.find_all("tbody")[0].find_all("tr")[0]
    winner = result.ranking[0][0]
    assert first.find_all("th")[0].text == winner
    first_votes = e.rounds[0].tallies[e.candidates.index(winner)]
    assert first.find_all("td")[0].text.startswith(format_value(first_votes, e.decimals))
    assert "svg" in {el.tag for el in page.ids["rounds"].walk()}


def test_irv_sheet_rounds_and_flows() -> None:
    p = Profile.from_rankings(
        [["A", "B", "C"]] * 4 + [["B", "C"]] * 3 + [["C", "A"]] * 2 + [["D"]] * 1
    )
    data = report_data(p, get_method("irv"))
    (sheet,) = data["rounds"]
    assert [r["excluded"] for r in sheet["rounds"]] == [["D"], ["C"], ["B"]]
    assert sheet["rounds"][1]["flows"] == [{"from": ["D"], "to": "exhausted", "votes": "1"}]
    assert sheet["rounds"][2]["flows"] == [{"from": ["C"], "to": "A", "votes": "2"}]
    assert sheet["rounds"][2]["status"]["A"] == "elected"


# ----------------------------------------------------------------- US RCV (RCTab)
def _expected(config: Path) -> dict[str, Any]:
    name = config.name.replace("_config.json", "_expected_detailed_report.json")
    return dict(json.loads((config.parent / name).read_text("utf-8")))


@pytest.mark.parametrize("config", [PORTLAND, FRACTIONAL], ids=["portland", "fractional"])
def test_rctab_sheet_matches_rctabs_own_report(config: Path, tmp_path: Path) -> None:
    html = tmp_path / "rcv.html"
    run_cli("report", str(config), "-o", str(html))
    page = parse(html.read_text("utf-8"))
    check_self_contained(page)
    check_accessible(page)
    data = page.data()
    expected = _expected(config)
    (sheet,) = data["rounds"]
    for r, mine in zip(expected["results"], sheet["rounds"], strict=True):
        assert mine["tallies"] == r["tally"]
        assert mine["threshold"] == r["threshold"]
        moved = [
            (a.get("elected", a.get("eliminated")), to, v)
            for a in r["tallyResults"]
            for to, v in a["transfers"].items()
        ]
        nxt = sheet["rounds"][r["round"]]["flows"] if r["round"] < len(sheet["rounds"]) else []
        if r["round"] < len(sheet["rounds"]):
            assert sorted((f["from"][0], f["to"], f["votes"]) for f in nxt) == sorted(moved)
    winners = [
        a["elected"] for r in expected["results"] for a in r["tallyResults"] if "elected" in a
    ]
    assert [li.text for li in page.ids["elected"].find_all("li")] == winners
    rows = page.ids["rounds-table"].find_all("tbody")[0].find_all("tr")
    body = {tr.find_all("th")[0].text: [td.text for td in tr.find_all("td")] for tr in rows}
    for r in expected["results"]:
        for name, votes in r["tally"].items():
            assert body[name][r["round"] - 1].split()[0] == votes
    assert data["rctab"][0]["results"] == expected["results"]


def test_rctab_page_names_its_inputs_and_ties(tmp_path: Path) -> None:
    data = rctab_report_data(PORTLAND)
    files = data["input"]["files"]
    assert [f["role"] for f in files] == ["configuration", "cast vote records (ess)"]
    cvr = PORTLAND.parent / "2015_portland_mayor_cvr.xlsx"
    assert files[1]["sha256"] == hashlib.sha256(cvr.read_bytes()).hexdigest()
    assert data["recount"]["argv"] == ["voting", "rctab", str(PORTLAND)]
    ties = data["result"]["ties_broken"]
    assert [t["context"] for t in ties] == [
        "round 2: Rathband, Jed eliminated",
        "round 7: Vail, Christopher L. eliminated",
    ]
    assert ties[0]["tied"] == ["Marshall, David A.", "Rathband, Jed"]
    out = io.StringIO()
    assert main(["rctab", str(PORTLAND)], out=out) == 0
    assert "Mavodones" in out.getvalue() and data["result"]["elected"] == [
        "Mavodones, Nicholas M. Jr."
    ]


def test_rctab_config_refuses_count_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(PORTLAND), "--seats", "2", "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "RCTab configuration" in err and "--seats" in err
    assert not (tmp_path / "x.html").exists()


def test_folder_input_digest_is_sha256sum_of_its_files(tmp_path: Path) -> None:
    from voting.report._inputs import describe_input

    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "b.txt").write_bytes(b"bee\n")
    (tmp_path / "d" / "sub" / "a.txt").write_bytes(b"ay\n")
    got = describe_input(tmp_path / "d")
    lines = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {rel}\n"
        for rel, data in sorted([("b.txt", b"bee\n"), ("sub/a.txt", b"ay\n")])
    )
    assert got["sha256"] == hashlib.sha256(lines.encode()).hexdigest()
    assert (got["kind"], got["files"], got["bytes"]) == ("folder", 2, 7)


# --------------------------------------------------------------- ties, options
def test_ties_and_parallel_universe_winners_are_on_the_page() -> None:
    p = Profile.from_rankings([["A", "B", "C"], ["B", "A", "C"], ["C", "A", "B"], ["C", "B", "A"]])
    method = get_method("irv")
    result = method.run(p)
    assert result.ties_broken and len(result.winners) > 1  # the fixture must tie
    data = report_data(p, method)
    page = parse(render_html(data))
    ties = page.ids["ties"].text
    for t in result.ties_broken:
        assert t.context in ties and t.rule in ties and " > ".join(t.order) in ties
    decisive = [t.decisive for t in result.ties_broken]
    if True in decisive:
        assert "Decisive: broken another way" in ties
    assert page.ids["possible-winners"].text == ", ".join(result.winners)


def test_recount_command_carries_every_parameter(tmp_path: Path) -> None:
    p = Profile.from_rankings([["A", "B", "C"]] * 2 + [["B", "C", "A"]] * 2 + [["C", "A", "B"]] * 2)
    method = Schulze(strength="margins", seats=2, tie_break=Random(seed=7))
    source = tmp_path / "ballots.csv"
    source.write_text("made up", "utf-8")
    data = report_data(p, method, source=str(source))
    argv = data["recount"]["argv"]
    assert argv[:3] == ["voting", "count", str(source)]
    assert argv[argv.index("--seed") + 1] == "7"
    assert "strength=margins" in argv and argv[argv.index("--seats") + 1] == "2"
    assert data["method"]["parameters"]["tie_break"] == "random order (seed=7)"


def test_recount_command_of_a_file_reproduces_the_count(tmp_path: Path) -> None:
    ballots = tmp_path / "b.blt"
    ballots.write_text(GLASGOW.read_text("utf-8"), "utf-8")
    html = tmp_path / "r.html"
    run_cli(
        "report",
        str(ballots),
        "--method",
        "stv",
        "--rule",
        "scottish",
        "--seats",
        "4",
        "-o",
        str(html),
    )
    data = parse(html.read_text("utf-8")).data()
    recount = count_json(data["recount"]["argv"])
    assert recount["elected"] == data["result"]["elected"]
    assert "--option" in data["recount"]["argv"] and "rule=scottish" in data["recount"]["argv"]


def test_groups_give_blocs_without_capping(tmp_path: Path) -> None:
    ballots = DATA / "elections" / "kubernetes" / "2017" / "BALLOTS.csv"
    html, js = tmp_path / "k.html", tmp_path / "k.json"
    run_cli(
        "report",
        str(ballots),
        "--seats",
        "6",
        "--groups",
        str(GROUPS_2017),
        "--permutations",
        "99",
        "-o",
        str(html),
        "--json-out",
        str(js),
    )
    data = json.loads(js.read_text("utf-8"))
    from voting._cli_options import read_groups
    from voting.analysis import bloc_voting

    profile = read_ballots(ballots)
    report = bloc_voting(profile, read_groups(GROUPS_2017, profile), permutations=99, seed=0)
    got = {g["name"]: g["top"]["count"] for g in data["blocs"]["groups"]}
    assert got == {g.name: g.top.count for g in report.groups}
    assert data["method"]["name"] == "schulze"  # --groups alone caps nothing
    assert [f["role"] for f in data["input"]["files"]] == ["ballots", "groups"]
    page = parse(html.read_text("utf-8"))
    assert "blocs-table" in page.ids
    check_accessible(page)


def test_report_to_stdout_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_cli("report", "--example", "debian-leader-2005", "-o", "-")
    assert out.startswith("<!DOCTYPE html>") and parse(out).data()["title"]
    assert main(["report", "--example", "debian-leader-2005"]) == 2
    assert "-o/--output" in capsys.readouterr().err
    assert main(["report", "--example", "nope", "-o", str(tmp_path / "x.html")]) == 2
    assert "no bundled example" in capsys.readouterr().err
    assert main(["report", "-", "--format", "civs", "-o", str(tmp_path / "x.html")]) == 2
    assert "not standard input" in capsys.readouterr().err


def test_same_data_same_bytes() -> None:
    a = run_cli("report", "--example", "kubernetes-steering-2023", "-o", "-")
    b = run_cli("report", "--example", "kubernetes-steering-2023", "-o", "-")
    assert a == b


def test_docs_hook_renders_every_example() -> None:
    """The documentation site's example pages are `voting report --example NAME` itself."""
    import importlib.util

    hook = Path(__file__).resolve().parent.parent / "docs" / "hooks" / "example_reports.py"
    spec = importlib.util.spec_from_file_location("example_reports", hook)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages = module.example_pages()
    assert sorted(pages) == sorted(f"examples/{n}.html" for n in EXAMPLES)
    for uri, html in pages.items():
        page = parse(html)
        check_self_contained(page)
        assert page.data()["input"]["example"] == uri.split("/")[1].removesuffix(".html")


def test_rejected_ballots_are_counted_and_listed(tmp_path: Path) -> None:
    """Read with errors="collect" in Python: the page says what was read, counted, rejected."""
    ballots = tmp_path / "votes.csv"
    ballots.write_text("A,B,C\n1,2,3\n2,1,3\nx,y,z\n1,3,2\n", "utf-8")
    profile, report = read_ballots(ballots, errors="collect")
    data = report_data(profile, Schulze(), read_report=report, source=str(ballots))
    b = data["ballots"]
    assert (b["read"], b["counted"], b["rejected"]) == (4, 3, 1)
    assert [r["line"] for r in b["rejected_lines"]] == [4]
    page = parse(render_html(data))
    facts = page.ids["ballot-facts"].text
    assert "Ballots read4" in facts and "Counted3" in facts and "Rejected1" in facts
    assert "line 4: rank 'x'" in page.ids["ballots"].text


def test_report_leaves_the_count_options_alone() -> None:
    """`report` shares `count`'s option actions: building it must not change `count`."""
    from voting.cli import _build_parser

    parser = _build_parser()
    count = parser.parse_args(["count", "x.csv"])
    assert (count.json, count.explain, count.seats) == (False, False, None)
    report = parser.parse_args(["report", "x.csv", "-o", "x.html", "--json"])
    assert (report.json, report.explain, report.output) == (True, False, "x.html")

"""The results page: one self-contained HTML file drawn from the report's data alone.

No network: no external script, style sheet, font or image; the style sheet and the
charts (SVG) are inline, a ``Content-Security-Policy`` forbids every fetch, and the data
is embedded as ``<script type="application/json" id="voting-data">``, which a browser
does not run. The page has no script of its own: everything works without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from html import escape
from typing import Any

from voting.render import exact_text
from voting.report._style import CSS
from voting.report._svg import flows_svg, head_to_head_svg, rank_spread_svg

__all__ = ["render_html"]

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)


def _e(value: object) -> str:
    return escape(str(value))


def fixed(text: str, decimals: int | None) -> str:
    """An exact number with a rule's ``decimals`` places, as its count sheet prints it
    (``"2.5"`` with 5 places: ``2.50000``); ``"25/3"`` (no finite decimals, or more
    than ``decimals``) to 6 places after ``~``, marking a rounded figure.

    >>> fixed("2.5", 5), fixed("25/3", None), fixed("-1", 2), fixed("7.2501", None)
    ('2.50000', '~8.333333', '-1.00', '7.2501')
    """
    value = Fraction(text)
    if decimals is None:
        if "/" not in text:
            return text
        decimals, exact = 6, False
    else:
        exact = (value * 10**decimals).denominator == 1
    scaled = round(value * 10**decimals)
    whole, frac = divmod(abs(scaled), 10**decimals)
    shown = ("-" if scaled < 0 else "") + str(whole) + (f".{frac:0{decimals}d}" if decimals else "")
    return shown if exact else "~" + shown


def _num(text: str | None, decimals: int | None = None) -> str:
    """An exact number for display (:func:`fixed`); a rounded one shows its exact value
    on hover."""
    if text is None:
        return ""
    shown = fixed(text, decimals)
    if shown.startswith("~"):
        return f'<span title="exactly {_e(text)}">{_e(shown)}</span>'
    return _e(shown)


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _section(key: str, heading: str, body: str) -> str:
    return (
        f'<section id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{_e(heading)}</h2>'
        f"{body}</section>"
    )


def _scroll(label: str, content: str) -> str:
    """A region that scrolls sideways on a narrow screen, reachable with the keyboard."""
    return (
        f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(label)}">{content}</div>'
    )


# ---------------------------------------------------------------------- outcome
def _outcome(data: dict[str, Any]) -> str:
    r = data["result"]
    seats = r["seats"]
    label = "Winner" if seats == 1 else f"Elected ({seats} seats)"
    names = r["elected"]
    body = f'<ol class="winners" id="elected">{"".join(f"<li>{_e(n)}</li>" for n in names)}</ol>'
    m = data["method"]
    body += f"<p>Method: <strong>{_e(m.get('description') or m['name'])}</strong>"
    if m.get("source"):
        body += f" ({_e(m['source'])})"
    body += "</p>"
    if m.get("seats_source"):
        body += f"<p>Seats: {seats} ({_e(m['seats_source'])})</p>"
    body += "".join(f'<p class="note">Note: {_e(n)}</p>' for n in m.get("notes", []))
    return _section("outcome", label, body)


_DECISIVE = {
    True: "Decisive: broken another way, it changes who is elected.",
    False: "Not decisive: broken any other way, the same candidates are elected.",
    None: "The count does not say whether it was decisive.",
}


def _ties(data: dict[str, Any]) -> str:
    r = data["result"]
    ties = r["ties_broken"]
    if not ties:
        body = "<p>No tie was broken: the result does not depend on any tie-break.</p>"
    else:
        items = []
        for t in ties:
            items.append(
                f"<strong>{_e(t['context'])}</strong>: {_e(', '.join(t['tied']))} tied; "
                f"broken by {_e(t['rule'])}, giving {_e(' > '.join(t['order']))}. "
                f"{_DECISIVE[t['decisive']]}"
            )
        body = f"<p>{len(ties)} tie(s) broken by the tie-break:</p>{_list(items)}"
    if len(r["winners"]) > r["seats"]:
        body += (
            "<p>Before any tie was broken, these candidates could be elected (each tie "
            "broken every possible way): "
            f'<strong id="possible-winners">{_e(", ".join(r["winners"]))}</strong>.</p>'
        )
    if r.get("tied_at_last_seat"):
        body += f"<p>Decided by the tie-break: {_e(', '.join(r['tied_at_last_seat']))}.</p>"
    return _section("ties", "How ties were broken", body)


def _ranking(data: dict[str, Any]) -> str:
    r = data["result"]
    if not r["ranking"]:
        return ""
    elected = set(r["elected"])
    rows = []
    for k, tier in enumerate(r["ranking"], 1):
        names = " = ".join(_e(c) for c in tier)
        won = [c for c in tier if c in elected]
        if won and len(won) == len(tier):
            state = "elected"
        elif won:
            state = f"elected: {', '.join(won)} (by the tie-break)"
        else:
            state = "tied" if len(tier) > 1 else ""
        cls = ' class="elected"' if won else ""
        rows.append(f'<tr{cls}><td>{k}</td><th scope="row">{names}</th><td>{_e(state)}</td></tr>')
    table = (
        '<table id="ranking-table"><caption class="sr">Full ranking</caption><thead><tr>'
        '<th scope="col">Rank</th><th scope="col">Candidate(s)</th><th scope="col">Status'
        f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return _section("ranking", "Full ranking", _scroll("Full ranking", table))


# -------------------------------------------------------------------- pairwise
def _contest_text(a: str, b: str, x: int, y: int) -> str:
    """The contest of ``a`` (row, ``x`` votes) and ``b`` (``y``), winner first."""
    if x > y:
        return f"{a} defeats {b} {x}-{y}"
    if y > x:
        return f"{b} defeats {a} {y}-{x}"
    return f"{a} ties {b} {x}-{y}"


def _tint(margin: int, top: int) -> str:
    """Pale green for a win, pale red for a loss, stronger with the margin."""
    if margin == 0 or top == 0:
        return ""
    f = 0.25 + 0.75 * abs(margin) / top
    base = (159, 216, 168) if margin > 0 else (243, 176, 176)
    rgb = [round(255 - (255 - c) * f) for c in base]
    return f' style="background:rgb({rgb[0]},{rgb[1]},{rgb[2]})"'


def _pairwise(data: dict[str, Any]) -> str:
    pw = data["pairwise"]
    order, s = pw["order"], pw["support"]
    n = len(order)
    top = max((abs(s[i][j] - s[j][i]) for i in range(n) for j in range(n)), default=0)
    head = "".join(
        f'<th scope="col"><span aria-hidden="true">{k}</span><span class="sr">{_e(c)}</span></th>'
        for k, c in enumerate(order, 1)
    )
    rows = []
    for i, a in enumerate(order):
        cells = []
        for j, b in enumerate(order):
            if i == j:
                cells.append('<td class="self"><span class="sr">same candidate</span>—</td>')
                continue
            x, y = s[i][j], s[j][i]
            text = _contest_text(a, b, x, y)
            cls = "win" if x > y else "loss" if x < y else "tie"
            cells.append(
                f'<td class="{cls}" title="{_e(text)}" data-row="{_e(a)}" data-col="{_e(b)}"'
                f'{_tint(x - y, top)}><span aria-hidden="true">{x}'
                f'<span class="margin">{x - y:+d}</span></span>'
                f'<span class="sr">{_e(text)}</span></td>'
            )
        rows.append(f'<tr><th scope="row">{i + 1}. {_e(a)}</th>{"".join(cells)}</tr>')
    table = (
        '<table id="pairwise-table"><caption class="sr">Pairwise counts: voters ranking the row '
        "candidate above the column candidate</caption>"
        f'<thead><tr><th scope="col">Row over column</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    cw = pw["condorcet_winner"]
    body = (
        "<p>Each cell: how many voters rank the row's candidate above the column's, and "
        "below it the margin (row minus column: <strong>+</strong> the row wins, "
        "<strong>−</strong> it loses). Wins are tinted green and bold, losses red; every "
        "cell says the contest in words to a screen reader and on hover.</p>"
        + _scroll("Pairwise table", table)
        + (
            f"<p>Condorcet winner: <strong>{_e(cw)}</strong> (defeats every other candidate).</p>"
            if cw
            else f"<p>No Condorcet winner. Smith set: {_e(', '.join(pw['smith_set']))}.</p>"
        )
    )
    contests = [
        f"{_e(c['winner'])} {'ties' if c['tied'] else 'defeats'} {_e(c['loser'])} "
        f"{c['for_winner']}-{c['for_loser']}"
        for c in pw["contests"]
    ]
    body += f"<details><summary>Every contest in words</summary>{_list(contests)}</details>"
    return _section("pairwise", "Pairwise contests", body)


# ---------------------------------------------------------------- Schulze paths
def _schulze(data: dict[str, Any]) -> str:
    sp = data.get("schulze")
    if not sp:
        return ""
    order, cells = sp["order"], sp["strongest_paths"]
    head = "".join(
        f'<th scope="col"><span aria-hidden="true">{k}</span><span class="sr">{_e(c)}</span></th>'
        for k, c in enumerate(order, 1)
    )
    rows = []
    for i, a in enumerate(order):
        tds = "".join(
            '<td class="self">—</td>'
            if i == j
            else f'<td title="strongest path from {_e(a)} to {_e(b)}: {_e(cells[i][j] or "none")}">'
            f"{_e(cells[i][j] or '–')}</td>"
            for j, b in enumerate(order)
        )
        rows.append(f'<tr><th scope="row">{i + 1}. {_e(a)}</th>{tds}</tr>')
    unit = {
        "winning": "winning:losing votes of its weakest defeat",
        "margins": "margin of its weakest defeat",
        "ratio": "ratio of its weakest defeat",
    }[sp["strength"]]
    table = (
        '<table id="paths-table"><caption class="sr">Strongest beat paths</caption>'
        f'<thead><tr><th scope="col">From row to column</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    witnesses = [
        f"<strong>Tier {w['boundary'][0]} over tier {w['boundary'][1]}</strong>: {_e(w['text'])}"
        for w in sp["witnesses"]
    ]
    body = (
        f"<p>The strength of the strongest beat path from each row to each column "
        f"({unit}; – where there is none). A candidate ranks above another when its "
        "strongest path to it is stronger than the path back.</p>"
        + _scroll("Strongest paths", table)
        + "<h3>Why each tier ranks below the one above</h3>"
        + (_list(witnesses) if witnesses else "<p>One tier: nobody beats anybody.</p>")
    )
    return _section("paths", "Strongest paths (Schulze)", body)


# ---------------------------------------------------------------------- rounds
def _sheet_table(sheet: dict[str, Any], key: str) -> str:
    rounds = sheet["rounds"]
    head = "".join(f'<th scope="col">{_e(r["label"])}</th>' for r in rounds)
    rows = []
    for name in sheet["candidates"]:
        tds = []
        before: str | None = None
        for r in rounds:
            state = r["status"].get(name, "hopeful")
            value = r["tallies"].get(name)
            mark = {"elected": " ✓", "excluded": " ✗"}.get(state, "") if value else ""
            sr = f'<span class="sr"> ({state})</span>' if state != "hopeful" else ""
            cls = f' class="{state}"' if state != "hopeful" else ""
            shown = _num(value, sheet["decimals"]) if value is not None else "—"
            change = _change(before, value, sheet["decimals"])
            tds.append(f"<td{cls}>{shown}{mark}{sr}{change}</td>")
            before = value
        rows.append(f'<tr><th scope="row">{_e(name)}</th>{"".join(tds)}</tr>')
    extra = [("Non-transferable", [r["exhausted"] for r in rounds])]
    extra += [
        (k[:1].upper() + k[1:], [r["other"].get(k) for r in rounds]) for k in sheet["other_rows"]
    ]
    if sheet["threshold_name"]:
        extra.append((sheet["threshold_name"].capitalize(), [r["threshold"] for r in rounds]))
    for label, values in extra:
        cells = "".join(f"<td>{_num(v, sheet['decimals'])}</td>" for v in values)
        rows.append(f'<tr class="total"><th scope="row">{_e(label)}</th>{cells}</tr>')
    decided = "".join(f"<td>{_e(_decisions(r))}</td>" for r in rounds)
    rows.append(
        f'<tr class="decided"><th scope="row">Elected (+) / excluded (−)</th>{decided}</tr>'
    )
    return (
        f'<table id="{key}-table" class="sheet"><caption class="sr">{_e(sheet["title"])}: '
        "votes of each candidate at the end of each round</caption>"
        f'<thead><tr><th scope="col">Candidate</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _change(before: str | None, after: str | None, decimals: int | None) -> str:
    """The votes a candidate gained or lost since the last round (``+12.5``), if any."""
    if before is None or after is None or Fraction(after) == Fraction(before):
        return ""
    delta = Fraction(after) - Fraction(before)
    sign = "+" if delta > 0 else "−"
    text = fixed(exact_text(abs(delta)), decimals)
    hint = '<span class="sr"> since the last round</span>'
    return f' <span class="margin">{sign}{_e(text)}{hint}</span>'


def _round_steps(r: dict[str, Any], decimals: int | None) -> str:
    """What a round did, its ties, and the votes that moved into it, in words."""
    lines = [f"<strong>{_e(r['label'])}</strong>: {_e(r['description'])}"]
    lines += [f"tie: {_e(t)}" for t in r["ties"]]
    lines += [
        f"{_e(' + '.join(f['from']))} → {_e(f['to'])}: {_num(f['votes'], decimals)}"
        for f in r["flows"]
    ]
    return "<br>".join(lines)


def _decisions(r: dict[str, Any]) -> str:
    return ", ".join([*(f"+{n}" for n in r["elected"]), *(f"−{n}" for n in r["excluded"])])


_FLOWS_CAPTION = (
    "Transfers between rounds: bars are each candidate's votes in a round; bands are the "
    "votes that moved (hatched: a surplus; dotted: from an excluded candidate; pale: votes "
    "kept). Hover a band for its numbers; the table above has every figure."
)


def _rounds(data: dict[str, Any]) -> str:
    sheets = data.get("rounds") or []
    if not sheets:
        return ""
    parts = []
    for k, sheet in enumerate(sheets, 1):
        key = "rounds" if len(sheets) == 1 else f"rounds-{k}"
        title = sheet["title"] + (f", pass {k}" if len(sheets) > 1 else "")
        if len(sheets) > 1:
            parts.append(f"<h3>Pass {k}</h3>")
        parts.extend(f'<p class="note">{_e(n)}</p>' for n in sheet["notes"])
        parts.append(
            '<p class="legend">✓ elected, ✗ excluded or eliminated; — no longer counted.</p>'
        )
        parts.append(_scroll(f"{title}: table", _sheet_table(sheet, key)))
        steps = [_round_steps(r, sheet["decimals"]) for r in sheet["rounds"]]
        parts.append(f"<details><summary>What each round did</summary>{_list(steps)}</details>")
        svg = flows_svg(sheet, f"Transfers between rounds: {title}", f"flows-{k}")
        chart = _scroll(f"{title}: flow chart", svg)
        parts.append(f"<figure>{chart}<figcaption>{_FLOWS_CAPTION}</figcaption></figure>")
    return _section("rounds", "Round by round", "".join(parts))


# ------------------------------------------------------------- analyses, blocs
def _charts(data: dict[str, Any]) -> str:
    out = ""
    if data.get("rank_spread"):
        svg = rank_spread_svg(
            data["rank_spread"], "Rank spread: where voters ranked each candidate"
        )
        out += _section(
            "spread",
            "Rank spread",
            "<p>Where each voter placed each candidate (1 = first). Bigger circles, more "
            "voters; the bar is the mean position.</p>" + _scroll("Rank spread chart", svg),
        )
    if data.get("pairwise"):
        svg = head_to_head_svg(data["pairwise"], "Head to head: contests won, tied and lost")
        out += _section(
            "head-to-head",
            "Head to head",
            "<p>How many of its pairwise contests each candidate wins, ties and loses.</p>"
            + _scroll("Head to head chart", svg),
        )
    return out


def _blocs(data: dict[str, Any]) -> str:
    b = data.get("blocs")
    if not b:
        return ""
    rows = []
    for g in b["groups"]:
        for kind in ("top", "strict"):
            c = g[kind]
            rows.append(
                f'<tr><th scope="row">{_e(g["name"])} ({_e(", ".join(g["candidates"]))})'
                f"</th><td>{'on top' if kind == 'top' else 'strictly on top'}</td>"
                f"<td>{c['count']}</td><td>{_pct(c['share'])}</td>"
                f"<td>{_pct(c['expected_share'])}</td><td>{_fmt(c['lift'])}</td>"
                f"<td>{_fmt(c['p_value'], 'g')}</td></tr>"
            )
    table = (
        '<table id="blocs-table"><caption class="sr">Voters who put each group on top</caption>'
        '<thead><tr><th scope="col">Group</th><th scope="col">How</th><th scope="col">Voters</th>'
        '<th scope="col">Share</th><th scope="col">By chance</th><th scope="col">Lift</th>'
        '<th scope="col">p-value</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    t = b.get("permutation_test")
    test = (
        ""
        if not t
        else f"<p>Joint permutation test ({t['permutations']} relabellings): "
        f"{t['statistic']} voters put a group on top, against {_fmt(t['null_mean'])} "
        f"expected; p = {_fmt(t['p_value'], 'g')}.</p>"
    )
    return _section(
        "blocs",
        "Blocs",
        "<p>How many voters put a whole group of candidates at the top of their ballot, "
        "against what random rankings would give.</p>" + _scroll("Blocs table", table) + test,
    )


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "" if x is None else format(x, spec)


# -------------------------------------------------------------- ballots, input
def _ballots(data: dict[str, Any]) -> str:
    b = data["ballots"]
    facts = [
        ("Ballots read", b["read"]),
        ("Counted", b["counted"]),
        ("Rejected", b["rejected"]),
    ]
    if "undervotes" in b:
        facts.append(("Undervotes (ranked nobody)", b["undervotes"]))
    if "distinct" in b:
        facts.append(("Distinct ballots", b["distinct"]))
        facts.append(("Candidates", b["candidates"]))
    inp = data["input"]
    if inp.get("unranked"):
        facts.append(("Unranked candidates", f"compared as {inp['unranked']}"))
    if inp.get("orientation"):
        facts.append(("Orientation", f"{inp['orientation']}; {inp.get('orientation_note') or ''}"))
    if inp.get("withdrawn"):
        facts.append(("Withdrawn (not counted)", ", ".join(inp["withdrawn"])))
    body = _facts(facts, "ballot-facts")
    if b["rejected_lines"]:
        lines = [
            f"line {r['line']}: {_e(r['reason'])} ({r['weight']} ballot(s))"
            for r in b["rejected_lines"]
        ]
        body += f"<details open><summary>Rejected lines</summary>{_list(lines)}</details>"
    return _section("ballots", "Ballots", body)


def _facts(items: Sequence[tuple[str, object]], key: str) -> str:
    inner = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return f'<dl class="facts" id="{key}">{inner}</dl>'


def _recount(data: dict[str, Any]) -> str:
    files = []
    for f in data["input"]["files"]:
        size = f"{f['bytes']} bytes" + (f", {f['files']} files" if f["kind"] == "folder" else "")
        files.append(
            f"<strong>{_e(f['name'])}</strong> ({_e(f['role'])}, {size})<br>"
            f'SHA-256 <code class="hash">{_e(f["sha256"])}</code>'
        )
    ex = data["input"].get("example")
    body = ""
    if ex:
        body += f"<p>Bundled example <code>{_e(ex)}</code> of the voting library.</p>"
    if files:
        body += "<h3>Input files</h3>" + _list(files)
    m = data["method"]
    params = [f"<code>{_e(k)}</code> = {_e(json.dumps(v))}" for k, v in m["parameters"].items()]
    g = data["generator"]
    body += (
        f"<h3>Method</h3><p><code>{_e(m['name'])}</code>, {m['seats']} seat(s)</p>"
        + (_list(params) if params else "")
        + f"<p>Counted by <strong>{_e(g['name'])} {_e(g['version'])}</strong>.</p>"
        + "<h3>Recount it yourself</h3>"
        + "<p>With the same input files and this version of the library, this command "
        "prints the same result:</p>"
        + f'<pre id="recount-command"><code>{_e(data["recount"]["text"])}</code></pre>'
    )
    missing = data["recount"]["not_expressible"]
    if missing:
        body += (
            "<p>The command line cannot give these parameters; set them in Python: "
            f"{_e(', '.join(missing))}.</p>"
        )
    body += (
        "<p>The data of this page, as JSON (schema version "
        f"{data['schema_version']}), is embedded in it: the element "
        "<code>script#voting-data</code>.</p>"
    )
    return _section("recount", "How to recount", body)


def _explanation(data: dict[str, Any]) -> str:
    text = data.get("explanation_text")
    if not text:
        return ""
    return _section(
        "explanation",
        "The method's account",
        f"<details><summary>The count as the method explains it (text)</summary>"
        f"{_scroll('Method explanation', f'<pre>{_e(text)}</pre>')}</details>",
    )


# ------------------------------------------------------------------------ page
_SECTIONS = (
    ("outcome", "Result"),
    ("ties", "Ties"),
    ("ranking", "Ranking"),
    ("rounds", "Rounds"),
    ("paths", "Strongest paths"),
    ("pairwise", "Pairwise"),
    ("spread", "Rank spread"),
    ("head-to-head", "Head to head"),
    ("blocs", "Blocs"),
    ("ballots", "Ballots"),
    ("explanation", "Explanation"),
    ("recount", "Recount"),
)


def _data_script(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="voting-data">{text}</script>'


def render_html(data: dict[str, Any]) -> str:
    """The results page of ``data`` (:func:`voting.report.report_data` or
    :func:`voting.report.rctab_report_data`) as one self-contained HTML document.

    The same data gives the same bytes: the page holds no date or random identifier.
    """
    sections = [
        _outcome(data),
        _ties(data),
        _ranking(data),
        _rounds(data),
        _schulze(data),
        _pairwise(data) if data.get("pairwise") else "",
        _charts(data),
        _blocs(data),
        _ballots(data),
        _explanation(data),
        _recount(data),
    ]
    body = "".join(sections)
    nav = "".join(
        f'<li><a href="#{k}">{_e(label)}</a></li>' for k, label in _SECTIONS if f'id="{k}"' in body
    )
    title = data["title"]
    contest = data.get("contest") or {}
    sub = " · ".join(
        str(x)
        for x in (contest.get("jurisdiction"), contest.get("office"), contest.get("date"))
        if x
    )
    g = data["generator"]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="generator" content="{_e(g["name"])} {_e(g["version"])}">'
        f"<title>Results: {_e(title)}</title><style>{CSS}</style></head><body>"
        '<a class="skip" href="#main">Skip to the results</a>'
        f"<header><h1>{_e(title)}</h1>"
        + (f'<p class="subtitle">{_e(sub)}</p>' if sub else "")
        + f'<p class="subtitle">Counted by {_e(g["name"])} {_e(g["version"])}; the figures '
        "below are the count's own.</p>"
        f'<nav aria-label="Sections of this page"><ul>{nav}</ul></nav></header>'
        f'<main id="main" tabindex="-1">{body}</main>'
        '<footer><p class="note">This page is self-contained: it loads nothing from the '
        "network and works without JavaScript.</p></footer>"
        f"{_data_script(data)}</body></html>\n"
    )

"""The charts of a results page, as inline SVG that reads without colour.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its text
alternative), a ``<title>`` on every mark (a tooltip, and what a screen reader says), and
shapes, patterns and printed numbers that carry its meaning where colour is not seen.
The charts are drawn from the report's data (:mod:`voting.report._data`) alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from html import escape
from typing import Any

__all__ = ["flows_svg", "head_to_head_svg", "rank_spread_svg"]

_PATTERNS = """<defs>
<pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"
 patternTransform="rotate(45)"><rect width="6" height="6" fill="#c9dff2"/>
<line x1="0" y1="0" x2="0" y2="6" stroke="#1f4e79" stroke-width="2"/></pattern>
<pattern id="{p}-dots" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#f6dcc4"/><circle cx="3" cy="3" r="1.3" fill="#7a3b00"/></pattern>
</defs>"""


def _open(key: str, width: float, height: float, title: str, desc: str) -> tuple[str, str]:
    """The ``<svg>`` opening (with its title and description) and the id prefix: ``key``
    names the chart, unique within the page, so that the same data gives the same page."""
    p = f"chart-{key}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{p}-title {p}-desc" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" class="chart">'
        f'<title id="{p}-title">{escape(title)}</title>'
        f'<desc id="{p}-desc">{escape(desc)}</desc>' + _PATTERNS.format(p=p)
    )
    return head, p


def _text(x: float, y: float, text: str, *, anchor: str = "start", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _shorten(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


# ------------------------------------------------------------------ rank spread
def rank_spread_svg(spread: dict[str, Any], title: str) -> str:
    """Bubbles: a row per candidate, a column per position; area proportional to voters.

    The mean position is a vertical bar across the row, and printed at its end.
    """
    rows = spread["rows"]
    top = max((n for r in rows for n in r["distribution"].values()), default=0) or 1
    col, row_h, left, head = 22.0, 28.0, 190.0, 40.0
    c = len(spread["candidates"])  # whole positions 1..C
    width = left + col * (c - 1) * 1.0 + 2 * col + 110
    height = head + row_h * len(rows) + 10
    desc = (
        "One row per candidate, best first. A circle at position p has an area "
        "proportional to the voters who ranked the candidate at p (ties count at the "
        "average position of the tie); the vertical bar marks the mean position, also "
        "printed at the end of the row."
    )
    svg, _ = _open("spread", width, height, title, desc)
    parts = [svg]

    def x_of(p: float) -> float:
        return left + col * (p - 1)

    for k in range(1, c + 1):
        parts.append(_text(x_of(k), head - 22, str(k), anchor="middle", cls="axis"))
        parts.append(
            f'<line x1="{x_of(k):.1f}" y1="{head - 14}" x2="{x_of(k):.1f}" '
            f'y2="{height - 8:.1f}" class="grid"/>'
        )
    parts.append(_text(left - 8, head - 22, "position:", anchor="end", cls="axis"))
    for i, r in enumerate(rows):
        y = head + row_h * i + row_h / 2
        parts.append(_text(left - 10, y + 4, _shorten(r["candidate"]), anchor="end"))
        for position, n in r["distribution"].items():
            p = float(position)
            radius = max(1.5, (row_h / 2 - 2) * (n / top) ** 0.5)
            parts.append(
                f'<circle cx="{x_of(p):.1f}" cy="{y:.1f}" r="{radius:.1f}" class="bubble">'
                f"<title>{escape(r['candidate'])}: {n} voters at position {p:g}</title></circle>"
            )
        mean = r["mean"]
        if mean is not None:
            parts.append(
                f'<rect x="{x_of(mean) - 1.5:.1f}" y="{y - row_h / 2 + 2:.1f}" width="3" '
                f'height="{row_h - 4:.1f}" class="mean"><title>{escape(r["candidate"])}: mean '
                f"position {mean:.2f}</title></rect>"
            )
            parts.append(_text(x_of(c) + col, y + 4, f"mean {mean:.2f}", cls="small"))
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------- head to head
def head_to_head_svg(pairwise: dict[str, Any], title: str) -> str:
    """A bar per candidate: pairwise wins (solid), ties (hatched), losses (dotted)."""
    order: list[str] = pairwise["order"]
    support = pairwise["support"]
    n = len(order)
    left, bar_h, gap, unit = 190.0, 18.0, 8.0, max(8.0, min(36.0, 420.0 / max(1, n - 1)))
    width = left + unit * (n - 1) + 200
    height = 34 + (bar_h + gap) * n
    desc = (
        "One bar per candidate, in the result's order: a solid segment for each "
        "candidate it defeats head to head, a hatched one for each tie and a dotted one "
        "for each defeat; the counts are printed after the bar."
    )
    svg, p = _open("head-to-head", width, height, title, desc)
    parts = [svg]
    for i, name in enumerate(order):
        wins = sum(1 for j in range(n) if j != i and support[i][j] > support[j][i])
        ties = sum(1 for j in range(n) if j != i and support[i][j] == support[j][i])
        losses = n - 1 - wins - ties
        y = 24 + (bar_h + gap) * i
        parts.append(_text(left - 10, y + bar_h - 4, _shorten(name), anchor="end"))
        x = left
        for count, fill, what in (
            (wins, 'class="win"', "wins"),
            (ties, f'fill="url(#{p}-hatch)" class="tie"', "ties"),
            (losses, f'fill="url(#{p}-dots)" class="loss"', "losses"),
        ):
            if count:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{unit * count:.1f}" '
                    f'height="{bar_h}" {fill}><title>{escape(name)}: {count} {what}</title></rect>'
                )
                x += unit * count
        label = f"{wins} wins, {ties} ties, {losses} losses"
        parts.append(_text(left + unit * (n - 1) + 8, y + bar_h - 4, label, cls="small"))
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------- flows
def _value(text: str | None) -> Fraction:
    return Fraction(text) if text else Fraction(0)


def _column(r: dict[str, Any], names: Sequence[str]) -> dict[str, Fraction]:
    values = {n: _value(r["tallies"].get(n)) for n in names}
    values["\x00other"] = _value(r["exhausted"])
    return values


def _stack(values: dict[str, Fraction], scale: float, top: float, gap: float) -> dict[str, float]:
    """The top y of each node of a column, stacked in order (empty nodes take no room)."""
    y = top
    out = {}
    for name, v in values.items():
        out[name] = y
        if v > 0:
            y += float(v) * scale + gap
    return out


def _band(x0: float, y0: float, x1: float, y1: float, t: float) -> str:
    mid = (x0 + x1) / 2
    return (
        f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
        f"L{x1:.1f},{y1 + t:.1f} C{mid:.1f},{y1 + t:.1f} {mid:.1f},{y0 + t:.1f} "
        f"{x0:.1f},{y0 + t:.1f} Z"
    )


def flows_svg(sheet: dict[str, Any], title: str, key: str = "flows") -> str:
    """A Sankey-like chart: a column of bars per round, bands for the votes that moved.

    Bars are stacked in the sheet's candidate order, the non-transferable votes last.
    A band from a candidate elected with a surplus is hatched; from an excluded
    candidate, dotted; votes a candidate keeps are pale grey. Where several candidates
    gave votes in one round, the count records only their net changes: the band from
    each is drawn in proportion to what it gave, and the chart's description says so.
    """
    names: list[str] = sheet["candidates"]
    rounds = sheet["rounds"]
    columns = [_column(r, names) for r in rounds]
    biggest = max(float(sum(c.values(), Fraction(0))) for c in columns) or 1.0
    left, colw, bw, top, plot_h, gap = 200.0, 120.0, 14.0, 30.0, 380.0, 4.0
    scale = (plot_h - gap * (len(names) + 1)) / biggest
    width = left + colw * (len(rounds) - 1) + bw + 40
    height = top + plot_h + 30
    shared = any(len(f["from"]) > 1 for r in rounds for f in r["flows"])
    desc = (
        "Columns are rounds, left to right; in each, a bar per candidate (height: votes) "
        "and the non-transferable votes at the bottom. Bands show votes moving between "
        "rounds: hatched from a surplus, dotted from an excluded candidate, pale for votes "
        "a candidate keeps. The round-by-round table below gives every number."
    )
    if shared:
        desc += (
            " In rounds where several candidates gave votes at once the count records "
            "only each one's net change; their bands are drawn in proportion to what "
            "each gave."
        )
    svg, p = _open(key, width, height, title, desc)
    parts = [svg]
    tops = [_stack(c, scale, top, gap) for c in columns]
    for k, r in enumerate(rounds):
        x = left + colw * k
        parts.append(_text(x + bw / 2, top - 12, r["label"], anchor="middle", cls="axis"))
        if k:
            parts.extend(_bands(rounds, columns, tops, k, x - colw + bw, x, scale, p, names))
        for name, v in columns[k].items():
            if v <= 0:
                continue
            shown = "Non-transferable" if name == "\x00other" else name
            state = r["status"].get(name, "")
            cls = {"elected": "bar elected", "excluded": "bar excluded"}.get(state, "bar")
            y = tops[k][name]
            h = max(1.0, float(v) * scale)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw}" height="{h:.1f}"'
                f' class="{cls}"><title>{escape(r["label"])}: {escape(shown)} '
                f"{float(v):g} votes{f' ({state})' if state and state != 'hopeful' else ''}"
                "</title></rect>"
            )
    first = columns[0]
    for name, v in first.items():
        if v > 0:
            shown = "Non-transferable" if name == "\x00other" else _shorten(name)
            y = tops[0][name] + max(1.0, float(v) * scale) / 2 + 4
            parts.append(_text(left - 8, y, shown, anchor="end", cls="small"))
    parts.append("</svg>")
    return "".join(parts)


def _bands(
    rounds: list[dict[str, Any]],
    columns: list[dict[str, Fraction]],
    tops: list[dict[str, float]],
    k: int,
    x0: float,
    x1: float,
    scale: float,
    p: str,
    names: Sequence[str],
) -> list[str]:
    """The bands between round ``k - 1`` and round ``k``."""
    before, after = columns[k - 1], columns[k]
    out_used = {n: 0.0 for n in before}
    in_used = {n: 0.0 for n in after}
    incoming: dict[str, Fraction] = {n: Fraction(0) for n in after}
    parts = []
    flows = rounds[k]["flows"]
    for f in flows:
        to = f["to"] if f["to"] in names else "\x00other"
        incoming[to] += _value(f["votes"])
    for f in flows:
        to = f["to"] if f["to"] in names else "\x00other"
        votes = _value(f["votes"])
        givers = [s for s in f["from"] if s in before]
        given = {s: max(Fraction(0), before[s] - after.get(s, Fraction(0))) for s in givers}
        total = sum(given.values(), Fraction(0))
        for s in givers:
            share = votes if len(givers) == 1 else votes * given[s] / total if total else 0
            t = float(share) * scale
            if t <= 0:
                continue
            state = rounds[k - 1]["status"].get(s, "")
            fill = f"url(#{p}-hatch)" if state == "elected" else f"url(#{p}-dots)"
            y0 = tops[k - 1][s] + out_used[s]
            y1 = tops[k][to] + in_used[to]
            out_used[s] += t
            in_used[to] += t
            shown = "non-transferable" if to == "\x00other" else to
            approx = "" if len(givers) == 1 else f" (of {f['votes']} from {' + '.join(givers)})"
            parts.append(
                f'<path d="{_band(x0, y0, x1, y1, t)}" fill="{fill}" class="flow">'
                f"<title>{escape(rounds[k]['label'])}: {escape(s)} to {escape(shown)}, "
                f"{float(share):g} votes{escape(approx)}</title></path>"
            )
    for n, v in after.items():  # votes kept: from below what was given to below what came in
        kept = float(v - incoming[n]) * scale
        if n == "\x00other" or kept <= 0 or before.get(n, Fraction(0)) <= 0:
            continue
        y0 = tops[k - 1][n] + out_used[n]
        y1 = tops[k][n] + in_used[n]
        parts.append(f'<path d="{_band(x0, y0, x1, y1, kept)}" class="kept"/>')
    return parts

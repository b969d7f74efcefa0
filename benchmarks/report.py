"""Regenerate the tables and plots of ``docs/performance.md`` from ``benchmarks/results/``.

The page keeps its hand-written prose; every table of measured numbers sits between
marker comments and is rewritten from the results files::

    <!-- bench:pairwise-headline -->
    ... generated, do not edit ...
    <!-- /bench -->

Sources: ``<name>.tsv`` (one row per measurement, written by
``benchmarks/_harness.py``), ``<name>.json`` (machine, versions, threads, load) and,
for what the ``.tsv`` lacks, the readable ``<name>.txt``. A block whose results file
is missing says so instead of showing stale numbers. Plots of the scaling curves go
to ``docs/images/bench-*.png`` (matplotlib, Agg backend).

Usage, from the repository root::

    python3 -m benchmarks.report             # rewrite docs/performance.md and the plots
    python3 -m benchmarks.report --check     # exit 1 if the page is out of date
    python3 -m benchmarks.report --no-plots  # tables only

Running it twice changes nothing the second time (tested in
``tests/test_benchmarks_report.py``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
DOC = ROOT / "docs" / "performance.md"
IMAGES = ROOT / "docs" / "images"

BLOCK = re.compile(r"(<!-- bench:([\w-]+) -->\n)(.*?)(<!-- /bench -->)", re.S)


# ------------------------------------------------------------------ results
@dataclass
class Results:
    """One benchmark's rows (``.tsv``), header (``.json``) and text (``.txt``)."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    def section(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["section"] == name]

    def find(self, section: str, case: str) -> dict[str, Any] | None:
        for r in self.section(section):
            if r["case"] == case:
                return r
        return None

    def source(self) -> str:
        """One line naming the run: file, date, load, threads."""
        m = self.meta
        date = str(m.get("date_utc", "?")).replace("+00:00", "Z")
        start, end = m.get("load_at_start", "?"), m.get("load_at_end", "?")
        load = f"load average {start} at start, {end} at end"
        return (
            f"_From `benchmarks/results/{self.name}.txt` in the repository, "
            f"run of {date} ({m.get('machine', '?')}, {m.get('numba_threads', '?')} numba "
            f"threads; {load})._"
        )


def _value(text: str) -> Any:
    if text in ("True", "False"):
        return text == "True"
    try:
        return float(text) if any(ch in text for ch in ".eE") or not text.isdigit() else int(text)
    except ValueError:
        return text


def _meta_from_text(text: str) -> dict[str, Any]:
    """The header of a ``.txt`` written before the harness wrote ``.json`` files."""
    meta: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        body = line.lstrip("# ")
        if body.startswith("date (UTC): "):
            meta["date_utc"] = body.split(": ", 1)[1]
        elif body.startswith("machine: "):
            meta["machine"] = body.split(": ", 1)[1]
        elif body.startswith("numba threads: "):
            meta["numba_threads"] = body.split(": ", 1)[1].split()[0]
        elif body.startswith("load average (1, 5, 15 min) at start: "):
            meta["load_at_start"] = body.split(": ", 1)[1]
        elif body.startswith("load average (1, 5, 15 min) at end: "):
            meta["load_at_end"] = body.split(": ", 1)[1]
    return meta


def load(name: str, folder: Path = RESULTS) -> Results | None:
    """Read ``folder/<name>.{tsv,json,txt}``; None if there is no ``.tsv``."""
    tsv = folder / f"{name}.tsv"
    if not tsv.exists():
        return None
    with tsv.open(encoding="utf-8", newline="") as f:
        rows = [
            {k: _value(v or "") for k, v in row.items()}
            for row in csv.DictReader(f, delimiter="\t")
        ]
    for r in rows:
        r["case"] = str(r["case"])
    txt = folder / f"{name}.txt"
    text = txt.read_text(encoding="utf-8") if txt.exists() else ""
    js = folder / f"{name}.json"
    meta = json.loads(js.read_text(encoding="utf-8")) if js.exists() else _meta_from_text(text)
    return Results(name, rows, meta, text)


# ------------------------------------------------------------------ formats
def rate(x: float, unit: str = "/s") -> str:
    """``156 M/s``, ``34.3 M/s``, ``4.62 k/s``: three significant digits."""
    for scale, prefix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if abs(x) >= scale:
            return f"{x / scale:.3g}{prefix}{unit}"
    return f"{x:.3g} {unit.lstrip()}"


def ratio(x: float) -> str:
    return f"{x:,.0f}x" if x >= 10 else f"{x:.1f}x"


def seconds(x: float) -> str:
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.3g} ms"
    return f"{x * 1e6:.3g} µs"


def power(n: float) -> str:
    """``10^6`` for powers of ten, ``2,000`` otherwise."""
    k = round(np.log10(n)) if n > 0 else 0
    return f"10^{k}" if 10**k == n else f"{int(n):,}"


def table(head: Iterable[str], rows: Iterable[Iterable[Any]], align: str = "") -> str:
    head = list(head)
    align = align or "l" + "r" * (len(head) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(sep) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def fit(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log(y) on log(x) (nan for fewer than 2 distinct x)."""
    if len(set(xs)) < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log(np.asarray(xs, float)), np.log(np.asarray(ys, float)), 1)
    return float(slope)


def missing(name: str) -> str:
    return (
        f"_No results yet: run `python3 -m benchmarks.run_all {name}`, then "
        "`python3 -m benchmarks.report`._"
    )


# ------------------------------------------------------------------ pairwise
CASE_C = re.compile(r"C=\s*(\d+)\s+(.*)")
CASE_V = re.compile(r"V=\s*([\d,]+)\s+(\w+)")


def pairwise_headline(r: Results) -> str:
    labels = [
        ("voting serial", "`voting.pairwise`, serial"),
        ("voting parallel", "`voting.pairwise`, parallel ({threads} threads)"),
        ("voting Profile()+pairwise", "`Profile(ranks)` + `pairwise` (end to end)"),
        ("numpy floor", "NumPy floor (broadcast compare, chunked), on {n} ballots"),
        ("pref_voting tally", "pref_voting tally alone (`_support` per pair), on {n} ballots"),
        ("pref_voting Profile()", "pref_voting `Profile(rankings)` (includes its tally), on {n}"),
    ]
    by: dict[tuple[int, str], dict[str, Any]] = {}
    cs: list[int] = []
    for row in r.section("headline"):
        m = CASE_C.match(row["case"])
        if not m:
            continue
        c, rest = int(m.group(1)), m.group(2)
        cs += [c] if c not in cs else []
        for key, _ in labels:
            if rest.startswith(key):
                by[c, key] = row
    if not cs:
        return missing("pairwise")
    threads = r.meta.get("numba_threads", "?")
    rows = []
    for key, label in labels:
        cells = []
        ns: list[str] = []
        for c in cs:
            hit = by.get((c, key))
            cells.append(rate(hit["rate_per_s"], " ballots/s") if hit else "-")
            if hit and power(hit["items"]) not in ns:
                ns.append(power(hit["items"]))
        text = label.format(threads=threads, n=" / ".join(ns))
        if key.startswith("voting p"):
            cells = [f"**{x}**" for x in cells]
        rows.append([text, *cells])
    out = [r.source(), "", table(["", *(f"C = {c}" for c in cs)], rows)]
    best = {
        c: max(by[c, "voting serial"]["rate_per_s"], by[c, "voting parallel"]["rate_per_s"])
        for c in cs
        if (c, "voting serial") in by and (c, "voting parallel") in by
    }
    ratios = []
    for key, label, num in (
        ("numpy floor", "against the NumPy floor", "best"),
        ("pref_voting tally", "against pref_voting's tally kernel", "best"),
        ("pref_voting Profile()", "end to end, against pref_voting's `Profile`", "e2e"),
    ):
        cells = []
        for c in cs:
            if (c, key) not in by or c not in best:
                cells.append("-")
                continue
            top = best[c] if num == "best" else by[c, "voting Profile()+pairwise"]["rate_per_s"]
            cells.append(ratio(top / by[c, key]["rate_per_s"]))
        ratios.append([label, *cells])
    out += [
        "",
        "Ratios, best `voting` kernel (end to end: `Profile` + count) against each "
        "competitor, ballots per second:",
        "",
        table(["", *(f"C = {c}" for c in cs)], ratios),
    ]
    return "\n".join(out)


def pairwise_compressed(r: Results) -> str:
    rows = []
    distinct = dict(re.findall(r"^(C=\d+ [\w ]+?): ([\d,]+) distinct ballots", r.text, re.M))
    comp_s = dict(
        re.findall(r"^(C=\d+ [\w ]+?): [\d,]+ distinct .*compress\(\) ([\d.]+) ms", r.text, re.M)
    )
    cases: list[str] = []
    for row in r.section("compressed"):
        base = row["case"].rsplit(" ", 1)[0]
        cases += [base] if base not in cases else []
    if not cases:
        return missing("pairwise")
    n = int(r.section("compressed")[0]["items"])
    for base in cases:
        raw = r.find("compressed", base + " raw")
        comp = r.find("compressed", base + " compressed")
        c, kind = base.split(" ", 1)
        label = f"C = {c[2:]}, " + (
            "uniform" if kind == "uniform" else f"drawn from {kind[8:]} rankings"
        )
        rows.append(
            [
                label,
                distinct.get(base, "?"),
                rate(raw["rate_per_s"], " voters/s") if raw else "-",
                rate(comp["rate_per_s"], " voters/s") if comp else "-",
                f"{float(comp_s[base]) / 1e3:.2f} s" if base in comp_s else "?",
            ]
        )
    head = [f"{power(n)} voters", "distinct ballots", "raw", "compressed", "`compress()`"]
    return table(head, rows)


def pairwise_scaling_v(r: Results) -> str:
    pts: dict[str, dict[int, float]] = {}
    for row in r.section("scaling V"):
        m = CASE_V.match(row["case"])
        if m:
            pts.setdefault(m.group(2), {})[int(m.group(1).replace(",", ""))] = row["rate_per_s"]
    if not pts:
        return missing("pairwise")
    kinds = list(pts)
    vs = sorted(pts[kinds[0]])
    rows = [[power(v), *(rate(pts[k][v]) for k in kinds)] for v in vs]
    big = [v for v in vs if v >= 10**5]
    big = big if len(big) >= 2 else vs
    fits = ", ".join(f"V^{fit(big, [v / pts[k][v] for v in big]):.2f} ({k})" for k in kinds)
    return "\n".join(
        [
            r.source(),
            "",
            table(["ballots", *kinds], rows),
            "",
            f"Fitted: time grows as {fits} over {power(big[0])}..{power(big[-1])} ballots "
            "(least squares on log-log; expected 1).",
        ]
    )


def _regime(c: int) -> str:
    if c <= 16:
        return f"bit-sliced, {8 if c <= 8 else 4} ballots per word"
    if c <= 64:
        return f"byte counters, {32 if c <= 32 else 64} lanes"
    return "multi-word masks"


def _ns(x: float) -> str:
    return f"{x:,.0f}" if x >= 1000 else f"{x:.3g}"


def pairwise_scaling_c(r: Results) -> str:
    per: dict[str, dict[int, float]] = {}
    for row in r.section("scaling C"):
        m = CASE_C.match(row["case"])
        if m:
            per.setdefault(m.group(2).strip(), {})[int(m.group(1))] = row["median_s"] / row["items"]
    if "serial" not in per:
        return missing("pairwise")
    cs = sorted(per["serial"])
    rows = []
    for c in cs:
        ns = per["serial"][c] * 1e9
        par = per.get("parallel", {}).get(c)
        rows.append(
            [
                c,
                _ns(ns),
                _ns(par * 1e9) if par else "-",
                f"{ns / (c * c / 64):.2g}",
                _regime(c),
            ]
        )
    wide = [c for c in cs if c > 64]
    wide = wide if len(wide) >= 2 else cs
    k_all = fit(cs, [per["serial"][c] for c in cs])
    k_wide = fit(wide, [per["serial"][c] for c in wide])
    sizes = sorted({int(x["items"]) for x in r.section("scaling C")}, reverse=True)
    head = ["C", "serial ns / ballot", "parallel ns / ballot", "serial ns per C²/64", "regime"]
    return "\n".join(
        [
            f"{power(sizes[0])} ballots"
            + (f" ({power(sizes[1])} above C = 200)" if len(sizes) > 1 else "")
            + ".",
            "",
            table(head, rows, "rrrrl"),
            "",
            f"Fitted exponent of serial time per ballot against C: {k_wide:.2f} over "
            f"C = {wide[0]}..{wide[-1]} (expected 2 once every word is full), "
            f"{k_all:.2f} over C = {cs[0]}..{cs[-1]}.",
        ]
    )


def pairwise_crossover(r: Results) -> str:
    found = re.findall(r"^C=(\d+): parallel first faster at (.*)$", r.text, re.M)
    if not found:
        return missing("pairwise")
    return (
        "In this run parallel first wins at "
        + "; ".join(f"{where} (C = {c})" for c, where in found)
        + "."
    )


# ------------------------------------------------------------------ cold start
def cold_start(r: Results) -> str:
    rows = r.section("cold start")
    if not rows:
        return missing("cold")
    steps: list[str] = []
    by: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        flag, step = row["case"].split(" ", 1)
        steps += [step] if step not in steps else []
        by[flag, step] = row
    out = []
    for flag, label in (
        ("cache=1", "cache on (`VOTING_NUMBA_CACHE=1`, default; cache filled)"),
        ("cache=0", "cache off (`VOTING_NUMBA_CACHE=0`: compile in process)"),
    ):
        out.append(
            [label, *(seconds(by[flag, s]["median_s"]) if (flag, s) in by else "-" for s in steps)]
        )
    return "\n".join([r.source(), "", table(["", *steps], out)])


# ------------------------------------------------------------------ first commands
def first_run(r: Results) -> str:
    """Cold and warm wall time of each command, baseline beside this checkout."""
    rows = r.section("first run")
    if not rows:
        return missing("first_run")
    commands: list[str] = []
    trees: list[str] = []
    t: dict[tuple[str, str, str], str] = {}
    for row in rows:
        cmd, tree, kind = (x.strip() for x in row["case"].split("|"))
        commands += [cmd] if cmd not in commands else []
        trees += [tree] if tree not in trees else []
        cpu = row.get("cpu_s")
        t[cmd, tree, kind] = seconds(row["median_s"]) + (
            f" ({seconds(cpu)} cpu)" if isinstance(cpu, float) else ""
        )
    head = ["command"]
    for tree in trees:
        head += [f"{tree}: cold", f"{tree}: warm"]
    body = [
        [f"`{cmd}`", *(t[cmd, tr, k] for tr in trees for k in ("cold", "warm"))] for cmd in commands
    ]
    return "\n".join([r.source(), "", table(head, body)])


# ------------------------------------------------------------------ engines
def engines(r: Results) -> str:
    """Per step: NumPy cost per unit, the work it takes on, and the kernel's speed-up."""
    rows = r.section("engines")
    if not rows:
        return missing("engines")
    by: dict[str, dict[int, dict[str, float]]] = {}
    for row in rows:
        step, engine, work = row["case"].split()
        by.setdefault(step, {}).setdefault(int(work.split("=")[1]), {})[engine] = row["median_s"]
    body = []
    for step, sizes in by.items():
        top = max(sizes)
        ns = sizes[top]["numpy"] / top * 1e9
        body.append(
            [
                f"`{step}`",
                f"{top:,}",
                seconds(sizes[top]["numpy"]),
                seconds(sizes[top]["numba"]),
                ratio(sizes[top]["numpy"] / sizes[top]["numba"]),
                f"{ns:,.1f}",
            ]
        )
    start = {row["case"]: row["median_s"] for row in r.section("numba start")}
    lines = [
        r.source(),
        "",
        table(
            ["step", "work (largest size)", "NumPy", "numba (warm)", "kernel faster", "ns/unit"],
            body,
        ),
    ]
    if start:
        lines += [
            "",
            "The fixed price of the numba path in a fresh process: "
            + "; ".join(f"{k} {seconds(v)}" for k, v in start.items())
            + ".",
        ]
    return "\n".join(lines)


# ------------------------------------------------------------------ Meek at 10^7
def meek_large(r: Results) -> str:
    rows = r.section("meek large")
    if not rows:
        return missing("meek_large")
    stages: list[str] = []
    trees: list[str] = []
    t: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        tree, stage = (x.strip() for x in row["case"].split("|"))
        stages += [stage] if stage not in stages else []
        trees += [tree] if tree not in trees else []
        t[tree, stage] = row
    body = []
    for stage in stages:
        cells = []
        for tree in trees:
            row = t.get((tree, stage))
            if row is None:
                cells.append("-")
                continue
            peak = row.get("peak_gib")
            extra = f", peak {peak:.2f} GiB" if isinstance(peak, float) else ""
            cells.append(seconds(row["median_s"]) + extra)
        body.append([stage, *cells])
    return "\n".join([r.source(), "", table(["", *trees], body, "l" + "r" * len(trees))])


# ------------------------------------------------------------------ Schulze
def schulze_paths(r: Results) -> str:
    rows = r.section("strongest paths")
    kernels: list[str] = []
    t: dict[tuple[str, int], float] = {}
    for row in rows:
        k = row.get("kernel")
        if not k:
            continue
        kernels += [k] if k not in kernels else []
        t[k, int(row["x"])] = row["median_s"]
    if not kernels:
        return missing("schulze")
    cs = sorted({c for _, c in t})
    body = [[c, *(seconds(t[k, c]) if (k, c) in t else "-" for k in kernels)] for c in cs]
    big = [c for c in cs if c >= 50]
    big = big if len(big) >= 2 else cs
    fits = [
        f"{k} C^{fit(big, [t[k, c] for c in big]):.2f}"
        for k in kernels
        if all((k, c) in t for c in big)
    ]
    return "\n".join(
        [
            r.source(),
            "",
            table(["C", *kernels], body),
            "",
            f"Fitted exponents of time against C over C = {big[0]}..{big[-1]}: "
            + ", ".join(fits)
            + " (expected 3 for Floyd–Warshall; the sorted kernel is O(C² log C) plus "
            "at most C³/64 word operations).",
        ]
    )


def schulze_vs(r: Results) -> str:
    rows = r.section("vs pref_voting beat_path")
    pv = [x for x in rows if x.get("library") == "pref_voting"]
    if not pv:
        return missing("schulze")
    ours = {int(x["x"]): x for x in rows if x.get("library") == "voting"}
    body = [
        [
            int(x["x"]),
            seconds(ours[int(x["x"])]["median_s"]),
            seconds(x["median_s"]),
            ratio(x["ratio"]),
        ]
        for x in pv
    ]
    return table(["C", "voting `strongest_paths`", "pref_voting `beat_path`", "ratio"], body)


def schulze_end_to_end(r: Results) -> str:
    rows = r.section("end to end")
    if not rows:
        return missing("schulze")
    body = []
    ratios = {int(x["c"]): x for x in r.meta.get("ratios", [])}
    for x in rows:
        c = int(x["c"])
        lib = x["library"]
        note = ""
        if lib == "pref_voting" and c in ratios:
            rr = ratios[c]
            note = f"{ratio(rr['at_scale'])} ({ratio(rr['same_n'])} at the same ballots)"
        body.append([f"C = {c}", lib, power(x["items"]), rate(x["rate_per_s"], " ballots/s"), note])
    head = ["", "library", "ballots", "throughput", "ratio voting / it"]
    return table(head, body, "lllrr")


def schulze_scaling(r: Results) -> str:
    rows = r.section("scaling V")
    if not rows:
        return missing("schulze")
    xs = [int(x["x"]) for x in rows]
    ts = [x["median_s"] for x in rows]
    big = [i for i, v in enumerate(xs) if v >= 10**5]
    big = big if len(big) >= 2 else list(range(len(xs)))
    body = [[power(v), seconds(t), rate(v / t, " ballots/s")] for v, t in zip(xs, ts, strict=True)]
    k = fit([xs[i] for i in big], [ts[i] for i in big])
    return "\n".join(
        [
            table(["ballots (C = 10)", "time", "throughput"], body),
            "",
            f"Fitted: time ~ V^{k:.2f} over {power(xs[big[0]])}..{power(xs[big[-1]])} ballots "
            "(expected 1: the pairwise count dominates).",
        ]
    )


# ------------------------------------------------------------------ STV
def stv_scale(r: Results) -> str:
    rows = r.section("ours at scale")
    if not rows:
        return missing("stv")
    n = int(rows[0]["items"])
    body = []
    for x in rows:
        rounds = x.get("rounds", "")
        iters = x.get("iterations", "")
        extra = f"{int(rounds)}" if rounds != "" else ""
        if iters not in ("", 0):
            extra += f" ({int(iters)} iterations)"
        body.append(
            [f"`{x['case']}`", seconds(x["median_s"]), rate(x["rate_per_s"], " ballots/s"), extra]
        )
    distinct = r.meta.get("distinct_rankings")
    what = f"{power(n)} ballots x 20 candidates, 5 seats"
    if distinct:
        what += f" ({int(distinct):,} distinct rankings)"
    return "\n".join(
        [r.source(), "", what + ":", "", table(["rule", "time", "throughput", "rounds"], body)]
    )


def stv_scaling(r: Results) -> str:
    out = []
    for section, xlabel, unit in (
        ("scaling V", "ballots", "V"),
        ("scaling seats", "seats", "seats"),
    ):
        rows = r.section(section)
        if not rows:
            continue
        rules: list[str] = []
        t: dict[tuple[str, int], float] = {}
        for x in rows:
            rules += [x["rule"]] if x["rule"] not in rules else []
            t[x["rule"], int(x["x"])] = x["median_s"]
        xs = sorted({v for _, v in t})
        iters = {int(x["x"]): x.get("iterations") for x in rows if x["rule"] == "meek"}
        show_iters = unit == "seats" and all(isinstance(i, int) for i in iters.values())
        body = []
        for v in xs:
            line = [power(v) if unit == "V" else v, *(seconds(t[k, v]) for k in rules)]
            body.append(line + ([iters.get(v, "-")] if show_iters else []))
        fits = ", ".join(f"{k} {unit}^{fit(xs, [t[k, v] for v in xs]):.2f}" for k in rules)
        if unit == "V":
            fixed = "20 candidates, 5 seats"
        elif rows[0].get("ballots"):
            fixed = f"20 candidates, {power(rows[0]['ballots'])} ballots"
        else:
            fixed = "20 candidates"
        head = [xlabel, *rules] + (["Meek iterations"] if show_iters else [])
        out += [
            f"Against {xlabel} ({fixed}):",
            "",
            table(head, body),
            "",
            f"Fitted: time ~ {fits} (expected <= 1).",
            "",
        ]
    return "\n".join(out).strip() if out else missing("stv")


def stv_side_by_side(r: Results) -> str:
    rows = r.section("side by side")
    if not rows:
        return missing("stv")
    ours = {(x["rule"], int(x["x"])): x for x in rows if x.get("library") == "voting"}
    sizes = sorted({int(x["x"]) for x in rows})
    libs: list[str] = []
    cell: dict[tuple[str, int], str] = {}
    for x in rows:
        if x.get("library") == "voting":
            continue
        name = str(x["rule"])
        libs += [name] if name not in libs else []
        agree = "" if x.get("agree") in (True, "") else ", other committee"
        cell[name, int(x["x"])] = f"{seconds(x['median_s'])} ({ratio(x['ratio'])}{agree})"
    for s in r.meta.get("stopped", []):
        if s["section"] == "side by side":
            n_txt, name = s["case"].split(" ", 1)
            n = int(n_txt[2:].replace(",", ""))
            libs += [name] if name not in libs else []
            cell[name, n] = f"> {s['budget_s']:.0f} s (> {ratio(s['ratio_above'])})"
    body = []
    for rule in ("meek", "scottish", "fractional"):
        body.append(
            [
                f"voting `{rule}`",
                *(seconds(ours[rule, n]["median_s"]) if (rule, n) in ours else "-" for n in sizes),
            ]
        )
    vs = {"stv_meek": "meek", "stv_scottish": "scottish"}
    for name in libs:
        ref = next((v for k, v in vs.items() if name.endswith(k)), "fractional")
        body.append([f"{name} (vs `{ref}`)", *(cell.get((name, n), "skipped") for n in sizes)])
    return "\n".join(
        [
            "Time per count (ratio: their time / ours, same ballots; 20 candidates, 5 seats):",
            "",
            table(["", *(f"{power(n)} ballots" for n in sizes)], body),
        ]
    )


# ------------------------------------------------------------------ methods
LIBS = ("numpy floor", "pref_voting", "votekit", "pyrankvote")


def methods_table(r: Results) -> str:
    rows = r.section("methods")
    if not rows:
        return missing("methods")
    methods: list[str] = []
    ours: dict[tuple[str, int], float] = {}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for x in rows:
        m = str(x["method"])
        methods += [m] if m not in methods else []
        if x["library"] == "voting":
            ours[m, int(x["x"])] = x["rate_per_s"]
        else:  # keep the largest size each library reached
            key = (m, str(x["library"]))
            if key not in best or x["x"] > best[key]["x"]:
                best[key] = x
    stopped = {}
    for s in r.meta.get("stopped", []):
        parts = s["case"].rsplit(" n=", 1)[0]
        for lib in LIBS:
            if parts.endswith(" " + lib):
                stopped[parts[: -len(lib) - 1], lib] = s
    top = max(n for _, n in ours)
    body = []
    for m in methods:
        row: list[str] = [m, rate(ours.get((m, top), float("nan")))]
        for lib in LIBS:
            hit = best.get((m, lib))
            if hit is not None:
                flag = "" if hit.get("agree") in (True, "") else ", other winner"
                row.append(
                    f"{rate(hit['rate_per_s'])} at {power(hit['x'])} ({ratio(hit['ratio'])}{flag})"
                )
            elif (m, lib) in stopped:
                at = stopped[m, lib]["case"].rsplit("n=", 1)[-1].replace(",", "")
                row.append(f"> {stopped[m, lib]['budget_s']:.0f} s at {power(int(at))}")
            else:
                row.append("-")
        body.append(row)
    libs = r.meta.get("libraries", {})
    pvc = libs.get("python-vote-core", {})
    pvc_cell = "does not import (see below)" if pvc and not pvc.get("works") else "-"
    head = ["method", f"voting, {power(top)} ballots", *LIBS]
    for row in body:
        row.append(pvc_cell)
    head.append("python-vote-core")
    return "\n".join(
        [
            r.source(),
            "",
            "Ballots per second, rank array to winner; in brackets the ratio of `voting`'s "
            "rate to the library's **at the same number of ballots** (the largest it reached):",
            "",
            table(head, body),
        ]
    )


def libraries(r: Results) -> str:
    libs = r.meta.get("libraries")
    if not libs:
        return missing("methods")
    lines = []
    for name, info in libs.items():
        version = info.get("version", "?")
        if name == "python-vote-core":
            status = "imports" if info.get("works") else info.get("why", "does not import")
            errors = sorted({v for k, v in info.items() if k.startswith("import ") and v != "ok"})
            lines.append(f"- **python-vote-core {version}**: {status}.")
            for e in errors:
                lines.append(f"  - `{e}`")
            for e in info.get("syntax errors under this Python", []):
                lines.append(f"  - SyntaxError: `{e}`")
        else:
            lines.append(f"- {name} {version}: import {info.get('import', '?')}.")
    return "\n".join(lines)


# ------------------------------------------------------------------ others
def large(folder: Path) -> str:
    """The body of ``large.txt`` (times, peak memory, equality check), verbatim."""
    r = load("large", folder)
    txt = folder / "large.txt"
    if r is None or not txt.exists():
        return missing("large")
    body = [ln for ln in txt.read_text(encoding="utf-8").splitlines() if not ln.startswith("# ")]
    body = [re.sub(r"\s+min .*$", "", ln) for ln in body]  # rates and medians only
    text = "\n".join(body).strip()
    return f"{r.source()}\n\n```text\n{text}\n```"


def civs_prop(r: Results) -> str:
    """CIVS proportional: end to end (typical and worst case), its parts, the fits."""
    body = []
    for sec in ("headline", "uniform"):
        for row in r.section(sec):
            body.append(
                [
                    f"{sec}: {row['case']}",
                    seconds(row["median_s"]),
                    rate(row["rate_per_s"], f" {row['unit']}/s"),
                ]
            )
    out = [r.source(), "", table(["case", "median", "rate"], body, "lrr")]
    fits = [f for f in r.meta.get("fits", []) if f.get("section") == "kernels"]
    if fits:
        out += [
            "",
            table(
                ["kernel fit", "exponent", "over"],
                [
                    [f["label"], f"{f['exponent']:.2f}", f"{f['x_from']:,}..{f['x_to']:,}"]
                    for f in fits
                ],
                "lrl",
            ),
        ]
    return "\n".join(out)


def runs(folder: Path) -> str:
    body = []
    for tsv in sorted(folder.glob("*.tsv")):
        r = load(tsv.stem, folder)
        if r is None:
            continue
        m = r.meta
        body.append(
            [
                f"`{tsv.stem}.txt`",
                str(m.get("date_utc", "?")).replace("+00:00", "Z"),
                m.get("numba_threads", "?"),
                m.get("load_at_start", "?"),
                m.get("load_at_end", "?"),
            ]
        )
    if not body:
        return missing("")
    return table(
        ["results", "date (UTC)", "numba threads", "load at start", "load at end"], body, "llrll"
    )


# ------------------------------------------------------------------ the page
def blocks(folder: Path = RESULTS) -> dict[str, Callable[[], str]]:
    """Marker id -> generator of its text."""
    cache: dict[str, Results | None] = {}

    def use(name: str, fn: Callable[[Results], str]) -> Callable[[], str]:
        def go() -> str:
            if name not in cache:
                cache[name] = load(name, folder)
            r = cache[name]
            return missing(name) if r is None else fn(r)

        return go

    return {
        "runs": lambda: runs(folder),
        "pairwise-headline": use("pairwise", pairwise_headline),
        "pairwise-compressed": use("pairwise", pairwise_compressed),
        "pairwise-scaling-v": use("pairwise", pairwise_scaling_v),
        "pairwise-scaling-c": use("pairwise", pairwise_scaling_c),
        "pairwise-crossover": use("pairwise", pairwise_crossover),
        "cold-start": use("cold", cold_start),
        "first-run": use("first_run", first_run),
        "engines": use("engines", engines),
        "meek-large": use("meek_large", meek_large),
        "schulze-paths": use("schulze", schulze_paths),
        "schulze-vs-pref-voting": use("schulze", schulze_vs),
        "schulze-end-to-end": use("schulze", schulze_end_to_end),
        "schulze-scaling-v": use("schulze", schulze_scaling),
        "stv-scale": use("stv", stv_scale),
        "stv-scaling": use("stv", stv_scaling),
        "stv-side-by-side": use("stv", stv_side_by_side),
        "methods": use("methods", methods_table),
        "libraries": use("methods", libraries),
        "large": lambda: large(folder),
        "civs-prop": use("civs_prop", civs_prop),
    }


def render(doc: str, folder: Path = RESULTS) -> str:
    """``doc`` with every ``<!-- bench:id -->`` block regenerated."""
    gens = blocks(folder)

    def sub(m: re.Match[str]) -> str:
        ident = m.group(2)
        if ident not in gens:
            raise KeyError(f"unknown bench block {ident!r}; known: {sorted(gens)}")
        return f"{m.group(1)}{gens[ident]().rstrip()}\n{m.group(4)}"

    return BLOCK.sub(sub, doc)


# ------------------------------------------------------------------ plots
def plots(folder: Path = RESULTS, images: Path = IMAGES) -> list[Path]:
    """Scaling curves as PNG: against ballots, candidates and seats."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    images.mkdir(parents=True, exist_ok=True)
    meta = {"Software": None}

    def save(fig: Any, name: str) -> None:
        path = images / name
        fig.tight_layout()
        fig.savefig(path, dpi=100, metadata=meta)
        plt.close(fig)
        written.append(path)

    pw, sc, st = load("pairwise", folder), load("schulze", folder), load("stv", folder)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    if pw:
        pts: dict[str, list[tuple[int, float]]] = {}
        for row in pw.section("scaling V"):
            m = CASE_V.match(row["case"])
            if m:
                pts.setdefault(m.group(2), []).append(
                    (int(m.group(1).replace(",", "")), row["median_s"])
                )
        for kind, xy in pts.items():
            ax.plot(*zip(*xy, strict=True), "o-", label=f"pairwise {kind} (C = 10)")
    if sc:
        xy = [(int(r["x"]), r["median_s"]) for r in sc.section("scaling V")]
        if xy:
            ax.plot(*zip(*xy, strict=True), "s-", label="Schulze end to end (C = 10)")
    if st:
        for rule in ("meek", "scottish"):
            xy = [
                (int(r["x"]), r["median_s"]) for r in st.section("scaling V") if r["rule"] == rule
            ]
            if xy:
                ax.plot(*zip(*xy, strict=True), "^-", label=f"STV {rule} (C = 20, 5 seats)")
    large_tsv = load("large", folder)
    if large_tsv:
        for sec, mark in (("in memory", "P"), ("from a file", "X")):
            xy = [(r["items"], r["median_s"]) for r in large_tsv.section(sec)]
            if xy and large_tsv.rows[0].get("unit") == "ballots":
                ax.plot(*zip(*xy, strict=True), mark, ms=9, label=f"bench_large: pairwise {sec}")
    ax.set(xscale="log", yscale="log", xlabel="ballots", ylabel="seconds (median)")
    ax.set_title("Cost against ballots")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, "bench-scaling-ballots.png")

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    if pw:
        per: dict[str, list[tuple[int, float]]] = {}
        for row in pw.section("scaling C"):
            m = CASE_C.match(row["case"])
            if m:  # scaled to 10^5 ballots (the sweep uses fewer above C = 200)
                t = row["median_s"] * 1e5 / row["items"]
                per.setdefault(m.group(2).strip(), []).append((int(m.group(1)), t))
        for kind, xy in per.items():
            ax.plot(*zip(*xy, strict=True), "o-", label=f"pairwise {kind}, per 10^5 ballots")
    if sc:
        ks: dict[str, list[tuple[int, float]]] = {}
        for row in sc.section("strongest paths"):
            if row.get("kernel"):
                ks.setdefault(str(row["kernel"]), []).append((int(row["x"]), row["median_s"]))
        for k, xy in ks.items():
            ax.plot(*zip(*xy, strict=True), "s--", label=f"strongest paths, {k}")
    ax.set(xscale="log", yscale="log", xlabel="candidates", ylabel="seconds (median)")
    ax.set_title("Cost against candidates")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    save(fig, "bench-scaling-candidates.png")

    if st and st.section("scaling seats"):
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        for rule in ("meek", "scottish"):
            xy = [
                (int(r["x"]), r["median_s"])
                for r in st.section("scaling seats")
                if r["rule"] == rule
            ]
            if xy:
                ax.plot(*zip(*xy, strict=True), "o-", label=f"STV {rule}")
        ax.set(xlabel="seats", ylabel="seconds (median)", ylim=(0, None))
        ax.set_title("STV: cost against seats (20 candidates)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        save(fig, "bench-scaling-seats.png")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--images", type=Path, default=IMAGES)
    ap.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    ap.add_argument("--no-plots", action="store_true")
    args = ap.parse_args(argv)
    old = args.doc.read_text(encoding="utf-8")
    new = render(old, args.results)
    if args.check:
        if new != old:
            print(f"{args.doc} is out of date: run python3 -m benchmarks.report")
            return 1
        return 0
    if new != old:
        args.doc.write_text(new, encoding="utf-8")
        print(f"rewrote {args.doc}")
    else:
        print(f"{args.doc} unchanged")
    if not args.no_plots:
        for path in plots(args.results, args.images):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The page's style sheet, inlined into every results page (no external file, no font).

Colours meet WCAG AA contrast for body text (at least 4.5:1) on their backgrounds; the
pairwise cells are tinted pale enough for black text at any margin. Wide tables and
charts scroll inside their own region on a narrow screen.
"""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #b5b5b5;
  --win: #1d6b34; --loss: #9b1c1c; --accent: #0b4f8a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus, [tabindex]:focus, summary:focus { outline: 3px solid #f0a000; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5em; }
.skip:focus { left: .5em; z-index: 10; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; border-bottom: 2px solid var(--ink); }
h1 { font-size: 1.7rem; margin: .3em 0; line-height: 1.2; overflow-wrap: anywhere; }
header p, section p, li { overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; }
.subtitle, .note, figcaption { color: var(--muted); }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; list-style: none; }
.winners { font-size: 1.25rem; font-weight: 600; }
.winners li { margin: .2em 0; }
.scroll { position: relative; overflow-x: auto; max-width: 100%; border: 1px solid var(--line);
  margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: right;
  white-space: nowrap; vertical-align: top; }
th[scope="row"], td.name { text-align: left; }
thead th { background: #eef1f4; position: sticky; top: 0; }
td.self { background: #e4e4e4; }
tr.decided td { white-space: normal; min-width: 7rem; text-align: left; font-size: .85rem; }
td.win { font-weight: 700; }
td .margin { display: block; font-size: .75rem; color: var(--muted); font-weight: 400; }
tr.elected th[scope="row"]::after { content: " \\2713"; }
td.elected { font-weight: 700; }
td.excluded { color: var(--muted); text-decoration: line-through; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .9rem; }
pre { background: #f4f4f4; padding: .6rem; overflow-x: auto; border: 1px solid var(--line); }
code.hash { word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
svg.chart { display: block; max-width: none; font-size: 12px; }
svg.chart text { fill: var(--ink); }
svg.chart .small { font-size: 11px; }
svg.chart .axis { font-size: 11px; fill: var(--muted); }
svg.chart .grid { stroke: #e2e2e2; stroke-width: 1; }
svg.chart .bubble { fill: #2f6fa8; fill-opacity: .55; stroke: #123b5e; }
svg.chart .mean { fill: #1a1a1a; }
svg.chart .win { fill: #1d6b34; }
svg.chart .tie, svg.chart .loss { stroke: #4a4a4a; stroke-width: .5; }
svg.chart .bar { fill: #6b7b8c; }
svg.chart .bar.elected { fill: #1d6b34; }
svg.chart .bar.excluded { fill: #b0b0b0; }
svg.chart .flow { stroke: #4a4a4a; stroke-width: .3; fill-opacity: .9; }
svg.chart .kept { fill: #d9dde2; fill-opacity: .8; }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; }
.legend { font-size: .9rem; color: var(--muted); }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.35rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
@media print { .skip, nav { display: none; } .scroll { overflow: visible; border: 0; } }
"""

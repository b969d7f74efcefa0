"""Results pages an election official can publish: one self-contained HTML file.

:func:`report_data` counts a profile with a method and gathers everything a reader needs
to trust the result: the winners and how ties were broken, the full ranking, the
pairwise contests, the strongest paths of a Schulze count with a witness at each tier
boundary, the round-by-round sheet and transfer flows of an STV or IRV count, rank
spread and head-to-head charts, blocs of given groups, the ballots read, counted and
rejected, and the input files' SHA-256 with the command that recounts them.
:func:`rctab_report_data` does the same for a US ranked-choice contest counted as RCTab
counts it. :func:`render_html` draws the page from that data alone and embeds the data
as JSON; :func:`write_report` writes the page (and the JSON beside it).

The JSON's keys are documented in the docs (``report.md``); :data:`SCHEMA_VERSION`
changes whenever a key is removed or changes meaning.

Examples
--------
>>> from voting import Profile, Schulze
>>> from voting.report import report_data, render_html
>>> p = Profile.from_rankings([["A", "B", "C"]] * 4 + [["B", "C", "A"]] * 3
...                           + [["C", "A", "B"]] * 2)
>>> data = report_data(p, Schulze(), title="Example")
>>> data["result"]["elected"], data["schema_version"]
(['A'], 1)
>>> page = render_html(data)
>>> page.startswith("<!DOCTYPE html>"), "A defeats B 6-3" in page
(True, True)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from voting.report._data import SCHEMA_VERSION, report_data
from voting.report._html import render_html
from voting.report._rctab import rctab_report_data

__all__ = ["SCHEMA_VERSION", "rctab_report_data", "render_html", "report_data", "write_report"]


def write_report(
    data: dict[str, Any],
    path: str | os.PathLike[str] | None,
    *,
    json_path: str | os.PathLike[str] | None = None,
) -> None:
    """Write the page of ``data`` to ``path`` (UTF-8; None: no page), and the data to
    ``json_path`` (None: no JSON).

    Each file is written whole or not at all (a temporary file, then renamed).
    """
    if path is not None:
        _write(path, render_html(data))
    if json_path is not None:
        _write(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _write(path: str | os.PathLike[str], text: str) -> None:
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)

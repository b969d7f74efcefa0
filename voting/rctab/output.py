"""Writing RCTab's result files under RCTab's names (:func:`write_results`).

For each pass (``<prefix>`` or ``<prefix>_<seat>`` in multi-pass IRV)::

    <prefix>_summary_report.csv
    <prefix>_detailed_report.csv
    <prefix>_detailed_report.json
    <prefix>_rctab_cvr.csv                        the records as read, one rank per column
    <prefix>_cdf_cvr.json                         the records as NIST CDF, with generateCdfJson
    Tabulate by Precinct/<prefix>_<precinct>_precinct_detailed_report.{csv,json}
    Tabulate by Batch/<prefix>_<batch>_batch_detailed_report.{csv,json}

RCTab names ``<prefix>`` after the time of the run (``yyyy-MM-dd_HH-mm``); so does
:func:`default_prefix`. Files are written whole to a temporary name and renamed, so a
reader never sees half a report.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from voting._java_text import sanitize
from voting.formats.cvr import OVERVOTE_LABEL, UNDECLARED_WRITE_IN, CastVoteRecords
from voting.rctab.cdf import cdf_cvr_report
from voting.rctab.config import ContestConfig, WinnerMode
from voting.rctab.report import _Csv, csv_report, detailed_report, json_text, write_json
from voting.rctab.tabulator import Tabulation

__all__ = ["default_prefix", "rctab_cvr_csv", "write_cdf_cvr", "write_results"]


def default_prefix(now: datetime.datetime | None = None) -> str:
    """RCTab's file prefix: the local time as ``yyyy-MM-dd_HH-mm``."""
    return (now or datetime.datetime.now()).strftime("%Y-%m-%d_%H-%M")


def _write(path: Path, content: str | dict[str, Any]) -> None:
    """Write ``content`` (text, or a JSON document laid out as it is written) to ``path``
    through a temporary name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            if isinstance(content, str):
                f.write(content)
            else:
                write_json(content, f)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _slice_names(ids: Sequence[str]) -> dict[str, str]:
    """File-name-safe slice ids, made unique as RCTab does (``_1``, ``_2`` suffixes)."""
    used: set[str] = set()
    out: dict[str, str] = {}
    for sid in ids:
        base = sanitize(sid)
        name = base
        k = 1
        while name in used:
            name = f"{base}_{k}"
            k += 1
        used.add(name)
        out[sid] = name
    return out


def rctab_cvr_csv(cvrs: CastVoteRecords, config: ContestConfig) -> str:
    """RCTab's ``*_rctab_cvr.csv``: every record with its marks, rank by rank (several marks
    at one rank on separate lines of the cell; ``undervote`` where a rank has none)."""
    w = _Csv()
    header = [
        "Source Filepath",
        "CVR Provider",
        "Contest Id",
        "RCTab CVR Id",
        "Tabulator Id",
        "Batch Id",
        "Vendor Id",
        "Precinct",
        "Precinct Portion",
    ]
    max_rank = config.max_rankings()
    w.record(*header, *(f"Rank {r}" for r in range(1, max_rank + 1)))
    providers = {s.file_path: s for s in config.sources}
    tabulators = cvrs.extra.get("tabulator")
    portions = cvrs.extra.get("precinct_portion")
    contests = cvrs.extra.get("contest")
    offsets, ranks, marks = cvrs.offsets, cvrs.ranks.tolist(), cvrs.marks.tolist()
    for i in range(len(cvrs)):
        file_path = cvrs.source_names[int(cvrs.sources[i])]
        source = providers.get(file_path)
        cells: list[list[str]] = [[] for _ in range(max_rank)]
        for m in range(int(offsets[i]), int(offsets[i + 1])):
            r = ranks[m]
            if r > max_rank:
                continue
            text = cvrs.tokens[marks[m]]
            if text == UNDECLARED_WRITE_IN:
                shown = (source.undeclared_write_in_label if source else None) or ""
            elif text == OVERVOTE_LABEL:
                shown = OVERVOTE_LABEL
            else:
                shown = config.aliases.get(text, text)
            cells[r - 1].append(shown)
        supplied = cvrs.supplied_ids[i] if cvrs.supplied_ids else None
        w.record(
            file_path,
            source.provider if source else "",
            (contests[i] if contests else None) or "",
            cvrs.ids[i],
            (tabulators[i] if tabulators else None) or "",
            cvrs.batch_of(i) or "",
            supplied or "",
            cvrs.precinct_of(i) or "",
            (portions[i] if portions else None) or "",
            *("\n".join(c) if c else "undervote" for c in cells),
        )
    return w.text()


def write_results(
    tabulations: Sequence[Tabulation],
    directory: str | os.PathLike[str],
    prefix: str | None = None,
    cvrs: CastVoteRecords | None = None,
) -> list[Path]:
    """Write every file RCTab writes for ``tabulations`` into ``directory``; return the paths.

    The files of the records themselves (``*_rctab_cvr.csv``, and ``*_cdf_cvr.json`` when
    the configuration sets ``generateCdfJson``: :func:`voting.rctab.cdf.cdf_cvr_report`)
    need the records read, ``cvrs``.
    """
    out = Path(directory)
    stem0 = prefix or default_prefix()
    written: list[Path] = []
    for tab in tabulations:
        stem = stem0 if tab.sequence is None else f"{stem0}_{tab.sequence}"
        files: dict[str, str | dict[str, Any]] = {
            f"{stem}_summary_report.csv": csv_report(tab, detailed=False),
            f"{stem}_detailed_report.csv": csv_report(tab),
            f"{stem}_detailed_report.json": json_text(detailed_report(tab)),
        }
        if cvrs is not None:
            files[f"{stem}_rctab_cvr.csv"] = rctab_cvr_csv(cvrs, tab.config)
            if tab.config.generate_cdf_json:
                files[f"{stem}_cdf_cvr.json"] = cdf_cvr_report(cvrs, tab)
        for kind, table in tab.slices.items():
            names = _slice_names(list(table))
            folder = f"Tabulate by {kind.capitalize()}"
            for sid in table:
                base = f"{folder}/{stem}_{names[sid]}_{kind}_detailed_report"
                files[f"{base}.csv"] = csv_report(tab, slice_kind=kind, slice_id=sid)
                files[f"{base}.json"] = json_text(detailed_report(tab, kind, sid))
        for name, text in files.items():
            path = out / name
            _write(path, text)
            written.append(path)
    return written


def write_cdf_cvr(
    cvrs: CastVoteRecords,
    config: ContestConfig,
    directory: str | os.PathLike[str],
    prefix: str | None = None,
) -> Path:
    """RCTab's ``convert-to-cdf``: write the records as a NIST CDF cast vote record report
    (original snapshots, no count) to ``<prefix>_cdf_cvr.json`` (``<prefix>_1_cdf_cvr.json``
    for a multi-pass IRV contest, as RCTab names it); return the path."""
    stem = prefix or default_prefix()
    if config.rules.winner_mode == WinnerMode.MULTI_PASS_IRV:
        stem = f"{stem}_1"
    path = Path(directory) / f"{stem}_cdf_cvr.json"
    _write(path, cdf_cvr_report(cvrs, config))
    return path
